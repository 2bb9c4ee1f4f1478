"""The Content-Security-Policy (``SECURE_CSP`` in config/settings/base.py).

Every page type answers with the policy, and none carries what the policy would block: an
inline ``<script>`` (without a nonce the header names), an inline ``<style>``, a ``style=``
attribute, an ``on…=`` handler, a ``javascript:`` address, or a script, style sheet, image or
form of another site. The walk covers the public site, the accounts pages, the portal as a
member, applying, reviewing, the secretariat's screens and the back office (every model's list,
add and change page), and fails when a page of the site's addresses is left out. Private files
keep the stricter policy of their own response.

The browser journeys (tests/e2e/) add what only a browser sees: a violation caused by a script.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client as DjangoClient
from django.urls import Resolver404, URLResolver, get_resolver, reverse

from grants import services as grant_services
from tests.admin.dataset import admin_url, build_dataset, request_as
from tests.grants.factories import assign, draft, open_edition, submitted, under_review
from tests.portal.access import build_world
from tests.portal.access_cases import reset_link
from tests.portal.test_html_validity import portal_pages
from tests.public.test_public_site import page_urls, populate
from tests.twofactor import Client, authenticator

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# The policy every HTML page carries, directive by directive.
EXPECTED_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PRIVATE_FILE_POLICY = "default-src 'none'; sandbox"

# Named addresses that are not HTML pages, and why. Every other name must be walked.
NOT_PAGES = {
    "set_language": "POST only, redirects",
    "sitemap": "XML",
    "sitemap-section": "XML",
    "robots": "plain text",
    "public-media": "published photos (images)",
    "accounts:logout": "POST only, redirects",
    "portal:member_remove": "POST only, redirects",
    "portal:workplan_submit": "POST only, redirects",
    "portal:attachment_delete": "POST only, redirects",
    "portal:member_role": "POST only, redirects",
    "portal:agreement_sign": "POST only, redirects (or the agreement page, walked)",
    "portal:agreement_scan": "POST only, redirects (or the agreement page, walked)",
    "portal:agreement_pdf": "a private file, sent by private_file_response",
    "calls:attachment_delete": "redirects to the application form",
    "portal:attachment": "a private file (test_private_files_keep_their_own_policy)",
    "calls:attachment": "a private file (test_private_files_keep_their_own_policy)",
    "review:attachment": "a private file (test_private_files_keep_their_own_policy)",
    "secretariat:export_download": "a private file (tests/secretariat/test_exports.py)",
    "opendata-file": "open-data files (JSON, ZIP, XLSX, XML)",
    "programme-style": "CSS: a programme's colours (tests/public/test_programmes.py)",
    "public:old-edition": "a permanent redirect to the edition's page under its programme",
    "public:old-initiative": "a permanent redirect to the initiative's page under its programme",
    "api:api-root": "the API's prefix, no page",
    "api:openapi-json": "JSON",
    "api:edition_list": "JSON",
    "api:initiative_list": "JSON",
    "api:organisation_list": "JSON",
    "api:country_list": "JSON",
    "api:theme_list": "JSON",
    "api:small_grant_list": "JSON",
    "public:actions_map": "an SVG image with its own policy (tests/portal/test_light_pages.py)",
    "calls:application_pdf": "a PDF (tests/dossier/test_printouts.py)",
    "portal:report_pdf": "a PDF (tests/dossier/test_printouts.py)",
    "secretariat:dossier": "a ZIP (tests/dossier/test_audit_dossier.py)",
    "secretariat:dossiers": "a ZIP (tests/dossier/test_audit_dossier.py)",
    "secretariat:dossier_file": "a ZIP (tests/dossier/test_dossier_worker.py)",
    "secretariat:import_template": "a spreadsheet (tests/secretariat/test_import.py)",
}
# <script type="…"> that browsers do not run (data blocks such as json_script's).
DATA_BLOCK_TYPES = {"application/json", "application/ld+json", "text/template"}
# (tag, attribute) pairs that load something or send somewhere: only the site itself.
LOADS = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
}


def policy_of(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: (values[0] if values else "") for name, *values in directives}


def elsewhere(address: str | None) -> bool:
    """Whether ``address`` points at another site than the one under test."""
    address = (address or "").strip()
    return bool(re.match(r"(https?:)?//", address)) and urlsplit(address).hostname != "testserver"


class InlineCode(HTMLParser):
    """What in one HTML page the policy would block, as readable problems."""

    def __init__(self, nonces: set[str]):
        super().__init__(convert_charrefs=True)
        self.nonces = nonces
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: <{tag} {name}=…> (an inline handler)")
            elif name == "style":
                self.problems.append(f"line {line}: <{tag} style=…>")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"line {line}: <{tag} {name}=javascript:…>")
            elif (tag, name) in LOADS and elsewhere(value):
                self.problems.append(f"line {line}: <{tag} {name}={value}> (another site)")
        if tag == "style":
            self.problems.append(f"line {line}: <style> (an inline style sheet)")
        if tag == "script" and not values.get("src"):
            kind = (values.get("type") or "").strip().lower()
            if kind not in DATA_BLOCK_TYPES and values.get("nonce") not in self.nonces:
                self.problems.append(f"line {line}: <script> without src nor the page's nonce")


def page_problems(response) -> list[str]:
    """What is wrong with ``response`` as an HTML page under the policy."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return [f"not an HTML page: {response.get('Content-Type')}"]
    header = response.get("Content-Security-Policy")
    if header is None:
        return ["no Content-Security-Policy header"]
    problems = []
    policy = policy_of(header)
    nonces = set(re.findall(r"'nonce-([^']+)'", policy.get("script-src", "")))
    policy = {name: re.sub(r"\s*'nonce-[^']+'", "", value) for name, value in policy.items()}
    if policy != EXPECTED_POLICY:
        problems.append(f"policy {header!r}")
    if "Content-Security-Policy-Report-Only" in response:
        problems.append("a report-only policy as well")
    finder = InlineCode(nonces)
    finder.feed(response.content.decode())
    return problems + finder.problems


