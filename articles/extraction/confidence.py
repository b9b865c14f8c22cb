"""How much an editor can trust a draft, from how it was found: the rules' confidence,
used when no trained model decides (a trained model calibrates its own).

The score is a sum of evidence, clipped to [0.05, 0.98], set by hand against the precision
measured on annotated articles (score.py prints precision per band). What raises it: a
direct quotation, a named reporting chain, a statement spanning several sentences, a speech
verb, a known person or a side named as itself, a demand or a condition. What lowers it: a
speaker found only through a pronoun or a title, an acceptance or a neutral "assess" reading
(most often a description of events rather than a position), one of several acts split out
of one utterance, a relayed position, and no issue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from articles.extraction.extractor import ParsedDraft

_SPEECH = {"say", "tell", "insist", "stress", "add", "reiterate", "call", "urge", "demand",
           "vow", "warn", "state", "respond", "reply", "accord"}


def score(draft: ParsedDraft) -> float:
    """A confidence in [0, 1] that the draft is a position statement the annotators would keep.

    Args:
        draft: one of the rules' drafts.

    Raises:
        Nothing.
    """
    utterance = draft.utterance
    value = 0.6
    if utterance.quote_type == "direct":
        value += 0.12
    if utterance.via:
        value += 0.12
    if len(draft.spans) >= 2:
        value += 0.12
    if utterance.speaker.kind in ("known", "alias"):
        value += 0.08
    elif utterance.speaker.kind in ("pronoun", "title"):
        value -= 0.08
    if utterance.cue.lemma_.lower() in _SPEECH:
        value += 0.06
    if draft.stance in ("demand", "condition"):
        value += 0.08
    elif draft.stance == "assess":
        value -= 0.06
    elif draft.stance == "accept":
        value -= 0.08
    if draft.split:
        value -= 0.12
    if utterance.relayed:
        value -= 0.05
    if not draft.issues:
        value -= 0.3
    return round(max(0.05, min(0.98, value)), 3)
