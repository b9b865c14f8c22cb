"""Which proposal a drafted statement is about, and how sure that is.

Everything specific to a negotiation comes from the reference data (its proposals' names,
aliases, proposers and dates; its actors' names and adjectives; its people). The code knows
only generic words: the nouns a plan goes by ("proposal", "plan", "offer", "framework",
"deal", "draft", …) and the words that place one in time ("latest", "new", …).

A statement links to a proposal when its evidence points at one, by these rules in order of
strength (``proposal_names.py`` prepares the names they match):

1. a name or alias, as written ("the Paris framework") or varied the way the press varies it
   ("Biden's plan", "the plan Biden outlined" for "the Biden plan": the alias's distinctive
   words around a plan noun, spellings compared with rapidfuzz); an alias of generic words
   only ("the ceasefire agreement") names the newest proposal whose names carry them all;
2. a proposer ("the Egyptian proposal", "Israel's offer", "the proposal put forward by
   Qatar", "the mediators' plan", "the Witkoff framework"): the newest proposal of that
   proposer put forward in the month before the article;
3. a definite plan noun ("the proposal", "the latest offer", "the deal", "the truce"): the
   proposal the article last named before it (in its title or an earlier sentence), else the
   newest proposal of the last months (of those the press calls deals, for "the deal").

Where several proposals fit a proposer or "the proposal", the newest recent one with a
clause on the statement's issues is taken. A plan noun used generically ("a deal", "a
proposal to open the crossings", "plans to expand", "the talks framework") links to
nothing; neither does a proposal put forward after the article's date. The confidence is how
often the rule was right on the tune half of the Gaza set, less for a proposal more than a
fortnight old; below ``MIN_CONFIDENCE`` no link is made. Clauses follow from the statement's
issues: the linked proposal's clauses on those issues (none when they are all of its
clauses: then the statement is about the whole proposal).

Extraction links with the learned linker (``proposal_linker.py``) when its weights are
shipped: these rules' pick and their reading of the article are among its features, and
``link_drafts`` here is what it falls back to without them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from articles.extraction.lexicon import words
from articles.extraction.proposal_names import (
    DEAL_FAMILY,
    DEAL_NOUNS,
    MODIFIERS,
    NEWEST,
    PLAN_NOUNS,
    ProposalIndex,
    Token,
    normalise,
    proposal_index,
    same_word,
    singular,
    tokens,
)
from articles.extraction.types import ArticleMeta, Draft, ProposalRef, Reference

# Words that may follow such a noun at the head of its phrase.
_AFTER_HEAD = words("""
is was has had have would will could should might may must can did does in on at and or but
that which with for of by from between after before since until as the a an to under
""")
# Words that point back past the newest proposal: no rule here tells which one is meant.
EARLIER = words("previous earlier original old initial first former prior last")
_TALKS = words("negotiation negotiations negotiating talks")
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
# How long a proposal stays "the" proposal when nothing in the article names it; a deal
# ("the truce") less long: once it has run its course, the next one is being talked about.
RECENT_DAYS = 90
RECENT_DEAL_DAYS = 45
# "The Egyptian proposal" is one put forward in the last month; within a fortnight the link
# is surer.
PROPOSER_DAYS = 30
FRESH_DAYS = 14

# How often each rule was right on the tune half of the Gaza set (rounded), as confidence;
# a link to a proposal more than FRESH_DAYS old is less sure (AGED), and one below
# MIN_CONFIDENCE is not made.
STRENGTH = {"name": 0.95, "fuzzy": 0.85, "newest": 0.85, "generic": 0.8, "proposer": 0.8,
            "antecedent": 0.65}
AGED = 0.2
MIN_CONFIDENCE = 0.6

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
    rule: str  # name, generic (a name of generic words), fuzzy, proposer, definite (to be resolved)
    proposals: tuple[str, ...] = ()
    newest: bool = False  # "the latest …", "the new …"
    deal: bool = False  # named as a deal ("the agreement", "the truce"), not a proposal


def _sentence_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _SENTENCE_END.finditer(text))]


class _Scanner:
    """Reads the plan nouns of one text and resolves what each names, where it can."""

    def __init__(self, text: str, index: ProposalIndex, published: date | None) -> None:
        self.text = normalise(text)
        self.lower = self.text.lower()
        self.tokens = tokens(text)
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
            if singular(token.lower) not in PLAN_NOUNS and not self._deal_noun(number):
                continue
            if any(m.start <= token.start < m.end for m in named):
                continue
            mention = self._plan_noun(number)
            if mention is not None:
                found.append(mention)
        return sorted(found, key=lambda m: m.start)

    def _deal_noun(self, number: int) -> bool:
        """A definite deal noun at the head of its phrase ("the truce", "the ceasefire in
        Gaza"), not a modifier ("the ceasefire proposal", "the ceasefire talks")."""
        if self.tokens[number].lower not in DEAL_NOUNS or number == 0:
            return False
        if number + 1 < len(self.tokens) and self.sentence_of[number + 1] == self.sentence_of[number]:
            following = self.tokens[number + 1]
            if following.text[:1].islower() and following.lower not in _AFTER_HEAD:
                return False
        _, _, determiner = self._phrase(number)
        return determiner == "the"

    def _names(self) -> list[Mention]:
        """Names and aliases as written, each span once (the longest name wins)."""
        spans: list[Mention] = []
        for alias, keys, generic in self.index.names:
            if max(alias.split(" "), key=len) not in self.lower:
                continue  # its longest word is nowhere in the text (a cheap test first)
            for match in re.finditer(r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"[\s'-]+")
                                     + r"(?![\w-])", self.lower):
                if any(m.start < match.end() and match.start() < m.end for m in spans):
                    continue
                spans.append(Mention(match.start(), match.end(),
                                     "generic" if generic else "name", keys))
        return spans

    def _phrase(self, number: int) -> tuple[list[Token], list[Token], str]:
        """The words that qualify the plan noun: before it (from its determiner or
        possessor, over modifiers only) and after it ("by X", "from X", "X outlined");
        and its determiner ("the", "a" or "")."""
        sentence = self.sentence_of[number]
        before: list[Token] = []
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
                    token.lower in MODIFIERS or token.lower in self.index.issue_words):
                before.insert(0, token)
                at -= 1
                continue
            break
        after: list[Token] = []
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

    def _actors(self, tokens: Sequence[Token]) -> set[str]:
        actors: set[str] = set()
        words_ = [t.text for t in tokens]
        for size in (3, 2, 1):
            for start in range(len(words_) - size + 1):
                piece = " ".join(words_[start:start + size])
                if size == 1 and "-" in piece:
                    actors |= self._compound(piece)
                else:
                    actors |= self.index.proposers.get(piece, frozenset())
        return actors

    def _compound(self, word: str) -> set[str]:
        """The proposers of a hyphenated word: "US-backed", "Egyptian-Qatari"; none for a
        pair of sides ("Israel-Hamas deal" is a deal between them, not their proposal)."""
        parts = [part for part in word.split("-") if part]
        named = [part for part in parts if part in self.index.proposers]
        if not named:
            return set()
        if parts[-1][:1].islower() or all(part in self.index.adjectives for part in named):
            return {actor for part in named for actor in self.index.proposers[part]}
        return set()

    def _plan_noun(self, number: int) -> Mention | None:
        token = self.tokens[number]
        previous = self.tokens[number - 1].lower if number else ""
        following = self.tokens[number + 1].lower if number + 1 < len(self.tokens) else ""
        if previous in _NOT_A_PLAN_BEFORE or following in _NOT_A_PLAN_AFTER:
            return None  # a verb ("will offer", "plans to") or a plan to do something
        before, after, determiner = self._phrase(number)
        if not determiner and token.lower.endswith("s") and token.lower not in PLAN_NOUNS:
            return None  # "Israel plans an offensive", "Hamas offers": a verb
        if token.lower == "plans":
            return None  # "Israel's plans for the offensive": intentions, not a proposal
        qualifiers = [*before, *after]
        lowered = {t.lower for t in qualifiers}
        start = before[0].start if before else token.start
        end = after[-1].end if after else token.end
        variant = tuple(p.key for p in self.index.dated(
            self._variant(qualifiers, singular(token.lower)), self.published))
        if variant:
            return Mention(start, end, "fuzzy", variant)
        if lowered & _TALKS:
            return None  # "the negotiation framework": how the talks run, not an offer
        if lowered & EARLIER and token.lower != "phase":
            return None  # "the previous proposal" ("the first phase" is a part of the current deal)
        newest = bool(lowered & NEWEST)
        # A person's plan ("the Witkoff framework"): the newest proposal named after them and
        # put forward by their side.
        for qualifier in qualifiers:
            surname = self.index.people.get(qualifier.text)
            sides = self.index.proposers.get(qualifier.text, frozenset())
            named = [key for key, got in self.index.words_of.items()
                     if surname in got and sides & set(self.index.proposals[key].proposed_by)]
            if surname and self.index.dated(named, self.published):
                return Mention(start, end, "fuzzy", tuple(named))
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
        if determiner == "the":
            return Mention(start, end, "definite", newest=newest,
                           deal=singular(token.lower) in DEAL_FAMILY)
        return None

    def _variant(self, qualifiers: Sequence[Token], noun: str) -> tuple[str, ...]:
        """Proposals whose alias's distinctive words all qualify the plan noun: the alias
        with the most distinctive words, then with the fewest words missing ("Witkoff's
        proposal" is "the Witkoff proposal", not "Hamas's response to the Witkoff proposal")."""
        if not qualifiers:
            return ()
        got = [t.lower for t in qualifiers] + [noun]

        def has(word: str) -> bool:
            return any(same_word(word, seen) for seen in got)

        matched = [
            ((len(distinctive), 2 * sum(map(has, every)) - len(every)), key)
            for distinctive, every, key in self.index.variants
            if all(map(has, distinctive))
        ]
        if not matched:
            return ()
        best = max(score for score, _ in matched)
        return tuple(dict.fromkeys(key for score, key in matched if score == best))

    def _by(self, actors: set[str]) -> tuple[str, ...]:
        """Proposals put forward by all of the actors (with others or not), else by any of
        them (of those put forward by the article's day)."""
        proposals = self.index.dated(self.index.proposals, self.published)
        every = tuple(p.key for p in proposals if actors <= set(p.proposed_by))
        return every or tuple(p.key for p in proposals if actors & set(p.proposed_by))


