"""The extraction pipeline: paragraphs → attributions → utterances → drafts.

One pass over the paragraphs, in order, finds attributions and resolves their speakers
while the article's memory (who was named so far) is as a reader's would be at that point;
each attributed speaker's words make an ``Utterance``. Quotations without a cue of their own
join the utterance they continue. A second pass reads the stance (one draft per separate
act), issues and dates of each utterance over all its sentences, then merges drafts a reader
sees as one statement: a speaker's follow-up ("…," he said) with the same stance, and a lead
sentence that names no issue with the detailed statement after it.

Names: an ``Utterance`` is who said what, before any reading; a ``ParsedDraft`` is one
draft statement still tied to its utterance's parse (what the learned decisions read);
``to_draft`` turns it into the plain ``types.Draft`` that ``extract`` returns and that the
caller stores as a ``Statement`` with the draft status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from articles.extraction.actors import ActorIndex, ActorMention, actor_index
from articles.extraction.attribution import Attribution, dateline_end, find_attributions
from articles.extraction.cleaning import paragraphs
from articles.extraction.confidence import score
from articles.extraction.dates import dateline_date, statement_date
from articles.extraction.issues import IssueIndex, issue_index
from articles.extraction.learning.decide import decide
from articles.extraction.learning.weights import Weights, shipped_weights
from articles.extraction.lexicon import words
from articles.extraction.pipeline import DEFAULT_MODEL, detect_language, load_pipeline
from articles.extraction.proposal_linker import link_drafts
from articles.extraction.relay import relay
from articles.extraction.speakers import ArticleMemory, Speaker, observe, resolve_speakers
from articles.extraction.stance import PRIORITY, classify_acts
from articles.extraction.types import ArticleMeta, Draft, Reference

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from articles.extraction.grammar import OwnSide

_STATISTIC_LEMMAS = words("kill die dead remain injure wound death toll casualty")
_OWN_WORDS = words("""
we i they he she us our group movement government office cabinet country side
administration ministry army military leadership delegation organisation organization
""")
_OCCASIONS = words("speak address visit meet travel attend arrive return stand")
_CIRCUMSTANCE = words("in at after before during while since following amid ahead near")
_SAY = words("say add tell continue note write stress state explain insist argue")


@dataclass
class Utterance:
    """One speaker's attributed words: the speaker, the predicate and every sentence they span."""

    speaker: Speaker
    cue: Token
    region: list[Token]
    sentences: list[Span]
    spans: list[tuple[int, int]]
    paragraph: int
    last_paragraph: int
    quote_type: str
    via: list[str]
    speaker_is_subject: bool = True
    more: list[tuple[Token, list[Token]]] = field(default_factory=list)
    relayed: bool = False
    short_reference: bool = False  # "he", "Nono", "the official": a follow-up mention
    extra_regions: list[list[Token]] = field(default_factory=list)
    heading: tuple[int, int] | None = None
    # What the heading itself attributes to the same side ("Hamas says it accepts truce").
    heading_utterances: list[Utterance] = field(default_factory=list)
    relayer: Speaker | None = None
    date_cue: Token | None = None  # the attribution's own verb: a relay is dated by it
    issue_text: str = ""  # the sentences without the speaker's own name and title


@dataclass
class ParsedDraft:
    """A draft statement while extraction works on it: one act of an utterance, with its parse."""

    utterance: Utterance
    stance: str
    conditions: str
    issues: list[str]
    spans: list[tuple[int, int]]
    stated_on: date | None
    date_basis: str
    confidence: float = 0.5
    split: bool = False  # one of several acts in one utterance
    # "rules": an attribution the rules read; "mention": a sentence that only names a side,
    # kept only where a trained model says so.
    source: str = "rules"


@dataclass
class Context:
    body: str
    meta: ArticleMeta
    actors: ActorIndex
    issues: IssueIndex
    memory: ArticleMemory
    subissues: dict[str, str]
    base: date | None = None  # the dateline's day, when relative days count from it
    # Per paragraph, the sub-issue it leans to ("the truce" near "a four-day pause").
    leanings: dict[int, dict[str, str]] = field(default_factory=dict)
    # Every parsed paragraph: (number, offset in the body, its parse).
    parsed: list[tuple[int, int, Doc]] = field(default_factory=list)


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) <= 20 and not re.search(r"[.!?\"”’']\s*$", stripped)


