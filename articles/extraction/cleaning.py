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
      | (?:published|updated|last\s+updated|posted|first\s+published)\s*(?:on|at)?\s*[:\d]
      | share\s+(?:this|on|via)\b | comments?\s*\(?\d* \)?$ | listen\s+to\s+this\s+article
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A byline ("By Jane Doe and John Roe, Reuters") is not reporting either.
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w.'’-]*(?:\s*(?:[A-Z][\w.'’-]*|and|&|,))*"
                     r"(?:\s*[|-]\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?$")
# A trailing "(Photo: Reuters)" style credit line, or a line that is only a credit.
_CREDIT_ONLY = re.compile(r"^\W*\(?\s*(?:photo|image|file|credit)[^)]{0,80}\)?\s*$", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than reporting."""
    stripped = line.strip()
    return bool(_BOILERPLATE.match(stripped) or _CREDIT_ONLY.match(stripped)
                or (len(stripped) < 80 and _BYLINE.match(stripped)))


def paragraphs(body: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the body's paragraphs, boilerplate lines dropped.

    A paragraph is a line; a line that breaks off mid-sentence (hard-wrapped text, a PDF's
    text layer) continues on the next line, so the two are one paragraph and the offsets
    span the line break. A paragraph longer than ``MAX_PARAGRAPH`` comes back in pieces
    (``split_long``).

    Args:
        body: the article body; offsets index into it.

    Raises:
        Nothing.
    """
    lines: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", body):
        text = match.group()
        if not text.strip() or is_boilerplate(text):
            lines.append((-1, -1))  # a break no paragraph runs across
            continue
        start = match.start() + (len(text) - len(text.lstrip()))
        end = match.end() - (len(text) - len(text.rstrip()))
        lines.append((start, end))
    spans: list[tuple[int, int]] = []
    previous_end = -1
    for start, end in lines:
        if start < 0:
            previous_end = -1
            continue
        if spans and previous_end >= 0 and _continues(body, spans[-1], (start, end)):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        previous_end = end
    return [piece for span in spans for piece in split_long(body, span)]


# The longest paragraph handed to the parser in one piece. spaCy's time and memory grow
# faster than the length of one document (an 868 KB paragraph took minutes and gigabytes);
# no real paragraph comes near this, so only pasted walls of text are cut.
MAX_PARAGRAPH = 5_000
# Where to cut, best first: after a sentence's end, after a clause, at any space.
_CUTS = (re.compile(r"[.!?…][\"”’')\]]*\s+"), re.compile(r"[;:,]\s+"), re.compile(r"\s+"))


def split_long(body: str, span: tuple[int, int], limit: int = MAX_PARAGRAPH) -> list[tuple[int, int]]:
    """The span cut into pieces of at most ``limit`` characters, at sentence ends if it can.

    Args:
        body: the article body.
        span: a paragraph's (start, end) offsets into it.
        limit: the most characters a piece may have.

    Raises:
        Nothing.
    """
    start, end = span
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        window = body[start:start + limit]
        cut = limit
        for pattern in _CUTS:
            # The last boundary in the window's second half, so pieces stay long.
            found = [m.end() for m in pattern.finditer(window, limit // 2)]
            if found:
                cut = found[-1]
                break
        piece_end = start + cut
        while piece_end > start and body[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start += cut
        while start < end and body[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


_OPEN_END = re.compile(r"[A-Za-z0-9,;\-–—(]$")


def _continues(body: str, previous: tuple[int, int], line: tuple[int, int]) -> bool:
    """The line goes on with the sentence the previous line broke off (hard wrapping)."""
    before = body[previous[0]:previous[1]]
    after = body[line[0]:line[1]]
    if "\n\n" in body[previous[1]:line[0]] or not _OPEN_END.search(before):
        return False
    # A short line without final punctuation is a heading, unless the next line plainly
    # carries on its sentence (starts in lower case or with a continuing word).
    last_line = before.rsplit("\n", 1)[-1]
    return after[:1].islower() or len(last_line) >= 50
