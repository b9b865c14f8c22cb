"""The articles app's views: ``ingest`` (upload, batches, URLs, feeds, status) and ``review``.

Every view: access, form, service, response. A plain POST redirects; an htmx POST returns
the fragment it changed. Which fragment a GET returns is chosen from HX-Target, never from
a parameter the client sends.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_region(
    request: HtmxHttpRequest, template: str, context: dict[str, Any],
    regions: dict[str, str], status: int = 200,
) -> HttpResponse:
    """The whole page, or for htmx the partial whose DOM id is the request's HX-Target.

    htmx restoring its history asks for the whole page. One URL answers with a page or a
    fragment, so the response varies on the headers that choose (no cache mixes them up).
    """
    partial = None
    if request.htmx and not request.htmx.history_restore_request:
        partial = regions.get(request.htmx.target or "")
    name = f"{template}#{partial}" if partial else template
    response = TemplateResponse(request, name, context, status=status).render()
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


