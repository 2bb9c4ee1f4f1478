"""Two factors for staff: setting up the app, the code after the password, recovery codes, the
reset of a lost device by another member of the secretariat, and the pages that stay closed
until the code is given. Non-staff people are asked nothing new.

These tests log in with Django's own client (``DjangoClient``), which stops at the password;
``tests.twofactor.Client`` (the ``client`` fixture) passes the second factor as well."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client as DjangoClient
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications.models import Notification
from organisations import twofactor
from organisations.twofactor import TwoFactorError
from tests.portal.factories import PASSWORD, make_member, make_reviewer, make_secretary
from tests.twofactor import code_for, fresh_code

pytestmark = pytest.mark.django_db

VERIFY = "/en/accounts/two-factor/"
SETUP = "/en/accounts/two-factor/setup/"
CODES = "/en/accounts/two-factor/recovery-codes/"
STAFF_PAGES = ["/en/admin/", "/en/admin/organisations/user/", "/en/secretariat/", "/en/review/"]


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up the app through the services, as the set-up page does."""
    device = twofactor.totp_device_start(user=user)
    return twofactor.totp_device_confirm(user=user, code=code_for(device))


def password_only(user) -> DjangoClient:
    """A browser that gave the password of ``user`` and no code yet."""
    browser = DjangoClient()
    assert browser.login(username=user.email, password=PASSWORD)
    return browser


