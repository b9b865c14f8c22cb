"""How much an editor can trust a draft, from how it was found.

The score is a sum of evidence, clipped to [0.05, 0.98], calibrated by hand against the
precision measured on annotated articles (score.py prints precision per band). What raises
it: a direct quotation, a named reporting chain, a statement spanning several sentences, a
plain speech verb, a speaker named in full or a party speaking as such. What lowers it: a
speaker found only through a pronoun or a title, a relayed position, one of several acts
split out of one utterance, and a neutral "assess" reading (most often a description of
events rather than a position).
"""

from __future__ import annotations

from typing import Any

_SPEECH = {"say", "tell", "insist", "stress", "add", "reiterate", "call", "urge", "demand",
           "vow", "warn", "state", "respond", "reply", "accord"}


def score(draft: Any) -> float:
    """A confidence in [0, 1] that the draft is a position statement the annotators would keep.

    Args:
        draft: an ``extractor.Draft``.

    Raises:
        Nothing.
    """
    statement = draft.statement
    value = 0.6
    if statement.quote_type == "direct":
        value += 0.12
    if statement.via:
        value += 0.12
    if len(draft.spans) >= 2:
        value += 0.12
    if statement.speaker.kind in ("known", "alias"):
        value += 0.08
    elif statement.speaker.kind in ("pronoun", "title"):
        value -= 0.08
    if statement.cue.lemma_.lower() in _SPEECH:
        value += 0.06
    if draft.stance in ("demand", "condition"):
        value += 0.08
    elif draft.stance == "assess":
        value -= 0.06
    elif draft.stance == "accept":
        value -= 0.08
    if draft.split:
        value -= 0.12
    if statement.relayed:
        value -= 0.05
    if not draft.issues:
        value -= 0.3
    return round(max(0.05, min(0.98, value)), 3)
