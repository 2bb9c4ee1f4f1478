"""The open data: the page that lists the files and says what each field means, and the files
themselves, served with an ETag and a Last-Modified date (a client that has the current file
gets a 304)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition

from ..cache import cache_public_page
from ..opendata.files import FILES, downloads, open_file, read_index
from ..opendata.schedule import build_if_stale

# What each column of the 360Giving files holds: the JSON's field, the column's title in the
# CSV and XLSX (360Giving's, in English in every file), and what it means.
FIELDS = [
    ("id", "Identifier", _("The grant's identifier, under the programme's 360Giving prefix.")),
    ("title", "Title", _("The initiative's title.")),
    ("description", "Description", _("The initiative's summary.")),
    ("currency", "Currency", _("The currency of the amounts (ISO 4217 code).")),
    ("amountAwarded", "Amount Awarded", _("The amount of the grant.")),
    ("amountDisbursed", "Amount Disbursed", _("What has been paid so far.")),
    ("awardDate", "Award Date", _("When the grant was awarded.")),
    (
        "plannedDates/startDate, endDate",
        "Planned Dates:Start Date, End Date",
        _("When the project runs."),
    ),
    (
        "recipientOrganization/id, name",
        "Recipient Org:Identifier, Name",
        _("The organisation that leads the initiative, by its org-id where it has one."),
    ),
    (
        "recipientOrganization/addressCountry, addressLocality, url",
        "Recipient Org:Country, City, Web Address",
        _("Where the organisation is based, and its website."),
    ),
    (
        "beneficiaryLocation/countryCode, name",
        "Beneficiary Location:Country Code, Name",
        _("The countries where the initiative works (one row each in the CSV's own sheet)."),
    ),
    (
        "fundingOrganization/id, name",
        "Funding Org:Identifier, Name",
        _("The funders of the edition."),
    ),
    (
        "grantProgramme/code, title, url",
        "Grant Programme:Code, Title, URL",
        _("The programme and its edition."),
    ),
    (
        "classifications/vocabulary, code, title",
        "Classifications:Vocabulary, Code, Title",
        _("The initiative's themes."),
    ),
    ("url", "URL", _("The initiative's page on this site.")),
    ("dateModified", "Last Modified", _("When the grant's record last changed.")),
]


def data_page(request):
    build_if_stale()
    return cached_data_page(request)


@cache_public_page
def cached_data_page(request):
    return render(
        request,
        "public/data.html",
        {
            "downloads": downloads(),
            "fields": FIELDS,
            "licence": settings.OPEN_DATA_LICENCE,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "prefix": settings.OPEN_DATA_GRANT_PREFIX,
        },
    )


def _entry(name: str) -> dict | None:
    return read_index().get(name) if name in FILES else None


def _etag(request, name: str) -> str | None:
    entry = _entry(name)
    return f'"{entry["sha256"]}"' if entry else None


def _last_modified(request, name: str) -> datetime.datetime | None:
    entry = _entry(name)
    return datetime.datetime.fromisoformat(entry["changed_at"]) if entry else None


def data_file(request, name: str):
    """One open-data file; 304 when the client's copy is current."""
    build_if_stale()
    return conditional_data_file(request, name)


@condition(etag_func=_etag, last_modified_func=_last_modified)
def conditional_data_file(request, name: str):
    if _entry(name) is None:
        raise Http404
    try:
        handle = open_file(name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=FILES[name].content_type, filename=name)
    # Open data: any site may read it from a browser; caches ask again after five minutes.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
