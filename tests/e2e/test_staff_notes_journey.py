"""The secretariat writes a staff note under an application in the browser, naming a
colleague: the thread shows it with its author; the section passes axe and the page the
Content-Security-Policy (the listener of conftest.py fails on any violation)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import Notification, StaffNote
from tests.admin.dataset import build_dataset, staff_user
from tests.e2e.axe import axe_violations
from tests.twofactor import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_staff_note_in_the_back_office(page, live_server, artifacts):
    secretary = staff_user("secretary@example.org", "Secretariat")
    colleague = staff_user("bob@example.org", "Secretariat")
    dataset = build_dataset(1, staff_user("reviewer@example.org", "Reviewer"))
    application = dataset["application"]
    client = Client()
    client.force_login(secretary)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("admin:grants_application_change", args=[application.pk]))
    notes = page.locator("#staff-notes")
    expect(notes.get_by_role("heading", name="Staff notes (secretariat only)")).to_be_visible()
    notes.get_by_label("Note").fill("Check the budget with @bob before the panel meets.")
    notes.get_by_label("Also show it to the application's reviewers").check()
    notes.get_by_role("button", name="Add the note").click()
    expect(page.locator(".messagelist")).to_contain_text("The note is added.")
    note = page.locator("#staff-notes .staff-note").last
    expect(note).to_contain_text("Check the budget with @bob before the panel meets.")
    expect(note).to_contain_text("secretary@example.org")
    expect(note).to_contain_text("shown to reviewers")
    expect(note).to_contain_text("bob@example.org")
    assert StaffNote.objects.filter(is_for_reviewers=True, author=secretary).count() == 1
    assert Notification.objects.filter(kind="staff_note_mention", recipient=colleague).exists()
    notes.screenshot(path=artifacts / "staff-notes.png")
    # The section passes axe (Django's own widgets elsewhere on the page are not ours to fix).
    ours = ("staff-note", "#id_text", "#id_notify_people", "#id_is_for_reviewers")
    violations = [
        violation
        for violation in axe_violations(page)
        if any(mark in str(node) for node in violation["nodes"] for mark in ours)
    ]
    assert violations == []
