"""The grant agreement as a document: its text for one initiative, in HTML and in PDF.

The secretariat writes an edition's agreement in the back office (``programme.AgreementTemplate``:
a title, a text before the particulars and the clauses after them). Those texts are never run
as templates: they are escaped, and a fixed set of ``{placeholders}`` is replaced by the grant's
values, escaped too. The particulars (the parties, the amount, the tranches and their
conditions, the period, the reporting dates, the lines of action) are laid out by our own
template, ``templates/agreements/agreement.html``. An edition without a template gets the
default text below, translated like the rest of the interface.

The document is written in the grantee's language (the initiative's original language, the one
its application was written in) when the template has text in it, else in the template's own
language. The PDF is made by WeasyPrint with the DejaVu fonts (Cyrillic and accented Latin),
and fetches nothing: every resource it could name is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname

from core.money import format_money
from core.pdf import html_to_pdf
from programme.models import PLACEHOLDER, AgreementTemplate, ReportKind

from .models import Disbursement, Initiative

TEXTS = ("title", "preamble", "clauses")

DEFAULT_TITLE = gettext_lazy("Grant agreement")
DEFAULT_PREAMBLE = (
    gettext_lazy(
        "This agreement is made between the secretariat of {programme} and {organisation} "
        "for the initiative “{initiative}”, funded by {edition}."
    ),
)
DEFAULT_CLAUSES = (
    gettext_lazy(
        "{organisation} will carry out the initiative as described in its application and in "
        "the workplan approved by the secretariat, between {period_start} and {period_end}, "
        "and will use the grant of {amount} for it alone."
    ),
    gettext_lazy(
        "The grant is paid in the tranches listed above, each once its condition is met, to the "
        "bank account the organisation has given the secretariat."
    ),
    gettext_lazy(
        "{organisation} will send the reports listed above by their due dates, tell the "
        "secretariat at once of any change that affects the initiative, and keep the receipts "
        "of every expense for five years."
    ),
    gettext_lazy(
        "Money not spent on the initiative is returned to the programme. The secretariat may end "
        "this agreement and stop the payments if the organisation does not keep to it."
    ),
    gettext_lazy(
        "The agreement takes effect when both parties have signed it. Accepting it in the "
        "portal, with one's name typed, has the effect of a handwritten signature."
    ),
)


@dataclass(frozen=True)
class Document:
    language: str
    title: str
    body_html: SafeString


def edition_template(initiative: Initiative) -> AgreementTemplate | None:
    """The edition's template, unless it has no text in any language (then the default)."""
    template = AgreementTemplate.objects.filter(edition_id=initiative.edition_id).first()
    if template is None or not any(_has_text(template, code) for code, _ in settings.LANGUAGES):
        return None
    return template


def _has_text(template: AgreementTemplate, language: str) -> bool:
    return any(
        (getattr(template, build_localized_fieldname(name, language), "") or "").strip()
        for name in TEXTS
    )


def agreement_language(initiative: Initiative, template: AgreementTemplate | None) -> str:
    """The grantee's language where the template (one with text, from ``edition_template``)
    has text in it, and always for the default text, which has every language; else the
    template's own language, then the first language it has text in."""
    wanted = initiative.original_language
    if template is None:
        return wanted
    order = [wanted, template.original_language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]
    return next(language for language in order if _has_text(template, language))


def paragraphs(text: str, values: dict[str, str]) -> SafeString:
    """The secretariat's text as HTML paragraphs: escaped, then each known ``{placeholder}``
    replaced by its value, escaped too; anything else (an unknown name, a brace) stays as
    typed."""
    escaped = escape(text.strip())
    filled = PLACEHOLDER.sub(
        lambda match: escape(values[match[1]]) if match[1] in values else match[0], escaped
    )
    return mark_safe(linebreaks(filled, autoescape=False))  # noqa: S308 (escaped above)


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def agreement_document(initiative: Initiative, *, version: int) -> Document:
    """The text of version ``version`` of the agreement of ``initiative``, in its language."""
    initiative = (
        Initiative.objects.select_related("edition__programme", "lead_organisation")
        .prefetch_related("lines_of_action")
        .get(pk=initiative.pk)
    )
    template = edition_template(initiative)
    language = agreement_language(initiative, template)
    with translation.override(language):
        return Document(language, *_render(initiative, template, language, version))


def _render(initiative: Initiative, template, language: str, version: int):
    edition = initiative.edition
    organisation = initiative.lead_organisation
    values = {
        "organisation": organisation.name,
        "initiative": initiative.title,
        "edition": edition.title,
        "programme": edition.programme.name,
        "amount": format_money(initiative.amount_awarded, initiative.currency),
        "period_start": _day(initiative.period_start),
        "period_end": _day(initiative.period_end),
    }

    def text(name: str) -> str:
        if template is None:
            return ""
        return getattr(template, build_localized_fieldname(name, language), "") or ""

    if template is not None:
        title = text("title").strip() or str(DEFAULT_TITLE)
        preamble = paragraphs(text("preamble"), values)
        clauses = paragraphs(text("clauses"), values)
    else:
        title = str(DEFAULT_TITLE)
        preamble = paragraphs("\n\n".join(str(p) for p in DEFAULT_PREAMBLE), values)
        clauses = paragraphs("\n\n".join(str(p) for p in DEFAULT_CLAUSES), values)
    tranches = [
        {
            "number": tranche.tranche,
            "amount": format_money(tranche.amount, tranche.currency),
            "condition": tranche.get_condition_display(),
            "due_on": _day(tranche.due_on),
        }
        for tranche in Disbursement.objects.filter(initiative=initiative).order_by("tranche")
    ]
    reports = [
        {
            "kind": ReportKind(kind).label,
            "period_start": _day(start),
            "period_end": _day(end),
            "due_on": _day(due),
        }
        for kind, start, end, due in edition.reporting_plan(
            initiative.period_start, initiative.period_end
        )
    ]
    body = render_to_string(
        "agreements/agreement.html",
        {
            "title": title,
            "version": version,
            "issued_on": _day(timezone.localdate()),
            "language": language,
            "values": values,
            "organisation": organisation,
            "country": organisation.country.name if organisation.country else "",
            "initiative": initiative,
            "edition": edition,
            # Who signs for the programme and where to write to it (issue 15).
            "programme": edition.programme,
            "tranches": tranches,
            "reports": reports,
            "lines": [line.title for line in initiative.lines_of_action.all()],
            "preamble": preamble,
            "clauses": clauses,
        },
    )
    return title, mark_safe(body)  # noqa: S308 (our template, autoescaped)


def agreement_pdf(document: Document) -> bytes:
    """The PDF of ``document`` (``core.pdf``: DejaVu fonts, nothing fetched)."""
    with translation.override(document.language):
        html = render_to_string(
            "agreements/agreement_pdf.html",
            {"title": document.title, "body": document.body_html, "language": document.language},
        )
    return html_to_pdf(html, css=render_to_string("agreements/agreement.css"))
