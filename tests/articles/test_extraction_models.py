"""Stored extraction models: the active one (else the shipped default) is what ingestion
reads, switching is an admin action, and unreviewed drafts of another model can be redone."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.extraction.learning import Weights, shipped_weights
from articles.extraction_models import (
    ModelVersionTaken,
    active_weights,
    articles_awaiting_reextract,
    articles_reextract_unreviewed,
    draft_version,
    extraction_model_activate,
    extraction_model_create,
)
from articles.models import ExtractionModel
from positions.models import Article, Statement
from tests.factories import ArticleFactory


def _weights(version: str, **meta: object) -> Weights:
    return Weights(version=version, params={"bias": len(version)}, meta=dict(meta))


def test_without_an_active_model_ingestion_reads_the_shipped_default(db):
    extraction_model_create(weights=_weights("m1"))
    assert active_weights() is shipped_weights()


def test_the_active_model_is_read_once_and_again_after_a_switch(
    db, django_assert_num_queries
):
    first = extraction_model_create(weights=_weights("m1"), activate=True)
    second = extraction_model_create(weights=_weights("m2"))
    assert active_weights().version == "m1"
    with django_assert_num_queries(1):  # the active record's id and version only
        kept = active_weights()
    assert kept is active_weights()
    extraction_model_activate(model_id=second.pk)
    assert active_weights().version == "m2"
    assert list(ExtractionModel.objects.filter(is_active=True)) == [second]
    first.refresh_from_db()
    assert not first.is_active


def test_at_most_one_model_is_active(db):
    extraction_model_create(weights=_weights("m1"), activate=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtractionModel.objects.create(version="m2", weights="{}", is_active=True)


def test_refuses_a_version_stored_already_and_changes_nothing(db):
    extraction_model_create(weights=_weights("m1"))
    with pytest.raises(ModelVersionTaken):
        extraction_model_create(weights=_weights("m1"), activate=True)
    assert ExtractionModel.objects.filter(is_active=True).count() == 0


@pytest.mark.parametrize("version", ["", "x" * 33, "a+b"])
def test_refuses_a_version_a_draft_could_not_name(db, version):
    with pytest.raises(ValueError):
        extraction_model_create(weights=_weights(version))
    assert not ExtractionModel.objects.exists()


def test_drafts_name_the_code_and_the_model() -> None:
    assert draft_version(_weights("m7")).endswith("+m7")


def test_requeues_only_articles_with_unreviewed_drafts_of_another_model(
    db, negotiation, make_drafts, django_capture_on_commit_callbacks
):
    old, reviewed, current = (ArticleFactory.create(negotiation=negotiation) for _ in range(3))
    make_drafts(old, 2, extractor_version="0.2.4")
    make_drafts(reviewed, 1, extractor_version="0.2.4", status=Statement.Status.APPROVED, version=2)
    extraction_model_create(weights=_weights("m2"), activate=True)
    make_drafts(current, 1, extractor_version=draft_version(active_weights()))
    assert articles_awaiting_reextract() == [old.pk]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert articles_reextract_unreviewed() == 1
    assert len(callbacks) == 1
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses[old.pk] == Article.Status.QUEUED
    assert statuses[reviewed.pk] == statuses[current.pk] == Article.Status.DONE


def test_admin_makes_a_model_active_and_offers_to_redo_old_drafts(
    admin_user, negotiation, make_drafts, django_capture_on_commit_callbacks
):
    from django.test import Client

    make_drafts(ArticleFactory.create(negotiation=negotiation), 1, extractor_version="0.2.4")
    model = extraction_model_create(weights=_weights("m3", figures={"statement_f1": 0.81}))
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:articles_extractionmodel_changelist")
    listing = client.get(url)
    assert b"statement_f1 0.81" in listing.content
    response = client.post(url, {"action": "make_active", "_selected_action": [model.pk]}, follow=True)
    text = response.content.decode()
    assert "Model m3 is now active." in text
    assert "1 article(s) hold drafts nobody has reviewed" in text
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"action": "reextract_unreviewed", "_selected_action": [model.pk]},
                               follow=True)
    assert "1 article(s) queued for re-extraction." in response.content.decode()
    assert Article.objects.get().status == Article.Status.QUEUED


def test_admin_models_are_refused_to_non_staff(editor_client):
    response = editor_client.get(reverse("admin:articles_extractionmodel_changelist"))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("models", [1, 3])
def test_admin_lists_models_with_their_drafts_in_a_fixed_number_of_queries(
    models, admin_user, editor, negotiation, make_drafts, django_assert_num_queries
):
    from django.test import Client

    from positions.services import statement_approve, statement_reject

    for number in range(models):
        extraction_model_create(weights=_weights(f"m{number}"), created_by=admin_user)
    kept, dropped, _waiting = make_drafts(ArticleFactory.create(negotiation=negotiation), 3, extractor_version="0.3.0+m0")
    statement_approve(statement_id=kept.pk, version=1, user=editor)
    statement_reject(statement_id=dropped.pk, version=1, user=editor)
    client = Client()
    client.force_login(admin_user)
    # 1 session, 2 user, 3-4 the changelist's counts (filtered, and all),
    # 5 the models with their creators and their draft counts.
    with django_assert_num_queries(5):
        page = client.get(reverse("admin:articles_extractionmodel_changelist")).content.decode()
    assert "1 / 0 / 1 / 1" in page
    assert page.count("no drafts yet") == models - 1
