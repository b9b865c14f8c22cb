"""Sign-in: throttling with django-axes (by username and address, with a cool-off), a new
session on sign-in, disabled accounts signed out, and password reset by email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def limit(settings) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_a_right_password_signs_in(researcher):
    client = Client()
    response = sign_in(client, "bob", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_locks_out_after_the_failure_limit_even_with_the_right_password(researcher, limit):
    client = Client()
    for _ in range(limit - 1):
        assert sign_in(client, "bob", "wrong").status_code == 200  # the form again, with an error
    locked = sign_in(client, "bob", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert sign_in(client, "bob", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_a_lockout_does_not_touch_other_users_or_the_same_user_elsewhere(researcher, editor, limit):
    attacker = Client()
    for _ in range(limit):
        sign_in(attacker, "bob", "wrong", address="203.0.113.9")
    assert sign_in(attacker, "bob", PASSWORD, address="203.0.113.9").status_code == 429
    # Another user from the attacker's address, and bob from his own, still sign in.
    other = Client()
    assert sign_in(other, "alice", PASSWORD, address="203.0.113.9").status_code == 302
    bob = Client()
    assert sign_in(bob, "bob", PASSWORD, address="10.0.0.1").status_code == 302
    assert signed_in(bob)


def test_the_lockout_ends_after_the_cool_off(researcher, limit):
    client = Client()
    for _ in range(limit):
        sign_in(client, "bob", "wrong")
    assert sign_in(client, "bob", PASSWORD).status_code == 429
    # Move the recorded failures back past the cool-off instead of sleeping through it.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, "bob", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_success_clears_the_failure_count(researcher, limit):
    client = Client()
    for _ in range(limit - 1):
        sign_in(client, "bob", "wrong")
    assert sign_in(client, "bob", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(limit - 1):
        sign_in(client, "bob", "wrong")
    assert sign_in(client, "bob", PASSWORD).status_code == 302


def test_signing_in_starts_a_new_session(researcher):
    from django.contrib.sessions.backends.db import SessionStore

    planted = SessionStore()
    planted["planted"] = "by an attacker"
    planted.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    sign_in(client, "bob", PASSWORD)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert signed_in(client)


def test_logout_ends_the_session_on_the_server(researcher_client):
    key = researcher_client.cookies[settings.SESSION_COOKIE_NAME].value
    researcher_client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get(reverse("home")).status_code == 302


def test_a_disabled_account_is_signed_out(researcher, researcher_client):
    assert signed_in(researcher_client)
    researcher.is_active = False
    researcher.save(update_fields=["is_active"])
    assert researcher_client.get(reverse("home")).status_code == 302


def test_password_reset_by_email(db):
    UserFactory.create(username="dana", email="dana@example.org", role="researcher")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "dana@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert message.subject == "Parley: reset your password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body)
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new = "a much longer new passphrase 42"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert sign_in(Client(), "dana", new).status_code == 302
    assert sign_in(Client(), "dana", PASSWORD).status_code == 200
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_password_reset_does_not_tell_whether_an_address_has_an_account(db):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_console_backend_is_the_default() -> None:
    # pytest-django swaps in the locmem backend for tests; the configured one is in the module.
    import config.settings as configured

    assert configured.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_behind_a_proxy_the_lock_keys_on_the_forwarded_address(researcher, limit, settings):
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.forwarded_client_address"

    def attempt(forwarded: str, password: str) -> int:
        return Client().post(
            reverse("login"), {"username": "bob", "password": password},
            REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    for n in range(limit):
        attempt(f"198.51.100.{n}, 203.0.113.9", "wrong")  # the client forges the first entry
    assert attempt("192.0.2.1, 203.0.113.9", PASSWORD) == 429  # still the same address
    assert attempt("203.0.113.10", PASSWORD) == 302  # bob from elsewhere, through the same proxy
