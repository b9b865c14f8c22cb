"""Splitting a draft: some evidence spans move to a new draft."""

from __future__ import annotations

from django.urls import reverse

from positions.models import Evidence, Statement
from tests.articles.conftest import htmx


def _two_spans(draft):  # type: ignore[no-untyped-def]
    body = draft.article.body
    start = body.index("Southport")
    end = body.index(".", start) + 1
    return Evidence.objects.create(statement=draft, start=start, end=end, text=body[start:end])


def test_moves_the_chosen_span_to_a_new_draft(editor_client, draft):  # type: ignore[no-untyped-def]
    moved = _two_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "evidence": [moved.pk]})
    assert response.status_code == 302
    new = Statement.objects.exclude(pk=draft.pk).get()
    assert list(new.evidence.all()) == [moved]
    assert (new.status, new.actor, list(new.issues.all())) == ("draft", draft.actor, list(draft.issues.all()))
    draft.refresh_from_db()
    assert draft.evidence.count() == 1 and draft.version == 2
    assert draft.history.latest().history_change_reason == f"split: evidence moved to #{new.pk}"
    assert new.history.count() >= 1


def test_htmx_split_refreshes_the_page(editor_client, draft):  # type: ignore[no-untyped-def]
    moved = _two_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "evidence": [moved.pk]}, headers=htmx(f"statement-{draft.pk}"))
    assert response["HX-Refresh"] == "true"


def test_moving_every_span_is_refused(editor_client, draft):  # type: ignore[no-untyped-def]
    moved = _two_spans(draft)
    every = [moved.pk, *draft.evidence.exclude(pk=moved.pk).values_list("pk", flat=True)]
    response = editor_client.post(reverse("articles:statement_split", args=[draft.pk]), {"version": 1, "evidence": every})
    assert response.status_code == 422
    assert Statement.objects.count() == 1
