"""A selection in the article prefills the new statement: actor, issues, stance and date
read from the selected text (no NLP pipeline in the web process); the speaker may be left
empty (the actor's name)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from articles.prefill import selection_prefill
from positions.models import Statement

SELECTION = "Southport rejected the offer and demanded that the war end."


def test_the_selection_names_actor_issues_stance_and_date(article, negotiation):
    negotiation.issues.filter(key="ceasefire/permanent").update(keywords=["war end"])
    initial = selection_prefill(article=article, text=SELECTION)
    assert initial["actor"] == negotiation.actors.get(name="Southport").pk
    assert initial["issues"] == [negotiation.issues.get(key="ceasefire/permanent").pk]
    assert initial["stance"] == "reject"
    assert initial["stated_on"] == date(2024, 1, 17)


def test_nothing_recognised_leaves_the_defaults(article):
    initial = selection_prefill(article=article, text="Nobody in particular.")
    assert "actor" not in initial and initial["issues"] == [] and "stance" not in initial


def test_the_form_opens_prefilled_and_saves_without_a_speaker(editor_client, article, negotiation):
    url = reverse("articles:statement_new", args=[article.pk])
    html = editor_client.get(url + "?" + urlencode({"evidence": SELECTION})).content.decode()
    southport = negotiation.actors.get(name="Southport")
    assert f'<option value="{southport.pk}" selected>' in html
    assert 'value="2024-01-17"' in html and '<option value="reject" selected>' in html
    data = {"actor": southport.pk, "speaker": "", "stance": "reject", "summary": "",
            "conditions": "", "via": "", "stated_on": "2024-01-17", "evidence": SELECTION,
            "approve": "on"}
    response = editor_client.post(url, data)
    assert response.status_code == 302
    saved = Statement.objects.get(article=article, extractor_version="editor")
    assert (saved.speaker, saved.status, saved.stated_on) == ("Southport", "approved", date(2024, 1, 17))
