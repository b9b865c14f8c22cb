"""Attributions in one parsed paragraph: who said something, by which predicate, and what.

Kinds handled: a subject with a speech or position verb ("X said/told Y that", "X rejected",
"X insisted"), a passive agent ("was rejected by X"), "according to X", and a quotation
with no cue of its own that continues the previous speaker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.grammar import names_requirement, phrase_text, ultimatum
from articles.extraction.quotes import quote_spans

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
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
    # Quoted sentences before the cue's sentence that belong to the same quotation.
    lead: list[Span] = field(default_factory=list)
    # Further speakers joined to the first ("Hamas and Islamic Jihad rejected").
    co_speakers: list[list[Token]] = field(default_factory=list)
    # Appositive descriptions of the speaker ("Jihad Taha, a Hamas spokesman"): they tell the
    # side, not the name.
    titles: list[Token] = field(default_factory=list)
    # The speaker's whole phrase with its modifiers ("an official close to the talks"), as a
    # link in a reporting chain names it.
    speaker_full: str = ""
    # Other predicates of the same speaker in the sentence, with their regions.
    more: list[tuple[Token, list[Token]]] = field(default_factory=list)


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
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
    kept = {t.i for t in keep}
    doc = head.doc
    # One contiguous run around the head (commas inside it allowed).
    start = end = head.i
    while start - 1 >= 0 and (start - 1 in kept or (doc[start - 1].is_punct and start - 2 in kept
                                                     and doc[start - 1].text == ",")):
        start -= 1
    while end + 1 < len(doc) and (end + 1 in kept or (doc[end + 1].text == "," and end + 2 in kept)
                                  or (not doc[end].whitespace_ and doc[end + 1].is_alpha
                                      and doc[end].text == "-")
                                  or (doc[end + 1].text == "-" and not doc[end].whitespace_)):
        end += 1
    return [doc[i] for i in range(start, end + 1)]


def _is_outlet_tokens(tokens: list[Token]) -> bool:
    words = {t.lower_.strip(".") for t in tokens}
    return bool(words & lx.OUTLETS) or (bool(words & lx.OUTLET_WORDS) and not any(
        t.ent_type_ in ("PERSON",) for t in tokens))


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
                        if grand.dep_ in ("pobj", "poss") and grand.i != pobj.i:
                            tokens = speaker_tokens(grand)
                            if _is_outlet_tokens(tokens) or grand.ent_type_ == "ORG":
                                via.append(_outlet_name(tokens))
                                break
                elif pobj.dep_ == "pobj" and _is_outlet_tokens(speaker_tokens(pobj)) and (
                        child.lower_ == "to"):
                    via.append(_outlet_name(speaker_tokens(pobj)))
    for token in sentence:
        # "speaking to Reuters", "in an interview with the BBC", "wrote on social media".
        if token.dep_ == "prep" and token.lower_ in ("to", "with") and token.head.lemma_ in (
                "speak", "talk", "interview") and token.head.i != cue.i:
            for pobj in token.children:
                if pobj.dep_ == "pobj" and _is_outlet_tokens(speaker_tokens(pobj)):
                    via.append(_outlet_name(speaker_tokens(pobj)))
        if token.dep_ == "prep" and token.lower_ == "on" and (
                token.head.i == cue.i or token.head.lemma_ in ("post", "write", "statement")):
            for pobj in token.children:
                if pobj.dep_ != "pobj":
                    continue
                if pobj.text in lx.PLATFORMS:
                    via.append(pobj.text)
                elif pobj.lower_ == "media" and any(c.lower_ == "social" for c in pobj.children):
                    via.append("social media")
    # Another reporting verb in the sentence with an outlet subject ("state media reported").
    for token in sentence:
        if token.i == cue.i or token.lemma_ not in ("report", "state", "say", "quote", "cite", "carry"):
            continue
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if not subjects and token.i > cue.i:
            # "..., stated the Reuters report": the parser takes the outlet for an object.
            subjects = [c for c in token.children if c.dep_ == "dobj"]
        for subject in subjects:
            tokens = speaker_tokens(subject)
            if _is_outlet_tokens(tokens):
                via.append(_outlet_name(tokens))
        if token.lemma_ in ("cite", "quote") and token.dep_ in ("advcl", "xcomp", "conj"):
            for child in token.children:
                if child.dep_ == "dobj":
                    via.append(phrase_text(speaker_tokens(child)))
    return [v for v in dict.fromkeys(via) if v]


def _fullphrase(subject: Token, dateline: int) -> str:
    inside = {x.i for x in subject.subtree}

    def aside(a: Token) -> bool:
        if a.dep_ in ("relcl", "appos", "advcl", "punct"):
            return True
        return a.dep_ == "acl" and a.i > 0 and a.doc[a.i - 1].text == ","

    tokens = [t for t in subject.subtree if t.i >= dateline and not any(
        aside(a) and a.i != subject.i for a in (t, *t.ancestors) if a.i in inside)]
    return phrase_text(sorted(tokens, key=lambda t: t.i)) if tokens else ""


def _outlet_name(tokens: list[Token]) -> str:
    words = [t for t in tokens if t.dep_ not in ("det",) and t.lower_ not in ("report", "reports")]
    names = [t for t in words if t.pos_ == "PROPN" or t.lower_.strip(".") in lx.OUTLETS]
    if names and not any(t.lower_ in lx.OUTLET_WORDS for t in words):
        return phrase_text(names)
    return phrase_text(words)


def _region_for(cue: Token, speaker: list[Token], sentence: Span) -> list[Token]:
    speaker_ids = {t.i for t in speaker}
    region: list[Token] = []
    for child in cue.children:
        if child.i in speaker_ids or child.dep_ in _SUBJECTS:
            continue
        if child.dep_ in _CONTENT_DEPS:
            region.extend(child.subtree)
    colon = next((t for t in sentence if t.text == ":" and t.i > cue.i), None)
    if colon is not None:
        # "set out three conditions: X must ..., Y must ...": the list is what was said.
        have = {t.i for t in region}
        region.extend(t for t in sentence if t.i > colon.i and t.i not in have)
    if not region and cue.dep_ in ("parataxis", "advcl", "ccomp") and cue.head.i != cue.i:
        # "Israel, the office said, would send a delegation": the cue is an aside inside
        # the clause it reports.
        aside = {t.i for t in cue.subtree}
        region = [t for t in cue.head.subtree if t.i not in aside]
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
    pending: list[Attribution] = []
    for sentence in _sentences(doc):
        attributions = _attributions_in(sentence, spans, base)
        if attributions:
            attribution = attributions[0]
            if pending and _same_quote(pending[0].sentence, sentence, spans, base):
                attribution.lead = [p.sentence for p in pending]
                attribution.region = [t for p in pending for t in p.region] + attribution.region
                attribution.quote_type = "direct"
            else:
                found.extend(pending)
            pending = []
            found.extend(attributions)
            continue
        if _mostly_quoted(sentence, spans, base):
            quoted = [t for t in sentence if _in_quotes(t, spans, base)]
            continuation = Attribution(sentence, None, [], quoted, "direct", kind="continuation")
            if _quote_continues_past(sentence, spans, base) or pending:
                pending.append(continuation)
            else:
                found.append(continuation)
        else:
            found.extend(pending)
            pending = []
    found.extend(pending)
    return found


def _sentences(doc: Doc | Span) -> list[Span]:
    """spaCy's sentences, with a sentence ending in a colon joined to the one it introduces
    ("set out three conditions: X must ..., Y must ...")."""
    sentences = list(doc.sents)  # type: ignore[union-attr]  # Span.sents exists; span.pyi omits it
    joined: list[Span] = []
    for sentence in sentences:
        if joined and joined[-1][-1].text == ":":
            previous = joined.pop()
            sentence = previous.doc[previous.start:sentence.end]
        joined.append(sentence)
    return joined


def _quote_of(offset: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next(((s, e) for s, e in spans if s <= offset < e), None)


def _quote_continues_past(sentence: Span, spans: list[tuple[int, int]], base: int) -> bool:
    """The quotation this sentence is in goes on into a later sentence."""
    first = next((t for t in sentence if not t.is_space), None)
    if first is None:
        return False
    quote = _quote_of(first.idx - base, spans)
    end = sentence[-1].idx + len(sentence[-1].text) - base
    return quote is not None and quote[1] > end + 1


def _same_quote(first: Span, later: Span, spans: list[tuple[int, int]], base: int) -> bool:
    quote = _quote_of(first[0].idx - base, spans)
    return quote is not None and quote[1] > later[0].idx - base


def _mostly_quoted(sentence: Span, spans: list[tuple[int, int]], base: int) -> bool:
    words = [t for t in sentence if not t.is_punct]
    if not words:
        return False
    quoted = sum(1 for t in words if _in_quotes(t, spans, base))
    return quoted / len(words) >= 0.6


_SAY_LIKE = {"say", "tell", "add", "state", "announce", "report", "write", "confirm", "note"}
_NO_COMMENT = {"say", "comment", "elaborate", "discuss", "specify", "confirm", "detail", "give"}


def _owned_document(subject: Token) -> bool:
    """"Hamas's response", "the Egyptian plan": a side's own document speaks for it."""
    return subject.lemma_.lower() in lx.DOCUMENTS and any(
        c.dep_ in ("poss", "amod", "compound") and (c.pos_ == "PROPN" or c.ent_type_ in (
            "NORP", "ORG", "GPE")) for c in subject.children)


