"""Plain text and Markdown: encodings detected rather than mangled, binary refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from articles.sources import SourceError, read_text

SENTENCE = "Die Vermittler erklärten, die Waffenruhe müsse über Ostern hinaus gelten."


def test_reads_utf8_with_front_matter() -> None:
    data = f"---\ntitle: Ostern\npublished: 2024-03-28\n---\n{SENTENCE}\n".encode()

    document = read_text(data)

    assert document.body == SENTENCE
    assert document.meta.title == "Ostern"
    assert document.meta.published == date(2024, 3, 28)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_detects_other_encodings_instead_of_mangling_them(encoding: str) -> None:
    assert read_text(SENTENCE.encode(encoding)).body == SENTENCE


@pytest.mark.parametrize(
    ("sentence", "encoding"),
    [
        ("Le médiateur a déclaré que la trêve tiendrait jusqu'à l'été prochain.", "cp1252"),
        ("The envoy called the offer “a start” – nothing more.", "cp1252"),
        ("Mediatorzy oświadczyli, że rozejm musi potrwać dłużej niż święta.", "cp1250"),
        ("Посредники заявили, что перемирие должно продлиться до весны.", "cp1251"),
        ("Οι μεσολαβητές δήλωσαν ότι η εκεχειρία πρέπει να διαρκέσει.", "cp1253"),
    ],
)
def test_detects_legacy_windows_encodings(sentence: str, encoding: str) -> None:
    assert read_text(sentence.encode(encoding)).body == sentence


def test_refuses_binary_data() -> None:
    with pytest.raises(SourceError, match="This file looks like binary data, not text"):
        read_text(bytes(range(256)) * 8)


def test_refuses_whitespace_only_text() -> None:
    with pytest.raises(SourceError, match="The article has no text"):
        read_text(b" \n\t\n ")


def test_refuses_malformed_front_matter() -> None:
    with pytest.raises(SourceError, match="The front matter is not valid YAML"):
        read_text(b"---\ntitle: [unclosed\n---\nBody text.\n")


def test_refuses_an_unparseable_front_matter_date() -> None:
    with pytest.raises(SourceError, match="published must be a date as YYYY-MM-DD"):
        read_text(b"---\npublished: next Tuesday\n---\nBody text.\n")


def test_refuses_a_publication_date_in_the_future() -> None:
    with pytest.raises(
        SourceError, match="The publication date 2999-01-01 is in the future; correct the front"
    ):
        read_text(b"---\npublished: 2999-01-01\n---\nBody text.\n")


def test_accepts_tomorrow_for_editors_ahead_of_utc() -> None:
    tomorrow = date.today() + timedelta(days=1)

    document = read_text(f"---\npublished: {tomorrow}\n---\nBody text.\n")

    assert document.meta.published == tomorrow