@dataclass
class Walk:
    """Opens pages, keeps what is wrong with each, and which addresses it has seen."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def page(self, label: str, client, url: str, *, status: int = 200, post=None):
        """Open ``url`` (GET, or POST ``post``) and the page it redirects to, if it does."""
        response = client.get(url) if post is None else client.post(url, post)
        # The test client resolves the address lazily; a page not found has no name.
        with contextlib.suppress(Resolver404):
            self.seen.add(response.resolver_match.view_name)
        if response.status_code in {301, 302, 303, 307, 308}:
            response = client.get(response["Location"], follow=True)
        found = page_problems(response)
        if response.status_code != status:
            found.insert(0, f"answered {response.status_code}, expected {status}")
        if found:
            self.problems[f"{label} ({url})"] = found
        return response


def client_for(user) -> Client:
    """A browser logged in as ``user`` (staff past the second factor, tests/twofactor.py)."""
    client = Client()
    client.force_login(user)
    return client


def named_pages() -> set[str]:
    """ "namespace:name" of every named address of the site except the back office's."""
    found = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, inner)
            elif pattern.name and namespace != "admin":
                found.add(":".join(part for part in (namespace, pattern.name) if part))

    walk(get_resolver().url_patterns, "")
    return found


# --- the walk --------------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def walk_public(walk: Walk) -> None:
    visitor = DjangoClient()
    edition = open_edition()
    for name, url in page_urls(populate(1, start=50), "fr").items():
        walk.page(f"public {name}", visitor, url)
    cached = walk.page("public home, from the page cache", visitor, "/fr/")
    assert cached["X-Page-Cache"] == "hit"
    walk.page("programme", visitor, reverse("public:programme", args=[edition.programme.slug]))
    walk.page("calls", visitor, reverse("public:calls"))
    walk.page("call", visitor, reverse("public:call", kwargs={"slug": edition.slug}))
    walk.page("not found", visitor, "/en/no-such-page/", status=404)
    walk.page("open data", visitor, reverse("public:data"))
    walk.page("API documentation", visitor, reverse("api:openapi-view"))
    refused = DjangoClient(enforce_csrf_checks=True)
    walk.page("CSRF failure", refused, reverse("accounts:login"), post={}, status=403)