@dataclass
class Found:
    """What the rules found in one article: its drafts, before any learned decision."""

    body: str
    meta: ArticleMeta
    reference: Reference
    drafts: list[ParsedDraft]
    context: Context | None = None


def find_drafts(body: str, meta: ArticleMeta, reference: Reference, *,
                pipeline: str = DEFAULT_MODEL, language: str | None = None) -> Found:
    """The rules' draft statements of an article, drafts without an issue included.

    Args:
        body: the article text (front matter removed); spans index into it.
        meta: title, outlet, url and publication date.
        reference: actors, people and issues of the negotiation.
        pipeline: the spaCy pipeline package to parse with.
        language: the body's language code when the caller has detected it already.

    Raises:
        OSError: the spaCy pipeline package is not installed.
    """
    if not body.strip() or (language or detect_language(body)) != "en":
        return Found(body, meta, reference, [])
    nlp = load_pipeline(pipeline)
    issues = issue_index(reference)
    context = Context(body, meta, actor_index(reference), issues, ArticleMemory(),
                      issues.default_subissues(f"{meta.title}\n{body}"),
                      dateline_date(body, meta.published))
    utterances = _utterances(nlp, context)
    drafts = [draft for utterance in utterances for draft in _drafts(utterance, context)]
    _context_dates(drafts)
    drafts = _merge(drafts)
    return Found(body, meta, reference, drafts + mention_drafts(context, drafts), context)


def extract(body: str, meta: ArticleMeta, reference: Reference, *,
            weights: Weights | None = None, pipeline: str = DEFAULT_MODEL,
            language: str | None = None) -> list[Draft]:
    """Find draft position statements in an article body.

    Args:
        body: the article text (front matter removed); spans index into it.
        meta: title, outlet, url and publication date.
        reference: actors, people and issues of the negotiation.
        weights: the trained model that decides; default the shipped one (without any,
            the rules decide alone).
        pipeline: the spaCy pipeline package to parse with.
        language: the body's language code when the caller has detected it already
            (``detect_language``); detected here otherwise. Only English is read.

    Raises:
        OSError: the spaCy pipeline package is not installed.
    """
    found = find_drafts(body, meta, reference, pipeline=pipeline, language=language)
    model = weights or shipped_weights()
    drafts = rules_only(found) if model is None else [
        to_draft(draft) for draft in decide(found, model)]
    # Which proposal each statement is about (nothing when the negotiation lists none).
    return link_drafts(body, meta, reference, drafts)


def rules_only(found: Found) -> list[Draft]:
    """The rules' own answer: drafts that name an issue, with a hand-set confidence (what
    extraction gives without a trained model, and what the rules' tests check)."""
    drafts = [draft for draft in found.drafts if draft.source == "rules" and draft.issues]
    for draft in drafts:
        draft.confidence = score(draft)
    date_continuations(drafts, found.context)
    return [to_draft(draft) for draft in drafts]


def mention_drafts(context: Context, drafts: list[ParsedDraft]) -> list[ParsedDraft]:
    """Drafts for sentences no attribution covers whose subject is a side ("Israel withdrew
    its delegation", "Hamas's reply demanded"): the side as speaker, the verb it is the
    subject of as the predicate. Most are narration;
    the trained keep model tells which are positions ("Israel withdrew its delegation")."""
    covered = [span for draft in drafts for span in draft.spans]
    found: list[ParsedDraft] = []
    for number, offset, doc in context.parsed:
        for sentence in doc.sents:
            span = _trimmed(context.body, offset + sentence.start_char, offset + sentence.end_char)
            if span[1] - span[0] < 20 or any(s < span[1] and span[0] < e for s, e in covered):
                continue
            for speaker, tokens in _sides_named(sentence, context):
                head = min(tokens, key=lambda t: len(list(t.ancestors)))
                subject = head if head.dep_ in ("nsubj", "nsubjpass") else head.head
                if subject.dep_ not in ("nsubj", "nsubjpass"):
                    continue  # a side named as an object or in passing acts in no position
                cue = next((t for t in (head, *head.ancestors) if t.pos_ in ("VERB", "AUX")),
                           sentence.root)
                ids = {t.i for t in tokens}
                utterance = Utterance(
                    speaker=speaker, cue=cue, region=[t for t in sentence if t.i not in ids],
                    sentences=[sentence], spans=[span], paragraph=number, last_paragraph=number,
                    quote_type="direct" if any(t.is_quote for t in sentence) else "reported",
                    via=[], speaker_is_subject=subject is head,
                    date_cue=cue, issue_text=sentence.text)
                for draft in _drafts(utterance, context):
                    draft.source = "mention"
                    found.append(draft)
    return found


