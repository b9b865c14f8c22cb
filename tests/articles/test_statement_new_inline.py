"""A selection becomes a new statement inline on the review page: the card opens at once
with the quick prefill, a worker task stores the extractor's reading of the selection,
the card polls until it is there and fills in actor, speaker, stance, issues and date, and
saving makes the statement without leaving the page."""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

from django.urls import reverse

from articles.models import SelectionReading
from articles.prefill import selection_read
from articles.tasks import selection_read_task
from positions.models import Statement
from tests.articles.conftest import htmx

SELECTION = "Northland said on Monday that it would accept a truce if the captives were freed."


def test_the_task_stores_the_extractors_reading(article, negotiation):
    reading = SelectionReading.objects.create(token="7d0f5d1e-8a3c-4c9e-9a52-0d2f7c3b1a10",
                                              article=article, text=SELECTION)
    selection_read_task(reading_id=reading.pk)  # called directly: the worker's code, in process
    reading.refresh_from_db()
    assert reading.error == ""
    assert reading.reading["actor"] == negotiation.actors.get(name="Northland").pk
    assert reading.reading["speaker"] and reading.reading["stance"]
    assert negotiation.issues.get(key="ceasefire").pk in reading.reading["issues"]
    assert reading.reading["stated_on"] is not None


def test_the_reading_names_the_proposal_the_selection_is_about(article, negotiation):
    from tests.factories import ProposalFactory

    ProposalFactory.create(negotiation=negotiation, key="harbour", name="Harbour framework",
                           proposed_on=date(2024, 1, 2))
    text = "Northland said on Monday that it accepted the Harbour framework."
    reading = SelectionReading.objects.create(token="5b1e3f0a-2c4d-4e6f-8a9b-0c1d2e3f4a5b",
                                              article=article, text=text)
    selection_read(reading_id=reading.pk)
    reading.refresh_from_db()
    assert reading.reading["proposal"] == "Harbour framework"


def test_a_selection_without_a_statement_says_so(article):
    reading = SelectionReading.objects.create(token="7d0f5d1e-8a3c-4c9e-9a52-0d2f7c3b1a11",
                                              article=article, text="The weather was mild.")
    selection_read(reading_id=reading.pk)
    reading.refresh_from_db()
    assert reading.reading == {} and "found no statement" in reading.error


def _open(editor_client, article, text=SELECTION):
    url = reverse("articles:statement_new_card", args=[article.pk])
    return editor_client.post(url, {"evidence": text, "evidence_start": "0"}, headers=htmx("new-statement-card"))