def _leading(tokens: Sequence[Token]) -> list[Token]:
    """The capitalised words at the start (a name after "by" or after the plan noun)."""
    kept: list[Token] = []
    for token in tokens:
        if token.lower == "the" and not kept:
            continue
        if token.lower == "and" and kept:
            continue  # "from Egypt and Qatar"
        if not token.text[:1].isupper() and token.lower not in ("mediator", "mediators"):
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


def _pick(keys: Sequence[str], article: ArticleProposals,
          issues: Sequence[str] = ()) -> ProposalRef | None:
    """The newest of the proposals on the article's day; with issues, the newest recent one
    with a clause on one of them when there is one (a plan for rebuilding is not "the
    proposal" a statement on captives is about)."""
    dated = article.index.dated(keys, article.published)
    on_issues = [p for p in dated if _clauses_on(p, issues) and _age(p, article) <= RECENT_DAYS
                 ] if issues else []
    found = on_issues or dated
    return found[0] if found else None


def _resolved(mention: Mention, article: ArticleProposals,
              issues: Sequence[str] = ()) -> ProposalRef | None:
    """What a name, variant or proposer mention refers to on the article's day (a proposer
    mention: their newest, on the statement's issues where one is)."""
    if mention.rule in ("name", "fuzzy", "generic"):
        return _pick(mention.proposals, article)
    if mention.rule == "proposer":
        return _pick(mention.proposals, article, issues)
    return None


