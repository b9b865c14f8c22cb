"""What the learned proposal linker sees of one (statement, candidate proposal) pair.

Every feature is independent of the negotiation: never a proposal's key or name, only how
the candidate relates to the statement and its article — whether the rules picked it and by
which rule, where the article names it (the statement's evidence, its paragraph, the title,
before or after the statement, how often), how old it is and how it ranks among the
proposals of the day, who put it forward relative to the speaker, whether it has a clause on
the statement's issues, how it relates to the other proposals the article names (versions,
replies), and what plan nouns and stance the statement has.

The candidates of a statement are the negotiation's proposals put forward on or before the
article's day (every proposal when the day is unknown), plus the rules' pick.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from articles.extraction.lexicon import words
from articles.extraction.proposal_names import ProposalIndex, named_as_deal, tokens
from articles.extraction.proposals import (
    ArticleProposals,
    Mention,
    _age,
    _antecedent,
    _clauses_on,
    _newest,
    _resolved,
    article_proposals,
    link_statement,
)
from articles.extraction.types import ArticleMeta, ProposalRef, Reference

_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# Words of the evidence that tell a reply or amendment from the plan it answers, a deal's
# extension from the deal, and a deal carried out from the plan it grew out of.
REPLY_CUES = words("""
response responses respond responded responding reply replied answer answered counter
counterproposal counter-proposal amendment amendments amend amended changes demands
""")
EXTENSION_CUES = words("extension extend extended extending prolong prolonged additional")
DEAL_CUES = words("""
released release freed free handed returned implement implemented implementation violation
violated violations breach breached breaches phase stage took effect signed
""")


@dataclass(frozen=True)
class Resolved:
    """A plan noun of the article and the proposal it stands for there."""

    start: int
    end: int
    kind: str  # "name" (a name, alias or variant), "proposer" or "definite" ("the proposal")
    key: str
    listed: tuple[str, ...] = ()  # every proposal the words could name


@dataclass(frozen=True)
class LinkContext:
    """One article read once for all its statements: its plan nouns resolved, its
    paragraphs, and the proposals it names most."""

    article: ArticleProposals
    body: str
    body_mentions: tuple[Resolved, ...]
    title_keys: frozenset[str]
    paragraphs: tuple[tuple[int, int], ...]
    counts: Counter[str] = field(default_factory=Counter)
    # Every proposal any plan noun of the body could name (before resolution), how often.
    listed: Counter[str] = field(default_factory=Counter)
    body_words: frozenset[str] = frozenset()
    title_words: frozenset[str] = frozenset()
    title: str = ""
    distinctive: dict[str, frozenset[str]] = field(default_factory=dict)
    # A text's proposers named and words, by the text: a paragraph or the title is read once
    # however many of its statements the linker scores (``read``).
    _read: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def read(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """The proposers a text names (``_actors_named``) and its words (lower case)."""
        found = self._read.get(text)
        if found is None:
            words = tokens(text)
            found = self._read[text] = (
                _actors_named([t.text for t in words], self), frozenset(t.lower for t in words))
        return found


def _kind(mention: Mention) -> str:
    if mention.rule in ("name", "fuzzy", "generic"):
        return "name"
    return mention.rule


def _resolve(mention: Mention, article: ArticleProposals) -> ProposalRef | None:
    """What a plan noun stands for where it is written (not yet for any statement)."""
    if mention.rule == "definite":
        found = None if mention.newest else _antecedent(mention.start, article, deal=mention.deal)
        return found or _newest(article, deal=mention.deal)
    return _resolved(mention, article)


def link_context(body: str, meta: ArticleMeta, reference: Reference) -> LinkContext:
    """Read an article's plan nouns and paragraphs once.

    Raises:
        Nothing.
    """
    article = article_proposals(body, meta, reference)
    found = []
    for mention in article.mentions:
        proposal = _resolve(mention, article)
        if proposal is not None:
            found.append(Resolved(mention.start, mention.end, _kind(mention), proposal.key,
                                  mention.proposals))
    title = set()
    for mention in article.title_mentions:
        proposal = _resolve(mention, article)
        if proposal is not None:
            title.add(proposal.key)
    paragraphs, start = [], 0
    for match in _PARAGRAPH.finditer(body):
        paragraphs.append((start, match.start()))
        start = match.end()
    paragraphs.append((start, len(body)))
    return LinkContext(article, body, tuple(found), frozenset(title),
                       tuple(p for p in paragraphs if p[1] > p[0]),
                       Counter(m.key for m in found if m.kind != "definite"),
                       Counter(key for m in article.mentions for key in m.proposals),
                       _words(body), _words(meta.title), meta.title,
                       _distinctive(article.index))


def _words(text: str) -> frozenset[str]:
    return frozenset(t.lower for t in tokens(text))


def _distinctive(index: ProposalIndex) -> dict[str, frozenset[str]]:
    """Per proposal, the words of its names that tell it apart ("Biden", "bridging")."""
    found: dict[str, set[str]] = {}
    for distinctive, _, key in index.variants:
        found.setdefault(key, set()).update(distinctive)
    return {key: frozenset(got) for key, got in found.items()}


def _share(wanted: frozenset[str], got: frozenset[str]) -> str:
    if not wanted:
        return "none"
    hits = len(wanted & got)
    return "all" if hits == len(wanted) else ("some" if hits else "no")


@dataclass(frozen=True)
class StatementView:
    """What the linker knows of a statement: its evidence, issues, side and stance."""

    spans: tuple[tuple[int, int], ...]
    issues: tuple[str, ...] = ()
    actor: str = ""
    stance: str = ""
    stated_on: date | None = None


def candidates(context: LinkContext, pick: str | None) -> list[ProposalRef]:
    """The proposals a statement may be about: those put forward by the article's day,
    newest first, and the rules' pick."""
    index = context.article.index
    found = index.dated(index.proposals, context.article.published)
    if pick and all(p.key != pick for p in found):
        found.append(index.proposals[pick])
    return found


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _actors_named(words: Sequence[str], context: LinkContext) -> frozenset[str]:
    """The proposers named by a text's words (as written), in phrases of up to three."""
    proposers = context.article.index.proposers
    found: set[str] = set()
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            found |= proposers.get(" ".join(words[start:start + size]), frozenset())
    return frozenset(found)


