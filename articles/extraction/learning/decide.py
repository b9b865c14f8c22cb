"""The learned decisions over the rules' drafts: keep or drop, stance, issues and their kind,
and a calibrated confidence."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from articles.extraction.learning.features import (
    IssueText,
    date_features,
    issue_features,
    keep_features,
    parent,
    stance_features,
    subissue_features,
)
from articles.extraction.learning.linear import Linear

if TYPE_CHECKING:
    from articles.extraction.extractor import Found, ParsedDraft
    from articles.extraction.learning.weights import Weights


@dataclass(frozen=True)
class Models:
    keep: Linear
    keep_threshold: float
    stance: Linear
    issue: Linear
    issue_threshold: float
    subissue: Linear
    confidence: Linear | None
    undated: Linear | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Models:
        return cls(
            keep=Linear.from_params(params["keep"]),
            keep_threshold=float(params.get("keep_threshold", 0.5)),
            stance=Linear.from_params(params["stance"]),
            issue=Linear.from_params(params["issue"]),
            issue_threshold=float(params.get("issue_threshold", 0.5)),
            subissue=Linear.from_params(params["subissue"]),
            confidence=Linear.from_params(params["confidence"]) if params.get("confidence") else None,
            undated=Linear.from_params(params["undated"]) if params.get("undated") else None,
        )


@lru_cache(maxsize=4)
def models_of(weights: Weights) -> Models:
    return Models.from_params(weights.params)


def issue_hits(text: IssueText, found: Found) -> dict[str, dict[str, int]]:
    assert found.context is not None
    index = found.context.issues
    return {"stmt": index.hits(text.utterance), "region": index.hits(text.region),
            "evidence": index.hits(text.evidence)}


def issue_probabilities(draft: ParsedDraft, found: Found, models: Models,
                        text: IssueText, hits: dict[str, dict[str, int]]) -> dict[str, float]:
    rule_keys = {parent(k) for k in draft.issues}
    descriptions = {issue.key: issue.description for issue in found.reference.issues}
    return {key: models.issue.probabilities(
        issue_features(key, descriptions.get(key, ""), text, found, rule_keys, hits)).get("1", 0.0)
        for key in parent_keys(found)}


def chosen_keys(probabilities: dict[str, float], threshold: float) -> list[str]:
    """The issue keys at or above the threshold, else the likeliest one alone."""
    return [k for k, p in probabilities.items() if p >= threshold] or [
        max(probabilities, key=probabilities.__getitem__)]


def parent_keys(found: Found) -> list[str]:
    return list(dict.fromkeys(parent(issue.key) for issue in found.reference.issues))


def _subkeys(found: Found) -> dict[str, set[str]]:
    subs: dict[str, set[str]] = {}
    for issue in found.reference.issues:
        head, sep, tail = issue.key.partition("/")
        if sep:
            subs.setdefault(head, set()).add(tail)
    return subs


def confidence_features(keep: float, stance: float, issue: float, draft: ParsedDraft) -> list[str]:
    out = [f"keep={min(int(keep * 10), 9)}", f"stance={min(int(stance * 10), 9)}",
           f"issue={min(int(issue * 10), 9)}", f"st={draft.stance}",
           f"kind={draft.utterance.speaker.kind}"]
    if draft.split:
        out.append("split")
    if draft.utterance.relayed:
        out.append("relayed")
    return out


def decide(found: Found, weights: Weights) -> list[ParsedDraft]:
    """Apply the model's decisions to the rules' drafts; returns the drafts kept, those
    with no day of their own dated by the statement they continue (``date_continuations``).

    Args:
        found: the rules' drafts of one article (``extractor.find_drafts``).
        weights: the trained model.

    Raises:
        KeyError: the weights lack a component (not a model of this version).
    """
    models = models_of(weights)
    subkeys = _subkeys(found)
    kept: list[ParsedDraft] = []
    for rules_draft in found.drafts:
        draft = replace(rules_draft, issues=list(rules_draft.issues))
        keep = models.keep.probabilities(keep_features(draft, found)).get("1", 0.0)
        if keep < models.keep_threshold:
            continue
        stance, stance_p = models.stance.best(stance_features(draft, found))
        if stance != draft.stance:
            draft.conditions = draft.conditions if stance == "condition" else ""
            draft.stance = stance
        decided = _issues(draft, found, models, subkeys)
        if decided is None:
            continue
        draft.issues, issue_p = decided
        if draft.stated_on is not None and models.undated is not None and (
                models.undated.probabilities(date_features(draft)).get("1", 0.0) >= 0.5):
            draft.stated_on, draft.date_basis = None, ""  # a background position
        if models.confidence is not None:
            draft.confidence = models.confidence.probabilities(
                confidence_features(keep, stance_p, issue_p, draft)).get("1", 0.0)
        else:
            draft.confidence = keep * stance_p
        if not _joined_twin(kept, draft):
            kept.append(draft)
    from articles.extraction.extractor import date_continuations

    date_continuations(kept, found.context)
    return kept


def _issues(draft: ParsedDraft, found: Found, models: Models, subkeys: dict[str, set[str]]
            ) -> tuple[list[str], float] | None:
    """The issues the model gives the draft (at least its likeliest one), each parent with
    its kind where the negotiation has kinds, and the least sure issue's probability."""
    text = IssueText(draft, found)
    hits = issue_hits(text, found)
    chosen = issue_probabilities(draft, found, models, text, hits)
    if not chosen:
        return None
    keys = chosen_keys(chosen, models.issue_threshold)
    issues = []
    for key in keys:
        kind = models.subissue.best(subissue_features(text, key, found, draft, hits))[0] if (
            key in subkeys) else ""
        issues.append(f"{key}/{kind}" if kind in subkeys.get(key, ()) else key)
    return issues, min(chosen[k] for k in keys)


def _joined_twin(kept: list[ParsedDraft], draft: ParsedDraft) -> bool:
    """Acts the rules split out of one utterance that the model reads alike are one act:
    join the draft to its twin, if it has one."""
    twin = next((k for k in kept if k.utterance is draft.utterance and k.stance == draft.stance), None)
    if twin is None:
        return False
    twin.issues += [key for key in draft.issues if key not in twin.issues]
    twin.confidence = max(twin.confidence, draft.confidence)
    twin.split = any(k.utterance is draft.utterance and k is not twin for k in kept)
    return True
