"""Features of a rules' draft for each learned decision, the same at training and extraction.

Nothing here names an actor, person, place or issue key of a particular negotiation: names,
places and numbers are masked in bags of words, issues are described by how well the text
matches *their* reference data (keywords, description), and each issue key's own lexical
features only add to those (so a key the training data never had still gets the generic ones).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from articles.extraction.issues import stems
from articles.extraction.learning.cues import features as stance_cues

if TYPE_CHECKING:
    from spacy.tokens import Token

    from articles.extraction.extractor import Found, ParsedDraft

_MASKED = {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "MONEY",
           "PERCENT", "QUANTITY", "ORDINAL"}


def parent(key: str) -> str:
    return key.partition("/")[0]


def _words(tokens: list[Token]) -> list[str]:
    out = []
    for token in tokens:
        if token.is_space or token.is_punct:
            continue
        if token.pos_ == "PROPN" or token.ent_type_ in _MASKED or token.like_num:
            out.append("ENT")
        else:
            out.append(token.lemma_.lower())
    return out


def _tokens(draft: ParsedDraft) -> list[Token]:
    return [t for sentence in draft.utterance.sentences for t in sentence]


def evidence_text(draft: ParsedDraft, body: str) -> str:
    return " ".join(body[s:e] for s, e in draft.spans)


def stance_features(draft: ParsedDraft, found: Found) -> list[str]:
    """The parse and words of what the speaker said, and the rules' reading."""
    from articles.extraction.extractor import own_side

    utterance = draft.utterance
    region = list(utterance.region)
    for extra in utterance.extra_regions:
        region.extend(extra)
    assert found.context is not None
    out = stance_cues(utterance.cue, region, utterance.sentences,
                      own=own_side(utterance.speaker, found.context),
                      speaker_is_subject=utterance.speaker_is_subject, rule=draft.stance,
                      acts=2 if draft.split else 1, groups=("rule", "parse", "words"))
    said = sorted({t.i: t for t in (utterance.cue, *region)}.values(), key=lambda t: t.i)
    words = _words(said)  # a bag of what was said, not of the whole sentence
    out += [f"r={w}" for w in words]
    out += [f"rb={a}_{b}" for a, b in pairwise(words)]
    if draft.conditions:
        out.append("rule_conditions")
    out.append(f"role={_role(draft, found)}")
    if utterance.relayed:
        out.append("relayed")
    return out


def _role(draft: ParsedDraft, found: Found) -> str:
    assert found.context is not None
    actor = found.context.actors.actor(draft.utterance.speaker.actor)
    return actor.role if actor is not None else "none"


def keep_features(draft: ParsedDraft, found: Found) -> list[str]:
    """Whether annotators keep the draft: how it was found, not what it is about."""
    utterance = draft.utterance
    cue = utterance.cue
    out = [f"cue={cue.lemma_.lower()}", f"cue_dep={cue.dep_}", f"cue_tag={cue.tag_}",
           f"kind={utterance.speaker.kind}", f"role={_role(draft, found)}",
           f"rule={draft.stance}", f"issues={min(len(draft.issues), 3)}",
           f"quote={utterance.quote_type}", f"basis={draft.date_basis or 'none'}",
           f"sentences={min(len(draft.spans), 4)}", f"subject={utterance.speaker_is_subject}"]
    if utterance.relayed:
        out.append("relayed")
    if draft.split:
        out.append("split")
    if utterance.via:
        out.append("via")
    if utterance.heading is not None:
        out.append("heading")
    if utterance.short_reference:
        out.append("short_reference")
    if draft.conditions:
        out.append("conditions")
    words = _words([t for t in _tokens(draft) if t.i >= cue.i - 6])
    out += [f"w={w}" for w in set(words)]
    out += [f"cue_w={cue.lemma_.lower()}_{w}" for w in {t.lemma_.lower() for t in cue.children}]
    if draft.source != "rules":
        # A sentence that only names a side: its own weights, and where the side stands in it.
        out = [f"{draft.source}:{name}" for name in out]
        out.append(f"source={draft.source}")
        speaker = utterance.speaker
        mentioned = [t for t in draft.utterance.sentences[0] if t.text in speaker.text.split()]
        out += [f"mention_dep={t.dep_}" for t in mentioned[:1]]
        out += [f"mention_head={t.head.lemma_.lower()}" for t in mentioned[:1]]
    return out


