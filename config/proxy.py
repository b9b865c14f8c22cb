"""Behind the TLS proxy (``BEHIND_TLS_PROXY``): who the client is, as the proxy saw it."""

from __future__ import annotations

from django.http import HttpRequest


def forwarded_client_address(request: HttpRequest) -> str | None:
    """The client address as the TLS proxy saw it: the last X-Forwarded-For entry, the one the
    proxy appends (earlier entries come from the client and can be forged).

    Sign-in throttling keys on it (``AXES_CLIENT_IP_CALLABLE``): behind a proxy every request
    comes from the proxy's address, and keying on that would lock a username for everyone.
    """
    meta = request.META
    return meta.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip() or meta.get("REMOTE_ADDR")
