"""Attributions in one parsed paragraph: who said something, by which predicate, and what.

Kinds handled: a subject with a speech or position verb ("X said/told Y that", "X rejected",
"X insisted"), a passive agent ("was rejected by X"), "according to X", and a quotation
with no cue of its own that continues the previous speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.quotes import quote_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_SPEAKER_CUT = ("relcl", "acl", "advcl", "punct", "cc", "conj", "prep_with")
_CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "prep", "oprd", "attr", "advcl", "dative", "acomp")


@dataclass
class Attribution:
    sentence: Span
    cue: Token | None
    speaker: list[Token]
    region: list[Token]
    quote_type: str = "reported"
    via: list[str] = field(default_factory=list)
    kind: str = "cue"  # "cue", "according", "continuation"
    speaker_is_subject: bool = True


def _depth(token: Token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token = token.head
        depth += 1
    return depth


def _in_quotes(token: Token, spans: list[tuple[int, int]], base: int) -> bool:
    offset = token.idx - base
    return any(start < offset < end for start, end in spans)


def speaker_tokens(head: Token) -> list[Token]:
    """The speaker's noun phrase around its head, without relative clauses or asides."""
    keep: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        keep.append(token)
        for child in token.children:
            if child.dep_ in ("relcl", "acl", "advcl", "punct", "cc", "conj", "parataxis"):
                continue
            if child.dep_ == "appos" and not (child.ent_type_ == "PERSON" or child.pos_ == "PROPN"):
                continue
            if child.dep_ == "prep" and child.lower_ not in ("of", "for", "from", "at", "in"):
                continue
            if child.dep_ == "amod" and child.i > token.i:  # "official familiar with the talks"
                continue
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    # Keep one contiguous run around the head.
    run = [t for t in keep if True]
    return run


def _is_outlet_tokens(tokens: list[Token]) -> bool:
    words = {t.lower_.strip(".") for t in tokens}
    return bool(words & lx.OUTLETS) or (bool(words & lx.OUTLET_WORDS) and not any(
        t.ent_type_ in ("PERSON",) for t in tokens))


