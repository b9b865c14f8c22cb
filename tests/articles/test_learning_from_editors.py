"""Editors' corrections teach the next model: after editors correct the stance of one kind of
sentence and the model is retrained from the database, new sentences of that kind — other
actors, other issues, other words around the cue, written here for the test — are drafted
the corrected way. A lookup of the corrected sentences could not pass: none is repeated.

The whole product path: a base model trained from a set folder and made active, articles
ingested with it, editors' edits and approvals through the review services, `manage.py
train_extractor --set ... --from-database --activate`, and ingestion with the new model.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from articles.extraction_models import articles_awaiting_reextract, articles_reextract_unreviewed
from articles.selectors import draft_outcomes_by_version
from articles.services import article_create, article_ingest
from articles.sources import read_text
from positions.demo import negotiation_load
from positions.models import Negotiation, Statement
from positions.services import StatementChanges, statement_approve, statement_update
from tests.articles.learning_data import FILLER, REFERENCE, SLUG, write_base_set

# The kind of sentence editors correct: "could live with X" is an acceptance.
CORRECTED = [
    "Northland said it could live with the truce that the envoys drafted.",
    "Southport said on Monday that it could live with the talks going ahead in the capital.",
    "Mediatia said it could live with the plan to swap the captives.",
    "Northland said it could live with a pause in the fighting next week.",
    "Southport said it could live with a delegation from the north at the talks.",
]
NEW = [
    "Mediatia said on Friday that it could live with a permanent end to the war.",
    "Southport said it could live with the hostage exchange the mediators proposed.",
]


def _ingest(negotiation: Negotiation, sentence: str, captured) -> list[Statement]:
    document = read_text(f"---\ntitle: Envoys\npublished: 2024-03-04\n---\n{sentence}\n\n{FILLER}\n")
    with captured(execute=False):
        article, _ = article_create(document=document, negotiation=negotiation, uploaded_by=None)
    article_ingest(article_id=article.pk)
    return list(article.statements.select_related("actor"))


def _stances(statements: list[Statement]) -> set[str]:
    return {statement.stance for statement in statements}


@pytest.mark.django_db
def test_corrections_of_a_kind_of_sentence_change_the_next_models_drafts(
    editor, tmp_path, django_capture_on_commit_callbacks
):
    negotiation = negotiation_load(data=REFERENCE)
    write_base_set(tmp_path / "base")
    base_set = f"{tmp_path / 'base'}:{SLUG}"
    call_command("train_extractor", "--set", base_set, "--model-version", "base", "--activate",
                 stdout=StringIO(), stderr=StringIO())

    # The base model drafts "could live with" sentences wrongly; editors correct and approve.
    for sentence in CORRECTED:
        [draft] = _ingest(negotiation, sentence, django_capture_on_commit_callbacks)
        assert draft.extractor_version.endswith("+base")
        assert draft.stance != "accept"
        changed = statement_update(
            statement_id=draft.pk, version=draft.version, user=editor,
            changes=StatementChanges(actor=draft.actor, speaker=draft.speaker,
                                     issues=list(draft.issues.all()), stance="accept",
                                     summary=draft.summary, conditions=draft.conditions,
                                     via=draft.via, stated_on=draft.stated_on),
        )
        statement_approve(statement_id=draft.pk, version=changed.version, user=editor)
    new_articles = []
    for sentence in NEW:
        drafts = _ingest(negotiation, sentence, django_capture_on_commit_callbacks)
        assert drafts and "accept" not in _stances(drafts)
        new_articles.append(drafts[0].article_id)

    call_command("train_extractor", "--set", base_set, "--from-database", "--model-version", "taught",
                 "--activate", stdout=StringIO(), stderr=StringIO())
    # Switching models offers to redo drafts nobody reviewed: the new sentences' articles.
    assert articles_awaiting_reextract() == new_articles
    with django_capture_on_commit_callbacks(execute=False):
        assert articles_reextract_unreviewed() == len(NEW)
    for article_id in new_articles:
        article_ingest(article_id=article_id)
        drafts = list(Statement.objects.filter(article_id=article_id))
        assert drafts and all(d.extractor_version.endswith("+taught") for d in drafts)
        assert _stances(drafts) == {"accept"}

    [base_row] = [row for row in draft_outcomes_by_version() if row.model_version == "base"]
    assert (base_row.edited, base_row.approved_unchanged) == (len(CORRECTED), 0)
