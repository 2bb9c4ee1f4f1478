"""The benchmark's data set, at a chosen scale, and the signed-in people who read it.

At 1×: 10 editions, 2,000 organisations, 900 applications with 2,700 reviews (four scores
each), 500 initiatives (with lines of action, activities, budget lines, tranches, published
results), 5,000 reports, a few real files (application documents, report photos, cover photos).
At 10× and 100× everything but the editions is multiplied: what grows is what an edition, a
list or a queue holds, which is what the pages must stand.

Texts are in the five languages of the site (``bench.texts``): each object is written in its
own original language, with an English translation for about half of them, so the public pages
follow their fallbacks and search meets stems of every language.

This is a benchmark fixture, not a way into the application: rows are written with
``bulk_create`` and statuses (and their history rows) are written directly, which only the
workflow services may do in the application itself. Nothing here runs in production.

Run by ``bench/harness.py`` in a Django process (``python -m bench.dataset --scale N``).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bench import texts

LANGS = texts.LANGUAGES
# fmt: off
COUNTRIES = [
    "AR", "BO", "BR", "CL", "CO", "EC", "MX", "PE", "PY", "UY", "GT", "HN", "NI", "SV", "CR",
    "PA", "DO", "HT", "CU", "VE", "SN", "CI", "ML", "BF", "NE", "CM", "CD", "KE", "UG", "TZ",
    "ZA", "MZ", "MA", "TN", "EG", "UA", "GE", "AM", "KZ", "KG", "TJ", "MD", "BY", "RU", "PL",
    "RO", "PT", "ES", "FR",
]
# fmt: on
THEMES = [
    ("Artistic activism", "artistic-activism"),
    ("Policy advocacy", "policy-advocacy"),
    ("Capacity building", "capacity-building"),
    ("Community mobilisation", "community-mobilisation"),
    ("Harm reduction", "harm-reduction"),
    ("Human rights", "human-rights"),
    ("Gender", "gender"),
    ("Youth", "youth"),
    ("Prisons", "prisons"),
    ("Research", "research"),
    ("Legal aid", "legal-aid"),
    ("Communication", "communication"),
]
EDITIONS = 10
# The 1× data set; a scale multiplies each (tests/test_query_growth.py uses smaller ones).
SIZES = {"organisations": 2000, "applications": 900, "initiatives": 500, "reviewers": 30}
REPORTS_PER_INITIATIVE = 10
PASSWORD = "bench-only-password"  # noqa: S105  (a benchmark account, never a real one)


def translations(rng: random.Random, field: str, original: str, make, *, english=0.5) -> dict:
    """``field_<lang>`` values: the original language always, English about half the time."""
    values = {f"{field}_{original}": make(rng, original)}
    if original != "en" and rng.random() < english:
        values[f"{field}_en"] = make(rng, "en")
    return values


def jpeg(rng: random.Random, size=(640, 420)) -> bytes:
    from PIL import Image

    colour = tuple(rng.randrange(256) for _ in range(3))
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def stream(model, rows, batch_size: int = 10_000) -> None:
    """``bulk_create`` of ``rows`` (an iterable) a chunk at a time: the 100× data set does not
    fit in memory as one list (bulk_create makes a list of what it is given)."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch_size:
            model.objects.bulk_create(chunk)
            chunk = []
    if chunk:
        model.objects.bulk_create(chunk)


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@transaction.atomic
def generate(scale: int, seed: int = 14, sizes: dict[str, int] = SIZES) -> None:
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.staff import REVIEWER, SECRETARIAT
    from grants import models as g
    from notifications.models import Notification
    from organisations.models import Membership, Organisation, User
    from programme import models as p
    from reports import models as r

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()

    # --- programme, themes, funders, editions and their criteria ------------------------------
    programme = p.Programme.objects.create(
        slug="initiatives-programme",
        name_en="Initiatives Programme",
        name_fr="Programme Initiatives",
    )
    themes = p.Theme.objects.bulk_create(
        p.Theme(name_en=name, name_fr=f"{name} (fr)", slug=slug, order=n)
        for n, (name, slug) in enumerate(THEMES)
    )
    funders = p.Funder.objects.bulk_create(p.Funder(name=f"Foundation {n}") for n in range(5))
    editions = []
    for n in range(1, EDITIONS + 1):
        year = today.year - EDITIONS + n
        original = rng.choice(LANGS)
        current = n == EDITIONS
        editions.append(
            p.Edition(
                programme=programme,
                number=n,
                year=year,
                slug=str(year),
                original_language=original,
                **translations(rng, "title", original, texts.title, english=1),
                **translations(rng, "introduction", original, texts.paragraph, english=1),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                application_opens_at=now - datetime.timedelta(days=400 * (EDITIONS - n) + 60),
                application_closes_at=now - datetime.timedelta(days=400 * (EDITIONS - n) + 20),
                grant_minimum=Decimal("1000"),
                grant_maximum=Decimal("20000"),
                # Written directly: a fixture (see the module's docstring).
                status="review" if current else ("running" if n >= EDITIONS - 2 else "closed"),
                is_published=not current,
                published_at=None if current else now,
            )
        )
    editions = p.Edition.objects.bulk_create(editions)
    p.Edition.themes.through.objects.bulk_create(
        p.Edition.themes.through(edition=e, theme=t) for e in editions for t in themes[:6]
    )
    p.EditionFunder.objects.bulk_create(
        p.EditionFunder(
            edition=e,
            funder=f,
            order=k,
            acknowledgement_en=f"Made possible by {f.name}.",
            acknowledgement_fr=f"Grâce à {f.name}.",
        )
        for e in editions
        for k, f in enumerate(rng.sample(funders, 2))
    )
    criteria = {
        e.pk: p.ReviewCriterion.objects.bulk_create(
            p.ReviewCriterion(
                edition=e,
                name_en=name,
                weight=Decimal(weight),
                order=k,
                description_en=f"How well the application meets: {name.lower()}.",
            )
            for k, (name, weight) in enumerate(
                [("Relevance", "2"), ("Feasibility", "1"), ("Budget", "1"), ("Impact", "1.5")]
            )
        )
        for e in editions
    }

    # --- people: the secretariat, the panel, and two organisations' members -------------------
    def user(email, name, *, staff=False, group=None):
        person = User.objects.create_user(
            email=email, password=PASSWORD, full_name=name, is_staff=staff
        )
        if group:
            person.groups.add(Group.objects.get(name=group))
            TOTPDevice.objects.create(user=person, name="bench", confirmed=True)
        return person

    secretary = user("secretariat@bench.example", "Sam Secretariat", staff=True, group=SECRETARIAT)
    reviewers = [
        user(f"reviewer{n}@bench.example", f"Reviewer {n}", staff=True, group=REVIEWER)
        for n in range(sizes["reviewers"])
    ]
    grantee = user("grantee@bench.example", "Gabriela Grantee")
    applicant = user("applicant@bench.example", "Ana Applicant")

    # --- organisations ------------------------------------------------------------------------
    organisations = []
    for n in range(sizes["organisations"] * scale):
        original = rng.choice(LANGS)
        name = f"{rng.choice(['Red', 'Asociación', 'Réseau', 'Coletivo', 'Фонд', 'Alliance'])} {n}"
        organisations.append(
            Organisation(
                name=name,
                slug=f"org-{n}",
                acronym=f"O{n}",
                country=rng.choice(COUNTRIES),
                city="",
                founded_year=rng.randrange(1980, 2020),
                original_language=original,
                **translations(rng, "description", original, texts.paragraph),
            )
        )
    organisations = Organisation.objects.bulk_create(organisations, batch_size=2000)
    # The grantee's organisation leads initiatives in the two running editions; the applicant's
    # has an application under review in the current one.
    grantee_org, applicant_org = organisations[0], organisations[1]
    Membership.objects.create(user=grantee, organisation=grantee_org, role="admin")
    Membership.objects.create(user=applicant, organisation=applicant_org, role="admin")

    # --- applications, assignments, reviews, scores --------------------------------------------
    per_edition = sizes["applications"] * scale // EDITIONS
    initiatives_total = sizes["initiatives"] * scale
    funded = [
        initiatives_total // (EDITIONS - 1) + (1 if k < initiatives_total % (EDITIONS - 1) else 0)
        for k in range(EDITIONS - 1)
    ]
    applications = []
    for k, edition in enumerate(editions):
        chosen = rng.sample(organisations[2:], per_edition)
        if k >= EDITIONS - 3 and k < EDITIONS - 1:
            chosen[0] = grantee_org
        if k == EDITIONS - 1:
            chosen[0] = applicant_org
        for i, organisation in enumerate(chosen):
            if k < EDITIONS - 1:
                status = "approved" if i < funded[k] else "declined"
            else:
                status = rng.choices(
                    ["under_review", "shortlisted", "submitted", "more_info"], [6, 1, 2, 1]
                )[0]
                if i == 0:
                    status = "under_review"
            original = organisation.original_language
            applications.append(
                g.Application(
                    edition=edition,
                    organisation=organisation,
                    title=texts.title(rng, original),
                    summary=texts.paragraph(rng, original, 3),
                    countries=rng.sample(COUNTRIES, rng.randint(1, 3)),
                    lines_of_action=[
                        {
                            "title": texts.title(rng, original),
                            "description": texts.sentence(rng, original),
                        }
                        for _ in range(3)
                    ],
                    expected_results=texts.paragraph(rng, original, 2),
                    requested_amount=Decimal(rng.randrange(2000, 20000)),
                    currency="USD",
                    budget_outline=texts.paragraph(rng, original, 2),
                    language=original,
                    status=status,  # written directly: a fixture
                    submitted_at=now - datetime.timedelta(days=400 * (EDITIONS - k) - i % 30),
                    decided_at=now if status in ("approved", "declined") else None,
                    created_by=applicant if organisation is applicant_org else None,
                )
            )
    applications = g.Application.objects.bulk_create(applications, batch_size=2000)
    stream(
        g.Application.themes.through,
        (
            g.Application.themes.through(application=a, theme=t)
            for a in applications
            for t in rng.sample(themes, 2)
        ),
        batch_size=5000,
    )
    stream(
        g.ApplicationStatusChange,
        (
            g.ApplicationStatusChange(
                application=a, workflow="application", from_status=f, to_status=t, role="applicant"
            )
            for a in applications
            for f, t in [("draft", "submitted")]
            + ([] if a.status == "submitted" else [("submitted", a.status)])
        ),
        batch_size=5000,
    )

    def panel_of(a):
        panel = rng.sample(reviewers, 3)
        if a.organisation is applicant_org:
            panel[0] = reviewers[0]
        return panel

    reviewed = [a for a in applications if a.status != "submitted"]
    for part in chunks(reviewed, 5000):
        assignments = g.ReviewAssignment.objects.bulk_create(
            g.ReviewAssignment(
                application=a,
                reviewer=reviewer,
                assigned_by=secretary,
                conflict="none",
                conflict_declared_at=now,
            )
            for a in part
            for reviewer in panel_of(a)
        )
        reviews = g.Review.objects.bulk_create(
            g.Review(
                assignment=assignment,
                recommendation=rng.choice(["yes", "maybe", "no"]),
                comment=texts.paragraph(rng, "en", 2),
                submitted_at=now
                if assignment.application.status != "under_review" or rng.random() < 0.7
                else None,
            )
            for assignment in assignments
        )
        stream(
            g.ReviewScore,
            (
                g.ReviewScore(review=review, criterion=criterion, score=rng.randint(1, 5))
                for review in reviews
                for criterion in criteria[review.assignment.application.edition_id]
            ),
        )
    attached = [a for a in applications if a.edition_id == editions[-1].pk][:10]
    for a in attached:
        name = default_storage.save(f"private/applications/{a.pk}/budget.pdf", io.BytesIO(PDF))
        g.ApplicationAttachment.objects.create(
            application=a,
            file=name,
            original_name="budget.pdf",
            content_type="application/pdf",
            size=len(PDF),
            description="Budget",
        )

    # --- initiatives and their workplans --------------------------------------------------------
    initiatives = []
    approved = [a for a in applications if a.status == "approved"]
    for i, a in enumerate(approved):
        edition = next(e for e in editions if e.pk == a.edition_id)
        original = a.language
        running = edition.status == "running"
        title = texts.title(rng, original)
        initiatives.append(
            g.Initiative(
                edition=edition,
                lead_organisation=a.organisation,
                application=a,
                original_language=original,
                slug=f"{slugify(title)[:70] or 'initiative'}-{i}",
                **{f"title_{original}": title},
                **({"title_en": texts.title(rng, "en")} if original != "en" and i % 2 else {}),
                **translations(rng, "summary", original, texts.sentence),
                **translations(rng, "description", original, texts.paragraph),
                **translations(rng, "expected_results", original, texts.paragraph),
                countries=a.countries,
                amount_awarded=Decimal(rng.randrange(2000, 20000)),
                currency="USD",
                awarded_on=edition.period_start,
                period_start=edition.period_start,
                period_end=edition.period_end,
                status="active" if running else "completed",  # written directly: a fixture
                workplan_status="approved",
                is_published=rng.random() < 0.95 or a.organisation is grantee_org,
                published_at=now,
                order=i % 1000,
            )
        )
    initiatives = g.Initiative.objects.bulk_create(initiatives, batch_size=2000)
    stream(
        g.Initiative.themes.through,
        (
            g.Initiative.themes.through(initiative=x, theme=t)
            for x in initiatives
            for t in rng.sample(themes, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    for x in [x for x in initiatives if x.edition_id == editions[-2].pk][:10]:
        x.cover_photo = default_storage.save(
            f"public/initiatives/bench-{x.pk}.jpg", io.BytesIO(jpeg(rng))
        )
        x.cover_caption_en = "Peer educators at work."
        g.Initiative.objects.filter(pk=x.pk).update(
            cover_photo=x.cover_photo, cover_caption_en=x.cover_caption_en
        )
    for part in chunks(initiatives, 2000):
        lines, public_lines = [], []
        for x in part:
            for k in range(3):
                values = {
                    "initiative": x,
                    "order": k,
                    f"title_{x.original_language}": texts.title(rng, x.original_language),
                    f"description_{x.original_language}": texts.sentence(rng, x.original_language),
                }
                lines.append(g.LineOfAction(**values))
                public_lines.append(g.PublicLineOfAction(**values))
        lines = g.LineOfAction.objects.bulk_create(lines)
        g.PublicLineOfAction.objects.bulk_create(public_lines)
        g.Activity.objects.bulk_create(
            g.Activity(
                initiative=line.initiative,
                line_of_action=line,
                title=texts.sentence(rng, line.initiative.original_language)[:200],
                starts_on=line.initiative.period_start,
                ends_on=line.initiative.period_end,
                place=rng.choice(COUNTRIES),
                budget=Decimal("1000"),
                order=line.order,
            )
            for line in lines
        )
        g.BudgetLine.objects.bulk_create(
            g.BudgetLine(
                initiative=line.initiative,
                line_of_action=line,
                category=rng.choice(["Venue", "Travel", "Materials", "Staff"]),
                amount=Decimal("1000"),
                order=line.order,
            )
            for line in lines
        )
        g.Indicator.objects.bulk_create(
            g.Indicator(
                initiative=line.initiative,
                line_of_action=line,
                name="People reached",
                target=100,
                order=line.order,
            )
            for line in lines
        )
    stream(
        g.Disbursement,
        (
            g.Disbursement(
                initiative=x,
                tranche=t,
                amount=x.amount_awarded / 2,
                currency="USD",
                due_on=x.period_start + datetime.timedelta(days=180 * (t - 1)),
                condition="signature" if t == 1 else "final",
                # written directly: a fixture
                status="paid"
                if x.status == "completed" or t == 1
                else rng.choice(["planned", "payable"]),
                paid_on=x.period_start if x.status == "completed" or t == 1 else None,
            )
            for x in initiatives
            for t in (1, 2)
        ),
        batch_size=5000,
    )

    # --- reports (nine interim, one final per initiative), photos, published results ----------
    grantee_reports = []
    for part in chunks(initiatives, 1000):
        reports = []
        for x in part:
            for k in range(REPORTS_PER_INITIATIVE):
                final = k == REPORTS_PER_INITIATIVE - 1
                start = x.period_start + datetime.timedelta(days=36 * k)
                due = start + datetime.timedelta(days=60)
                if x.status == "completed":
                    status = "accepted"
                elif due < today - datetime.timedelta(days=60):
                    status = rng.choice(["accepted", "accepted", "submitted"])
                elif due < today:
                    status = rng.choice(["draft", "submitted", "scheduled"])
                else:
                    status = "scheduled"
                reports.append(
                    r.Report(
                        initiative=x,
                        kind="final" if final else "interim",
                        period_start=start,
                        period_end=start + datetime.timedelta(days=35),
                        due_on=due,
                        status=status,  # written directly: a fixture
                        challenges=texts.paragraph(rng, x.original_language, 2)
                        if status != "scheduled"
                        else "",
                        lessons=texts.paragraph(rng, x.original_language, 2)
                        if status != "scheduled"
                        else "",
                        highlights=texts.paragraph(rng, x.original_language, 2) if final else "",
                        language=x.original_language,
                        submitted_at=now if status in ("submitted", "accepted") else None,
                        accepted_at=now if status == "accepted" else None,
                    )
                )
        reports = r.Report.objects.bulk_create(reports, batch_size=5000)
        r.PublicResult.objects.bulk_create(
            (
                r.PublicResult(
                    report=report,
                    initiative=report.initiative,
                    kind="highlights",
                    original_language=report.language,
                    **{f"text_{report.language}": report.highlights},
                    is_published=True,
                    published_at=now,
                    published_by=secretary,
                )
                for report in reports
                if report.kind == "final" and report.status == "accepted" and rng.random() < 0.5
            ),
            batch_size=5000,
        )
        grantee_reports += [x for x in reports if x.initiative.lead_organisation is grantee_org]
    for report in grantee_reports[:10]:
        photo = jpeg(rng, (800, 600))
        name = default_storage.save(f"private/reports/{report.pk}/photo.jpg", io.BytesIO(photo))
        r.Attachment.objects.create(
            report=report,
            kind="photo",
            file=name,
            original_name="photo.jpg",
            content_type="image/jpeg",
            size=len(photo),
            caption="A workshop.",
            uploaded_by=grantee,
        )
    Notification.objects.bulk_create(
        Notification(
            kind="report_due",
            key=f"bench:{n}",
            recipient=grantee,
            email=grantee.email,
            language="en",
            subject=f"A report is due ({n})",
            path="/en/portal/",
            status="sent",
            sent_at=now,
        )
        for n in range(40)
    )


def persona_sessions() -> dict[str, str]:
    """A fresh session per signed-in person (staff ones verified, as after their code)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from organisations.models import User
    from portal.middleware import VERIFIED_SESSION_KEY

    sessions = {}
    for name, email in {
        "secretariat": "secretariat@bench.example",
        "reviewer": "reviewer0@bench.example",
        "grantee": "grantee@bench.example",
        "applicant": "applicant@bench.example",
    }.items():
        person = User.objects.get(email=email)
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        device = TOTPDevice.objects.filter(user=person).first()
        if device is not None:
            store[DEVICE_ID_SESSION_KEY] = device.persistent_id
            store[VERIFIED_SESSION_KEY] = True
        store.create()
        sessions[name] = store.session_key
    return sessions


def pages() -> list[dict]:
    """Every page the harness measures: name, who reads it, path."""
    from grants.models import Application, Initiative, Review, ReviewAssignment
    from programme.models import Edition
    from reports.models import Report

    current = Edition.objects.order_by("-year").first()
    latest = Edition.objects.filter(is_published=True).order_by("-year").first()
    initiative = (
        Initiative.objects.filter(edition=latest, is_published=True).order_by("order", "pk").first()
    )
    grantee_initiative = Initiative.objects.filter(
        lead_organisation__slug="org-0", edition=latest
    ).first()
    grantee_report = (
        Report.objects.filter(initiative=grantee_initiative).exclude(status="scheduled").first()
    )
    submitted_report = Report.objects.filter(status="submitted").order_by("pk").first()
    application = Application.objects.get(organisation__slug="org-1", edition=current)
    assignment = ReviewAssignment.objects.filter(
        reviewer__email="reviewer0@bench.example", application=application
    ).first()
    review = Review.objects.filter(assignment__application__edition=current).order_by("pk").first()
    organisation = initiative.lead_organisation
    theme = initiative.themes.first()
    country = initiative.countries[0].code.lower()
    public = [
        ("home", "/en/"),
        ("editions", "/en/editions/"),
        ("programme", f"/en/{latest.programme.slug}/"),
        ("edition", f"/fr/{latest.programme.slug}/editions/{latest.slug}/"),
        (
            "initiative",
            f"/es/{latest.programme.slug}/editions/{latest.slug}/initiatives/{initiative.slug}/",
        ),
        ("initiatives", "/en/initiatives/"),
        ("initiatives filtered", f"/en/initiatives/?country={country}&theme={theme.slug}"),
        ("country", f"/en/countries/{country}/"),
        ("theme", f"/pt/themes/{theme.slug}/"),
        ("organisation", f"/en/organisations/{organisation.slug}/"),
        ("search en", "/en/search/?q=harm+reduction"),
        ("search fr", "/fr/search/?q=r%C3%A9duction+des+risques"),
        (
            "search ru",
            "/ru/search/?q=%D1%81%D0%BD%D0%B8%D0%B6%D0%B5%D0%BD%D0%B8%D0%B5+%D0%B2%D1%80%D0%B5%D0%B4%D0%B0",
        ),
        ("calls", "/en/calls/"),
        ("funding", "/en/funding/"),
        (
            "funding filtered",
            f"/fr/funding/?country={country.upper()}&theme={theme.slug}&min=1000&sort=-amount",
        ),
        ("sitemap", "/sitemap.xml"),
        ("sitemap initiatives", "/sitemap-initiatives.xml"),
    ]
    rows = [
        {"name": "robots.txt", "who": "floor", "path": "/robots.txt"},
        {"name": "trivial view", "who": "floor", "path": "/bench/trivial/"},
    ]
    for cached in (True, False):
        for name, path in public:
            rows.append(
                {
                    "name": name,
                    "who": "public cached" if cached else "public uncached",
                    "path": path,
                    "persona": None if cached else "anonymous",
                }
            )
    signed_in = [
        ("applicant", "applications", "/en/calls/applications/"),
        ("applicant", "application", f"/en/calls/applications/{application.pk}/"),
        ("reviewer", "assignments", "/en/review/"),
        ("reviewer", "assignment", f"/en/review/{assignment.pk}/"),
        ("grantee", "portal home", "/en/portal/"),
        ("grantee", "workplan", f"/en/portal/initiatives/{grantee_initiative.pk}/workplan/"),
        ("grantee", "report", f"/en/portal/reports/{grantee_report.pk}/"),
        (
            "grantee",
            "organisation",
            f"/en/portal/organisations/{grantee_initiative.lead_organisation_id}/",
        ),
        ("grantee", "notifications", "/en/accounts/notifications/"),
        ("secretariat", "what waits", "/en/secretariat/"),
        ("secretariat", "dashboard", "/en/secretariat/dashboard/"),
        (
            "secretariat",
            "dashboard of an edition",
            f"/en/secretariat/dashboard/?edition={latest.pk}",
        ),
        ("secretariat", "ranking", f"/en/secretariat/applications/ranking/?edition={current.pk}"),
        ("secretariat", "admin index", "/en/admin/"),
        ("secretariat", "application list", "/en/admin/grants/application/"),
        (
            "secretariat",
            "application change",
            f"/en/admin/grants/application/{application.pk}/change/",
        ),
        ("secretariat", "review list", "/en/admin/grants/review/"),
        ("secretariat", "review change", f"/en/admin/grants/review/{review.pk}/change/"),
        ("secretariat", "initiative list", "/en/admin/grants/initiative/"),
        (
            "secretariat",
            "initiative change",
            f"/en/admin/grants/initiative/{initiative.pk}/change/",
        ),
        ("secretariat", "report list", "/en/admin/reports/report/"),
        ("secretariat", "report change", f"/en/admin/reports/report/{submitted_report.pk}/change/"),
        ("secretariat", "report review", f"/en/secretariat/reports/{submitted_report.pk}/review/"),
        ("secretariat", "organisation list", "/en/admin/organisations/organisation/"),
        (
            "secretariat",
            "organisation change",
            f"/en/admin/organisations/organisation/{organisation.pk}/change/",
        ),
        ("secretariat", "disbursement list", "/en/admin/grants/disbursement/"),
    ]
    for persona, name, path in signed_in:
        rows.append({"name": name, "who": persona, "path": path, "persona": persona})
    return rows


def main() -> None:
    import argparse

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from grants.models import Initiative

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--plan", type=Path, required=True)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Initiative.objects.exists():
        started = timezone.now()
        generate(args.scale)
        # Fresh statistics, as autovacuum would gather on a site that grew to this size; with
        # none, the planner takes the bulk-loaded tables for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = (timezone.now() - started).total_seconds()
        print(f"generated the {args.scale}× data set in {seconds:.0f} s", file=sys.stderr)
    plan = {
        "sessions": persona_sessions(),
        "pages": pages(),
        "media_root": str(settings.MEDIA_ROOT),
    }
    args.plan.write_text(json.dumps(plan, indent=2))


if __name__ == "__main__":
    main()