def walk_accounts(walk: Walk, world) -> None:
    visitor = DjangoClient()
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete"):
        walk.page(name, visitor, reverse(f"accounts:{name}"))
    walk.page(
        "password reset link",
        visitor,
        reverse("accounts:password_reset_confirm", kwargs=reset_link(world.a.member)),
    )
    walk.page(
        "invitation",
        visitor,
        reverse("accounts:invitation", kwargs={"token": world.b.invitation.token}),
    )
    walk.page(
        "invitation, logged in as someone else",
        client_for(world.a.admin),
        reverse("accounts:invitation", kwargs={"token": world.b.invitation.token}),
        status=404,
    )
    member = client_for(world.a.member)
    for name in ("password_change", "password_change_done"):
        walk.page(name, member, reverse(f"accounts:{name}"))
    walk.page("notifications", member, reverse("notifications:list"))
    walk.page("form with errors", member, reverse("accounts:password_change"), post={})


def walk_two_factor(walk: Walk, world) -> None:
    """Staff owe a code after the password (organisations.twofactor)."""
    newcomer = DjangoClient()  # Django's own client stops at the password
    newcomer.force_login(world.reviewer)
    walk.page("two factors: set up", newcomer, reverse("accounts:twofactor_setup"))
    authenticator(world.secretary)
    returning = DjangoClient()
    returning.force_login(world.secretary)
    walk.page("two factors: the code", returning, reverse("accounts:twofactor_verify"))
    walk.page(
        "two factors: recovery codes",
        client_for(world.secretary),
        reverse("accounts:twofactor_recovery_codes"),
    )


def walk_portal(walk: Walk, world) -> None:
    clients = {}
    for name, (user, url) in portal_pages(world).items():
        client = clients.setdefault(user.pk, client_for(user))
        walk.page(f"portal {name}", client, url)
    upload_form = reverse("portal:report_attachments", kwargs={"pk": world.a.report.pk})
    walk.page("upload with errors", clients[world.a.admin.pk], upload_form, post={})


def walk_calls(walk: Walk, world) -> dict:
    """Applying, and reviewing; returns the applications the secretariat's screens show."""
    edition = open_edition()
    slug = {"slug": edition.slug}
    walk.page("register", DjangoClient(), reverse("calls:register", kwargs=slug))
    walk.page("apply, not logged in", DjangoClient(), reverse("calls:apply", kwargs=slug))
    walk.page(
        "apply, no organisation", client_for(world.reviewer), reverse("calls:apply", kwargs=slug)
    )
    applicant = client_for(world.a.admin)
    walk.page("apply", applicant, reverse("calls:apply", kwargs=slug))
    walk.page(
        "confirmation link refused",
        DjangoClient(),
        reverse("calls:confirm", kwargs={"uidb64": "MQ", "token": "not-a-token"}),
        status=400,
    )
    application = draft(edition, world.a.organisation, actor=world.a.admin)
    for name in ("application", "edit", "eligibility", "withdraw"):
        walk.page(name, applicant, reverse(f"calls:{name}", kwargs={"pk": application.pk}))
    walk.page("applications", applicant, reverse("calls:applications"))

    waiting = submitted(edition)
    to_review = under_review(edition, world.secretary)
    scored = under_review(edition, world.secretary)
    open_assignment = assign(to_review, world.reviewer, world.secretary)
    declared = assign(scored, world.reviewer, world.secretary)
    grant_services.conflict_declare(assignment=declared, actor=world.reviewer, has_conflict=False)
    reviewer = client_for(world.reviewer)
    walk.page("reviews", reviewer, reverse("review:list"))
    walk.page("conflict", reviewer, reverse("review:conflict", kwargs={"pk": open_assignment.pk}))
    walk.page("review", reviewer, reverse("review:assignment", kwargs={"pk": declared.pk}))
    return {"edition": edition, "submitted": waiting, "under_review": to_review}


