"""Editors' decisions as training examples: what `manage.py train_extractor --from-database`
learns from.

An article counts once editors have decided every draft on it (a pending draft says nothing
yet about its sentence). Its approved statements are positives with their corrected fields;
hand-entered statements are positives the extractor missed; rejected drafts are negatives;
a statement merged as a duplicate of another in the same article adds its evidence to that
statement's record (the grouping), and one merged with a statement of another article is that
statement's position in this article.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch

from articles.extraction.learning import Example, GoldRecord
from articles.extraction.types import ArticleMeta, Reference
from articles.models import Article
from positions.models import Evidence, Negotiation, Statement
from positions.reference import reference_for

DECIDED = (Statement.Status.APPROVED, Statement.Status.REJECTED, Statement.Status.DUPLICATE)


def _record(statement: Statement, fields: Statement, spans: Iterable[tuple[int, int]]) -> GoldRecord:
    """A gold record with ``fields``' corrected position and ``spans`` as its evidence."""
    return GoldRecord(
        actor=fields.actor.name,
        speaker=statement.speaker,
        issues=tuple(sorted(issue.key for issue in fields.issues.all())),
        stance=fields.stance,
        spans=tuple(sorted(set(spans))),
        quote_type=statement.quote_type,
        date=statement.stated_on,
        date_basis=statement.date_basis if statement.stated_on else "",
        via=statement.via,
        conditions=statement.conditions,
    )


def reviewed_articles(*, negotiation: Negotiation | None = None) -> list[Article]:
    """Articles with at least one decided statement and no draft left to decide."""
    statements = Statement.objects.filter(article=OuterRef("pk"))
    articles = Article.objects.filter(
        Exists(statements.filter(status__in=DECIDED)),
        ~Exists(statements.filter(status=Statement.Status.DRAFT)),
    )
    if negotiation is not None:
        articles = articles.filter(negotiation=negotiation)
    return list(articles.select_related("negotiation", "outlet").order_by("pk"))


def examples_from_database(*, negotiation: Negotiation | None = None) -> list[Example]:
    """One training example per fully reviewed article (see the module's docstring)."""
    articles = reviewed_articles(negotiation=negotiation)
    statements = (
        Statement.objects.filter(article__in=articles)
        .select_related("actor", "duplicate_of__actor")
        .prefetch_related(
            "issues", "duplicate_of__issues",
            Prefetch("evidence", queryset=Evidence.objects.order_by("start")),
        )
        .order_by("pk")
    )
    by_article: dict[int, list[Statement]] = defaultdict(list)
    for statement in statements:
        by_article[statement.article_id].append(statement)  # type: ignore[index]
    references: dict[int, Reference] = {}
    examples = []
    for article in articles:
        if article.negotiation_id not in references:
            references[article.negotiation_id] = reference_for(article.negotiation)
        examples.append(_example(article, by_article[article.pk], references[article.negotiation_id]))
    return examples


def _spans(statement: Statement) -> list[tuple[int, int]]:
    return [(evidence.start, evidence.end) for evidence in statement.evidence.all()]


def _example(article: Article, statements: list[Statement], reference: Reference) -> Example:
    here = {statement.pk for statement in statements}
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for statement in statements:
        canonical = statement.duplicate_of_id
        if statement.status == Statement.Status.DUPLICATE and canonical in here:
            grouped[canonical].extend(_spans(statement))  # type: ignore[index]
    records, rejected = [], []
    for statement in statements:
        if statement.status == Statement.Status.APPROVED:
            records.append(_record(statement, statement, _spans(statement) + grouped[statement.pk]))
        elif statement.status == Statement.Status.DUPLICATE and statement.duplicate_of_id not in here:
            assert statement.duplicate_of is not None
            records.append(_record(statement, statement.duplicate_of, _spans(statement)))
        elif statement.status == Statement.Status.REJECTED and statement.extractor_version != "editor":
            rejected.append(tuple(_spans(statement)))
    meta = ArticleMeta(
        title=article.title, outlet=article.outlet.name if article.outlet else "",
        url=article.url, published=article.published_on,
    )
    return Example(
        key=f"db/{article.pk}", body=article.body, meta=meta, reference=reference,
        records=tuple(records), rejected=tuple(rejected),
    )
