"""The draft's summary: readable words, never two words glued together."""

from __future__ import annotations

import re

import pytest

from articles.extraction import extract
from articles.extraction.types import ArticleMeta


@pytest.mark.parametrize(
    "text",
    [
        "The movement will not free more captives until the army leaves Gaza, senior Hamas "
        "official Osama Hamdan told journalists in Doha on Friday.",
        '"We will not stop the war before every captive is back home," Benjamin Netanyahu '
        "said in a recorded message.",
    ],
)
def test_summary_keeps_a_space_between_words_that_were_apart(text, reference):
    drafts = extract(text, ArticleMeta(), reference)
    assert drafts
    for draft in drafts:
        assert not re.search(r"(Gaza|home)[a-z]", draft.summary), draft.summary
