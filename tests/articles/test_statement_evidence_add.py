"""Text selected in the article becomes more evidence of a statement, without leaving the
review page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions.services import statement_add_evidence

SECOND = "Southport rejected the offer and demanded that the war end."


def test_the_selection_is_added_with_its_offsets_and_history(editor, draft, article):
    updated = statement_add_evidence(statement_id=draft.pk, user=editor, evidence=SECOND)
    spans = [(e.start, e.text) for e in updated.evidence.all()]
    assert (article.body.index(SECOND), SECOND) in spans and len(spans) == 2
    assert updated.version == 2
    assert draft.history.latest().history_change_reason.startswith("evidence added")


def test_text_not_in_the_article_or_already_evidence_is_refused(editor, draft):
    with pytest.raises(ValidationError):
        statement_add_evidence(statement_id=draft.pk, user=editor, evidence="Not in the text.")
    first = draft.evidence.get().text
    with pytest.raises(ValidationError):
        statement_add_evidence(statement_id=draft.pk, user=editor, evidence=first)
    assert draft.evidence.count() == 1


def test_the_view_adds_and_returns_to_the_card(editor_client, draft, article):
    response = editor_client.post(reverse("articles:evidence_add"),
                                  {"statement": draft.pk, "evidence": SECOND})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/articles/{article.pk}/review/#statement-{draft.pk}")
    assert draft.evidence.count() == 2


def test_bad_input_changes_nothing_and_never_redirects_off_site(editor_client, draft):
    response = editor_client.post(reverse("articles:evidence_add"), {"statement": draft.pk},
                                  headers={"Referer": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]
    response = editor_client.post(reverse("articles:evidence_add"),
                                  {"statement": draft.pk, "evidence": "Not in the text."})
    assert response.status_code == 302
    assert draft.evidence.count() == 1


def test_outsiders_cannot_add_evidence(outsider_client, draft):
    response = outsider_client.post(reverse("articles:evidence_add"),
                                    {"statement": draft.pk, "evidence": SECOND})
    assert response.status_code in (302, 403)
    assert draft.evidence.count() == 1
