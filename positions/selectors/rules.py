"""The shift rule: how an actor's statement on one issue moved against the previous one."""

from __future__ import annotations

import re

RESTATED = "restated"
HARDENED = "hardened"
SOFTENED = "softened"
REVERSED = "reversed"
SHIFT_LABELS = (RESTATED, HARDENED, SOFTENED, REVERSED)

# How far a stance is from agreeing, on one scale: accept is readiest, reject furthest.
FIRMNESS = {"accept": 0, "propose": 1, "condition": 2, "demand": 3, "reject": 4}
POSITIONAL_STANCES = tuple(FIRMNESS)
_FOR = {"accept", "propose", "demand"}

# What each label means, for the pages' legends (the rule itself is ``shift_label``).
SHIFT_MEANINGS = {
    RESTATED: "the same position as the actor's previous one on this issue",
    HARDENED: "further from agreeing than the previous one (a firmer stance, or more conditions)",
    SOFTENED: "closer to agreeing than the previous one (a readier stance, or fewer conditions)",
    REVERSED: "a no became a yes, or a yes a no",
}

# What each stance means (DESIGN.md), for the pages' legends.
STANCE_MEANINGS = {
    "demand": "asks for something as a requirement",
    "reject": "refuses a proposal, demand or idea",
    "accept": "agrees to a proposal or demand",
    "propose": "puts forward a plan or an offer",
    "condition": "makes its position depend on something else (no … until, yes … if)",
    "intent": "says what it will do",
    "assess": "characterises the talks or a proposal without taking a position",
}

# A conditional statement that says no until or unless something happens: "will not end
# the war until its goals are met", "no talks while the bombing goes on".
_REFUSAL = re.compile(
    r"\b(not|no|never|none|nothing|cannot|refus\w*|rul\w* out)\b|n't\b", re.IGNORECASE
)


def is_conditional_refusal(text: str) -> bool:
    """Whether a ``condition`` statement's words refuse (until or unless) rather than agree
    (if): a negation anywhere in its summary."""
    return bool(_REFUSAL.search(text))


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def shift_label(
    *, previous_stance: str, previous_conditions: str, stance: str, conditions: str,
    summary: str = "",
) -> str | None:
    """Label an actor's statement on one (sub-)issue against its previous one on that issue.

    Only positional stances take part: ``intent`` and ``assess`` state a plan or a view, not
    a position, so they get no label and are skipped when looking for "the previous one".

    Stances sit on one firmness scale, from readiest to agree to furthest from it::

        accept (0) < propose (1) < condition (2) < demand (3) < reject (4)

    1. **reversed**: one of the two is ``reject`` and the other is ``accept``, ``propose``
       or ``demand`` (a no became a yes, or the reverse). ``reject`` ↔ ``condition`` is not
       a reversal: a conditional yes sits between a no and a yes.
    2. A refusal restated with a condition is **restated**, not softened: after a
       ``reject``, a ``condition`` whose words refuse ("will not end the war until its
       goals are met": a negation in its ``summary``) still says no; it names what would
       change the no, which the flat refusal left unsaid.
    3. Different stances otherwise: **hardened** when the new one is higher on the scale,
       **softened** when lower.
    4. The same stance: compare the conditions (case and spacing ignored).
       Equal → **restated**. For a yes-like stance, conditions added → **hardened** (the
       actor now asks more), dropped → **softened**. For ``reject``, conditions dropped →
       **hardened** (the way out is gone) but added → **restated** (still a no, as in 2).
       Both present but different → **restated** (the direction cannot be told from the
       text alone).

    Returns None when either stance is not positional.
    """
    if previous_stance not in FIRMNESS or stance not in FIRMNESS:
        return None
    pair = {previous_stance, stance}
    if "reject" in pair and pair & _FOR:
        return REVERSED
    if previous_stance == "reject" and stance == "condition" and is_conditional_refusal(summary):
        return RESTATED
    if stance != previous_stance:
        return HARDENED if FIRMNESS[stance] > FIRMNESS[previous_stance] else SOFTENED
    before, after = _norm(previous_conditions), _norm(conditions)
    if before == after or (before and after):
        return RESTATED
    added = bool(after)
    if stance == "reject":
        return RESTATED if added else HARDENED
    return HARDENED if added else SOFTENED
