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

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch

from articles.extraction.learning import Example, GoldRecord
from articles.extraction.types import ArticleMeta, Draft, Reference
from articles.reference import reference_for
from positions.models import Article, Evidence, Negotiation, Statement

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
        by_article[statement.article_id].append(statement)  # type: ignore[index]  # the query keeps statements with an article
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
            grouped[canonical].extend(_spans(statement))
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


_TOKEN = re.compile(r"[a-z0-9]+")


def _token_f1(first: str, second: str) -> float:
    left, right = Counter(_TOKEN.findall(first.lower())), Counter(_TOKEN.findall(second.lower()))
    common = sum((left & right).values())
    if not common:
        return 0.0
    precision, recall = common / sum(left.values()), common / sum(right.values())
    return 2 * precision * recall / (precision + recall)


def _text(body: str, spans: Iterable[tuple[int, int]]) -> str:
    return " ".join(body[start:end] for start, end in spans)


def _f1(hits: int, predicted: int, expected: int) -> float:
    precision = hits / predicted if predicted else 0.0
    recall = hits / expected if expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def oof_figures(
    examples: Sequence[Example], predictions: Mapping[str, Sequence[Draft]]
) -> dict[str, Any]:
    """Out-of-fold figures as the shared scorer counts them, for a model's metadata.

    A prediction matches a gold record of its article when their evidence texts reach token
    F1 0.4 (greedy, best first, one to one); strict counts a match whose actor, stance and
    at least one issue (a sub-issue as its parent) are right. ``../shared/eval/score.py``
    remains the reference; this keeps the figures with the model where no ../shared exists.

    Also counted, to tell where strict misses come from: gold statements ``missed``,
    predictions ``extra`` (matching no gold), and among matched pairs those with the wrong
    actor, the wrong stance and no issue right (a pair may count in several). Of the misses
    and extras, those that are grouping errors rather than statements not found or not
    there: ``split``, extras whose evidence reaches 0.4 with a gold record already matched
    (one statement drafted as several), and ``merged``, missed gold records a matched draft
    reaches 0.4 with (several statements drafted as one). ``stance_confusion`` counts the
    wrong stances as "gold>drafted", most frequent first.
    """
    hits = strict = stance = predicted = expected = 0
    wrong: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    for example in examples:
        golds = list(example.records)
        preds = list(predictions.get(example.key, ()))
        predicted += len(preds)
        expected += len(golds)
        body = example.body
        pairs = sorted(
            ((_token_f1(_text(body, p.spans), _text(body, g.spans)), i, j)
             for i, p in enumerate(preds) for j, g in enumerate(golds)),
            reverse=True,
        )
        used_p: set[int] = set()
        used_g: set[int] = set()
        for similarity, i, j in pairs:
            if similarity < 0.4 or i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            pred, gold = preds[i], golds[j]
            hits += 1
            stance_ok = pred.stance == gold.stance
            stance += stance_ok
            issues = {key.split("/")[0] for key in pred.issues} & {k.split("/")[0] for k in gold.issues}
            strict += pred.actor == gold.actor and stance_ok and bool(issues)
            wrong["wrong_actor"] += pred.actor != gold.actor
            wrong["wrong_stance"] += not stance_ok
            wrong["no_issue_right"] += not issues
            if not stance_ok:
                confusion[f"{gold.stance}>{pred.stance}"] += 1
        near = {(i, j) for similarity, i, j in pairs if similarity >= 0.4}
        wrong["split"] += len({i for i, j in near if i not in used_p and j in used_g})
        wrong["merged"] += len({j for i, j in near if j not in used_g and i in used_p})
    return {
        "statement_f1": round(_f1(hits, predicted, expected), 3),
        "strict_f1": round(_f1(strict, predicted, expected), 3),
        "stance_on_matched": round(stance / hits, 3) if hits else 0.0,
        "articles": len(examples),
        "gold": expected,
        "predicted": predicted,
        "missed": expected - hits,
        "extra": predicted - hits,
        **{name: wrong[name] for name in ("split", "merged", "wrong_actor", "wrong_stance",
                                          "no_issue_right")},
        "stance_confusion": dict(confusion.most_common()),
    }
