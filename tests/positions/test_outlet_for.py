"""outlet_for: one outlet whether a story names it, an alias of it, or its domain."""

from __future__ import annotations

from positions.models import Outlet
from positions.services import outlet_for


def test_finds_an_outlet_by_name_alias_or_domain(db):
    wire = Outlet.objects.create(name="Harbour Wire", aliases=["HW"], domains=["harbourwire.example"])
    assert outlet_for("harbour wire") == wire
    assert outlet_for("hw") == wire
    assert outlet_for("", "https://www.harbourwire.example/story/1") == wire
    assert Outlet.objects.count() == 1


def test_creates_an_outlet_on_first_sight(db):
    outlet = outlet_for("", "https://news.example/a")
    assert (outlet.name, outlet.domains) == ("news.example", ["news.example"])


def test_gives_none_without_a_name_or_url(db):
    assert outlet_for("  ") is None