def log_in(user) -> DjangoClient:
    browser = DjangoClient()
    response = browser.post("/en/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return browser


@pytest.fixture
def secretary(db):
    return make_secretary()


@pytest.fixture
def colleague(db):
    colleague = make_secretary(email="colleague@example.org")
    colleague.full_name = "Cleo Colleague"
    colleague.save()
    return colleague


# --- setting up the app --------------------------------------------------------------------


def test_staff_without_an_app_are_sent_to_set_it_up_after_the_password(secretary):
    browser = log_in(secretary)

    response = browser.get("/en/portal/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fen%2Fportal%2F"
    response = browser.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2Fen%2Fportal%2F"

    page = browser.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    device = TOTPDevice.objects.get(user=secretary)
    assert not device.confirmed
    secret = re.search(r'id="twofactor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20 random bytes in base 32
    # Coming back (a reload) shows the same key: a scan already made stays good.
    assert secret in browser.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=secretary).count() == 1


def test_a_right_code_confirms_the_app_shows_the_codes_once_and_verifies_the_session(secretary):
    browser = log_in(secretary)
    browser.get(SETUP)
    device = TOTPDevice.objects.get(user=secretary)

    wrong = browser.post(SETUP, {"code": "000000", "next": "/en/secretariat/"})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )

    page = browser.post(SETUP, {"code": code_for(device), "next": "/en/secretariat/"})
    assert page.status_code == 200
    html = page.content.decode()
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', html)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    assert 'href="/en/secretariat/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get("/en/secretariat/").status_code == 200
    entry = LogEntry.objects.get(object_id=str(secretary.pk))
    assert entry.user == secretary and "set up" in entry.change_message
    # The codes are not shown again.
    assert browser.get(SETUP)["Location"] == CODES
    assert codes[0] not in browser.get(CODES).content.decode()


def test_setting_up_twice_is_refused(secretary):
    enrol(secretary)
    with pytest.raises(TwoFactorError):
        twofactor.totp_device_start(user=secretary)
    with pytest.raises(TwoFactorError, match="already set up"):
        twofactor.totp_device_confirm(user=secretary, code="123456")
    browser = password_only(secretary)
    assert browser.get(SETUP)["Location"].startswith(VERIFY)


# --- the code after the password -----------------------------------------------------------


@pytest.mark.parametrize("url", STAFF_PAGES + ["/en/portal/", "/en/accounts/profile/"])
def test_every_signed_in_page_waits_for_the_code(secretary, url):
    enrol(secretary)
    browser = password_only(secretary)

    response = browser.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")
    assert browser.post(url, {})["Location"] == VERIFY
    assert browser.get(VERIFY).status_code == 200


def test_reviewers_give_the_code_for_the_review_pages(db):
    reviewer = make_reviewer()
    enrol(reviewer)
    browser = password_only(reviewer)
    assert browser.get("/en/review/")["Location"] == f"{VERIFY}?next=%2Fen%2Freview%2F"

    response = browser.post(VERIFY, {"code": fresh_code(reviewer.totpdevice_set.get())})
    assert response["Location"] == "/en/portal/"
    assert browser.get("/en/review/").status_code == 200


def test_the_back_office_login_leads_to_the_code_then_back(secretary):
    device, _codes = enrol(secretary)
    browser = DjangoClient()
    response = browser.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": secretary.email, "password": PASSWORD, "next": "/en/admin/"},
    )
    assert response["Location"] == "/en/admin/"
    assert browser.get("/en/admin/")["Location"] == f"{VERIFY}?next=%2Fen%2Fadmin%2F"

    wrong = browser.post(VERIFY, {"code": "123456", "next": "/en/admin/"})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.content.decode()
    assert browser.get("/en/admin/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    right = browser.post(VERIFY, {"code": fresh_code(device), "next": "/en/admin/"})
    assert right["Location"] == "/en/admin/"
    assert browser.get("/en/admin/").status_code == 200
    assert browser.get("/en/secretariat/").status_code == 200


def test_a_code_works_once_and_verification_lasts_for_the_session(secretary):
    device, _codes = enrol(secretary)
    first = password_only(secretary)
    code = fresh_code(device)
    assert first.post(VERIFY, {"code": code})["Location"] == "/en/portal/"

    second = password_only(secretary)  # another browser, or the next login
    assert second.get("/en/secretariat/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert "This code is not right" in second.post(VERIFY, {"code": code}).content.decode()
    assert first.get("/en/secretariat/").status_code == 200

    first.post("/en/accounts/logout/")
    assert first.login(username=secretary.email, password=PASSWORD)
    assert first.get("/en/secretariat/").status_code == 302


def test_wrong_codes_are_throttled(secretary):
    device, _codes = enrol(secretary)
    browser = password_only(secretary)

    browser.post(VERIFY, {"code": "000000"})
    refused = browser.post(VERIFY, {"code": fresh_code(device)})
    assert "Too many wrong codes. Wait" in refused.content.decode()
    assert browser.get("/en/admin/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused try does not count again

    for _n in range(3):
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
        )
        browser.post(VERIFY, {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    allowed, details = device.verify_is_allowed()
    assert not allowed
    assert details["locked_until"] - device.throttling_failure_timestamp == timedelta(seconds=8)


def test_a_recovery_code_works_once(secretary):
    _device, codes = enrol(secretary)
    browser = password_only(secretary)
    response = browser.post(VERIFY, {"code": f" {codes[0][:4].upper()}-{codes[0][4:]} "})
    assert response["Location"] == "/en/portal/"
    assert "You used a recovery code: 9 are left." in browser.get("/en/portal/").content.decode()
    assert browser.get("/en/admin/").status_code == 200
    assert StaticToken.objects.count() == 9

    again = password_only(secretary)
    assert "This code is not right" in again.post(VERIFY, {"code": codes[0]}).content.decode()
    StaticDevice.objects.update(throttling_failure_timestamp=None)
    assert again.post(VERIFY, {"code": codes[1]})["Location"] == "/en/portal/"


def test_next_never_leads_to_another_site(secretary):
    device, _codes = enrol(secretary)
    browser = password_only(secretary)
    response = browser.post(VERIFY, {"code": fresh_code(device), "next": "https://example.com/"})
    assert response["Location"] == "/en/portal/"


def test_logging_out_and_the_language_switch_need_no_code(secretary):
    enrol(secretary)
    browser = password_only(secretary)
    assert browser.post("/i18n/setlang/", {"language": "fr", "next": VERIFY}).status_code == 302
    assert browser.post("/en/accounts/logout/").status_code == 200
    assert "_auth_user_id" not in browser.session


# --- people who are not staff ---------------------------------------------------------------


def test_people_who_are_not_staff_are_asked_nothing_new(db):
    from tests.factories import OrganisationFactory

    member = make_member(OrganisationFactory(), email="ana@example.org")
    browser = log_in(member)
    assert browser.get("/en/portal/").status_code == 200
    assert browser.get("/en/accounts/profile/").status_code == 200
    assert "Two-factor authentication" not in browser.get("/en/accounts/profile/").content.decode()
    assert browser.get(SETUP).status_code == 404
    assert browser.get(CODES).status_code == 404
    assert browser.get(VERIFY)["Location"] == "/en/portal/"
    assert not TOTPDevice.objects.exists()
    with pytest.raises(TwoFactorError):
        twofactor.totp_device_start(user=member)


# --- the profile and new recovery codes ------------------------------------------------------


def test_the_profile_shows_the_status_and_new_codes_void_the_old(secretary):
    device, old_codes = enrol(secretary)
    browser = password_only(secretary)
    browser.post(VERIFY, {"code": fresh_code(device)})

    profile = browser.get("/en/accounts/profile/").content.decode()
    assert "On: you set up your authenticator app on" in profile
    assert "10 recovery codes left" in profile
    assert CODES in profile

    page = browser.get(CODES)
    assert page.status_code == 200
    wrong = browser.post(CODES, {"code": old_codes[0]})
    assert "This code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    made = browser.post(CODES, {"code": fresh_code(device)})
    new_codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', made.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert LogEntry.objects.filter(object_id=str(secretary.pk)).count() == 2

    other = password_only(secretary)
    assert "This code is not right" in other.post(VERIFY, {"code": old_codes[1]}).content.decode()
    StaticDevice.objects.update(throttling_failure_timestamp=None)
    assert other.post(VERIFY, {"code": new_codes[1]})["Location"] == "/en/portal/"


# --- a lost device --------------------------------------------------------------------------


def test_another_secretariat_member_resets_a_lost_device(
    secretary, colleague, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://grants.example.org"
    secretary.language = "fr"
    secretary.save()
    enrol(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        twofactor.twofactor_reset(user=secretary, actor=colleague)

    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert not StaticDevice.objects.filter(user=secretary).exists()
    assert not StaticToken.objects.exists()
    entry = LogEntry.objects.filter(object_id=str(secretary.pk)).latest("action_time")
    assert entry.user == colleague
    assert "Cleo Colleague" in entry.change_message
    notification = Notification.objects.get(kind="twofactor_reset")
    assert notification.recipient == secretary
    assert notification.language == "fr"
    assert notification.context == {"reset_by": "Cleo Colleague"}
    assert notification.path == "/fr/accounts/login/"
    [email] = mail.outbox
    assert email.to == [secretary.email]
    assert "Cleo Colleague" in email.body
    assert "https://grants.example.org/fr/accounts/login/" in email.body

    # At the next login they set up an app again.
    browser = password_only(secretary)
    assert browser.get(VERIFY)["Location"].startswith(SETUP)


def test_nobody_resets_their_own_device(secretary):
    enrol(secretary)
    with pytest.raises(TwoFactorError, match="ask another member of the secretariat"):
        twofactor.twofactor_reset(user=secretary, actor=secretary)
    assert TOTPDevice.objects.filter(user=secretary).exists()
    assert not Notification.objects.exists()


def test_only_the_secretariat_resets_and_only_a_superuser_resets_a_superuser(secretary, colleague):
    reviewer = make_reviewer()
    enrol(secretary)
    with pytest.raises(TwoFactorError):
        twofactor.twofactor_reset(user=secretary, actor=reviewer)
    boss = make_secretary(email="boss@example.org", is_superuser=True)
    enrol(boss)
    with pytest.raises(TwoFactorError):
        twofactor.twofactor_reset(user=boss, actor=colleague)
    assert TOTPDevice.objects.filter(user__in=[secretary, boss]).count() == 2
    with pytest.raises(TwoFactorError, match="no two-factor authentication to reset"):
        twofactor.twofactor_reset(user=reviewer, actor=colleague)


def test_the_reset_action_of_the_back_office(client, secretary, colleague):
    enrol(secretary)
    client.force_login(colleague)  # the colleague gave their own code
    url = "/en/admin/organisations/user/"

    change = client.get(f"{url}{secretary.pk}/change/").content.decode()
    assert "Recovery codes left: 10." in change
    response = client.post(
        url,
        {"action": "reset_two_factor", "_selected_action": [secretary.pk, colleague.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Two-factor authentication reset for 1 person" in html
    assert "You cannot reset your own two-factor authentication" in html
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert "Not set up." in client.get(f"{url}{secretary.pk}/change/").content.decode()


def test_a_session_verified_with_a_reset_device_is_logged_out(secretary, colleague):
    device, _codes = enrol(secretary)
    browser = password_only(secretary)
    browser.post(VERIFY, {"code": fresh_code(device)})
    assert browser.get("/en/secretariat/").status_code == 200

    twofactor.twofactor_reset(user=secretary, actor=colleague)

    response = browser.get("/en/secretariat/")
    assert response["Location"] == "/en/accounts/login/"
    assert "_auth_user_id" not in browser.session
    page = browser.get(response["Location"]).content.decode()
    assert "Your two-factor authentication was reset" in page


# --- the pages ------------------------------------------------------------------------------


def test_the_two_factor_pages_are_valid_html_and_not_cached(secretary, tmp_path):
    from tests.html_checker import vnu_errors

    browser = log_in(secretary)
    pages = {"setup": browser.get(SETUP)}
    device = TOTPDevice.objects.get(user=secretary)
    pages["codes"] = browser.post(SETUP, {"code": code_for(device)})
    pages["profile"] = browser.get("/en/accounts/profile/")
    pages["manage"] = browser.get(CODES)
    other = password_only(secretary)
    pages["verify"] = other.get(VERIFY)
    pages["verify-wrong"] = other.post(VERIFY, {"code": "000000"})
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        if name != "profile":
            assert "no-store" in response["Cache-Control"], name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    assert vnu_errors(files) == []
