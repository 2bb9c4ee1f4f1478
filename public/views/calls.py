"""The public pages of the calls for applications: the list of calls, and a call's page.

Both are cached for visitors like every public page, until the next moment a call they show
opens or closes (``keep_until``), since whether a call is open changes with the clock. A
call's page shows a logged-in applicant their own applications to it: the page cache never
serves nor keeps a page for someone with a session.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from grants.selectors.applications import own_applications
from programme.models import EligibilityQuestion, ReviewCriterion
from programme.selectors import call_editions

from ..cache import cache_public_page, call_moments, call_states, keep_until, shared_data


@cache_public_page
def call_index(request):
    """Calls open now or opening soon, then the earlier ones."""
    editions = shared_data(
        request,
        "calls",
        lambda: list(
            call_editions().select_related("programme").order_by("-application_closes_at")
        ),
    )
    response = render(
        request,
        "public/calls/index.html",
        {"editions": editions, "calls": call_states(editions)},
    )
    return keep_until(response, call_moments(editions))


@cache_public_page
def call_detail(request, slug: str):
    edition = get_object_or_404(
        call_editions()
        .select_related("programme")
        .prefetch_related(
            Prefetch("criteria", queryset=ReviewCriterion.objects.select_related("edition")),
            Prefetch(
                "eligibility_questions",
                queryset=EligibilityQuestion.objects.select_related("edition"),
            ),
        ),
        slug=slug,
    )
    mine = []
    if request.user.is_authenticated:
        mine = list(
            own_applications(request.user)
            .filter(edition=edition)
            .select_related("organisation")
            .order_by("-created_at")
        )
    response = render(
        request,
        "public/calls/detail.html",
        {"edition": edition, "state": edition.call_state(), "my_applications": mine},
    )
    return keep_until(response, call_moments([edition]))
