"""Extraction's drafts saved as draft statements: the adapter from ``articles.extraction``'s
output to the domain's ``Statement`` rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.extraction.types import Draft
from positions.models import Actor, Article, Clause, Evidence, Issue, Person, Proposal, Statement


def _spans_inside(spans: Iterable[tuple[int, int]], body: str) -> list[tuple[int, int]]:
    kept = [(start, end) for start, end in spans if 0 <= start < end <= len(body)]
    if not kept:
        raise ValidationError("A statement needs at least one evidence span inside the article.")
    return kept


def _draft_statement(
    article: Article, draft: Draft, actor: Actor, people: dict[str, Person],
    proposals: dict[str, Proposal], extractor_version: str,
) -> Statement:
    proposal = proposals.get(draft.proposal) if draft.proposal else None
    statement = Statement(
        negotiation=article.negotiation,
        article=article,
        actor=actor,
        person=people.get(draft.person) if draft.person else None,
        speaker=draft.speaker[:200] or actor.name,
        stance=draft.stance,
        summary=draft.summary,
        quote_type=draft.quote_type,
        stated_on=draft.stated_on,
        date_basis=draft.date_basis if draft.stated_on else "",
        via=draft.via[:300],
        conditions=draft.conditions,
        confidence=min(max(draft.confidence, 0.0), 1.0),
        extractor_version=extractor_version,
        proposal=proposal,
        proposal_confidence=(
            min(max(draft.proposal_confidence, 0.0), 1.0)
            if proposal is not None and draft.proposal_confidence is not None else None
        ),
    )
    statement.set_effective_on()
    return statement


def statements_create_drafts(
    *, article: Article, drafts: Sequence[Draft], extractor_version: str,
    actors: dict[str, Actor], issues: dict[str, Issue], people: dict[str, Person],
    proposals: dict[str, Proposal] | None = None,
) -> list[Statement]:
    """Save extraction's drafts as draft statements, in a fixed number of queries however many.

    Drafts whose actor is not in the negotiation are skipped. A draft's proposal and clauses
    are kept when ``proposals`` (by key, clauses prefetched) has them, else left out. Each draft gets one
    history row (with its issues) from the history library's bulk helper, as a draft saved
    alone would; an article's thirty drafts one by one took some three hundred queries.
    """
    pending = []
    for draft in drafts:
        actor = actors.get(draft.actor)
        if actor is not None:
            spans = _spans_inside(draft.spans, article.body)
            pending.append((_draft_statement(article, draft, actor, people, proposals or {},
                                             extractor_version), draft, spans))
    if not pending:
        return []
    now = timezone.now()
    with transaction.atomic():
        # What the history library's bulk_create_with_history does, keeping the history rows
        # it makes so that their issues are written from memory rather than read back.
        statements = Statement.objects.bulk_create([statement for statement, _, _ in pending])
        records = Statement.history.bulk_history_create(
            statements, default_change_reason=f"drafted by extractor {extractor_version}",
            default_date=now,
        )
        through = Statement.issues.through
        links = through.objects.bulk_create(
            through(statement_id=statement.pk, issue_id=issues[key].pk)
            for statement, (_, draft, _) in zip(statements, pending, strict=True)
            for key in dict.fromkeys(draft.issues) if key in issues
        )
        clause_links = Statement.clauses.through.objects.bulk_create(
            Statement.clauses.through(statement_id=statement.pk, clause_id=clause.pk)
            for statement, (_, draft, _) in zip(statements, pending, strict=True)
            if statement.proposal is not None
            for clause in _clauses_of(statement.proposal, draft.clauses)
        )
        Evidence.objects.bulk_create(
            Evidence(statement=statement, start=start, end=end, text=article.body[start:end])
            for statement, (_, _, spans) in zip(statements, pending, strict=True)
            for start, end in spans
        )
        history_of = {record.id: record for record in records or ()}  # None: history off
        issues_history = Statement.history.model.issues.model
        issues_history.objects.bulk_create(
            issues_history(history=history_of[link.statement_id], id=link.pk,
                           statement_id=link.statement_id, issue_id=link.issue_id)
            for link in links if link.statement_id in history_of
        )
        clauses_history = Statement.history.model.clauses.model
        clauses_history.objects.bulk_create(
            clauses_history(history=history_of[link.statement_id], id=link.pk,
                            statement_id=link.statement_id, clause_id=link.clause_id)
            for link in clause_links if link.statement_id in history_of
        )
    return statements


def _clauses_of(proposal: Proposal, keys: Sequence[str]) -> list[Clause]:
    """The proposal's clauses with these keys (read from its prefetched clauses)."""
    wanted = set(keys)
    return [clause for clause in proposal.clauses.all() if clause.key in wanted] if wanted else []
