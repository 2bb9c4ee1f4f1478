"""The upgraded database the tests of this folder look at (built once for the module)."""

from .upgrade import upgrade  # noqa: F401 (the fixture)
