"""One statement's provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from positions.models import Statement

CONTEXT_CHARS = 280


@dataclass
class EvidenceInContext:
    before: str
    text: str
    after: str
    start: int
    end: int


@dataclass
class StatementDetail:
    statement: Statement
    evidence: list[EvidenceInContext]
    via_chain: list[str]
    outlets: list[Statement]
    history: list[Any]


def statement_detail(*, statement: Statement) -> StatementDetail:
    """A statement's provenance: evidence in context, reporting chain, outlets, history."""
    body = statement.article.body if statement.article else ""
    evidence = []
    for span in statement.evidence.all():
        if body and body[span.start:span.end] == span.text:
            evidence.append(EvidenceInContext(
                before=body[max(0, span.start - CONTEXT_CHARS):span.start], text=span.text,
                after=body[span.end:span.end + CONTEXT_CHARS], start=span.start, end=span.end,
            ))
        else:
            evidence.append(EvidenceInContext("", span.text, "", span.start, span.end))
    via_chain = [part.strip() for part in re.split(r"\s*(?:>|›|→|;|,| via )\s*", statement.via)
                 if part.strip()]
    outlets = list(
        Statement.objects.filter(duplicate_of=statement)
        .select_related("article__outlet").order_by("article__published_on", "id")
    )
    history = list(statement.history.select_related("history_user").order_by("-history_date")[:50])
    return StatementDetail(
        statement=statement, evidence=evidence, via_chain=via_chain, outlets=outlets,
        history=history,
    )
