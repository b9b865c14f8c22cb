"""The extraction pipeline: paragraphs → attributions → speakers, actors, stance, issues, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from articles.extraction.actors import ActorIndex, actor_index
from articles.extraction.attribution import Attribution, find_attributions
from articles.extraction.cleaning import paragraphs
from articles.extraction.dates import statement_date
from articles.extraction.issues import IssueIndex, issue_index
from articles.extraction.lexicon import words
from articles.extraction.pipeline import DEFAULT_MODEL, detect_language, load_pipeline
from articles.extraction.relay import relay
from articles.extraction.speakers import ArticleMemory, Speaker, observe, resolve_speaker
from articles.extraction.stance import classify
from articles.extraction.types import ArticleMeta, Candidate, Reference

if TYPE_CHECKING:
    from spacy.tokens import Token

_STATISTIC_LEMMAS = words("""
kill die dead remain injure wound death toll casualty
""")


@dataclass
class Draft:
    speaker: str
    actor: str
    person: str
    speaker_kind: str
    stance: str
    conditions: str
    issues: list[str]
    spans: list[tuple[int, int]]
    quote_type: str
    stated_on: date | None
    date_basis: str
    via: list[str]
    paragraph: int
    relayed: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    body: str
    meta: ArticleMeta
    actors: ActorIndex
    issues: IssueIndex
    memory: ArticleMemory
    subissues: dict[str, str]


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) <= 20 and not re.search(r"[.!?\"”’']\s*$", stripped)


def extract(body: str, meta: ArticleMeta, reference: Reference, *,
            model: str = DEFAULT_MODEL) -> list[Candidate]:
    """Find draft position statements in an article body.

    Args:
        body: the article text (front matter removed); spans index into it.
        meta: title, outlet, url and publication date.
        reference: actors, people and issues of the negotiation.
        model: the spaCy pipeline package to parse with.

    Raises:
        OSError: the spaCy pipeline package is not installed.
    """
    if not body.strip() or detect_language(body) != "en":
        return []
    nlp = load_pipeline(model)
    issues = issue_index(reference)
    context = Context(body, meta, actor_index(reference), issues, ArticleMemory(),
                      issues.default_subissues(f"{meta.title}\n{body}"))
    drafts: list[Draft] = []
    blocks = paragraphs(body)
    heading: tuple[int, int] | None = None
    docs = nlp.pipe(body[start:end] for start, end in blocks)
    for number, ((offset, end), doc) in enumerate(zip(blocks, docs, strict=True)):
        if _is_heading(body[offset:end]):
            # A live-blog heading or subtitle summarises the paragraph under it.
            heading = (offset, end)
            continue
        first_of_paragraph = len(drafts)
        for attribution in find_attributions(doc):
            _add(attribution, number, offset, context, drafts)
        if heading is not None and len(drafts) > first_of_paragraph:
            drafts[first_of_paragraph].spans.insert(0, heading)
        heading = None
        observe(list(doc), context.actors, context.memory)
    return [_candidate(draft) for draft in drafts]


def _add(attribution: Attribution, number: int, offset: int, context: Context,
         drafts: list[Draft]) -> None:
    body = context.body
    sentence = attribution.sentence
    start = sentence.start_char
    if attribution.lead:
        start = attribution.lead[0].start_char
    span = _trimmed(body, offset + start, offset + sentence.end_char)
    if attribution.kind == "continuation":
        previous = drafts[-1] if drafts else None
        if previous is not None and number - previous.paragraph <= 1:
            previous.spans.append(span)
            if not previous.relayed:
                previous.quote_type = "direct"
            previous.paragraph = number
            for key in context.issues.find(sentence.text):
                if key not in previous.issues and key.rpartition("/")[0] not in previous.issues:
                    previous.issues.append(key)
        return
    assert attribution.cue is not None
    speakers = [attribution.speaker, *attribution.co_speakers]
    seen: set[str] = set()
    for tokens in speakers:
        speaker = resolve_speaker(tokens, context.actors, context.memory)
        draft = _draft(attribution, speaker, span, number, context)
        if draft is not None and draft.actor not in seen:
            seen.add(draft.actor)
            drafts.append(draft)


_OWN_WORDS = words("""
we i it they he she us our group movement government office cabinet country side
administration ministry army military leadership delegation organisation organization
""")


def _own_side(speaker: Speaker, context: Context):  # type: ignore[no-untyped-def]
    """A test whether a subject is the speaker's own side: "we", "the group", its name."""

    def own(subject: Token | None) -> bool:
        if subject is None:
            return True
        if subject.lower_ in _OWN_WORDS:
            return True
        phrase = " ".join(t.text for t in subject.subtree)
        mentions = context.actors.actor_mentions(phrase)
        if mentions:
            return mentions[0].actor == speaker.actor
        people = context.actors.person_mentions(phrase)
        if people:
            return people[0][2].actor == speaker.actor
        return bool(speaker.text) and subject.text.lower() in speaker.text.lower()

    return own


def _is_statistic(region: list[Token]) -> bool:
    return any(t.like_num for t in region) and any(
        t.lemma_.lower() in _STATISTIC_LEMMAS for t in region) and not any(
        t.lower_ in ("must", "should", "will", "would", "demand", "until", "unless") for t in region)


def _draft(attribution: Attribution, speaker: Speaker, span: tuple[int, int], number: int,
           context: Context) -> Draft | None:
    assert attribution.cue is not None
    cue, region = attribution.cue, attribution.region
    via = list(attribution.via)
    relayed = relay(cue, attribution.quote_type, speaker, context.actors, context.memory)
    if relayed is not None:
        holder, predicate = relayed
        via = [speaker.text, *via] if speaker.text else via
        speaker = holder
        cue = predicate
        region = sorted((t for c in predicate.children if c.dep_ not in ("nsubj", "nsubjpass")
                         for t in c.subtree), key=lambda t: t.i)
    if not speaker.actor:
        return None
    if _is_statistic(region):
        return None
    more = [] if relayed is not None else attribution.more
    stance, conditions = classify(cue, region, speaker_is_subject=attribution.speaker_is_subject,
                                  own=_own_side(speaker, context), more=more)
    text = " ".join(s.text for s in attribution.lead) + " " + attribution.sentence.text
    found = context.issues.find(text)
    if not found:
        return None
    found = [context.subissues.get(key, key) for key in found]
    stated_on, basis = statement_date(attribution.sentence, attribution.cue, context.meta.published)
    return Draft(
        speaker=speaker.text, actor=speaker.actor, person=speaker.person,
        speaker_kind=speaker.kind, stance=stance, conditions=conditions, issues=found,
        spans=[span], quote_type=attribution.quote_type, stated_on=stated_on,
        date_basis=basis, via=via, paragraph=number, relayed=relayed is not None,
    )


def _candidate(draft: Draft) -> Candidate:
    return Candidate(
        speaker=draft.speaker, actor=draft.actor, issues=tuple(draft.issues),
        stance=draft.stance, summary="", spans=tuple(draft.spans), quote_type=draft.quote_type,
        stated_on=draft.stated_on, date_basis=draft.date_basis, via="; ".join(draft.via),
        conditions=draft.conditions, confidence=0.5, person=draft.person,
    )
