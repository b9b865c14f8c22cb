"""The shift rule: how an actor's statement on one issue moved against the previous one."""

from __future__ import annotations

RESTATED = "restated"
HARDENED = "hardened"
SOFTENED = "softened"
REVERSED = "reversed"
SHIFT_LABELS = (RESTATED, HARDENED, SOFTENED, REVERSED)

# How far a stance is from agreeing, on one scale: accept is readiest, reject furthest.
FIRMNESS = {"accept": 0, "propose": 1, "condition": 2, "demand": 3, "reject": 4}
POSITIONAL_STANCES = tuple(FIRMNESS)
_FOR = {"accept", "propose", "demand"}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def shift_label(
    *, previous_stance: str, previous_conditions: str, stance: str, conditions: str
) -> str | None:
    """Label an actor's statement on one (sub-)issue against its previous one on that issue.

    Only positional stances take part: ``intent`` and ``assess`` state a plan or a view, not
    a position, so they get no label and are skipped when looking for "the previous one".

    Stances sit on one firmness scale, from readiest to agree to furthest from it::

        accept (0) < propose (1) < condition (2) < demand (3) < reject (4)

    1. **reversed**: one of the two is ``reject`` and the other is ``accept``, ``propose``
       or ``demand`` (a no became a yes, or the reverse). ``reject`` ↔ ``condition`` is not
       a reversal: a conditional yes sits between a no and a yes.
    2. Different stances otherwise: **hardened** when the new one is higher on the scale,
       **softened** when lower.
    3. The same stance: compare the conditions (case and spacing ignored).
       Equal → **restated**. Conditions added → **hardened** for a yes-like stance (the
       actor now asks more) but **softened** for ``reject`` (a flat no became a "no,
       unless"); conditions dropped → the opposite. Both present but different →
       **restated** (the direction cannot be told from the text alone).

    Returns None when either stance is not positional.
    """
    if previous_stance not in FIRMNESS or stance not in FIRMNESS:
        return None
    pair = {previous_stance, stance}
    if "reject" in pair and pair & _FOR:
        return REVERSED
    if stance != previous_stance:
        return HARDENED if FIRMNESS[stance] > FIRMNESS[previous_stance] else SOFTENED
    before, after = _norm(previous_conditions), _norm(conditions)
    if before == after or (before and after):
        return RESTATED
    added = bool(after)
    if stance == "reject":
        return SOFTENED if added else HARDENED
    return HARDENED if added else SOFTENED