def _sides_named(sentence: Span, context: Context) -> list[tuple[Speaker, list[Token]]]:
    """Each side a sentence names (by name, alias, adjective or a known person), first
    mention first, with the mention's tokens."""
    base = sentence.start_char
    mentions = [(m.start, m.end, m.actor, "", m.kind) for m in context.actors.actor_mentions(sentence.text)]
    mentions += [(start, end, person.actor, person.name, "person")
                 for start, end, person in context.actors.person_mentions(sentence.text)]
    sides: dict[str, tuple[Speaker, list[Token]]] = {}
    for start, end, actor, person, kind in sorted(mentions):
        if actor in sides or actor not in context.actors.actors:
            continue
        tokens = [t for t in sentence if start <= t.idx - base < end]
        if tokens:
            text = sentence.text[start:end]
            sides[actor] = (Speaker(text=text, actor=actor, person=person, kind=f"mention-{kind}"),
                            tokens)
    return list(sides.values())


def _utterances(nlp: Language, context: Context) -> list[Utterance]:
    body = context.body
    blocks = paragraphs(body)
    utterances: list[Utterance] = []
    last: Utterance | None = None
    heading: tuple[int, int] | None = None
    heading_utterances: list[Utterance] = []
    for number, ((offset, end), doc) in enumerate(
            zip(blocks, nlp.pipe(body[s:e] for s, e in blocks), strict=True)):
        context.leanings[number] = context.issues.leaning(body[offset:end])
        context.parsed.append((number, offset, doc))
        if _is_heading(body[offset:end]):
            # A live-blog heading or subtitle summarises the paragraph under it.
            heading = (offset, end)
            heading_utterances = [
                utterance for attribution in find_attributions(doc)
                if attribution.kind != "continuation"
                for utterance in _new_utterances(attribution, (offset, end), number, context)]
            continue
        first = len(utterances)
        sentences = list(doc.sents)
        named = context.actors.actor_mentions(doc.text)

        def observed(sentence: Span, named: list[ActorMention] = named) -> None:
            actors = [m.actor for m in named
                      if sentence.start_char <= m.start < sentence.end_char]
            observe(list(sentence), context.actors, context.memory, actors)

        seen = 0
        for attribution in find_attributions(doc):
            sentence = attribution.sentence
            begin = attribution.lead[0].start if attribution.lead else sentence.start
            while seen < len(sentences) and sentences[seen].end <= begin:
                # Earlier sentences of the paragraph tell who "he" and "the group" are.
                observed(sentences[seen])
                seen += 1
            start = attribution.lead[0].start_char if attribution.lead else sentence.start_char
            span = _trimmed(body, offset + start, offset + sentence.end_char)
            if attribution.kind == "continuation":
                if last is not None and number - last.last_paragraph <= 1:
                    _continue(last, attribution, span, number, utterances)
                continue
            created = _new_utterances(attribution, span, number, context)
            utterances.extend(created)
            last = created[-1] if created else None
        if heading is not None and len(utterances) > first:
            utterances[first].heading = heading
            utterances[first].heading_utterances = [
                h for h in heading_utterances
                if h.speaker.actor == utterances[first].speaker.actor]
        heading = None
        heading_utterances = []
        for rest in sentences[seen:]:
            observed(rest)
    return utterances


