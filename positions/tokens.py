"""API tokens for scripts: created once, shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from positions.access import is_reader
from positions.models import ApiToken

PREFIX = "parley_"
# A used token records its use at most this often: reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, username: str, name: str) -> tuple[ApiToken, str]:
    """A new token for a reader (researcher, editor or admin); returns it with its secret."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(f"No user {username!r}.")
    if not is_reader(user):
        raise ValidationError(f"{username} has no researcher or editor role (or is inactive).")
    if ApiToken.objects.filter(user=user, name=name).exists():
        raise ValidationError(f"{username} already has a token named {name!r}.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(secret))
    return token, secret


def api_token_user(*, secret: str) -> Any | None:
    """The active user a token belongs to (recording the use), or None for an unknown token."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
