"""Per extractor version, how its drafts fared: approved unchanged, edited, rejected, pending."""

from __future__ import annotations

from django.urls import reverse

from articles.selectors import draft_outcomes_by_version
from positions.services import StatementChanges, statement_approve, statement_reject, statement_update
from tests.factories import ArticleFactory


def test_counts_each_versions_drafts_by_what_editors_did(editor, negotiation, make_drafts):
    article = ArticleFactory.create(negotiation=negotiation)
    kept, edited, rejected, _waiting = make_drafts(article, 4, extractor_version="0.3.0+m1")
    make_drafts(article, 2, extractor_version="0.3.0+m2")
    statement_approve(statement_id=kept.pk, version=1, user=editor)
    changed = statement_update(
        statement_id=edited.pk, version=1, user=editor,
        changes=StatementChanges(actor=edited.actor, speaker="Someone", issues=list(edited.issues.all()),
                                 stance="reject", summary="", conditions="", via="", stated_on=None),
    )
    statement_approve(statement_id=edited.pk, version=changed.version, user=editor)
    statement_reject(statement_id=rejected.pk, version=1, user=editor, reason="not a position")
    rows = {row.extractor_version: row for row in draft_outcomes_by_version()}
    first = rows["0.3.0+m1"]
    assert (first.model_version, first.drafts, first.pending) == ("m1", 4, 1)
    assert (first.approved_unchanged, first.edited, first.rejected) == (1, 1, 1)
    assert (rows["0.3.0+m2"].drafts, rows["0.3.0+m2"].pending) == (2, 2)
    assert [row.model_version for row in draft_outcomes_by_version(model_version="m2")] == ["m2"]


def test_the_queue_shows_how_each_models_drafts_fared(editor_client, negotiation, make_drafts):
    make_drafts(ArticleFactory.create(negotiation=negotiation), 2, extractor_version="0.3.0+m9")
    page = editor_client.get(reverse("articles:queue")).content.decode()
    assert "How each model's drafts fared" in page and "m9" in page
    fragment = editor_client.get(reverse("articles:queue"), HTTP_HX_REQUEST="true",
                                 HTTP_HX_TARGET="queue-table").content.decode()
    assert "How each model" not in fragment
