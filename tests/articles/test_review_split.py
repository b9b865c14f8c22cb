"""Splitting a draft: some evidence spans move to a new draft."""

from __future__ import annotations

from django.urls import reverse

from positions.models import Evidence, Statement
from tests.articles.conftest import htmx


def _two_spans(draft):
    body = draft.article.body
    start = body.index("Southport")
    end = body.index(".", start) + 1
    return Evidence.objects.create(statement=draft, start=start, end=end, text=body[start:end])


def test_moves_the_chosen_span_to_a_new_draft(editor_client, draft):
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


def test_htmx_split_refreshes_the_page(editor_client, draft):
    moved = _two_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "evidence": [moved.pk]}, headers=htmx(f"statement-{draft.pk}"))
    assert response["HX-Refresh"] == "true"


def test_moving_every_span_is_refused(editor_client, draft):
    moved = _two_spans(draft)
    every = [moved.pk, *draft.evidence.exclude(pk=moved.pk).values_list("pk", flat=True)]
    response = editor_client.post(reverse("articles:statement_split", args=[draft.pk]), {"version": 1, "evidence": every})
    assert response.status_code == 422
    assert Statement.objects.count() == 1


# --- Several statements in one step -------------------------------------------------------


def _three_spans(draft):
    """The draft's own span plus two more: one sentence each about Southport and Mediatia."""
    body = draft.article.body
    spans = []
    for word in ("Southport", "Mediatia"):
        start = body.index(word)
        end = body.index(".", start) + 1
        spans.append(Evidence.objects.create(statement=draft, start=start, end=end, text=body[start:end]))
    return spans


def test_service_splits_into_several_drafts_at_once(draft, editor):
    from positions.services import statement_split_parts

    southport, mediatia = _three_spans(draft)
    kept, parts = statement_split_parts(
        statement_id=draft.pk, version=1, parts=[[southport.pk], [mediatia.pk]], user=editor
    )
    assert [list(part.evidence.all()) for part in parts] == [[southport], [mediatia]]
    assert all(part.history.earliest().history_change_reason == f"split from #{draft.pk}" for part in parts)
    assert kept.version == 2 and kept.evidence.count() == 1
    assert kept.history.latest().history_change_reason == (
        f"split: evidence moved to #{parts[0].pk}, #{parts[1].pk}"
    )


def test_service_refuses_a_span_given_twice_and_changes_nothing(draft, editor):
    import pytest
    from django.core.exceptions import ValidationError

    from positions.services import statement_split_parts

    southport, _ = _three_spans(draft)
    with pytest.raises(ValidationError):
        statement_split_parts(statement_id=draft.pk, version=1, parts=[[southport.pk], [southport.pk]], user=editor)
    assert Statement.objects.count() == 1 and draft.evidence.count() == 3


def test_one_submit_makes_every_part_and_one_undo_takes_them_back(editor_client, draft):
    southport, mediatia = _three_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    data = {"version": 1, f"part-{southport.pk}": 1, f"part-{mediatia.pk}": 2}
    response = editor_client.post(url, data)
    assert response.status_code == 302
    parts = list(Statement.objects.exclude(pk=draft.pk).order_by("pk"))
    assert [list(p.evidence.all()) for p in parts] == [[southport], [mediatia]]
    response = editor_client.post(reverse("articles:undo"), {"page": f"article-{draft.article_id}"})
    assert response.status_code == 302
    assert list(Statement.objects.values_list("pk", flat=True)) == [draft.pk]
    draft.refresh_from_db()
    assert draft.evidence.count() == 3 and draft.version == 3
    assert draft.history.latest().history_change_reason == f"undo: split #{draft.pk}"


def test_htmx_split_in_parts_refreshes_and_undo_refreshes(editor_client, draft):
    southport, mediatia = _three_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    data = {"version": 1, f"part-{southport.pk}": 1, f"part-{mediatia.pk}": 1}
    response = editor_client.post(url, data, headers=htmx(f"statement-{draft.pk}"))
    assert response["HX-Refresh"] == "true"
    new = Statement.objects.exclude(pk=draft.pk).get()
    assert set(new.evidence.all()) == {southport, mediatia}
    response = editor_client.post(reverse("articles:undo"), {"page": f"article-{draft.article_id}"},
                                  headers=htmx("undo"))
    assert response["HX-Refresh"] == "true"
    assert Statement.objects.count() == 1


def test_undo_keeps_a_part_edited_since(editor_client, editor, draft):
    from positions.services import statement_approve

    southport, mediatia = _three_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    editor_client.post(url, {"version": 1, f"part-{southport.pk}": 1, f"part-{mediatia.pk}": 2})
    first, _second = Statement.objects.exclude(pk=draft.pk).order_by("pk")
    statement_approve(statement_id=first.pk, version=1, user=editor)
    editor_client.post(reverse("articles:undo"), {"page": f"article-{draft.article_id}"})
    assert set(Statement.objects.values_list("pk", flat=True)) == {draft.pk, first.pk}
    assert list(first.evidence.all()) == [southport]
    assert set(draft.evidence.all()) >= {mediatia}


def test_the_statement_page_offers_a_choice_per_span(editor_client, draft):
    southport, _ = _three_spans(draft)
    page = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    assert f'name="part-{southport.pk}"' in page and "new statement 2" in page


def test_no_part_chosen_is_refused(editor_client, draft):
    _three_spans(draft)
    response = editor_client.post(reverse("articles:statement_split", args=[draft.pk]), {"version": 1})
    assert response.status_code == 422
    assert "Give each new statement" in response.content.decode()
    assert Statement.objects.count() == 1


def test_outsiders_and_researchers_cannot_split(client, researcher_client, outsider_client, draft):
    southport, _ = _three_spans(draft)
    url = reverse("articles:statement_split", args=[draft.pk])
    for someone in (client, researcher_client, outsider_client):
        response = someone.post(url, {"version": 1, f"part-{southport.pk}": 1})
        assert response.status_code in (302, 403)
    assert Statement.objects.count() == 1
