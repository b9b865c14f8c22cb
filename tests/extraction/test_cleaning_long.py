"""Overlong paragraphs are cut into pieces the parser handles, at sentence ends where it can."""

from __future__ import annotations

from articles.extraction.cleaning import MAX_PARAGRAPH, paragraphs, split_long

SENTENCE = "Northland said on Monday that it would accept a truce. "


def test_a_wall_of_text_is_cut_at_sentence_ends_within_the_limit() -> None:
    body = (SENTENCE * 2_000).strip()
    spans = paragraphs(body)
    assert len(spans) > 1
    assert all(end - start <= MAX_PARAGRAPH for start, end in spans)
    assert all(body[start:end].endswith("truce.") for start, end in spans)
    # Nothing is lost between the pieces but the spaces they were cut at.
    assert " ".join(body[start:end] for start, end in spans) == body


def test_text_without_spaces_is_cut_at_the_limit() -> None:
    body = "x" * 12_001
    assert split_long(body, (0, len(body))) == [(0, 5_000), (5_000, 10_000), (10_000, 12_001)]


def test_ordinary_paragraphs_are_left_whole() -> None:
    body = f"{SENTENCE * 3}\n\n{SENTENCE}"
    assert len(paragraphs(body)) == 2