def _continue(last: Utterance, attribution: Attribution, span: tuple[int, int], number: int,
              utterances: list[Utterance]) -> None:
    if last.relayed and last.relayer is not None and last.relayer.actor:
        # The relayer's own words after relaying another side's position are the relayer's.
        root = attribution.sentence.root
        utterances.append(Utterance(
            speaker=last.relayer, cue=root, region=attribution.region,
            sentences=[attribution.sentence], spans=[span], paragraph=number,
            last_paragraph=number, quote_type="direct", via=last.via[1:],
            speaker_is_subject=False))
        return
    last.sentences.append(attribution.sentence)
    last.spans.append(span)
    last.extra_regions.append(attribution.region)
    last.last_paragraph = number
    if not last.relayed:
        last.quote_type = "direct"


def _new_utterances(attribution: Attribution, span: tuple[int, int], number: int,
                    context: Context) -> list[Utterance]:
    assert attribution.cue is not None
    created: list[Utterance] = []
    seen: set[str] = set()
    resolved = [(index, tokens, speaker)
                for index, tokens in enumerate([attribution.speaker, *attribution.co_speakers])
                for speaker in resolve_speakers(tokens, context.actors, context.memory,
                                                attribution.titles if index == 0 else None)]
    actors = list(dict.fromkeys(speaker.actor for _, _, speaker in resolved if speaker.actor))
    if len(actors) >= 2:
        context.memory.last_pair = [speaker for _, _, speaker in resolved if speaker.actor]
    for index, tokens, speaker in resolved:
        base = Utterance(
            speaker=speaker, cue=attribution.cue, region=attribution.region,
            sentences=[*attribution.lead, attribution.sentence], spans=[span],
            paragraph=number, last_paragraph=number, quote_type=attribution.quote_type,
            via=list(attribution.via), speaker_is_subject=attribution.speaker_is_subject,
            more=attribution.more if index == 0 else [],
            short_reference=len([t for t in tokens if not t.is_punct]) <= 2
            and speaker.kind in ("pronoun", "description", "known"),
            date_cue=attribution.cue,
            issue_text=_issue_text(attribution),
        )
        utterances = [base]
        relayed = relay(attribution.cue, attribution.quote_type, speaker, context.actors,
                        context.memory)
        if relayed is not None:
            holders, predicate = relayed
            region = sorted((t for c in predicate.children if c.dep_ not in ("nsubj", "nsubjpass")
                             for t in c.subtree), key=lambda t: t.i)
            link = speaker.person or attribution.speaker_full or speaker.text
            via = [link, *base.via] if link else base.via
            utterances = [replace(base, speaker=holder, cue=predicate, region=region, more=[],
                                  via=list(via), relayed=True, relayer=speaker,
                                  short_reference=False, spans=list(base.spans),
                                  sentences=list(base.sentences), extra_regions=[])
                          for holder in holders]
        for utterance in utterances:
            if not utterance.speaker.actor or utterance.speaker.actor in seen:
                continue
            seen.add(utterance.speaker.actor)
            created.append(utterance)
    return created


def _issue_text(attribution: Attribution) -> str:
    """What was said, for issue keywords: the sentences minus who said it ("a source briefed
    on the talks" does not make a statement about the talks)."""
    skip = {t.i for tokens in (attribution.speaker, *attribution.co_speakers) for t in tokens}
    sentence = attribution.sentence
    for token in sentence:
        # "according to people close to the negotiators" names a source, not an issue.
        if token.lemma_ == "accord" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            skip |= {t.i for t in token.subtree} | {t.i for t in token.nbor().subtree}
    cue = attribution.cue
    if cue is not None and attribution.kind == "cue":
        region = {t.i for t in attribution.region}
        for child in cue.children:
            # The circumstances of saying ("after a cabinet session", "in Cairo", "on a visit
            # to the border") are not what was said.
            circumstance = child.dep_ == "npadvmod" or (
                child.dep_ == "prep" and child.lower_ in _CIRCUMSTANCE) or (
                child.dep_ == "advcl" and (child.lemma_ in _OCCASIONS or any(
                    c.dep_ == "mark" for c in child.children)))
            if circumstance and child.i not in region:
                skip |= {t.i for t in child.subtree}
    kept = "".join(t.text_with_ws for t in sentence if t.i not in skip)
    return " ".join([*(lead.text for lead in attribution.lead), kept])


