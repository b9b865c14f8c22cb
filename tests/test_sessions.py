"""The session store (``config/sessions.py``) loads a session as Django's database store does:
a live one signs the user in; an expired, unknown or tampered one leaves the visitor signed
out, with no error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = reverse("home")


def _signed_out(response: HttpResponse) -> bool:
    return response.status_code == 302 and str(response["Location"]).startswith(reverse("login"))


def test_a_live_session_signs_the_user_in(researcher_client) -> None:
    assert researcher_client.get(PAGE).status_code == 200


def test_an_expired_session_signs_nobody_in(researcher_client) -> None:
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert _signed_out(researcher_client.get(PAGE))


@pytest.mark.parametrize("cookie", ["no-such-session-key-at-all-0123", "x" * 40, "' OR 1=1 --"])
def test_an_unknown_or_tampered_session_key_signs_nobody_in(researcher_client, cookie) -> None:
    researcher_client.cookies["sessionid"] = cookie
    assert _signed_out(researcher_client.get(PAGE))


def test_tampered_session_data_signs_nobody_in(researcher_client) -> None:
    Session.objects.update(session_data="not-signed-data")
    assert _signed_out(researcher_client.get(PAGE))
