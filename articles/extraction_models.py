"""Trained extraction models in the database: which one ingestion uses, storing a new one,
switching the active one, and re-extracting drafts nobody has reviewed since.

Services in their own module so the ingestion flow in ``articles.services`` stays small.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from articles.extraction import EXTRACTOR_VERSION
from articles.extraction.learning import Weights, shipped_weights
from articles.models import ExtractionModel
from articles.work import ARTICLES
from positions.models import Article, Statement


class ModelVersionTaken(ValueError):
    """A model with this version is stored already."""


@dataclass
class _Cached:
    pk: int | None = None
    version: str = ""
    weights: Weights | None = None


_cached = _Cached()


def active_weights() -> Weights | None:
    """The model ingestion uses: the active database record, else the shipped default.

    One cheap query per call (the active record's id and version); the weights themselves
    are parsed once per process and again only when another model becomes active.
    """
    row = ExtractionModel.objects.filter(is_active=True).values_list("pk", "version").first()
    if row is None:
        return shipped_weights()
    pk, version = row
    if _cached.pk != pk or _cached.version != version or _cached.weights is None:
        text = ExtractionModel.objects.filter(pk=pk).values_list("weights", flat=True).first()
        if text is None:  # deactivated and deleted in between
            return shipped_weights()
        _cached.pk, _cached.version, _cached.weights = pk, version, Weights.from_json(text)
    return _cached.weights


def draft_version(weights: Weights | None) -> str:
    """What a draft records as its maker: the code's version and the model's ("0.3.0+m1")."""
    return f"{EXTRACTOR_VERSION}+{weights.version}" if weights is not None else EXTRACTOR_VERSION


@transaction.atomic
def extraction_model_create(
    *, weights: Weights, created_by: User | None = None, activate: bool = False
) -> ExtractionModel:
    """Store a trained model (and make it the active one when asked).

    Raises:
        ModelVersionTaken: a model of this version is stored already.
        ValueError: the version is empty or longer than the field allows.
    """
    limit = ExtractionModel._meta.get_field("version").max_length or 32
    if not weights.version or len(weights.version) > limit or "+" in weights.version:
        raise ValueError(f"A model version needs 1 to {limit} characters and no '+'.")
    try:
        with transaction.atomic():
            stored = ExtractionModel.objects.create(
                version=weights.version, weights=weights.to_json(), metadata=weights.meta,
                created_by=created_by,
            )
    except IntegrityError:
        raise ModelVersionTaken(f"A model {weights.version!r} is stored already.") from None
    if activate:
        extraction_model_activate(model_id=stored.pk)
        stored.refresh_from_db()
    return stored


@transaction.atomic
def extraction_model_activate(*, model_id: int) -> ExtractionModel:
    """Make this model the one ingestion uses from its next article on."""
    # Lock every active row first, so two admins switching at once serialise here rather
    # than one failing on the one-active constraint.
    list(ExtractionModel.objects.select_for_update().filter(is_active=True))
    ExtractionModel.objects.filter(is_active=True).exclude(pk=model_id).update(is_active=False)
    ExtractionModel.objects.filter(pk=model_id).update(is_active=True)
    return ExtractionModel.objects.get(pk=model_id)


@transaction.atomic
def extraction_model_deactivate() -> None:
    """Go back to the shipped default model."""
    ExtractionModel.objects.filter(is_active=True).update(is_active=False)


def articles_awaiting_reextract() -> list[int]:
    """Done articles holding drafts nobody reviewed that an older model (or code) made."""
    current = draft_version(active_weights())
    stale = Statement.objects.filter(
        article=OuterRef("pk"), status=Statement.Status.DRAFT, version=1
    ).exclude(extractor_version=current)
    return list(
        Article.objects.filter(status=Article.Status.DONE)
        .filter(Exists(stale))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def articles_reextract_unreviewed() -> int:
    """Queue every article whose unreviewed drafts an older model made; count them.

    Ingestion replaces only drafts nobody touched: whatever an editor decided stays.
    """
    ids = articles_awaiting_reextract()
    ARTICLES.requeue(ids, settled=Article.FINAL)
    return len(ids)
