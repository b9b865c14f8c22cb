"""The demo's articles: uploaded and extracted like any editor's, then reviewed as the demo's
editor decided.

Each demo negotiation's articles are Markdown files with front matter under
``positions/demo/articles/<slug>/``; ``decisions.yaml`` beside them is what an editor did with
the drafts: which articles stay in the review queue, which drafts were corrected, rejected or
merged into another outlet's report. Every other draft is approved. A draft is found by a
piece of its evidence (and, where one sentence gave two drafts, its actor and stance as
extracted), so the decisions do not depend on ids and the demo is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from articles.services import article_create, article_ingest
from articles.sources import read_text
from positions.demo import DEMO_DIR
from positions.models import Article, Issue, Negotiation, Statement
from positions.services import (
    StatementChanges,
    statement_merge,
    statement_reject,
    statement_update,
    statements_bulk_review,
)

ARTICLES_ROOT = DEMO_DIR / "articles"  # shipped beside the demo negotiations they belong to
DECISIONS_FILE = "decisions.yaml"
DEMO_EDITOR = "demo-editor"


@dataclass
class DemoArticlesResult:
    """What one run did: counts for the command's log, and decisions that found no draft."""

    articles: int = 0
    added: int = 0
    reviewed: int = 0
    approved: int = 0
    corrected: int = 0
    rejected: int = 0
    merged: int = 0
    left_for_review: int = 0
    pending: int = 0
    unmatched: list[str] = field(default_factory=list)


def demo_articles_dir(slug: str) -> Path:
    """Where a negotiation's demo articles live (the folder may not exist)."""
    return ARTICLES_ROOT / slug


def demo_decisions(slug: str) -> dict[str, Any]:
    """The demo editor's decisions for a negotiation's articles (empty when there are none)."""
    path = demo_articles_dir(slug) / DECISIONS_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _demo_editor() -> User:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=DEMO_EDITOR)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _find(drafts: list[Statement], rule: dict[str, Any]) -> Statement | None:
    """The first draft (by id) whose evidence holds the rule's text, with its actor and stance."""
    for statement in drafts:
        if rule["evidence"] not in " ".join(e.text for e in statement.evidence.all()):
            continue
        if "actor" in rule and statement.actor.name != rule["actor"]:
            continue
        if "stance" in rule and statement.stance != rule["stance"]:
            continue
        return statement
    return None


def _changes(statement: Statement, rule: dict[str, Any], issues: dict[str, Issue]) -> StatementChanges:
    fix = rule["set"]
    actor = statement.actor
    if "actor" in fix:
        actor = statement.negotiation.actors.get(name=fix["actor"])
    keys = fix.get("issues")
    return StatementChanges(
        actor=actor,
        speaker=fix.get("speaker", statement.speaker),
        issues=[issues[key] for key in keys] if keys is not None else list(statement.issues.all()),
        stance=fix.get("stance", statement.stance),
        summary=fix.get("summary", statement.summary),
        conditions=fix.get("conditions", statement.conditions),
        via=statement.via,
        stated_on=fix.get("stated_on", statement.stated_on),
    )


def _review(
    article: Article, name: str, decisions: dict[str, Any], editor: User,
    issues: dict[str, Issue], loaded: dict[str, Article], result: DemoArticlesResult,
) -> list[int]:
    """Apply the editor's corrections, rejections and merges; return the drafts left, to
    approve."""
    drafts = list(
        article.statements.filter(status=Statement.Status.DRAFT)
        .select_related("actor", "negotiation").prefetch_related("evidence", "issues").order_by("pk")
    )
    for rule in decisions.get("correct", ()):
        if rule["article"] != name:
            continue
        statement = _find(drafts, rule)
        unknown = set(rule["set"].get("issues", ())) - issues.keys()
        if statement is None or unknown:
            result.unmatched.append(f"correct {name}: {rule['evidence']!r}")
            continue
        statement_update(
            statement_id=statement.pk, version=statement.version, user=editor,
            changes=_changes(statement, rule, issues),
        )
        result.corrected += 1
    for rule in decisions.get("reject", ()):
        if rule["article"] != name:
            continue
        statement = _find(drafts, rule)
        if statement is None:
            result.unmatched.append(f"reject {name}: {rule['evidence']!r}")
            continue
        current = Statement.objects.get(pk=statement.pk)
        statement_reject(statement_id=current.pk, version=current.version, user=editor,
                         reason=rule.get("reason", ""))
        drafts.remove(statement)
        result.rejected += 1
    for rule in decisions.get("merge", ()):
        if rule["article"] != name:
            continue
        statement = _find(drafts, rule)
        target = rule["into"]
        other = loaded.get(target["article"])
        canonical = other and _find(
            list(other.statements.exclude(status=Statement.Status.REJECTED)
                 .select_related("actor").prefetch_related("evidence").order_by("pk")),
            target,
        )
        if statement is None or canonical is None:
            result.unmatched.append(f"merge {name}: {rule['evidence']!r}")
            continue
        current = Statement.objects.get(pk=statement.pk)
        statement_merge(statement_id=current.pk, version=current.version,
                        canonical_id=canonical.pk, user=editor)
        drafts.remove(statement)
        result.merged += 1
    result.reviewed += 1
    return [statement.pk for statement in drafts]


def demo_articles_load(*, negotiation: Negotiation) -> DemoArticlesResult:
    """Upload, extract and review the negotiation's demo articles; safe to run again.

    An article is reviewed once: when none of its statements has been reviewed yet. An
    article a worker is still extracting (the real stack) is counted as pending and
    reviewed by the next run.
    """
    result = DemoArticlesResult()
    directory = demo_articles_dir(negotiation.slug)
    if not directory.is_dir():
        return result
    decisions = demo_decisions(negotiation.slug)
    keep_as_drafts = set(decisions.get("review", ()))
    editor = _demo_editor()
    issues = {issue.key: issue for issue in negotiation.issues.all()}
    loaded: dict[str, Article] = {}
    for path in sorted(directory.glob("*.md")):
        result.articles += 1
        document = read_text(path.read_bytes(), source_format="markdown")
        article, created = article_create(document=document, negotiation=negotiation, uploaded_by=editor)
        result.added += created
        # Eagerly processed on commit in the embedded setup; otherwise extract it here, where
        # the claim makes sure only one of this call and a worker does it.
        article_ingest(article_id=article.pk)
        article.refresh_from_db()
        loaded[path.name] = article
    # Every article's review in one transaction, the approvals in one bulk decision: the
    # same history as an editor's, in a fraction of the time (SQLite commits are slow).
    with transaction.atomic():
        to_approve: list[int] = []
        for name, article in loaded.items():
            if article.status != Article.Status.DONE:
                result.pending += 1
            elif name in keep_as_drafts:
                result.left_for_review += 1
            elif not article.statements.filter(reviewed_at__isnull=False).exists():
                to_approve += _review(article, name, decisions, editor, issues, loaded, result)
        approved = statements_bulk_review(
            statement_ids=to_approve, approve=True, user=editor, reason="demo"
        )
        result.approved = len(approved)
    return result
