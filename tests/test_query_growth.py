"""No page's number of queries grows with the data: every page the benchmark measures
(``bench/harness.py``), read by the person it is for, with the benchmark's data set at two
sizes, the second ten times the first.

The data comes from the benchmark's generator (``bench/dataset.py``) at a small base size: it
writes rows with ``bulk_create`` and statuses directly, as a fixture of many rows in every state
would, which the workflow tests cover through the services. Nothing here is timed.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import dataset

pytestmark = pytest.mark.django_db

# Per edition at 1×: 3 applications (9 reviews), 2 initiatives (20 reports); 40 organisations.
SMALL = {"organisations": 40, "applications": 30, "initiatives": 18, "reviewers": 6}
# What a page may cost at most, whatever the data (the initiative's change page, with its seven
# inlines, is the dearest): a regression here is an N+1 somewhere.
MOST = 40


def page_queries(scale: int) -> dict[str, int]:
    """Queries of each page of the harness, with the data set at ``scale``: public pages as
    rendered (the page cache emptied first), the others as their person."""
    dataset.generate(scale, sizes=SMALL)
    sessions = dataset.persona_sessions()
    counts = {}
    for page in dataset.pages():
        if page["who"] == "floor" or page["who"] == "public cached":
            continue  # no query at all / the same page as the uncached one
        client = Client()
        if page.get("persona") in sessions:
            client.cookies["sessionid"] = sessions[page["persona"]]
        client.get(page["path"])  # what a process caches once (content types…) is cached
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        assert response.status_code == 200, (page, response.status_code)
        counts[f"{page['who']}: {page['name']}"] = len(queries)
    return counts


def test_no_page_makes_more_queries_with_ten_times_the_data():
    with transaction.atomic():
        small = page_queries(1)
        transaction.set_rollback(True)  # the ten times larger set starts from an empty database
    large = page_queries(10)
    assert small.keys() == large.keys()
    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert grown == {}, grown
    assert max(small.values()) <= MOST, small
    # Every kind of person's pages are covered.
    assert {name.split(":")[0] for name in small} == {
        "public uncached",
        "applicant",
        "reviewer",
        "grantee",
        "secretariat",
    }
