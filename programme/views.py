"""The public site: what visitors read, in their language. Only published content shows."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Edition, EditionFunder


def home(request):
    editions = Edition.objects.published().select_related("programme")
    return render(request, "public/home.html", {"editions": editions})


def edition_detail(request, slug: str):
    edition = get_object_or_404(
        Edition.objects.published()
        .select_related("programme")
        .prefetch_related(
            Prefetch("funders", queryset=EditionFunder.objects.select_related("funder")),
        ),
        slug=slug,
    )
    # The edition page reaches initiatives through related names: programme does not
    # import grants (imports run grants -> programme).
    initiatives = (
        edition.initiatives.filter(is_published=True)
        .select_related("lead_organisation")
        .prefetch_related("lines_of_action")
        .order_by("order", "pk")
    )
    return render(
        request,
        "public/edition_detail.html",
        {
            "edition": edition,
            "initiatives": initiatives,
            "previous_edition": edition.previous_edition(),
        },
    )
