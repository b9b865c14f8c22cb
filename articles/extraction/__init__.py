"""Extraction of draft position statements from article text: plain Python, no Django.

``extract(body, meta, reference)`` returns a list of ``types.Draft``; see ``extractor`` for
the steps and the modules named after each step.
"""

from articles.extraction.extractor import extract
from articles.extraction.pipeline import DEFAULT_MODEL, detect_language, load_pipeline

# Bump when the output for the same input changes; drafts are stored per version.
EXTRACTOR_VERSION = "0.4.4"

__all__ = ["DEFAULT_MODEL", "EXTRACTOR_VERSION", "detect_language", "extract", "load_pipeline"]