def _sub_issue(key: str, utterance: Utterance, context: Context) -> str:
    """A parent issue named without its kind takes the kind its paragraph or the two before
    it lean to, else the kind the whole article leans to."""
    for number in range(utterance.paragraph, utterance.paragraph - 3, -1):
        leaning = context.leanings.get(number, {}).get(key)
        if leaning:
            return leaning
    return context.subissues.get(key, key)


def own_side(speaker: Speaker, context: Context) -> OwnSide:
    """A test whether a subject is the speaker's own side: "we", "the group", its name."""

    def own(subject: Token | None) -> bool:
        if subject is None:
            return True
        if subject.lower_ in _OWN_WORDS:
            return True
        if subject.lower_ == "it":
            # "it" is the speaking organisation, or for a person most often a thing.
            return not speaker.person and speaker.kind != "pronoun"
        actor = context.actors.actor(speaker.actor)
        if subject.lemma_.lower() == "mediator" and actor is not None and actor.role == "mediator":
            return True
        if any(c.dep_ == "poss" and (c.lower_ in ("its", "our", "their", "his", "her", "my")
                                     or c.lower_ in _OWN_WORDS) for c in subject.children):
            return True  # "its leader", "our fighters", "the group's reply"
        start = dateline_end(subject.sent)
        phrase = " ".join(t.text for t in subject.subtree if t.i >= start)
        mentions = context.actors.actor_mentions(phrase)
        if mentions:
            return mentions[0].actor == speaker.actor
        people = context.actors.person_mentions(phrase)
        if people:
            return people[0][2].actor == speaker.actor
        return bool(speaker.text) and subject.text.lower() in speaker.text.lower()

    return own


def _is_statistic(utterance: Utterance) -> bool:
    tokens = [t for sentence in utterance.sentences for t in sentence]
    return any(t.like_num and t.ent_type_ in ("CARDINAL", "") for t in tokens) and any(
        t.lemma_.lower() in _STATISTIC_LEMMAS for t in tokens) and not any(
        t.lower_ in ("must", "should", "will", "would", "demand", "until", "unless")
        for t in tokens)


def _drafts(utterance: Utterance, context: Context) -> list[ParsedDraft]:
    if _is_statistic(utterance):
        return []
    own = own_side(utterance.speaker, context)
    acts = classify_acts(
        utterance.cue, utterance.region, speaker_is_subject=utterance.speaker_is_subject,
        own=own, more=utterance.more)
    for heading in utterance.heading_utterances:
        # A heading that attributes a stronger act to the same side ("Hamas accepts truce
        # plan") says what the paragraph under it amounts to.
        stance, conditions = classify_acts(heading.cue, heading.region, own=own)[0]
        if len(acts) == 1 and PRIORITY[stance] < PRIORITY[acts[0][0]]:
            acts = [(stance, conditions)]
    lead = len(utterance.sentences) - 1 - len(utterance.extra_regions)
    text = " ".join([utterance.issue_text or utterance.sentences[lead].text,
                     *(sentence.text for sentence in utterance.sentences[lead + 1:])])
    found = [_sub_issue(key, utterance, context) for key in context.issues.find(text)]
    cue = utterance.date_cue or utterance.cue
    stated_on, basis = statement_date(cue.sent, cue, context.meta.published, context.base)
    if basis == "publication":
        # A day named in the lead sentence or heading dates the statement it introduces.
        for heading in utterance.heading_utterances:
            cue_of = heading.date_cue or heading.cue
            day, head_basis = statement_date(cue_of.sent, cue_of, context.meta.published,
                                             context.base)
            if head_basis in ("relative", "explicit"):
                stated_on, basis = day, head_basis
                break
        for sentence in utterance.sentences if basis == "publication" else ():
            if sentence.start != cue.sent.start:
                day, lead_basis = statement_date(sentence, None, context.meta.published,
                                                 context.base)
                if lead_basis in ("relative", "explicit"):
                    stated_on, basis = day, lead_basis
                    break
    spans = list(utterance.spans)
    if utterance.heading is not None:
        spans.insert(0, utterance.heading)
    drafts = []
    for stance, conditions in acts:
        drafts.append(ParsedDraft(utterance, stance, conditions, list(found), list(spans), stated_on,
                            basis))
    if len(drafts) > 1:
        for draft in drafts:
            draft.split = True
    return drafts


