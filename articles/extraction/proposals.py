"""Which proposal a drafted statement is about, and how sure that is.

Everything specific to a negotiation comes from the reference data (its proposals' names,
aliases, proposers and dates; its actors' names and adjectives; its people). The code knows
only generic words: the nouns a plan goes by ("proposal", "plan", "offer", "framework",
"deal", "draft", …) and the words that place one in time ("latest", "new", …).

A statement links to a proposal when its evidence points at one, by these rules in order of
strength:

1. a name or alias, as written ("the Paris framework") or varied the way the press varies it
   ("Biden's plan", "the plan Biden outlined" for "the Biden plan": the alias's distinctive
   words around a plan noun, spellings compared with rapidfuzz);
2. a proposer ("the Egyptian proposal", "Israel's offer", "the proposal put forward by
   Qatar", "the mediators' plan"): the newest proposal of that proposer put forward on or
   before the article's date;
3. a definite plan noun ("the proposal", "the latest offer", "the new framework"): the
   proposal the article last named before it (in its title or an earlier sentence), else the
   newest proposal put forward on or before the article's date, if it is recent.

A plan noun used generically ("a deal", "a proposal to open the crossings", "plans to
expand") links to nothing; neither does a proposal put forward after the article's date.
Clauses follow from the statement's issues: the linked proposal's clauses on those issues
(none when they are all of its clauses: then the statement is about the whole proposal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz import fuzz

from articles.extraction.lexicon import words
from articles.extraction.types import ArticleMeta, Draft, ProposalRef, Reference

# Nouns a plan or offer goes by (singular; plurals are read as their singular).
PLAN_NOUNS = words("""
proposal counterproposal counter-proposal plan offer framework deal draft paper initiative
roadmap blueprint agreement accord response reply package
""")
# Words that place a proposal in time: the newest one is meant.
NEWEST = words("latest new newest recent current updated revised amended improved fresh final")
# Words that point back past the newest proposal: no rule here tells which one is meant.
EARLIER = words("previous earlier original old initial first former prior last")
# Words that may stand between a proposer and the plan noun ("the US-backed ceasefire plan").
_MODIFIERS = words("""
new latest newest recent current updated revised amended improved fresh final most
proposed backed led brokered drafted sponsored mediated endorsed written formal detailed
joint comprehensive phased partial full permanent temporary interim bridging compromise
peace ceasefire cease-fire truce and
""") | NEWEST
_DETERMINERS = words("the this that these those its their his her our your")
_INDEFINITE = words("a an any another some no every each such")
# After a plan noun, these make it a verb or a generic plan ("plans to", "deal with").
_NOT_A_PLAN_AFTER = words("to with")
_NOT_A_PLAN_BEFORE = words("to will would could should can may might must not")
# "the proposal put forward by X", "the plan drawn up by X", "the offer from X".
_BY = words("by from")
_BY_VERBS = words("""
put forward presented submitted drafted outlined proposed tabled made offered drawn up
unveiled brokered floated sent delivered backed announced laid
""")
_STOP = words("""
the a an of for to and in on at by with from its their his her this that these those
s is was be been are were
""") | PLAN_NOUNS

# How long a proposal stays "the" proposal when nothing in the article names it.
RECENT_DAYS = 120

STRENGTH = {"name": 0.95, "fuzzy": 0.85, "proposer": 0.8, "antecedent": 0.75, "newest": 0.6}

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n+")


@dataclass(frozen=True)
class ProposalLink:
    """A statement's link: the proposal's key, the keys of its clauses, the confidence."""

    proposal: str
    clauses: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A plan noun in the text and what it resolves to (``rule`` "" when to nothing yet)."""

    start: int
    end: int
    rule: str  # name, fuzzy, proposer, definite (to be resolved), or "" (generic)
    proposals: tuple[str, ...] = ()
    newest: bool = False  # "the latest …", "the new …"


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str  # as written, without a possessive ending
    lower: str
    possessive: bool


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")


def _tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(_norm(text)):
        raw = match.group()
        possessive = raw.endswith(("'s", "'")) and len(raw) > 2
        word = raw[:-2] if raw.endswith("'s") else raw.rstrip("'")
        found.append(_Token(match.start(), match.end(), word, word.lower(), possessive))
    return found


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _sentence_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _SENTENCE_END.finditer(text))]