def walk_secretariat(walk: Walk, world, calls: dict) -> None:
    office = client_for(world.secretary)
    walk.page("secretariat home", office, reverse("secretariat:home"))
    walk.page("dashboard", office, reverse("secretariat:dashboard"))
    dashboard = reverse("secretariat:dashboard") + f"?edition={calls['edition'].pk}"
    walk.page("dashboard of one edition", office, dashboard)
    walk.page("ranking", office, reverse("secretariat:ranking") + f"?edition={calls['edition'].pk}")
    for name, application in (
        ("screen", calls["submitted"]),
        ("more_info", calls["submitted"]),
        ("assign", calls["under_review"]),
        ("decide", calls["under_review"]),
    ):
        walk.page(name, office, reverse(f"secretariat:{name}") + f"?ids={application.pk}")
    results = reverse("secretariat:report_results", kwargs={"pk": world.a.report.pk})
    walk.page("results on the public page", office, results)
    walk.page("import of past editions", office, reverse("secretariat:import"))
    for kind, pk in (("person", world.a.member.pk), ("organisation", world.a.organisation.pk)):
        personal = reverse("secretariat:personal_data", kwargs={"kind": kind, "pk": pk})
        walk.page(f"personal data ({kind})", office, personal)


def walk_light(walk: Walk) -> None:
    """The light track's pages: the one-page form (and sent back with an error), the emailed
    link's confirmation page and the application's page, and its forms sent with errors."""
    from tests.grants.light import form_data, light_edition, received

    edition = light_edition(slug="light-csp")
    visitor = DjangoClient()
    apply = reverse("calls:light_apply", kwargs={"slug": edition.slug})
    walk.page("one-page form", visitor, apply)
    walk.page("one-page form with errors", visitor, apply, post={"amount": "9999"})
    unconfirmed = received(edition, 1)
    token = {"token": unconfirmed.token}
    walk.page("small grant", visitor, reverse("calls:light_application", kwargs=token))
    fresh = reverse("calls:light_apply", kwargs={"slug": edition.slug})
    data = {**form_data(2), "email": "csp@example.org", "language": "en"}
    data["action_date"] = data["action_date"].isoformat()
    walk.page("one-page form sent", visitor, fresh, post=data)
    from grants.models import LightApplication

    waiting = LightApplication.objects.get(email="csp@example.org")
    walk.page(
        "confirmation", visitor, reverse("calls:light_confirm", kwargs={"token": waiting.token})
    )
    for name in ("light_payee", "light_report", "light_agreement"):
        walk.page(
            name,
            visitor,
            reverse(f"calls:{name}", kwargs=token),
            post={},
            status=400 if name != "light_agreement" else 200,
        )


