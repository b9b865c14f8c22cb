"""What the domain accepts as stored text and dates: column lengths, one line of metadata,
the earliest plausible date.

Plain Python (no Django import): the document readers in ``articles.sources`` apply the same
rules before anything is saved, and the editor's forms apply them to what is typed.
"""

from __future__ import annotations

import re
from datetime import date

EARLIEST = date(1900, 1, 1)
# Column lengths of Article and Outlet (positions.models uses them too).
MAX_TITLE = 300
MAX_OUTLET = 120
MAX_URL = 1000
# C0 and C1 controls, lone surrogates (PostgreSQL cannot encode them), the non-characters
# U+FFFE/U+FFFF and the Unicode line and paragraph separators.
LINE_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def safe_line(text: str) -> str:
    """One line of metadata: controls and line breaks become spaces, runs of space one."""
    return _SPACES.sub(" ", LINE_JUNK.sub(" ", text)).strip()
