"""What the views of both apps share: the request types, a page or one of its regions, the
end of a poll, and URL stems for pages that link many objects.

It lives in ``positions`` because ``articles`` may import ``positions`` and not the
reverse; ``positions/access.py`` (who may use a view) is shared for the same reason.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseStopPolling
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (``request.htmx``)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """What a view behind a role decorator of ``positions.access`` receives: anonymous
    visitors were sent to the login page before it ran, so the user is signed in."""

    user: User


def htmx_target(request: HtmxHttpRequest) -> str | None:
    """The id of the element an htmx request will swap, or None for a whole page.

    htmx restoring its history (nothing cached for the URL) asks for the whole page, whatever
    element the request names.
    """
    if not request.htmx or request.htmx.history_restore_request:
        return None
    return request.htmx.target


def render_region(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *,
    regions: Collection[str], status: int = 200,
) -> HttpResponse:
    """The whole page, or for htmx the inline partial named after the targeted element's id.

    The partial is chosen from HX-Target, never from a parameter the client sends. One URL
    answers with a page or a fragment, so the response varies on the headers that choose:
    a browser's cache never serves a fragment back as the page.
    """
    target = htmx_target(request)
    name = f"{template}#{target}" if target in regions else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def render_polled(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *, region: str,
    done: bool,
) -> HttpResponse:
    """A page with one region that polls for progress: once ``done``, that region's poll is
    answered with the end of polling (the region is still swapped in)."""
    response = render_region(request, template, context, regions={region})
    if done and htmx_target(request) == region:
        return stop_polling(response)
    return response


def stop_polling(response: HttpResponse) -> HttpResponse:
    """The same response with htmx's status 286: the element swaps it in and polls no more."""
    stop = HttpResponseStopPolling(response.content)
    for header, value in response.items():
        stop[header] = value
    return stop


_STEM_PROBE = 7_654_321


def url_stem(name: str) -> str:
    """The URL named ``name`` cut before its one integer argument, so a page that links many
    objects reverses once: ``{{ statements_url }}{{ s.pk }}/`` is statement ``s``'s URL."""
    url = reverse(name, args=[_STEM_PROBE])
    stem, probe, rest = url.rpartition(f"/{_STEM_PROBE}/")
    if not probe or rest:
        raise ImproperlyConfigured(f"{name} does not end with its integer argument: {url}")
    return f"{stem}/"
