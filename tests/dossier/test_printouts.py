"""The application and the report as PDFs: every field in the reader's language (French,
Russian), the reviews only for the secretariat, and another organisation gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import User
from tests.dossier.builders import pdf_text, reviewed_application, whole_life
from tests.grants.factories import applicant, reviewer_user, secretariat_user
from tests.portal.factories import make_member, make_organisation

pytestmark = pytest.mark.django_db


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def get_pdf(client, user, path: str) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    return pdf_text(response.content)


APPLICATION_LABELS = {
    "fr": ["Montant demandé", "Éligibilité", "Lignes d'action", "Résultats attendus", "Oui"],
    "ru": ["Запрашиваемая сумма", "Соответствие требованиям", "Направления работы", "Да"],
}
REVIEW_LABELS = {
    "fr": ["Évaluations", "Critère", "Financer", "Conflit d'intérêts"],
    "ru": ["Оценки", "Критерий", "Финансировать", "Конфликт интересов"],
}
# What the applicant typed, in every language's PDF as typed (Cyrillic and accents).
TYPED = [
    "Снижение вреда в Андах",
    "Talleres entre pares y una campaña.",
    "Peer workshops",
    "Forty trained peers.",
    "Venue 1,000; travel 2,000; materials 1,500.",
    "Is your organisation led by the communities it serves?",
    "budget détaillé.pdf",
    "Detailed budget",
]
REVIEWS = ["Rita Reviewer", "Strong peer network, weak evaluation plan.", "I sit on their board."]


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_the_application_pdf_in_the_readers_language(client, language):
    secretary = secretariat_user("sec@example.org")
    application, reviewer, _conflicted = reviewed_application(secretary)

    # The secretariat, from the back office: everything, the reviews too.
    text = get_pdf(
        client, secretary, url("admin:grants_application_pdf", language, pk=application.pk)
    )
    for expected in [*APPLICATION_LABELS[language], *REVIEW_LABELS[language], *TYPED, *REVIEWS]:
        assert expected in text, expected
    scores = text.replace(" / ", "/")  # each criterion's score, out of its highest
    assert "Relevance 4/5" in scores and "Feasibility 3/5" in scores
    assert "Carl Conflicted" in text

    # The applicant, from the portal: what they sent, never the reviews.
    text = get_pdf(
        client, applicant(application), url("calls:application_pdf", language, pk=application.pk)
    )
    for expected in [*APPLICATION_LABELS[language], *TYPED]:
        assert expected in text, expected
    for hidden in [*REVIEWS, *REVIEW_LABELS[language][:2]]:
        assert hidden not in text, hidden

    # A reviewer with a back-office account reaches the applications given to them there,
    # without anyone's review.
    User.objects.filter(pk=reviewer.pk).update(is_staff=True)
    text = get_pdf(
        client, reviewer, url("admin:grants_application_pdf", language, pk=application.pk)
    )
    assert "Снижение вреда в Андах" in text
    assert "Strong peer network" not in text and "I sit on their board." not in text


def test_the_application_pdf_is_a_404_for_everyone_else(client):
    secretary = secretariat_user("sec@example.org")
    application, _reviewer, _conflicted = reviewed_application(secretary)
    stranger = make_member(make_organisation(name="Other"), email="other@example.org")
    client.force_login(stranger)
    assert client.get(url("calls:application_pdf", "en", pk=application.pk)).status_code == 404
    # A reviewer not assigned to it does not find it in the back office.
    client.force_login(reviewer_user("nobody@example.org", is_staff=True))
    response = client.get(url("admin:grants_application_pdf", "en", pk=application.pk))
    assert response.status_code == 404


REPORT_LABELS = {
    "fr": ["Activités", "Indicateurs", "Dépenses", "Faits marquants", "Fichiers et photos"],
    "ru": ["Мероприятия", "Показатели", "Расходы", "Главное", "Файлы и фотографии"],
}
REPORT_TYPED = [
    "We worked on",
    "Rain.",
    "Start earlier.",
    "Forty people trained.",
    "attendance.pdf",
    "Attendance sheets",
    "Снижение вреда в Андах",
]


def test_the_report_pdf_in_french_and_russian_and_a_404_for_another_organisation(client):
    life = whole_life()
    stranger = make_member(make_organisation(name="Other"), email="other@example.org")
    for language in ("fr", "ru"):
        for user, name in (
            (life.secretary, "admin:reports_report_pdf"),
            (life.member, "portal:report_pdf"),
        ):
            text = get_pdf(client, user, url(name, language, pk=life.report.pk))
            for expected in [*REPORT_LABELS[language], *REPORT_TYPED]:
                assert expected in text, (language, name, expected)
            # The spending against each budget line, in the reader's number format.
            assert "1 000 USD" in text and "3 000 USD" in text
        client.force_login(stranger)
        assert client.get(url("portal:report_pdf", language, pk=life.report.pk)).status_code == 404