def _has_clear(token: Token) -> bool:
    return any(c.lower_ == "clear" for c in token.children) or any(
        c.dep_ in ("ccomp", "oprd") and any(g.lower_ == "clear" for g in c.subtree)
        for c in token.children)


def _has_direct_object(token: Token) -> bool:
    return any(c.dep_ == "dobj" for c in token.children)


# Verbs that attribute a position only in one construction: "made clear", "made X a
# condition", "gave Hamas until Saturday", "is seeking guarantees".
_CONDITIONAL_CUES: dict[str, Callable[[Token], bool]] = {
    "make": lambda t: _has_clear(t) or names_requirement(t),
    "give": lambda t: ultimatum(t) or any(c.dep_ == "dobj" and c.lower_ == "light"
                                           for c in t.children),
    "set": lambda t: ultimatum(t) or names_requirement(t) or any(
        c.lower_ in ("out", "forth") for c in t.children),
    "seek": _has_direct_object,
    "include": lambda t: True,
    "envisage": lambda t: True,
    "envision": lambda t: True,
    "contain": lambda t: True,
    "provide": lambda t: True,
}


_GENERIC_SOURCES = {"people", "sources", "source", "person", "diplomats", "diplomat",
                    "reports", "report", "officials", "witnesses", "analysts"}


