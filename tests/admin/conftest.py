"""Staff users and the data set of the back office's tests."""

import pytest

from organisations.models import User

from .dataset import build_dataset, staff_user


@pytest.fixture
def secretary() -> User:
    return staff_user("secretary@example.org", "Secretariat")


@pytest.fixture
def reviewer() -> User:
    return staff_user("reviewer@example.org", "Reviewer")


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def dataset(reviewer) -> dict:
    return build_dataset(1, reviewer)
