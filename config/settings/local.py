"""Quick start on a developer's machine: SQLite, console email, in-process tasks."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
# A fixed key is acceptable here only: production.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: S105