# How far back a statement with no day of its own looks for the dated one it continues.
_CONTINUES_WITHIN = 10  # sentences back, in its paragraph and the few before
_CONTINUES_PARAGRAPHS = 8


def date_continuations(drafts: list[ParsedDraft], context: Context | None) -> None:
    """Date each draft that has no day of its own (dated by publication) by the dated
    statement it continues, if any (``_continued_day``). The last step of extraction, after
    the learned decisions: they were trained on the rules' own dating."""
    if context is None:
        return
    for draft in drafts:
        if draft.date_basis == "publication":
            continued = _continued_day(draft.utterance, context)
            if continued is not None:
                draft.stated_on, draft.date_basis = continued


def _continued_day(utterance: Utterance, context: Context) -> tuple[date, str] | None:
    """The day of the dated statement this one continues ("he added", a quote after "met
    the mediators on Wednesday"): from the nearest sentence before it (at most
    ``_CONTINUES_WITHIN`` back, within ``_CONTINUES_PARAGRAPHS`` paragraphs) that names a
    day, if that sentence also names the speaker's side or one of its people. None if there
    is none, or if the nearest day is someone else's.

    A wrong day costs little: a statement dated by publication is right within two days.
    """
    first = utterance.sentences[0]
    earlier = [s for s in first.doc.sents if s.end <= first.start][::-1]
    for number, _, doc in reversed(context.parsed):
        if utterance.paragraph - _CONTINUES_PARAGRAPHS <= number < utterance.paragraph:
            earlier += list(doc.sents)[::-1]
    side = utterance.speaker.actor
    for sentence in earlier[:_CONTINUES_WITHIN]:
        day, basis = statement_date(sentence, None, context.meta.published, context.base)
        if day is None or basis not in ("relative", "explicit"):
            continue
        text = sentence.text
        if any(m.actor == side for m in context.actors.actor_mentions(text)) or any(
                person.actor == side for *_, person in context.actors.person_mentions(text)):
            return day, "context"
        return None
    return None


def _merge(drafts: list[ParsedDraft]) -> list[ParsedDraft]:
    merged: list[ParsedDraft] = []
    for draft in drafts:
        previous = merged[-1] if merged else None
        if previous is not None and not (previous.split or draft.split) and (
                previous.spans[-1] == draft.spans[0]) and _same_speaker(previous, draft) and not (
                previous.utterance.relayed or draft.utterance.relayed):
            # Two predicates of one speaker in one sentence ("argued X, and he vowed Y").
            if PRIORITY[draft.stance] < PRIORITY[previous.stance]:
                previous.stance, previous.conditions = draft.stance, draft.conditions
            continue
        if previous is not None and not (previous.split or draft.split) and _continues(
                previous, draft):
            previous.spans.extend(draft.spans)
            previous.utterance.last_paragraph = draft.utterance.last_paragraph
            if previous.stance == "assess":
                previous.stance, previous.conditions = draft.stance, draft.conditions
            for key in draft.issues:
                if key not in previous.issues and key.rpartition("/")[0] not in previous.issues:
                    previous.issues.append(key)
            if not previous.utterance.relayed and draft.utterance.quote_type == "direct":
                previous.utterance.quote_type = "direct"
            continue
        if previous is not None and not (previous.split or draft.split) and (
                _introduces(previous, draft)):
            # A lead that names no issue, then the statement it introduces.
            merged.pop()
            draft.spans[:0] = previous.spans
            if PRIORITY[previous.stance] < PRIORITY[draft.stance]:
                draft.stance, draft.conditions = previous.stance, previous.conditions
            draft.stated_on = draft.stated_on or previous.stated_on
        merged.append(draft)
    return merged



