"""Access-matrix cases of the call pages ("calls") and of the review panel ("review"); the
format is tests/portal/test_access_matrix.py's.

Built on the matrix's world: organisations A and B each get a draft application with a
document; B also has one under review, given to another reviewer (who declared no conflict)
and to the world's reviewer, who declared a conflict and is therefore recused.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from grants import services
from tests.portal.access import AccessCase, Exempt, ListCase, World

from .factories import assign, draft, open_edition, reviewer_user


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode(), content_type="application/pdf")


def with_document(application, actor, name: str):
    return services.attachment_add(application=application, actor=actor, upload=pdf(name))


def access_cases(world: World) -> list[AccessCase | ListCase | Exempt]:
    a, b = world.a, world.b
    edition = open_edition(allow_multiple_applications=True)
    own = draft(edition, a.organisation, actor=a.admin, title="Application of A")
    theirs = draft(edition, b.organisation, actor=b.admin, title="Application of B")
    own_document = with_document(own, a.admin, "a.pdf")
    their_document = with_document(theirs, b.admin, "b.pdf")

    # B's application under review: another reviewer reads it; the world's reviewer is recused.
    in_review = draft(edition, b.organisation, actor=b.admin, title="B under review")
    review_document = with_document(in_review, b.admin, "b-review.pdf")
    services.application_submit(application=in_review, actor=b.admin)
    services.application_screen(application=in_review, actor=world.secretary, is_eligible=True)
    other_reviewer = reviewer_user("other-reviewer@example.org")
    granted = assign(in_review, other_reviewer, world.secretary)
    services.conflict_declare(assignment=granted, actor=other_reviewer, has_conflict=False)
    recused = assign(in_review, world.reviewer, world.secretary)
    services.conflict_declare(assignment=recused, actor=world.reviewer, has_conflict=True)
    world.extra.update(call_edition=edition, application_a=own, application_b=theirs)

    own_pk, their_pk = {"pk": own.pk}, {"pk": theirs.pk}
    edit_post = {
        "version": str(theirs.version),
        "summary": "Overwritten by A",
        "action": "submit",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
    }
    criteria = {f"criterion_{c.pk}": "1" for c in edition.criteria.all()}
    score_post = {**criteria, "recommendation": "no", "comment": "Taken over", "action": "submit"}

    cases: list[AccessCase | ListCase | Exempt] = []
    for user in (a.admin, a.member, world.reviewer):
        cases += [
            AccessCase("calls:application", their_pk, user=user, allowed=(a.admin, own_pk)),
            AccessCase(
                "calls:edit", their_pk, user=user, data=edit_post, allowed=(a.admin, own_pk)
            ),
            AccessCase(
                "calls:eligibility",
                their_pk,
                user=user,
                data={f"question_{q.pk}": "no" for q in edition.eligibility_questions.all()},
                allowed=(a.admin, own_pk),
            ),
            AccessCase(
                "calls:withdraw",
                their_pk,
                user=user,
                data={"comment": "Withdrawn by A"},
                allowed=(a.admin, own_pk),
            ),
            AccessCase(
                "calls:attachment",
                {"pk": theirs.pk, "attachment_pk": their_document.pk},
                user=user,
                methods=("GET",),
                allowed=(a.admin, {"pk": own.pk, "attachment_pk": own_document.pk}),
            ),
            AccessCase(
                "calls:attachment_delete",
                {"pk": theirs.pk, "attachment_pk": their_document.pk},
                user=user,
                methods=("POST",),
            ),
            # An application's document through A's own application: still not found.
            AccessCase(
                "calls:attachment",
                {"pk": own.pk, "attachment_pk": their_document.pk},
                user=user,
                methods=("GET",),
            ),
        ]
    # The review panel: another reviewer's assignment, and one the reviewer is recused from.
    granted_pk = {"pk": granted.pk}
    for user in (world.reviewer, a.admin, b.admin):
        cases += [
            AccessCase(
                "review:assignment",
                granted_pk,
                user=user,
                data=score_post,
                allowed=(other_reviewer, granted_pk),
            ),
            AccessCase(
                "review:conflict",
                granted_pk,
                user=user,
                data={"conflict": "conflict"},
                allowed=(other_reviewer, {"pk": granted.pk}),
            ),
            AccessCase(
                "review:attachment",
                {"pk": granted.pk, "attachment_pk": review_document.pk},
                user=user,
                methods=("GET",),
                allowed=(other_reviewer, {"pk": granted.pk, "attachment_pk": review_document.pk}),
            ),
        ]
    cases += [
        AccessCase("review:assignment", {"pk": recused.pk}, user=world.reviewer, data=score_post),
        AccessCase(
            "review:conflict",
            {"pk": recused.pk},
            user=world.reviewer,
            data={"conflict": "none"},
        ),
        AccessCase(
            "review:attachment",
            {"pk": recused.pk, "attachment_pk": review_document.pk},
            user=world.reviewer,
            methods=("GET",),
        ),
        # A document of another application through a granted assignment: not found.
        AccessCase(
            "review:attachment",
            {"pk": granted.pk, "attachment_pk": own_document.pk},
            user=other_reviewer,
            methods=("GET",),
        ),
        ListCase(
            "calls:applications",
            hidden=("Application of B", "B under review"),
            shown=("Application of A",),
        ),
        ListCase(
            "calls:applications",
            user=b.admin,
            hidden=("Application of A",),
            shown=("Application of B", "B under review"),
        ),
        ListCase(
            "review:list",
            user=world.reviewer,
            hidden=(b.organisation.name, "Application of A", "Application of B"),
            shown=("Recused",),
        ),
        ListCase(
            "public:call",
            kwargs={"slug": edition.slug},
            hidden=("Application of B", "B under review"),
            shown=("Application of A",),
        ),
        Exempt("public:call", "the public page of a call, by the edition's slug"),
        Exempt("calls:register", "registering for a public call, by the edition's slug"),
        Exempt(
            "calls:apply",
            "starting an application to a public call; the organisation is chosen among the "
            "person's own (a foreign organisation id in the form is refused by the form)",
        ),
        Exempt(
            "calls:confirm",
            "a signed, expiring email-confirmation link: holding it is the permission",
        ),
    ]
    return cases