class IssueText:
    """The stems of a draft's texts, for matching issue keywords and descriptions."""

    def __init__(self, draft: ParsedDraft, found: Found) -> None:
        utterance = draft.utterance
        self.utterance = " ".join([utterance.issue_text, *(s.text for s in utterance.sentences[1:])])
        self.region = " ".join(t.text for t in utterance.region)
        self.evidence = evidence_text(draft, found.body)
        self.stems = set(stems(self.evidence))
        self.words = _words(_tokens(draft))


def issue_features(key: str, description: str, text: IssueText, found: Found,
                   rule_keys: set[str], hits: dict[str, dict[str, int]]) -> list[str]:
    """Whether the draft takes a position on the (parent) issue ``key``."""
    out = []
    generic = []
    for where, counter in hits.items():
        count = sum(n for k, n in counter.items() if parent(k) == key)
        if count:
            generic.append(f"kw_{where}={min(count, 2)}")
    if key in rule_keys:
        generic.append("rule")
    others = len(rule_keys - {key})
    generic.append(f"others={min(others, 3)}")
    if description:
        wanted = {s for s in stems(description) if len(s) > 3}
        share = len(wanted & text.stems) / len(wanted) if wanted else 0.0
        generic.append(f"desc={min(int(share * 10), 3)}")
    if key == "other":
        generic.append("catch_all")
    out += generic
    out += [f"{key}|{name}" for name in generic]
    out.append(f"{key}|bias")
    out += [f"{key}|w={w}" for w in set(text.words)]
    return out


def subissue_features(text: IssueText, key: str, found: Found, draft: ParsedDraft,
                      hits: dict[str, dict[str, int]]) -> list[str]:
    """Which kind of a parent issue (``ceasefire`` → permanent, temporary) the draft is about."""
    assert found.context is not None
    out = []
    for where, counter in hits.items():
        for sub, count in counter.items():
            if parent(sub) == key and "/" in sub and count:
                out.append(f"hit_{where}={sub.partition('/')[2]}")
    default = found.context.subissues.get(key)
    if default:
        out.append(f"article={default.partition('/')[2]}")
    for number in range(draft.utterance.paragraph, draft.utterance.paragraph - 3, -1):
        leaning = found.context.leanings.get(number, {}).get(key)
        if leaning:
            out.append(f"near={leaning.partition('/')[2]}")
            break
    for rule in draft.issues:
        if parent(rule) == key and "/" in rule:
            out.append(f"rule={rule.partition('/')[2]}")
    out += [f"w={w}" for w in set(text.words)]
    return out


def date_features(draft: ParsedDraft) -> list[str]:
    """Whether the statement is a background position with no date of its own ("has long
    insisted", "had previously rejected", "last month"): tense, aspect and time words."""
    utterance = draft.utterance
    cue = utterance.date_cue or utterance.cue
    out = [f"basis={draft.date_basis or 'none'}", f"cue_tag={cue.tag_}", f"quote={utterance.quote_type}"]
    for child in cue.children:
        if child.dep_ in ("aux", "auxpass", "advmod", "npadvmod", "neg"):
            out.append(f"{child.dep_}={child.lower_}")
            out.append(f"{child.dep_}_{cue.tag_}={child.lower_}")
    if utterance.relayed:
        out.append("relayed")
    sentence = cue.sent
    out += [f"date={e.text.lower()}" for e in sentence.ents if e.label_ in ("DATE", "TIME")]
    out += [f"w={t.lower_}" for t in sentence
            if t.pos_ in ("ADV", "AUX", "PART") or t.tag_ in ("VBN", "VBD", "VBZ", "VBP", "MD")]
    return out
