"""The demo loader, behind ``manage.py load_demo``: the data lives in ``demo/data/*.yaml``.

- ``files``: reading the YAML files, and the dates they give relative to the load day;
- ``base``: the ``Loader`` (load day, tally) and its upsert by natural key;
- ``catalogue``: the programme, editions, organisations, 2023 initiatives and people;
- ``scenarios``: applications, reviews and grants in progress, built through the services;
- ``emails``: keeping the emails those services send off the terminal.
"""

from .base import Loader
from .catalogue import load_catalogue
from .emails import emails_kept_in_memory
from .scenarios import run_scenarios


def load(loader: Loader) -> None:
    """Everything, in order: the reference rows, then the journeys that use them."""
    load_catalogue(loader)
    run_scenarios(loader)


__all__ = ["Loader", "emails_kept_in_memory", "load"]
