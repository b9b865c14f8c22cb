"""Refuse a query string carrying NUL before any view reads it.

PostgreSQL cannot store or compare text with NUL in it, so a NUL reaching a query is a
database error (a 500) wherever a view passes a parameter on unvalidated. Django's forms
refuse NUL in text fields; this answers 400 for the parameters no form reads. The JSON API
is left alone: it validates every parameter against its schema and answers 422 there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse


class RefuseNulQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(reverse("api:api-root")):
            return self.get_response(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "The address contains a NUL character.", content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
