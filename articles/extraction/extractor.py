"""The extraction pipeline: paragraphs → attributions → speakers, actors, stance, issues, dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from articles.extraction.actors import actor_index
from articles.extraction.attribution import Attribution, find_attributions
from articles.extraction.cleaning import paragraphs
from articles.extraction.dates import statement_date
from articles.extraction.issues import issue_index
from articles.extraction.pipeline import DEFAULT_MODEL, detect_language, load_pipeline
from articles.extraction.speakers import ArticleMemory, observe, resolve_speaker
from articles.extraction.stance import classify
from articles.extraction.types import ArticleMeta, Candidate, Reference


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
    extra: dict[str, str] = field(default_factory=dict)


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


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
    actors = actor_index(reference)
    issues = issue_index(reference)
    memory = ArticleMemory()
    drafts: list[Draft] = []
    blocks = paragraphs(body)
    docs = nlp.pipe(body[start:end] for start, end in blocks)
    for number, ((offset, _), doc) in enumerate(zip(blocks, docs, strict=True)):
        for attribution in find_attributions(doc):
            span = _trimmed(body, offset + attribution.sentence.start_char,
                            offset + attribution.sentence.end_char)
            if attribution.kind == "continuation":
                previous = drafts[-1] if drafts else None
                if previous is not None and number - previous.paragraph <= 1:
                    previous.spans.append(span)
                    previous.quote_type = "direct"
                    previous.paragraph = number
                    for key in issues.find(attribution.sentence.text):
                        if key not in previous.issues:
                            previous.issues.append(key)
                continue
            draft = _draft(attribution, span, number, meta, actors, issues, memory)
            if draft is not None:
                drafts.append(draft)
        observe(list(doc), actors, memory)
    return [_candidate(draft) for draft in drafts]


def _draft(attribution: Attribution, span: tuple[int, int], number: int, meta: ArticleMeta,
           actors, issues, memory) -> Draft | None:  # type: ignore[no-untyped-def]
    speaker = resolve_speaker(attribution.speaker, actors, memory)
    if not speaker.actor:
        return None
    assert attribution.cue is not None
    stance, conditions = classify(attribution.cue, attribution.region,
                                  speaker_is_subject=attribution.speaker_is_subject)
    found = issues.find(attribution.sentence.text)
    if not found:
        return None
    stated_on, basis = statement_date(attribution.sentence, attribution.cue, meta.published)
    return Draft(
        speaker=speaker.text, actor=speaker.actor, person=speaker.person,
        speaker_kind=speaker.kind, stance=stance, conditions=conditions, issues=found,
        spans=[span], quote_type=attribution.quote_type, stated_on=stated_on,
        date_basis=basis, via=attribution.via, paragraph=number,
    )


def _candidate(draft: Draft) -> Candidate:
    return Candidate(
        speaker=draft.speaker, actor=draft.actor, issues=tuple(draft.issues),
        stance=draft.stance, summary="", spans=tuple(draft.spans), quote_type=draft.quote_type,
        stated_on=draft.stated_on, date_basis=draft.date_basis, via="; ".join(draft.via),
        conditions=draft.conditions, confidence=0.5, person=draft.person,
    )