def _context_dates(drafts: list[ParsedDraft]) -> None:
    """A follow-up with no day of its own ("the office said", "he added") takes the day of
    the dated statement it continues."""
    dated: dict[str, ParsedDraft] = {}
    for draft in drafts:
        utterance = draft.utterance
        actor = utterance.speaker.actor
        previous = dated.get(actor)
        if draft.date_basis in ("relative", "explicit"):
            dated[actor] = draft
            continue
        if draft.date_basis != "publication" or previous is None:
            continue
        near = utterance.paragraph - previous.utterance.last_paragraph <= 2
        follow_up = utterance.short_reference or utterance.speaker.kind in ("description", "pronoun")
        if near and follow_up and _same_speaker(previous, draft):
            draft.stated_on, draft.date_basis = previous.stated_on, "context"


def _introduces(previous: ParsedDraft, draft: ParsedDraft) -> bool:
    """A lead sentence for the statement after it: it names no issue, or it is a short
    report that a quotation of the same side then spells out ("Hamas confirmed the
    extension. "…," a Hamas official said")."""
    first, second = previous.utterance, draft.utterance
    if first.relayed or second.relayed or second.paragraph - first.last_paragraph > 1:
        return False
    if not previous.issues:
        # A short lead ("The envoy called it a turning point."), not a full statement.
        sentence = first.sentences[-1]
        core = [t for t in sentence if not t.is_punct and t.i >= first.cue.i - 3]
        return _same_speaker(previous, draft) and len(core) <= 12
    same_side = first.speaker.actor == second.speaker.actor and (
        not first.speaker.person or not second.speaker.person
        or first.speaker.person == second.speaker.person)
    return (same_side and second.paragraph == first.last_paragraph
            and first.quote_type == "reported" and second.quote_type == "direct"
            and len(first.sentences) == 1 and len(first.sentences[0]) <= 12)


def _same_speaker(first: ParsedDraft, second: ParsedDraft) -> bool:
    a, b = first.utterance.speaker, second.utterance.speaker
    if a.actor != b.actor:
        return False
    return (a.person == b.person) if (a.person or b.person) else True


def _trailing_cue(utterance: Utterance) -> bool:
    """The attribution follows what was said ("…," he said): a follow-up, not a new act."""
    region = [t for t in utterance.region if not t.is_punct]
    return bool(region) and utterance.cue.i > region[len(region) // 2].i


def _continues(previous: ParsedDraft, draft: ParsedDraft) -> bool:
    """A follow-up of the previous statement by the same speaker, named briefly."""
    utterance = draft.utterance
    if utterance.relayed or previous.utterance.relayed or not utterance.short_reference:
        return False
    if utterance.paragraph - previous.utterance.last_paragraph > 1:
        return False
    if not _same_speaker(previous, draft) or not previous.issues:
        return False
    if previous.stance == draft.stance:
        return True
    return utterance.quote_type == "direct" and _trailing_cue(utterance) and (
        utterance.cue.lemma_.lower() in _SAY)


_SUMMARY_LENGTH = 220


def _summary(draft: ParsedDraft) -> str:
    """A starting point for the editor's paraphrase: the predicate and what was said."""
    utterance = draft.utterance
    tokens = utterance.region if utterance.quote_type == "direct" else (
        utterance.cue, *utterance.region)
    words = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    pieces = []
    for previous, token in zip([None, *words], words, strict=False):
        if previous is not None and token.i != previous.i + 1 and not previous.whitespace_:
            pieces.append(" ")  # tokens that were not adjacent in the text
        pieces.append(token.whitespace_ if token.is_quote else token.text_with_ws)
    text = "".join(pieces)
    text = text.strip(" ,.;:")
    text = " ".join(text.split())
    if len(text) > _SUMMARY_LENGTH:
        text = text[:_SUMMARY_LENGTH].rsplit(" ", 1)[0] + " …"
    return f"{utterance.speaker.actor} ({draft.stance}): {text}" if text else ""


def to_draft(draft: ParsedDraft) -> Draft:
    """The plain draft that ``extract`` returns, without the parse."""
    utterance = draft.utterance
    return Draft(
        speaker=utterance.speaker.text, actor=utterance.speaker.actor,
        issues=tuple(draft.issues), stance=draft.stance, summary=_summary(draft),
        spans=tuple(draft.spans), quote_type=utterance.quote_type,
        stated_on=draft.stated_on, date_basis=draft.date_basis,
        via="; ".join(utterance.via), conditions=draft.conditions,
        confidence=draft.confidence, person=utterance.speaker.person,
    )
