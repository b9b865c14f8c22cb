"""Quotation spans in a paragraph, paired across sentence boundaries."""

from __future__ import annotations

import re


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of quoted passages, marks included.

    Straight double quotes pair up in order; curly quotes pair open with close. An unclosed
    quote runs to the end of the paragraph (news style for a quote continued in the next one).

    Args:
        text: one paragraph.

    Raises:
        Nothing.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for match in re.finditer(r"[\"“”]", text):
        mark, position = match.group(), match.start()
        if start is None:
            if mark == "”":
                continue
            start = position
        elif mark in ('"', "”"):
            if position - start > 1:
                spans.append((start, position + 1))
            start = None
    if start is not None and len(text) - start > 20:
        spans.append((start, len(text)))
    if not spans:
        spans = _single_quote_spans(text)
    return spans


# British style quotes with single marks: an opening ‘ (or ') before a word, a closing ’
# after one that no letter follows (so "Israel’s" is no closing mark).
_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=\w)(.+?)(?<=[\w.,!?])[’'](?!\w)")


def _single_quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SINGLE.finditer(text) if m.end() - m.start() > 12]
