import re

import pytest
from django.core import mail
from django.urls import reverse

from accelerator.tests.factories import PASSWORD, StaffFactory, UserFactory


@pytest.mark.django_db
def test_email_is_the_login(client):
    user = UserFactory(email="dana@example.org")
    response = client.post(reverse("account_login"), {"login": "Dana@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_unverified_email_cannot_sign_in(client, outbox):
    UserFactory(email="new@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    # A fresh verification mail, through the outbox like every other message.
    assert any("new@example.org" in to for m in outbox.deliver() for to in m.to)


@pytest.mark.django_db
def test_nobody_can_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert "by invitation" in response.content.decode()
    client.post(reverse("account_signup"),
                {"email": "x@example.org", "password1": "Sup3r-long-pass", "password2": "Sup3r-long-pass"})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, outbox):
    user = UserFactory(email="reset@example.org")
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert mail.outbox == []  # nothing is sent from the web request
    assert len(outbox.deliver()) == 1
    assert mail.outbox[0].subject.startswith("[Accelerator] ")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    response = client.post(response.redirect_chain[-1][0] if response.redirect_chain else path,
                           {"password1": "A-new-long-passphrase", "password2": "A-new-long-passphrase"})
    user.refresh_from_db()
    assert user.check_password("A-new-long-passphrase")


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.org", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.django_db
def test_staff_must_set_up_two_factor_when_required(client, settings):
    settings.REQUIRE_STAFF_MFA = True
    staff = StaffFactory()
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before showing the TOTP set-up; both pages are reachable.
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


@pytest.mark.django_db
def test_staff_with_two_factor_go_on(client, settings):
    from allauth.mfa.models import Authenticator

    settings.REQUIRE_STAFF_MFA = True
    staff = StaffFactory()
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_coaches_are_not_forced_into_two_factor_when_only_staff_need_it(client, settings):
    """The demo's switch: REQUIRE_COACH_MFA off leaves coaches out whatever staff must do."""
    from accelerator.tests.factories import CoachFactory

    settings.REQUIRE_STAFF_MFA = True
    settings.REQUIRE_COACH_MFA = False
    client.force_login(CoachFactory())
    assert client.get("/").status_code == 200


def test_two_factor_is_required_of_coaches_in_production_and_offers_recovery_codes():
    from django.conf import settings as django_settings

    from accelerator.tests.test_settings import manage

    result = manage("shell", "-c", "from django.conf import settings; print(settings.REQUIRE_COACH_MFA)",
                    SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "True"
    assert "recovery_codes" in django_settings.MFA_SUPPORTED_TYPES


@pytest.mark.django_db
def test_coach_without_two_factor_is_sent_to_set_it_up(client, settings):
    from accelerator.tests.factories import CoachFactory

    settings.REQUIRE_COACH_MFA = True
    client.force_login(CoachFactory())
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


@pytest.mark.django_db
def test_coach_with_two_factor_goes_on(client, settings):
    from allauth.mfa.models import Authenticator

    from accelerator.tests.factories import CoachFactory

    settings.REQUIRE_COACH_MFA = True
    coach = CoachFactory()
    Authenticator.objects.create(user=coach, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(coach)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_coach_sets_up_totp_and_gets_recovery_codes(client, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    from accelerator.tests.factories import CoachFactory

    settings.REQUIRE_COACH_MFA = True
    coach = CoachFactory(email="coach.mfa@example.org")
    response = client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[1][0] == reverse("mfa_activate_totp")
    # allauth asks for the password once more before it shows a new secret.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=coach).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_team_members_are_never_asked_for_two_factor(client, settings, world):
    settings.REQUIRE_STAFF_MFA = True
    settings.REQUIRE_COACH_MFA = True
    for role in ("member", "mayor"):
        client.force_login(world.users[role])
        response = client.get("/", follow=True)
        assert response.status_code == 200, role
        assert response.redirect_chain == [(f"/cities/{world.city.slug}/", 302)], role


@pytest.mark.django_db
def test_profile_sets_time_zone_and_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("profile"),
                           {"full_name": "Ana Lima", "time_zone": "America/Recife", "language": "pt-br"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.time_zone, user.language) == ("Ana Lima", "America/Recife", "pt-br")
    response = client.post(reverse("profile"), {"full_name": "Ana Lima", "time_zone": "Mars/Olympus", "language": "en"})
    assert response.status_code == 200
    assert "Mars/Olympus" in response.content.decode()  # the bad value is named next to the field
    assert "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "America/Recife"
