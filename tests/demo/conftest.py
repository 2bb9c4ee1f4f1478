import pytest

from .support import load_demo


@pytest.fixture
def demo(db) -> str:
    """The demo data, loaded once by the command; its output."""
    return load_demo()
