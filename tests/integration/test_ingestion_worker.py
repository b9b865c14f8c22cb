"""A real worker process turns an uploaded article into drafts, via Redis and PostgreSQL."""

from __future__ import annotations

import pytest

from articles.services import article_create
from articles.sources import read_text
from positions.demo import demo_data, negotiation_load
from positions.models import Article, Statement
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

STORY = """---
title: Envoys shuttle between the sides
outlet: Test Wire
published: 2024-02-07
---
Hamas will not free more hostages until Israel halts its offensive, a senior Hamas official told reporters on Tuesday.

"We want a permanent ceasefire, not another pause," Osama Hamdan said.

Benjamin Netanyahu rejected the demand on Wednesday and said Israel would keep fighting until every hostage was home.
"""


def test_worker_turns_an_upload_into_drafts(start_worker, editor):
    worker = start_worker()
    negotiation = negotiation_load(data=demo_data())
    article, created = article_create(
        document=read_text(STORY), negotiation=negotiation, uploaded_by=editor
    )
    assert created

    def finished() -> Article | None:
        article.refresh_from_db()
        return article if article.is_final else None

    wait_for(finished)
    assert article.status == Article.Status.DONE, worker.output()[-4000:]
    assert article.attempts == 1
    drafts = Statement.objects.filter(article=article, status=Statement.Status.DRAFT)
    assert drafts.exists()
    assert {draft.actor.name for draft in drafts} <= {"Hamas", "Israel"}
    for draft in drafts:
        evidence = list(draft.evidence.all())
        assert evidence, f"draft {draft.pk} has no evidence"
        assert all(article.body[span.start:span.end] == span.text for span in evidence)