@dataclass(frozen=True)
class ProposalIndex:
    """A negotiation's proposals, prepared once for matching."""

    proposals: dict[str, ProposalRef]
    # (normalised lower-case alias, proposal key), longest first: matched as written.
    names: tuple[tuple[str, str], ...]
    # (distinctive words of an alias, proposal key): matched around a plan noun.
    variants: tuple[tuple[frozenset[str], str], ...]
    # A proposer's name, short name, alias, adjective or person -> the actors it names.
    proposers: dict[str, frozenset[str]]
    mediators: frozenset[str]
    # The words of the negotiation's issues ("hostage", "ceasefire"): they may stand between
    # a proposer and the plan noun ("the Brandt hostage plan").
    issue_words: frozenset[str] = frozenset()

    def dated(self, keys: Iterable[str], published: date | None) -> list[ProposalRef]:
        """The proposals of ``keys`` put forward on or before the day, newest first (all
        of them, undated last, when the day is unknown)."""
        found = [self.proposals[key] for key in keys]
        if published is not None:
            found = [p for p in found if p.proposed_on is not None and p.proposed_on <= published]
        return sorted(found, key=lambda p: p.proposed_on or date.min, reverse=True)


@lru_cache(maxsize=16)
def proposal_index(reference: Reference) -> ProposalIndex:
    """Names, variants and proposers of a reference's proposals, ready for matching."""
    actor_words = {
        word.lower()
        for actor in reference.actors
        for name in (actor.name, actor.short_name, *actor.aliases, *actor.adjectives)
        for word in name.split()
    }
    names: list[tuple[str, str]] = []
    variants: list[tuple[frozenset[str], str]] = []
    for proposal in reference.proposals:
        for alias in dict.fromkeys((proposal.name, *proposal.aliases)):
            text = " ".join(token.lower for token in _tokens(alias))
            if not text:
                continue
            names.append((text, proposal.key))
            distinctive = frozenset(
                token.lower for token in _tokens(alias)
                if token.lower not in _STOP and token.lower not in _MODIFIERS
                and _singular(token.lower) not in PLAN_NOUNS and token.lower not in actor_words
            )
            if distinctive:
                variants.append((distinctive, proposal.key))
    proposers: dict[str, set[str]] = {}
    for actor in reference.actors:
        for name in (actor.name, actor.short_name, *actor.aliases, *actor.adjectives):
            name = re.sub(r"^[Tt]he\s+", "", name.strip())  # "the North" after "from the"
            if name:
                proposers.setdefault(name, set()).add(actor.name)
    for person in reference.people:
        for name in (person.name, *person.aliases):
            if name.strip():
                proposers.setdefault(name.strip(), set()).add(person.actor)
        surname = person.name.split()[-1] if person.name.split() else ""
        if len(surname) > 3:
            proposers.setdefault(surname, set()).add(person.actor)
    return ProposalIndex(
        proposals={proposal.key: proposal for proposal in reference.proposals},
        names=tuple(sorted(names, key=lambda item: -len(item[0]))),
        variants=tuple(variants),
        proposers={name: frozenset(actors) for name, actors in proposers.items()},
        mediators=frozenset(a.name for a in reference.actors if a.role == "mediator"),
        issue_words=frozenset(
            word.lower()
            for issue in reference.issues
            for text in (issue.key.replace("/", " ").replace("_", " "), issue.name, *issue.keywords)
            for word in text.split()
            if word.lower() not in _STOP
        ),
    )


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85


