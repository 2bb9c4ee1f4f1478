"""The demo loader, behind ``manage.py load_demo``: the data lives in ``demo/data/*.yaml``.

- ``files``: reading the YAML files, the dates they give relative to the load day, photos;
- ``base``: the ``Loader`` (load day, tally) and its upsert by natural key;
- ``catalogue``: the programme, editions, organisations, 2023 initiatives and people;
- ``editions``: each edition taken to its status through the services (its call opened first);
- ``scenarios``: applications, reviews and grants in progress, built through the services;
- ``results``: the final reports of finished grants and the results published from them;
- ``emails``: keeping the emails those services send off the terminal.
"""

from .base import Loader
from .catalogue import load_catalogue
from .editions import editions_moving
from .emails import emails_kept_in_memory
from .results import load_results
from .scenarios import run_scenarios


def load(loader: Loader) -> None:
    """Everything, in order: the reference rows, then the journeys that use them, while the
    editions' calls are open; then the editions move on to their status."""
    load_catalogue(loader)
    with editions_moving(loader):
        run_scenarios(loader)
        load_results(loader)


__all__ = ["Loader", "emails_kept_in_memory", "load"]
