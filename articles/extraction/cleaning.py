"""Split an article body into paragraphs and drop boilerplate lines, keeping offsets."""

from __future__ import annotations

import re

# Lines that belong to the page, not the story: cross-links, social prompts, captions, credits.
_BOILERPLATE = re.compile(
    r"""^\W*(?:
        (?:also\s+)?read(?:\s+(?:also|more|next))?\s*[:|\-–—]
      | also\s+see\s*: | see\s+also\s*: | related\s*(?:stories|articles|news)?\s*: | watch\s*:
      | recommended\s*: | trending\s*: | more\s+on\s+this\s*: | listen\s*:
      | follow\s+(?:us|the\s+latest|our) | subscribe\b | sign\s+up\b | click\s+here
      | join\s+our\b | download\s+the\b | get\s+the\s+latest | share\s+this
      | advertisement\b | sponsored\b | (?:file\s+)?photo\s*(?:credit)?\s*:
      | image\s*(?:credit)?\s*:
      | caption\s*: | picture\s*: | video\s*: | copyright\b | ©
      | (?:reporting|writing|editing|additional\s+reporting)\s+by\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A trailing "(Photo: Reuters)" style credit line, or a line that is only a credit.
_CREDIT_ONLY = re.compile(r"^\W*\(?\s*(?:photo|image|file|credit)[^)]{0,80}\)?\s*$", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than reporting."""
    stripped = line.strip()
    return bool(_BOILERPLATE.match(stripped) or _CREDIT_ONLY.match(stripped))


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the body's non-empty, non-boilerplate lines.

    Args:
        body: the article body; offsets index into it.

    Raises:
        Nothing.
    """
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", body):
        text = match.group()
        if not text.strip() or is_boilerplate(text):
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        end = match.end() - (len(text) - len(text.rstrip()))
        spans.append((start, end))
    return spans