def statement_features(context: LinkContext, statement: StatementView) -> tuple[
        list[ProposalRef], list[list[str]], str | None, float | None]:
    """The candidates of a statement and each one's features, with the rules' link (key
    and confidence) among them.

    Raises:
        Nothing.
    """
    article = context.article
    index = article.index
    spans = [s for s in statement.spans if s[1] > s[0]]
    rules = link_statement(article, spans, statement.issues)
    pick = rules.proposal if rules else None
    found = candidates(context, pick)
    if not found:
        return [], [], pick, rules.confidence if rules else None
    first = min((s for s, _ in spans), default=0)
    last = max((e for _, e in spans), default=0)
    paragraph = {p for p in context.paragraphs for s, e in spans if p[0] <= s < p[1] or (
        s <= p[0] < e)}
    evidence_text = " ".join(context.body[s:e] for s, e in spans)
    inside = [m for m in context.body_mentions if any(s <= m.start < e for s, e in spans)]
    in_para = [m for m in context.body_mentions if any(a <= m.start < b for a, b in paragraph)]
    before = [m for m in context.body_mentions if m.end <= first]
    after = [m for m in context.body_mentions if m.start >= last]
    last_before = before[-1].key if before else None
    last_named_before = next((m.key for m in reversed(before) if m.kind != "definite"), None)
    first_after = after[0].key if after else None
    counts = context.counts
    top = max(counts.values(), default=0)
    before_counts = Counter(m.key for m in before if m.kind != "definite")
    top_before = max(before_counts.values(), default=0)
    mentioned = set(counts) | set(context.title_keys)
    named_actors, evidence_words = context.read(evidence_text)
    para_actors, para_words = context.read(" ".join(context.body[a:b] for a, b in paragraph))
    title_actors = context.read(context.title)[0]
    cues = [name for name, wanted in (("reply", REPLY_CUES), ("extension", EXTENSION_CUES),
                                      ("deal", DEAL_CUES)) if evidence_words & wanted]
    distinctive = context.distinctive
    newest_by: dict[frozenset[str], str] = {}
    for proposal in found:
        newest_by.setdefault(frozenset(proposal.proposed_by), proposal.key)
    deal_rank = 0
    plan_noun_in_evidence = bool(inside) or any(
        m.start < e and s < m.end for m in article.mentions for s, e in spans)
    mediators = index.mediators
    stance = statement.stance or "none"
    shared: list[str] = [
        f"stance={stance}",
        "ev_plan_noun" if plan_noun_in_evidence else "ev_no_plan_noun",
        "article_names_none" if not mentioned else "article_names_some",
        f"n_mentioned={_bucket(len(mentioned), (0, 1, 2, 3))}",
    ]
    rows: list[list[str]] = []
    for rank, proposal in enumerate(found):
        key = proposal.key
        age = _age(proposal, article)
        row = list(shared)
        row.append(f"age={_bucket(age, (7, 14, 30, 60, 120, 365))}")
        row.append(f"rank={min(rank, 5)}")
        if key == pick and rules is not None:
            row.append("rule_pick")
            row.append(f"rule_pick_conf={rules.confidence:.2f}")
        for mention in inside:
            if mention.key == key:
                row.append(f"ev:{mention.kind}")
            elif key in mention.listed:
                row.append(f"ev_listed:{mention.kind}")
        for mention in in_para:
            if mention.key == key:
                row.append(f"para:{mention.kind}")
        if key in context.title_keys:
            row.append("title")
        n = counts.get(key, 0)
        row.append(f"count={_bucket(n, (0, 1, 2, 4))}")
        if n and n == top:
            row.append("most_mentioned")
        if before_counts.get(key) and before_counts[key] == top_before:
            row.append("most_mentioned_before")
        if any(m.key == key for m in before):
            row.append("before")
        if any(m.key == key for m in after):
            row.append("after")
        if last_before == key:
            row.append("last_before")
        if last_named_before == key:
            row.append("last_named_before")
        if first_after == key:
            row.append("first_after")
        proposers = set(proposal.proposed_by)
        if statement.actor and statement.actor in proposers:
            row.append(f"speaker_proposed:{stance}")
        elif proposers and proposers <= mediators:
            row.append(f"mediator_proposal:{stance}")
        elif proposers:
            row.append(f"other_proposed:{stance}")
        if proposers & named_actors:
            row.append("proposer_in_evidence")
        if _clauses_on(proposal, statement.issues):
            row.append("clause_on_issues")
        elif not proposal.clauses:
            row.append("no_clauses")
        if named_as_deal(proposal):
            row.append(f"deal:{stance}")
        words = distinctive.get(key, frozenset())
        for where, got in (("ev", evidence_words), ("para", para_words), ("body", context.body_words),
                           ("title", context.title_words)):
            share = _share(words, got)
            if share in ("all", "some"):
                row.append(f"words_{where}={share}")
        listed = context.listed.get(key, 0)
        if listed:
            row.append(f"listed={_bucket(listed, (1, 3))}")
        if proposers & para_actors:
            row.append("proposer_in_paragraph")
        if proposers & title_actors:
            row.append("proposer_in_title")
        if newest_by.get(frozenset(proposal.proposed_by)) == key:
            row.append("newest_of_proposer")
            if proposers & (named_actors | para_actors):
                row.append("newest_of_named_proposer")
        if named_as_deal(proposal):
            row.append(f"deal_rank={min(deal_rank, 2)}")
            deal_rank += 1
        relation = []
        if proposal.parent:
            relation.append("child")
            if proposal.parent == pick:
                relation.append("child_of_pick")
        if pick and index.proposals[pick].parent == key:
            relation.append("parent_of_pick")
        if named_as_deal(proposal):
            relation.append("deal")
        if statement.actor and statement.actor in proposers:
            relation.append("own")
        for cue in cues or ["nocue"]:
            row.extend(f"{cue}&{name}" for name in relation)
        if statement.stated_on is not None and proposal.proposed_on is not None:
            gap = (statement.stated_on - proposal.proposed_on).days
            row.append(f"stated_gap={_bucket(gap, (-1, 0, 2, 7, 30))}")
        if proposal.parent:
            row.append("has_parent")
            if proposal.parent in mentioned:
                row.append("parent_mentioned")
        if any(index.proposals[other].parent == key for other in mentioned if other in index.proposals):
            row.append("child_mentioned")
        # Conjunctions the linear model cannot form: what stands for the plan when the
        # evidence names none.
        if not plan_noun_in_evidence:
            row.extend(f"noplan&{name}" for name in list(row) if name in (
                "last_before", "last_named_before", "most_mentioned", "title", "first_after",
                "rank=0", "clause_on_issues", "before", "words_para=all", "words_body=all",
                "newest_of_named_proposer", "proposer_in_paragraph"))
        rows.append(_with_pairs(row))
    return found, rows, pick, rules.confidence if rules else None


# Features of the statement alone, left out of the pairs (they weigh every candidate alike).
_UNPAIRED = ("stance=", "n_mentioned=", "article_names", "noplan&")


def _with_pairs(row: list[str]) -> list[str]:
    """The row and every pair of its candidate features ("rule_pick|age=<=7"): the linear
    model weighs a combination apart from its parts (cross-validated on the tune half: the
    right proposal ranks first more often)."""
    core = sorted({name for name in row if not name.startswith(_UNPAIRED)})
    return row + [f"{a}|{b}" for i, a in enumerate(core) for b in core[i + 1:]]


def evidence_words(context: LinkContext, statement: StatementView) -> list[str]:
    """The common (lower-case) words of the statement's evidence, for the decision whether
    it is about a proposal at all ("accepted", "response", "talks"); names are left out."""
    found = []
    for start, end in statement.spans:
        for token in tokens(context.body[start:end]):
            if token.text[:1].islower() and token.text.isalpha():
                found.append(f"w:{token.lower}")
    return sorted(set(found))
