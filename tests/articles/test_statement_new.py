"""Statements an editor enters: from text selected in an article, or by hand."""

from __future__ import annotations

from django.urls import reverse

from positions.models import Statement


def _data(negotiation, **overrides):
    data = {
        "actor": negotiation.actors.get(name="Mediatia").pk, "speaker": "Mediatia",
        "issues": [negotiation.issues.get(key="ceasefire").pk], "stance": "assess",
        "summary": "Calls the talks serious.", "conditions": "", "via": "", "stated_on": "",
    }
    data.update(overrides)
    return data


def test_selection_becomes_a_draft_with_its_exact_span(editor_client, editor, article, negotiation):
    quote = "Mediatia called the talks very serious."
    url = reverse("articles:statement_new", args=[article.pk])
    response = editor_client.post(url, _data(negotiation, evidence=quote, evidence_start=article.body.index(quote)))
    assert response.status_code == 302
    statement = Statement.objects.get()
    span = statement.evidence.get()
    assert article.body[span.start:span.end] == quote
    assert (statement.status, statement.article, statement.extractor_version) == ("draft", article, "editor")
    record = statement.history.latest()
    assert (record.history_change_reason, record.history_user) == ("entered by an editor", editor)


def test_the_get_form_is_prefilled_from_the_selection(editor_client, article):
    url = reverse("articles:statement_new", args=[article.pk])
    html = editor_client.get(url, {"evidence": "called the talks", "evidence_start": "120"}).content.decode()
    assert "called the talks</textarea>" in html and 'value="120"' in html


def test_evidence_not_in_the_article_is_refused(editor_client, article, negotiation):
    url = reverse("articles:statement_new", args=[article.pk])
    response = editor_client.post(url, _data(negotiation, evidence="words nobody wrote"))
    assert response.status_code == 422
    assert "copied exactly" in response.content.decode()
    assert not Statement.objects.exists()


def test_a_hand_entry_without_an_article_goes_through_the_same_validation(editor_client, negotiation):
    url = reverse("articles:statement_hand")
    bad = editor_client.post(url, _data(negotiation, stance="threaten"))
    assert bad.status_code == 422 and not Statement.objects.exists()
    response = editor_client.post(url, _data(negotiation, approve="on", stated_on="2024-02-02"))
    statement = Statement.objects.get()
    assert response["Location"] == reverse("articles:statement", args=[statement.pk])
    assert (statement.article, statement.status, statement.date_basis) == (None, "approved", "editor")


def test_a_hand_entry_can_name_its_negotiation(editor_client, negotiation):
    from tests.factories import NegotiationFactory

    other = NegotiationFactory.create(slug="river-talks", name="River talks")
    html = editor_client.get(reverse("articles:statement_hand"), {"negotiation": "river-talks"}).content.decode()
    assert "A hand entry in River talks" in html
    assert other.pk
    missing = editor_client.get(reverse("articles:statement_hand"), {"negotiation": "nope"})
    assert missing.status_code == 404


def test_a_hand_entry_names_the_proposal_it_is_about(editor_client, negotiation):
    from tests.factories import ProposalFactory

    plan = ProposalFactory.create(negotiation=negotiation, name="Harbour framework",
                                  aliases=["the harbour paper"])
    url = reverse("articles:statement_hand")
    page = editor_client.get(url).content.decode()
    assert 'name="proposal"' in page and 'list="proposal-names"' in page
    assert '<datalist id="proposal-names"><option value="Harbour framework">' in page
    unknown = editor_client.post(url, _data(negotiation, proposal="the lighthouse plan"))
    assert unknown.status_code == 422 and not Statement.objects.exists()
    assert "is called “the lighthouse plan”" in unknown.content.decode()
    response = editor_client.post(url, _data(negotiation, proposal="The harbour paper"))
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.proposal, statement.proposal_confidence) == (plan, 1.0)


def test_a_proposal_of_another_negotiation_is_refused_by_the_service(editor, negotiation):
    import pytest
    from django.core.exceptions import ValidationError

    from positions.services import StatementChanges, statement_create
    from tests.factories import NegotiationFactory, ProposalFactory

    elsewhere = ProposalFactory.create(negotiation=NegotiationFactory.create(), name="Valley accord")
    changes = StatementChanges(actor=negotiation.actors.first(), speaker="Someone", issues=[],
                               stance="accept", summary="", conditions="", via="", stated_on=None)
    with pytest.raises(ValidationError, match="another negotiation"):
        statement_create(negotiation=negotiation, article=None, changes=changes, user=editor,
                         proposal=elsewhere)
    assert not Statement.objects.exists()