def test_opening_the_card_enqueues_the_reading_on_commit(
    editor_client, article, negotiation, django_capture_on_commit_callbacks, sent_tasks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = _open(editor_client, article)
    assert response.status_code == 200
    reading = SelectionReading.objects.get()
    assert reading.text == SELECTION and reading.reading is None
    assert sent_tasks == []  # the task is sent once the row is committed, not before
    for callback in callbacks:
        callback()
    assert sent_tasks == [("articles.tasks.selection_read_task", {"reading_id": reading.pk})]
    html = response.content.decode()
    poll = reverse("articles:statement_new_reading", args=[reading.token])
    assert poll in html and 'hx-trigger="every 1s"' in html
    # The quick prefill shows at once.
    northland = negotiation.actors.get(name="Northland")
    assert f'<option value="{northland.pk}" selected>' in html


def test_polling_waits_then_returns_the_filled_card_and_stops(editor_client, article, negotiation):
    _open(editor_client, article)
    reading = SelectionReading.objects.get()
    poll = reverse("articles:statement_new_reading", args=[reading.token])
    assert editor_client.get(poll, headers=htmx("new-statement-card")).status_code == 204
    southport = negotiation.actors.get(name="Southport")
    hostages = negotiation.issues.get(key="hostages")
    reading.reading = {"actor": southport.pk, "speaker": "a Southport envoy", "stance": "condition",
                       "issues": [hostages.pk], "stated_on": "2024-01-15"}
    reading.save()
    response = editor_client.get(poll, headers=htmx("new-statement-card"))
    assert response.status_code == 286  # htmx swaps it in and stops polling
    html = response.content.decode()
    assert f'<option value="{southport.pk}" selected>' in html
    assert 'value="a Southport envoy"' in html and '<option value="condition" selected>' in html
    assert re.search(rf'value="{hostages.pk}"[^>]*checked', html)
    assert 'value="2024-01-15"' in html and "every 1s" not in html


def test_a_failed_reading_keeps_the_quick_prefill_and_says_so(editor_client, article, negotiation):
    _open(editor_client, article)
    reading = SelectionReading.objects.get()
    reading.reading, reading.error = {}, "The extractor found no statement in the selection."
    reading.save()
    poll = reverse("articles:statement_new_reading", args=[reading.token])
    response = editor_client.get(poll, headers=htmx("new-statement-card"))
    html = response.content.decode()
    assert response.status_code == 286 and "found no statement" in html
    assert f'<option value="{negotiation.actors.get(name="Northland").pk}" selected>' in html


def test_saving_the_card_creates_the_statement_in_place(editor_client, article, negotiation):
    northland = negotiation.actors.get(name="Northland")
    data = {"save": "1", "actor": northland.pk, "speaker": "", "stance": "condition", "summary": "",
            "conditions": "the captives are freed", "via": "", "stated_on": "2024-01-15",
            "evidence": SELECTION, "evidence_start": "0"}
    url = reverse("articles:statement_new_card", args=[article.pk])
    response = editor_client.post(url, data, headers=htmx("new-statement-card"))
    assert response.status_code == 200
    statement = Statement.objects.get()
    assert (statement.actor, statement.stance, statement.stated_on) == (northland, "condition", date(2024, 1, 15))
    assert statement.evidence.get().text == SELECTION
    html = response.content.decode()
    assert f'id="statement-{statement.pk}"' in html and f"Statement #{statement.pk} saved." in html
    assert "statement-reviewed" in response["HX-Trigger"]


def test_bad_input_changes_nothing(editor_client, article, negotiation):
    data = {"save": "1", "actor": negotiation.actors.get(name="Northland").pk, "stance": "demand",
            "evidence": "Words that are not in the article at all."}
    url = reverse("articles:statement_new_card", args=[article.pk])
    response = editor_client.post(url, data, headers=htmx("new-statement-card"))
    assert response.status_code == 422 and Statement.objects.count() == 0
    response = _open(editor_client, article, text="   ")
    assert response.status_code == 422 and SelectionReading.objects.count() == 0


def test_outsiders_and_researchers_may_not_open_poll_or_save(
    client, researcher_client, outsider_client, article
):
    reading = SelectionReading.objects.create(token="7d0f5d1e-8a3c-4c9e-9a52-0d2f7c3b1a12",
                                              article=article, text=SELECTION)
    card = reverse("articles:statement_new_card", args=[article.pk])
    poll = reverse("articles:statement_new_reading", args=[reading.token])
    for someone in (client, researcher_client, outsider_client):
        assert someone.post(card, {"evidence": SELECTION}).status_code in (302, 403)
        assert someone.get(poll).status_code in (302, 403)
    assert SelectionReading.objects.count() == 1 and Statement.objects.count() == 0


def test_an_article_in_another_language_is_not_read(article):
    article.language = "fr"
    article.save(update_fields=["language"])
    reading = SelectionReading.objects.create(token="7d0f5d1e-8a3c-4c9e-9a52-0d2f7c3b1a14",
                                              article=article, text=SELECTION)
    selection_read_task(reading_id=reading.pk)
    reading.refresh_from_db()
    assert reading.reading == {} and "does not read French" in reading.error


def test_a_reading_that_fails_in_the_worker_stops_the_wait_saying_why(article):
    reading = SelectionReading.objects.create(token="7d0f5d1e-8a3c-4c9e-9a52-0d2f7c3b1a15",
                                              article=article, text=SELECTION)
    with mock.patch("articles.tasks.selection_read", side_effect=RuntimeError("no pipeline")):
        selection_read_task.apply(kwargs={"reading_id": reading.pk})  # its failure hook runs too
    reading.refresh_from_db()
    assert (reading.reading, reading.error) == ({}, "The extractor could not read it: no pipeline")


def test_while_the_broker_is_down_the_card_keeps_the_quick_prefill(
    editor_client, article, django_capture_on_commit_callbacks, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _open(editor_client, article).status_code == 200
    reading = SelectionReading.objects.get()
    assert reading.reading == {} and "not reachable" in reading.error
