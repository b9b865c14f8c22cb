"""The one place documents are made safe to store: plain Python, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from articles.extraction.types import ArticleMeta
from articles.sources import Document, SourceError
from articles.sources.sanitize import (
    date_problem,
    safe_document,
    safe_text,
    url_problem,
    with_typed,
)
from positions.text import safe_line

BODY = "Northland said on Monday that it would accept a truce."


def _doc(body: str = BODY, **meta: object) -> Document:
    return Document(meta=ArticleMeta(**meta), body=body, source_format="text")  # type: ignore[arg-type]  # each test passes the fields it varies


def test_text_loses_nul_and_controls_and_keeps_its_line_breaks() -> None:
    assert safe_text("a\x00b\x07c\x1b[0md\x7f\x9f") == "abc[0md"
    assert safe_text("page one\x0cpage two\u2028three") == "page one\npage two\nthree"
    assert safe_text("lone \ud800 surrogate") == "lone  surrogate"


def test_a_line_has_no_breaks_or_runs_of_space() -> None:
    assert safe_line("  Truce\n\ttalks\x00 resume\u2029 ") == "Truce talks resume"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (date(1, 1, 1), "before 1900"),
        (date(1899, 12, 31), "before 1900"),
        (date(9999, 12, 31), "in the future"),
        (date.today() + timedelta(days=2), "in the future"),
    ],
)
def test_implausible_dates_are_named(value: date, problem: str) -> None:
    assert problem in (date_problem(value) or "")


@pytest.mark.parametrize("value", [date(1900, 1, 1), date.today(), date.today() + timedelta(days=1)])
def test_plausible_dates_pass(value: date) -> None:
    assert date_problem(value) is None


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://a.example/",
     "//evil.example/", "https://a.example/" + "x" * 1000, "https://a.example/a b", "https://a.example/\x00"],
)
def test_links_other_than_plain_http_are_refused(url: str) -> None:
    assert url_problem(url)


def test_a_document_is_clipped_and_noted() -> None:
    document, notes = safe_document(_doc(title="T" * 400, outlet="O" * 200, url="javascript:x()"))
    assert len(document.meta.title) == 300 and len(document.meta.outlet) == 120
    assert document.meta.url == ""
    assert len(notes) == 3


def test_a_safe_document_is_unchanged_and_safe_twice() -> None:
    original = _doc(title="Truce", outlet="Post", url="https://a.example/x", published=date(2024, 1, 2))
    once, notes = safe_document(original)
    twice, more = safe_document(once)
    assert once == original == twice and notes == more == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_doc(body="\x00\x00"), "no text"),
        (_doc(body="!!! ??? ... --- ***"), "no words"),
        (_doc(published=date(1, 1, 1)), "before 1900"),
        (_doc(published=date(9999, 1, 1)), "in the future"),
    ],
)
def test_what_cannot_be_an_article_is_refused(document: Document, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        safe_document(document)


def test_typed_fields_win_and_empty_ones_do_not() -> None:
    fields: dict[str, object] = {"title": "Typed", "outlet": "", "published": "2024-05-06"}
    typed = with_typed(_doc(title="File title", outlet="File outlet"), fields)
    assert (typed.meta.title, typed.meta.outlet, typed.meta.published) == (
        "Typed", "File outlet", date(2024, 5, 6),
    )
