"""The secretariat's screens, one module per topic: ``home`` (what waits for it),
``applications`` (screening, assignment, ranking, decisions), ``workplans`` and ``reports``
(their review). Only the secretariat reaches them: for anyone else they are not found."""