def _generic_source(tokens: list[Token]) -> bool:
    """"people familiar with the matter", "sources": tied to no side by the words alone."""
    head = next((t for t in tokens if t.head.i not in {x.i for x in tokens}), None)
    return head is not None and head.lower_ in _GENERIC_SOURCES and not any(
        t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "ORG", "GPE") for t in tokens)


def _negotiation_object(token: Token) -> bool:
    """An act on the negotiation itself: "suspended its mediation", "sent a delegation"."""
    for child in token.children:
        objects = [child] if child.dep_ in ("dobj", "nsubjpass") else [
            g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" else []
        if any(o.lemma_.lower() in lx.NEGOTIATION_OBJECTS for o in objects):
            return True
    return False


def dateline_end(sentence: Span) -> int:
    """Token index after a dateline such as "CAIRO, May 7 (Reuters) -", else the start."""
    for token in sentence[:16]:
        if token.text in ("-", "–", "—", "--") and token.i > sentence.start:
            first = sentence[0]
            if first.is_upper and len(first.text) > 1:
                return token.i + 1
            return sentence.start
    return sentence.start


_SUBORDINATORS = {"if", "until", "unless", "when", "before", "after", "once", "while", "because",
                  "since", "although", "though", "as"}


def _inside_relative_clause(token: Token) -> bool:
    """Inside a relative or participial clause, or a clause under a subordinator ("if",
    "until", "because", ...): "until the mediators confirmed" is a condition, not a statement
    of the mediators."""
    current = token
    for _ in range(50):
        if current.dep_ in ("relcl", "acl"):
            return True
        if current.dep_ == "advcl" and current.tag_ == "VBG" and (
                lx.lemma(current.head) in lx.SPEECH or current.i != token.i):
            # "rejected the plan, saying ...": an elaboration of the act already read. A
            # participle on a verb that is no speech act ("made a push, setting out a plan")
            # is the attribution itself.
            return True
        if current.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS
                                           for c in current.children):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _attributions_in(sentence: Span, spans: list[tuple[int, int]], base: int) -> list[Attribution]:
    options: list[tuple[float, Attribution]] = []
    dateline = dateline_end(sentence)
    for token in sentence:
        if token.pos_ not in ("VERB", "AUX") and token.lemma_ not in ("accord",):
            continue
        if _in_quotes(token, spans, base):
            continue
        lemma = lx.lemma(token)
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
                                      kind="according", speaker_is_subject=False,
                                      speaker_full=_fullphrase(objects[0], dateline))
            # "According to Hamas, the plan fails ...": the phrase frames the whole sentence;
            # "according to people familiar with the matter" is only a link in the chain.
            framing = not _is_outlet_tokens(speaker) and not _generic_source(speaker)
            options.append((-2.0 if framing else _depth(token) + 1, attribution))
            continue
        if lemma in lx.NEGOTIATION_ACTS and not _negotiation_object(token):
            continue
        if lemma in _CONDITIONAL_CUES and not _CONDITIONAL_CUES[lemma](token):
            continue
        if lemma not in lx.SPEECH and lemma not in lx.NEGOTIATION_ACTS and (
                lemma not in _CONDITIONAL_CUES):
            continue
        if lemma in ("decline", "refuse") and any(
                c.dep_ == "xcomp" and c.lemma_ in _NO_COMMENT for c in token.children):
            continue  # "declined to say whether ...": no position
        if lemma in _NO_COMMENT and (
                any(c.dep_ == "neg" for c in token.children)
                or (token.dep_ == "xcomp" and token.head.lemma_ in ("decline", "refuse"))
                or any(c.dep_ == "neg" for c in token.head.children if token.dep_ == "xcomp")):
            continue  # "declined to say", "did not comment": no position
        relative = token.dep_ == "relcl" and any(
            c.dep_ == "nsubj" and c.lower_ in ("who", "which", "that") for c in token.children)
        if _inside_relative_clause(token) and not relative:
            continue
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.i >= dateline]
        agent = [g for c in token.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        if agent and any(c.dep_ == "nsubjpass" for c in token.children):
            subject = agent[0]
        elif subjects and subjects[0].dep_ == "nsubj":
            subject = subjects[0]
        elif token.dep_ in ("xcomp", "conj", "advcl") and token.head.pos_ in ("VERB", "AUX"):
            # "Hamas refused to accept", "Israel rejected ... and vowed": inherit the subject.
            inherited = [c for c in token.head.children if c.dep_ == "nsubj"]
            if not inherited:
                continue
            subject = inherited[0]
        else:
            continue
        if relative:
            subject = token.head  # "Hamas, which said ...": the clause's antecedent speaks
        if _in_quotes(subject, spans, base) or subject.i < dateline:
            continue
        if subject.lemma_.lower() in lx.THINGS and not relative and not _owned_document(subject):
            continue  # "the proposal does not guarantee ...": things do not make statements
        speaker = [t for t in speaker_tokens(subject) if t.i >= dateline]
        siblings = [c for c in token.children if c.dep_ == "nsubj" and c.i != subject.i
                    and subject.i < c.i < token.i and all(
                        t.dep_ in ("nsubj", "compound", "punct") or t.is_punct
                        for t in token.doc[subject.i + 1:c.i])]
        if siblings:
            # A hyphenated name the parser split into several subjects ("Ben - Gvir").
            first = min([subject, *siblings], key=lambda t: t.i)
            last = max([subject, *siblings], key=lambda t: t.i)
            start = min(speaker[0].i, first.left_edge.i) if speaker else first.left_edge.i
            speaker = [t for t in token.doc[max(start, dateline):last.i + 1]]
        co_speakers = [speaker_tokens(c) for c in subject.conjuncts if c.i > subject.i]
        titles = [t for c in subject.children if c.dep_ == "appos" and c.pos_ != "PROPN"
                  for t in c.subtree]
        quoted = [t for t in sentence if _in_quotes(t, spans, base)]
        speaker_ids = {t.i for t in speaker}
        complement = _region_for(token, speaker, sentence)
        if quoted and not any(t.i in speaker_ids for t in quoted):
            complement_ids = {t.i for t in complement}
            unquoted = [t for t in complement if not _in_quotes(t, spans, base) and not t.is_punct]
            inside = sum(1 for t in quoted if t.i in complement_ids)
            # A partial quote inside a reported clause: the clause carries the stance.
            partial = len(unquoted) >= 3 and inside >= 0.8 * len(quoted)
            region = complement if partial else quoted
            words = [t for t in quoted if not t.is_punct]
            # A single scare-quoted word inside a reported clause ("a 'softened' version")
            # leaves the statement reported; quoted words that carry the position make it
            # direct (the annotation rule).
            quote_type = "reported" if partial and len(words) < 2 else "direct"
        else:
            region, quote_type = complement, "reported"
        attribution = Attribution(sentence, token, speaker, region, quote_type,
                                  via=_via_of(token, sentence), co_speakers=co_speakers,
                                  titles=titles, speaker_full=_fullphrase(subject, dateline))
        depth = float(_depth(token))
        if lemma in _SAY_LIKE and token.dep_ in ("parataxis", "ccomp", "advcl") and (
                token.i > token.head.i) and subject.head.i == token.i:
            # "Israel and Hamas have agreed ..., mediators said": the saying frames the rest.
            depth -= 1.5
        options.append((depth, attribution))
    if not options:
        return []
    options.sort(key=lambda item: (item[0], item[1].cue.i if item[1].cue is not None else 0))
    # "according to" with an outlet is a link in the chain, not the speaker, when a real
    # speaker is also named ("X said, according to Reuters").
    outlets = [a for _, a in options if (_is_outlet_tokens(a.speaker) and not any(
        t.ent_type_ == "PERSON" for t in a.speaker)) or (
        a.kind == "according" and _generic_source(a.speaker))]
    if outlets and len(options) > len(outlets):
        options = [(d, a) for d, a in options if a not in outlets]
        for _, a in options:
            a.via = [*a.via, *(_outlet_name(o.speaker) if _is_outlet_tokens(o.speaker)
                               else o.speaker_full or phrase_text(o.speaker) for o in outlets)]
    chosen: list[Attribution] = []
    for _, option in options:
        assert option.cue is not None
        covered = False
        for other in chosen:
            if option.cue.i in {t.i for t in other.region} | {
                    t.i for _, region in other.more for t in region}:
                covered = True
                break
            if option.speaker and other.speaker and option.speaker[0].i == other.speaker[0].i:
                # Further acts of the same subject in the sentence ("said X and vowed Y").
                other.more.append((option.cue, option.region))
                covered = True
                break
            region_ids = {t.i for t in other.region} | {t.i for t in other.speaker}
            if option.cue.i in region_ids or (option.speaker and option.speaker[0].i in region_ids):
                covered = True
                break
        if not covered:
            chosen.append(option)
    return chosen