def _phrase(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    return text.strip(" ,;:")


def _via_of(cue: Token, sentence: Span) -> list[str]:
    """Outlets and intermediaries named around the cue: told Reuters, in an interview with CNN."""
    via: list[str] = []
    for child in cue.children:
        if cue.lemma_ == "tell" and child.dep_ in ("dobj", "dative", "iobj"):
            tokens = speaker_tokens(child)
            if _is_outlet_tokens(tokens) or child.ent_type_ == "ORG":
                via.append(_outlet_name(tokens))
        if child.dep_ == "prep" and child.lower_ in ("in", "to", "on"):
            for pobj in child.children:
                if pobj.lemma_ in ("interview", "remark", "comment", "post", "statement",
                                   "broadcast", "message", "speech", "video"):
                    for grand in pobj.subtree:
                        if grand.dep_ in ("pobj", "poss") and grand is not pobj:
                            tokens = speaker_tokens(grand)
                            if _is_outlet_tokens(tokens) or grand.ent_type_ == "ORG":
                                via.append(_outlet_name(tokens))
                                break
                elif pobj.dep_ == "pobj" and _is_outlet_tokens(speaker_tokens(pobj)) and (
                        child.lower_ == "to"):
                    via.append(_outlet_name(speaker_tokens(pobj)))
    # Another reporting verb in the sentence with an outlet subject ("state media reported").
    for token in sentence:
        if token is cue or token.lemma_ not in ("report", "state", "say", "quote", "cite", "carry"):
            continue
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        for subject in subjects:
            tokens = speaker_tokens(subject)
            if _is_outlet_tokens(tokens):
                via.append(_outlet_name(tokens))
        if token.lemma_ in ("cite", "quote") and token.dep_ in ("advcl", "xcomp", "conj"):
            for child in token.children:
                if child.dep_ == "dobj":
                    via.append(_phrase(speaker_tokens(child)))
    return [v for v in dict.fromkeys(via) if v]


def _outlet_name(tokens: list[Token]) -> str:
    words = [t for t in tokens if t.dep_ not in ("det",) and t.lower_ not in ("report", "reports")]
    names = [t for t in words if t.pos_ == "PROPN" or t.lower_.strip(".") in lx.OUTLETS]
    if names and not any(t.lower_ in lx.OUTLET_WORDS for t in words):
        return _phrase(names)
    return _phrase(words)


def _region_for(cue: Token, speaker: list[Token]) -> list[Token]:
    speaker_ids = {t.i for t in speaker}
    region: list[Token] = []
    for child in cue.children:
        if child.i in speaker_ids or child.dep_ in _SUBJECTS:
            continue
        if child.dep_ in _CONTENT_DEPS:
            region.extend(child.subtree)
    region = sorted({t.i: t for t in region}.values(), key=lambda t: t.i)
    return region


def find_attributions(doc: Doc | Span) -> list[Attribution]:
    """Attributions in a parsed paragraph, in reading order.

    Args:
        doc: a parsed paragraph.

    Raises:
        Nothing.
    """
    base = doc[0].idx if len(doc) else 0
    text = doc.text
    spans = quote_spans(text)
    found: list[Attribution] = []
    for sentence in doc.sents:
        attribution = _attribution_in(sentence, spans, base)
        if attribution is not None:
            found.append(attribution)
            continue
        if _mostly_quoted(sentence, spans, base):
            quoted = [t for t in sentence if _in_quotes(t, spans, base)]
            found.append(Attribution(sentence, None, [], quoted, "direct", kind="continuation"))
    return found


def _mostly_quoted(sentence: Span, spans: list[tuple[int, int]], base: int) -> bool:
    words = [t for t in sentence if not t.is_punct]
    if not words:
        return False
    quoted = sum(1 for t in words if _in_quotes(t, spans, base))
    return quoted / len(words) >= 0.6


def _attribution_in(sentence: Span, spans: list[tuple[int, int]], base: int) -> Attribution | None:
    options: list[tuple[int, Attribution]] = []
    for token in sentence:
        if token.pos_ not in ("VERB", "AUX") and token.lemma_ not in ("accord",):
            continue
        if _in_quotes(token, spans, base):
            continue
        lemma = token.lemma_.lower()
        if lemma == "accord" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            objects = [c for c in token.nbor().children if c.dep_ == "pobj"] or [
                c for c in token.children if c.dep_ == "pobj"]
            if not objects:
                continue
            speaker = speaker_tokens(objects[0])
            phrase_ids = {t.i for t in token.subtree} | {t.i for t in token.nbor().subtree}
            region = [t for t in sentence if t.i not in phrase_ids and not t.is_punct]
            quoted = [t for t in region if _in_quotes(t, spans, base)]
            attribution = Attribution(sentence, token, speaker, quoted or region,
                                      "direct" if quoted else "reported",
                                      kind="according", speaker_is_subject=False)
            options.append((_depth(token) + 1, attribution))
            continue
        if lemma not in lx.SPEECH:
            continue
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        agent = [g for c in token.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        if agent and any(c.dep_ == "nsubjpass" for c in token.children):
            subject = agent[0]
        elif subjects and subjects[0].dep_ == "nsubj":
            subject = subjects[0]
        elif token.dep_ in ("xcomp", "conj") and token.head.pos_ in ("VERB", "AUX"):
            # "Hamas refused to accept", "Israel rejected ... and vowed": inherit the subject.
            inherited = [c for c in token.head.children if c.dep_ == "nsubj"]
            if not inherited:
                continue
            subject = inherited[0]
        else:
            continue
        if _in_quotes(subject, spans, base):
            continue
        speaker = speaker_tokens(subject)
        quoted = [t for t in sentence if _in_quotes(t, spans, base)]
        speaker_ids = {t.i for t in speaker}
        if quoted and not any(t.i in speaker_ids for t in quoted):
            region, quote_type = quoted, "direct"
        else:
            region, quote_type = _region_for(token, speaker), "reported"
        attribution = Attribution(sentence, token, speaker, region, quote_type,
                                  via=_via_of(token, sentence))
        options.append((_depth(token), attribution))
    if not options:
        return None
    options.sort(key=lambda item: item[0])
    best = options[0][1]
    # "according to" with an outlet is a link in the chain, not the speaker, when a real
    # speaker is also named ("X said, according to Reuters").
    if best.kind == "according" and _is_outlet_tokens(best.speaker) and len(options) > 1:
        second = options[1][1]
        second.via = [*second.via, _outlet_name(best.speaker)]
        return second
    return best
