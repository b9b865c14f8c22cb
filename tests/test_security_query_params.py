"""Every query parameter of every page survives odd values: a page or a 4xx, never a 500.

The list of pages comes from the URLconf (``tests.test_permissions.url_patterns``), so a page
added later is covered without editing this file. The parameters of each page are read from
the page itself, as a visitor's browser would: the fields of its GET forms and the query
keys of its links; for the JSON API, from the OpenAPI schema it publishes. Each parameter
is then sent alone with each odd value, and all of them at once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import articles.forms
import positions.forms
from tests.factories import UserFactory
from tests.test_permissions import EXPECTED, kwargs_for, objects, url_patterns  # noqa: F401 (fixture)

# Sent percent-encoded as they are: a NUL, raw bytes that are not UTF-8, dates at both ends
# of what a date field parses, an impossible day, very long strings, numbers that overflow,
# and values of the wrong type.
ODD_VALUES = (
    "%00",
    "%ED%A0%80",  # an encoded surrogate: not UTF-8
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "x" * 5000,
    "%5B%5D",  # []
)
GET_PAGES = sorted(name for name, rule in EXPECTED.items() if "GET" in rule.methods)


class _Params(HTMLParser):
    """Field names of GET forms and query keys of links, by the path they go to."""

    def __init__(self, path: str, found: dict[str, set[str]]) -> None:
        super().__init__()
        self.path = path
        self.found = found
        self._form: str | None = None  # the path a GET form being read submits to

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            is_get = (values.get("method") or "get").lower() == "get"
            self._form = (urlsplit(values.get("action") or "").path or self.path) if is_get else None
        elif tag in ("input", "select", "textarea") and self._form and values.get("name"):
            self.found.setdefault(self._form, set()).add(str(values["name"]))
        elif tag == "a" and values.get("href"):
            parts = urlsplit(str(values["href"]))
            if parts.query and not parts.netloc:
                names = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
                self.found.setdefault(parts.path or self.path, set()).update(names)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _api_params(client: Client) -> dict[str, set[str]]:
    """Query parameters of each API path, from its OpenAPI schema (paths as templates)."""
    schema = client.get(reverse("api:openapi-json")).json()
    found: dict[str, set[str]] = {}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    found.setdefault(path, set()).add(parameter["name"])
    return found


def _api_names(url: str, api: dict[str, set[str]]) -> set[str]:
    for path, names in api.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        if re.fullmatch(pattern, url):
            return names
    return set()


def _form_field_names() -> set[str]:
    """Every field name of every form in the project: sent together to every page."""
    names: set[str] = set()
    for module in (articles.forms, positions.forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(getattr(value, "base_fields", {}))
    return names


def _route(name: str) -> str:
    return next(route for pattern_name, route, _ in url_patterns() if pattern_name == name)


@pytest.fixture
def admin_client(db) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create(username="q-admin", is_staff=True, is_superuser=True))
    return client


def test_every_query_parameter_of_every_page_survives_odd_values(admin_client: Client, objects: dict[str, Any]) -> None:  # noqa: F811
    urls = {name: reverse(name, kwargs=kwargs_for(name, _route(name), objects)) for name in GET_PAGES}
    # Read every page once, as a browser would, for the parameters its forms and links send.
    found: dict[str, set[str]] = {}
    for name, url in urls.items():
        response = admin_client.get(url)
        assert response.status_code < 500, f"{name}: plain GET gave {response.status_code}"
        if "html" in response.get("Content-Type", ""):
            _Params(url, found).feed(response.content.decode(errors="replace"))
    api = _api_params(admin_client)
    every_field = sorted(_form_field_names())
    failures, sent = [], 0
    for name, url in urls.items():
        # Names any page might read, whether or not it links them, besides its own.
        names = sorted(found.get(url, set()) | _api_names(url, api) | {"page", "format", "q"})
        names.remove("csrfmiddlewaretoken") if "csrfmiddlewaretoken" in names else None
        for value in ODD_VALUES:
            queries = [f"{quote(param)}={value}" for param in names]
            queries.append("&".join(f"{quote(param)}={value}" for param in every_field))
            for query in queries:
                sent += 1
                response = admin_client.get(f"{url}?{query}")
                if response.status_code >= 500:
                    failures.append(f"{name}: {url}?{query[:120]} -> {response.status_code}")
    assert sent > 500  # the crawl found parameters
    assert not failures, f"{len(failures)} odd queries broke pages:\n" + "\n".join(failures[:30])
