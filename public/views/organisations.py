"""The public page of an organisation: who it is and the initiatives it led."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from grants.selectors.disclosure import named
from grants.selectors.public import published_initiatives
from organisations.models import Organisation

from ..cache import cache_public_page, later


@cache_public_page
def organisation_detail(request, slug: str):
    # An organisation at risk has no public page (a 404 like any unknown address, which says
    # nothing), and neither does one whose every grant is hidden.
    organisation = get_object_or_404(Organisation.objects.filter(is_at_risk=False), slug=slug)
    initiatives = (
        named(published_initiatives())
        .filter(lead_organisation=organisation)
        .select_related("edition__programme")
        .order_by("-edition__year", "order")
    )
    if not initiatives.exists():
        # Only organisations with a published initiative have a public page: applicants and
        # organisations still in review stay private.
        raise Http404
    # The page's body is a shared fragment (``templates/public/organisation_detail.html``): the
    # lists are read only when it is not in the cache.
    return render(
        request,
        "public/organisation_detail.html",
        {
            "organisation": organisation,
            "relations": later(list, organisation.relations.select_related("related")),
            "initiatives": initiatives,
        },
    )
