"""PDFs made from our own HTML templates by WeasyPrint: the one place that calls it.

The grant agreement (``grants.documents``), an application and a report (their ``printouts``)
are rendered from templates of this project, every value escaped, and printed with the DejaVu
fonts (Cyrillic and accented Latin; ``scripts/install`` and the Dockerfile install them).
Nothing is fetched while printing: no protocol is allowed, so a name of an image or a
stylesheet in what a grantee typed cannot make the server reach anything.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header


def html_to_pdf(html: str, *, css: str) -> bytes:
    """The PDF of the page ``html`` styled by ``css``. WeasyPrint is imported here, on first
    use: it loads Pango."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=())
    style = CSS(string=css, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[style])


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    """``template`` (a whole page, see ``templates/documents/``) rendered in ``language`` and
    printed with the documents' style sheet."""
    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    return html_to_pdf(html, css=render_to_string("documents/document.css"))


def pdf_response(data: bytes, *, filename: str) -> HttpResponse:
    """A PDF made for one reader, sent as a download: never kept by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