class _Scanner:
    """Reads the plan nouns of one text and resolves what each names, where it can."""

    def __init__(self, text: str, index: ProposalIndex, published: date | None) -> None:
        self.text = _norm(text)
        self.lower = self.text.lower()
        self.tokens = _tokens(text)
        self.index = index
        self.published = published
        starts = _sentence_starts(self.text)
        self.sentence_of = []
        current = 0
        for token in self.tokens:
            while current + 1 < len(starts) and starts[current + 1] <= token.start:
                current += 1
            self.sentence_of.append(current)

    def mentions(self) -> list[Mention]:
        named = self._names()
        found: list[Mention] = list(named)
        for number, token in enumerate(self.tokens):
            if _singular(token.lower) not in PLAN_NOUNS:
                continue
            if any(m.start <= token.start < m.end for m in named):
                continue
            mention = self._plan_noun(number)
            if mention is not None:
                found.append(mention)
        return sorted(found, key=lambda m: m.start)

    def _names(self) -> list[Mention]:
        """Names and aliases as written, each span once (the longest name wins)."""
        spans: list[Mention] = []
        for alias, key in self.index.names:
            for match in re.finditer(r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"[\s'-]+")
                                     + r"(?![\w-])", self.lower):
                if any(m.start < match.end() and match.start() < m.end for m in spans):
                    continue
                spans.append(Mention(match.start(), match.end(), "name", (key,)))
        return spans

    def _phrase(self, number: int) -> tuple[list[_Token], list[_Token], str]:
        """The words that qualify the plan noun: before it (from its determiner or
        possessor, over modifiers only) and after it ("by X", "from X", "X outlined");
        and its determiner ("the", "a" or "")."""
        sentence = self.sentence_of[number]
        before: list[_Token] = []
        determiner = ""
        at = number - 1
        while at >= 0 and self.sentence_of[at] == sentence and len(before) < 6:
            token = self.tokens[at]
            if token.lower in _DETERMINERS:
                determiner = "the"
                break
            if token.lower in _INDEFINITE:
                determiner = "a"
                break
            if token.possessive:
                before.insert(0, token)
                determiner = "the"
                break
            if token.text[:1].isupper() or token.text[:1].isdigit() or "-" in token.text or (
                    token.lower in _MODIFIERS or token.lower in self.index.issue_words):
                before.insert(0, token)
                at -= 1
                continue
            break
        after: list[_Token] = []
        rest = [t for at, t in enumerate(self.tokens[number + 1:number + 7], number + 1)
                if self.sentence_of[at] == sentence]
        lowered = [t.lower for t in rest]
        by = next((i for i, word in enumerate(lowered[:4]) if word in _BY), None)
        if by is not None and all(w in _BY_VERBS for w in lowered[:by]):
            after = _leading(rest[by + 1:by + 4])  # "put forward by Egypt", "from Qatar"
        elif rest and rest[0].text[:1].isupper():
            name = _leading(rest)  # "the plan Biden outlined", not "the plan Hamas rejected"
            if len(name) < len(rest) and rest[len(name)].lower in _BY_VERBS:
                after = name
        return before, after, determiner

    def _actors(self, tokens: Sequence[_Token]) -> set[str]:
        actors: set[str] = set()
        words_ = [t.text for t in tokens]
        for size in (3, 2, 1):
            for start in range(len(words_) - size + 1):
                piece = " ".join(words_[start:start + size])
                for part in piece.split("-") if size == 1 else (piece,):
                    actors |= self.index.proposers.get(part, frozenset())
        return actors

    def _plan_noun(self, number: int) -> Mention | None:
        token = self.tokens[number]
        previous = self.tokens[number - 1].lower if number else ""
        following = self.tokens[number + 1].lower if number + 1 < len(self.tokens) else ""
        if previous in _NOT_A_PLAN_BEFORE or following in _NOT_A_PLAN_AFTER:
            return None  # a verb ("will offer", "plans to") or a plan to do something
        before, after, determiner = self._phrase(number)
        if not determiner and token.lower.endswith("s") and token.lower not in PLAN_NOUNS:
            return None  # "Israel plans an offensive", "Hamas offers": a verb
        qualifiers = [*before, *after]
        lowered = {t.lower for t in qualifiers}
        start = before[0].start if before else token.start
        end = after[-1].end if after else token.end
        variant = self._variant(qualifiers)
        if variant:
            return Mention(start, end, "fuzzy", variant)
        if lowered & EARLIER:
            return None
        newest = bool(lowered & NEWEST)
        actors = self._actors(qualifiers)
        if actors:
            return Mention(start, end, "proposer", self._by(actors), newest=newest)
        if lowered & {"mediator", "mediators"} and self.index.mediators:
            # "the mediators' proposal": the newest any of them put forward.
            return Mention(start, end, "proposer", tuple(
                p.key for p in self.index.proposals.values()
                if self.index.mediators & set(p.proposed_by)), newest=newest)
        if any(t.possessive for t in before):
            return None  # someone's plan, but no proposer the negotiation knows
        if determiner == "the" or (newest and determiner == "a"):
            return Mention(start, end, "definite", newest=newest)
        return None

    def _variant(self, qualifiers: Sequence[_Token]) -> tuple[str, ...]:
        """Proposals whose alias's distinctive words all qualify the plan noun (the most
        distinctive words first)."""
        if not qualifiers:
            return ()
        words_ = [t.lower for t in qualifiers]
        matched = [
            (len(distinctive), key) for distinctive, key in self.index.variants
            if all(any(_same_word(word, got) for got in words_) for word in distinctive)
        ]
        if not matched:
            return ()
        best = max(size for size, _ in matched)
        return tuple(dict.fromkeys(key for size, key in matched if size == best))

    def _by(self, actors: set[str]) -> tuple[str, ...]:
        """Proposals put forward by all of the actors, else by any of them."""
        every = [p.key for p in self.index.proposals.values() if actors <= set(p.proposed_by)]
        return tuple(every or [p.key for p in self.index.proposals.values()
                               if actors & set(p.proposed_by)])


def _leading(tokens: Sequence[_Token]) -> list[_Token]:
    """The capitalised words at the start (a name after "by" or after the plan noun)."""
    kept: list[_Token] = []
    for token in tokens:
        if token.lower == "the" and not kept:
            continue
        if not token.text[:1].isupper():
            break
        kept.append(token)
    return kept