def _antecedent(at: int, article: ArticleProposals, *, deal: bool = False) -> ProposalRef | None:
    """The proposal the article last named (or the title names) before an offset; for "the
    deal", only a proposal named as a deal."""
    for mention in [*reversed([m for m in article.mentions if m.end <= at]),
                    *article.title_mentions]:
        found = _resolved(mention, article)  # what the article meant there, whatever the statement
        if found is not None and (not deal or found.key in article.index.deals):
            return found
    return None


def _newest(article: ArticleProposals, *, deal: bool = False,
            issues: Sequence[str] = ()) -> ProposalRef | None:
    """The newest proposal put forward lately (of those named as deals, for "the deal")."""
    if article.published is None:
        return None
    found = _pick(list(article.index.deals if deal else article.index.proposals), article, issues)
    if found is None or found.proposed_on is None:
        return None
    if article.published - found.proposed_on > timedelta(days=RECENT_DEAL_DAYS if deal else RECENT_DAYS):
        return None
    return found


def _touches(clause_issue: str, issues: Sequence[str]) -> bool:
    """A clause's issue is one of the statement's, or the parent or a sub-issue of one."""
    return bool(clause_issue) and any(
        issue == clause_issue or issue.startswith(clause_issue + "/")
        or clause_issue.startswith(issue + "/") for issue in issues)


def _age(proposal: ProposalRef, article: ArticleProposals) -> int:
    """Days from the proposal to the article (0 when either date is unknown)."""
    if article.published is None or proposal.proposed_on is None:
        return 0
    return (article.published - proposal.proposed_on).days


def _clauses_on(proposal: ProposalRef, issues: Sequence[str]) -> tuple[str, ...]:
    return tuple(clause.key for clause in proposal.clauses if _touches(clause.issue, issues))


def _clauses(proposal: ProposalRef, issues: Sequence[str]) -> tuple[str, ...]:
    matched = _clauses_on(proposal, issues)
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
                found = _antecedent(mention.start, article, deal=mention.deal)
            if found is None:
                found, strength = _newest(article, deal=mention.deal, issues=issues), STRENGTH["newest"]
        else:
            found, strength = _resolved(mention, article, issues), STRENGTH[mention.rule]
            if found is not None and mention.rule == "proposer" and len(
                    article.index.dated(mention.proposals, article.published)) > 1:
                strength -= 0.05  # the newest of several by the same proposer
            if found is not None and mention.rule == "proposer" and _age(found, article) > PROPOSER_DAYS:
                found = None  # "the Egyptian proposal" is a recent one, not one of last year
        if found is not None and mention.rule in ("proposer", "definite") and (
                _age(found, article) > FRESH_DAYS):
            strength -= AGED  # the longer ago, the likelier a newer one the catalogue lacks
        if found is not None and strength >= MIN_CONFIDENCE and (
                best is None or strength > best[0]):
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