def walk_back_office(walk: Walk, world) -> set[str]:
    """Every model's list, add and change page; returns the admin URL names opened."""
    dataset = build_dataset(9, world.reviewer)
    office = client_for(world.secretary)
    opened = set()
    walk.page("back office login", DjangoClient(), reverse("admin:login"))
    walk.page("back office", office, reverse("admin:index"))
    request = request_as(world.secretary)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        views = ["changelist", "change"]
        if model_admin.has_add_permission(request):
            views.append("add")
        for view in views:
            args = (model._default_manager.first().pk,) if view == "change" else ()
            walk.page(f"{opts.label} {view}", office, admin_url(model, view, *args))
            opened.add(f"{opts.app_label}_{opts.model_name}_{view}")
        walk.page(
            f"{opts.app_label} app",
            office,
            reverse("admin:app_list", kwargs={"app_label": opts.app_label}),
        )
    edition = dataset["edition"]
    walk.page("history", office, admin_url(type(edition), "history", edition.pk))
    walk.page("delete", office, admin_url(type(edition), "delete", edition.pk))
    walk.page("search", office, admin_url(type(edition), "changelist") + "?q=2029")
    walk.page("password change", office, reverse("admin:password_change"))
    disbursement = dataset["initiative"].disbursements.first()
    walk.page(
        "action with a comment",
        office,
        admin_url(type(disbursement), "changelist"),
        post={"action": "record_payments", "_selected_action": [disbursement.pk]},
    )
    walk.page(
        "change form with errors",
        office,
        admin_url(type(edition), "change", edition.pk),
        post={"title_en": ""},
    )
    return opened


def test_every_page_type_carries_the_policy_and_no_inline_code(world):
    walk = Walk()
    walk_public(walk)
    walk_accounts(walk, world)
    walk_two_factor(walk, world)
    walk_portal(walk, world)
    calls = walk_calls(walk, world)
    walk_secretariat(walk, world, calls)
    walk_light(walk)
    opened = walk_back_office(walk, world)

    assert walk.problems == {}
    left_out = named_pages() - walk.seen - set(NOT_PAGES)
    assert left_out == set(), "walk these pages too, or say in NOT_PAGES why they are not pages"
    assert set(NOT_PAGES) <= named_pages(), "NOT_PAGES names an address that is gone"
    request = request_as(world.secretary)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        assert f"{opts.app_label}_{opts.model_name}_changelist" in opened, model
        assert f"{opts.app_label}_{opts.model_name}_change" in opened, model
        if model_admin.has_add_permission(request):
            assert f"{opts.app_label}_{opts.model_name}_add" in opened, model


# --- the templates, including those the walk does not reach --------------------------------


INLINE_IN_SOURCE = {
    "<style>": re.compile(r"<style\b", re.IGNORECASE),
    "style=": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "on…= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "javascript: address": re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE),
}


def test_no_template_holds_inline_code():
    """Emails are not pages: their inline styles are what mail programs need."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("emails/"):
            continue
        source = path.read_text()
        kinds = [kind for kind, pattern in INLINE_IN_SOURCE.items() if pattern.search(source)]
        if kinds:
            found[name] = kinds
    assert found == {}


def test_the_scan_sees_inline_code():
    """The page check itself: each kind of inline code is caught, a page without any is not."""
    clean = '<p><a href="/x/">x</a><script src="/static/a.js"></script></p>'
    dirty = (
        '<style>p{}</style><p style="color:red" onclick="go()"><a href="javascript:go()">x</a>'
        '<script>go()</script><script type="application/json">{}</script>'
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"></p>'
    )
    finder = InlineCode(set())
    finder.feed(clean)
    assert finder.problems == []
    finder.feed(dirty)
    assert len(finder.problems) == 6, finder.problems
    for source, expected in ((clean, set()), (dirty, set(INLINE_IN_SOURCE))):
        kinds = {kind for kind, pattern in INLINE_IN_SOURCE.items() if pattern.search(source)}
        assert kinds == expected


# --- private files ---------------------------------------------------------------------------


def test_private_files_keep_their_own_policy(world):
    """The download sets a stricter policy; the middleware must not replace or add to it."""
    attachment = world.a.attachment
    response = client_for(world.a.admin).get(
        reverse("portal:attachment", kwargs={"pk": attachment.pk})
    )
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == PRIVATE_FILE_POLICY
    assert "Content-Security-Policy-Report-Only" not in response
    b"".join(response.streaming_content)
    response.close()