@dataclass(frozen=True)
class ArticleProposals:
    """The plan nouns of one article (title first, then body) and the article's day."""

    mentions: tuple[Mention, ...]
    title_mentions: tuple[Mention, ...]
    published: date | None
    index: ProposalIndex


def article_proposals(body: str, meta: ArticleMeta, reference: Reference) -> ArticleProposals:
    """Every plan noun of an article, read once for all its statements.

    Args:
        body: the article text (spans index into it).
        meta: its title and publication date.
        reference: the negotiation, with its proposals.

    Raises:
        Nothing: a text without plan nouns gives no mentions.
    """
    index = proposal_index(reference)
    if not index.proposals:
        return ArticleProposals((), (), meta.published, index)
    return ArticleProposals(
        tuple(_Scanner(body, index, meta.published).mentions()),
        tuple(_Scanner(meta.title, index, meta.published).mentions()) if meta.title else (),
        meta.published, index,
    )


def _pick(keys: Sequence[str], article: ArticleProposals) -> ProposalRef | None:
    dated = article.index.dated(keys, article.published)
    return dated[0] if dated else None


def _resolved(mention: Mention, article: ArticleProposals) -> ProposalRef | None:
    """What a name, variant or proposer mention refers to on the article's day."""
    if mention.rule in ("name", "fuzzy", "proposer"):
        return _pick(mention.proposals, article)
    return None


def _antecedent(at: int, article: ArticleProposals) -> ProposalRef | None:
    """The proposal the article last named (or the title names) before an offset."""
    for mention in reversed([m for m in article.mentions if m.end <= at]):
        found = _resolved(mention, article)
        if found is not None:
            return found
    for mention in article.title_mentions:
        found = _resolved(mention, article)
        if found is not None:
            return found
    return None


def _newest(article: ArticleProposals) -> ProposalRef | None:
    if article.published is None:
        return None
    found = _pick(list(article.index.proposals), article)
    if found is None or found.proposed_on is None:
        return None
    if article.published - found.proposed_on > timedelta(days=RECENT_DAYS):
        return None
    return found


def _clauses(proposal: ProposalRef, issues: Sequence[str]) -> tuple[str, ...]:
    def touches(clause_issue: str) -> bool:
        return bool(clause_issue) and any(
            issue == clause_issue or issue.startswith(clause_issue + "/")
            or clause_issue.startswith(issue + "/") for issue in issues)

    matched = tuple(clause.key for clause in proposal.clauses if touches(clause.issue))
    return () if len(matched) == len(proposal.clauses) else matched


def link_statement(article: ArticleProposals, spans: Sequence[tuple[int, int]],
                   issues: Sequence[str]) -> ProposalLink | None:
    """The proposal a statement with these evidence spans is about, if its evidence points
    at one.

    Args:
        article: the article's plan nouns (``article_proposals``).
        spans: the statement's evidence, as offsets into the article body.
        issues: the statement's issue keys (they choose the clauses).

    Raises:
        Nothing: no link is ``None``.
    """
    inside = [m for m in article.mentions if any(s <= m.start < e for s, e in spans)]
    best: tuple[float, ProposalRef] | None = None
    for mention in inside:
        if mention.rule == "definite":
            found, strength = None, STRENGTH["antecedent"]
            if not mention.newest:  # "the latest proposal" is the newest, whatever came before
                found = _antecedent(mention.start, article)
            if found is None:
                found, strength = _newest(article), STRENGTH["newest"]
        else:
            found, strength = _resolved(mention, article), STRENGTH[mention.rule]
            if found is not None and mention.rule == "proposer" and len(
                    article.index.dated(mention.proposals, article.published)) > 1:
                strength -= 0.05  # the newest of several by the same proposer
        if found is not None and (best is None or strength > best[0]):
            best = (strength, found)
    if best is None:
        return None
    strength, proposal = best
    return ProposalLink(proposal.key, _clauses(proposal, issues), round(strength, 3))


def link_drafts(body: str, meta: ArticleMeta, reference: Reference,
                drafts: Sequence[Draft]) -> list[Draft]:
    """The drafts with the proposal each is about (unchanged when none is).

    Args:
        body: the article text the drafts' spans index into.
        meta: its title and publication date ("the latest proposal" is the newest on or
            before that day).
        reference: the negotiation, with its proposals.
        drafts: what extraction found.

    Raises:
        Nothing.
    """
    if not reference.proposals or not drafts:
        return list(drafts)
    article = article_proposals(body, meta, reference)
    linked = []
    for draft in drafts:
        link = link_statement(article, draft.spans, draft.issues)
        linked.append(draft if link is None else replace(
            draft, proposal=link.proposal, clauses=link.clauses,
            proposal_confidence=link.confidence))
    return linked
