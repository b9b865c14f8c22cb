"""Reads for the articles app's pages: what is being brought in (articles, batches, web
pages, feeds), and the review workspace (the queue, an article's drafts and its highlighted
text, one statement's history and likely duplicates)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import (
    Count,
    Exists,
    F,
    Field,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from rapidfuzz import fuzz

from articles.models import Batch, ExtractionModel, Feed, Fetch
from positions.models import STATUSES, Article, Evidence, Negotiation, Proposal, Statement
from positions.services import LINK_CORRECTIONS

PALETTE_SIZE = 8
SORTS = {
    "position": ("first_start", "pk"),
    "confidence": ("-confidence", "first_start", "pk"),
}


def default_negotiation(*, slug: str | None = None) -> Negotiation | None:
    """The negotiation named ``slug``; without one, the first created (the one forms offer
    first). None when there is no such negotiation."""
    negotiations = Negotiation.objects.order_by("pk")
    return negotiations.filter(slug=slug).first() if slug else negotiations.first()


# --- Bringing articles in ----------------------------------------------------------------


def recent_articles(*, limit: int = 100) -> list[Article]:
    """The newest articles, each with ``pending``, its count of drafts still to review."""
    drafts = Count("statements", filter=Q(statements__status=Statement.Status.DRAFT))
    return list(Article.objects.select_related("outlet").annotate(pending=drafts)[:limit])


def recent_batches(*, limit: int = 10) -> list[Batch]:
    """The newest batches with their progress: ``total`` articles, ``final`` (done or
    failed) and ``failed``."""
    return list(
        Batch.objects.annotate(
            total=Count("articles"),
            final=Count("articles", filter=Q(articles__status__in=Article.FINAL)),
            failed=Count("articles", filter=Q(articles__status=Article.Status.FAILED)),
        )[:limit]
    )


def recent_fetches(*, limit: int = 10) -> list[Fetch]:
    """The newest web-page fetches, without the fetched bytes."""
    return list(Fetch.objects.select_related("article").defer("data")[:limit])


def batch_articles(batch: Batch) -> list[Article]:
    """A batch's articles in the order they were read from the archive."""
    return list(batch.articles.select_related("outlet").order_by("pk"))


def feeds_with_counts() -> QuerySet[Feed]:
    """Feeds with the number of their pages ``fetched`` and ``failed``."""
    return Feed.objects.select_related("negotiation").annotate(
        fetched=Count("fetches", filter=Q(fetches__status=Fetch.Status.DONE)),
        failed=Count("fetches", filter=Q(fetches__status=Fetch.Status.FAILED)),
    )


def draft_counts(article: Article) -> dict[str, int]:
    """An article's statements: ``drafts`` still to review, and the ``total``."""
    return article.statements.aggregate(
        drafts=Count("pk", filter=Q(status=Statement.Status.DRAFT)), total=Count("pk")
    )


# --- The review workspace ----------------------------------------------------------------


@dataclass
class Segment:
    """A run of the article body; ``statements`` are the drafts whose evidence covers it."""

    start: int
    text: str
    statements: list[Statement] = field(default_factory=list)

    @property
    def statement_ids(self) -> str:
        return " ".join(str(statement.pk) for statement in self.statements)

    @property
    def palette(self) -> int | None:
        return getattr(self.statements[0], "palette", 0) if self.statements else None


def palette_for(article: Article) -> dict[int, int]:
    """A fixed palette slot per actor, by the actor's place in the negotiation (no inline style)."""
    actor_ids = article.negotiation.participation_set.order_by("role", "actor__name").values_list(
        "actor_id", flat=True
    )
    return {actor_id: index % PALETTE_SIZE for index, actor_id in enumerate(actor_ids)}


# What a card shows of its proposal link: the clauses linked, and the proposal's clauses
# to pick from (a query each only when some statement of the page has them).
CARD_PROPOSAL_PREFETCH = ("clauses", "proposal__clauses")


def proposals_newest_first(negotiation_id: int) -> QuerySet[Proposal]:
    """The negotiation's proposals for an editor to pick from, the newest first (undated last)."""
    return Proposal.objects.filter(negotiation_id=negotiation_id).order_by(
        F("proposed_on").desc(nulls_last=True), "-pk"
    ).only("name", "aliases", "proposed_on")


def proposals_named(negotiation_id: int, text: str) -> list[Proposal]:
    """The proposals an editor's words name, newest first: by name or key, else by an
    alias, else those whose name or an alias contains the words (any case, any spacing).
    Aliases are short JSON lists on a small table: matched in Python, the same on SQLite
    and PostgreSQL."""
    wanted = _words(text)
    if not wanted:
        return []
    proposals = list(Proposal.objects.filter(negotiation_id=negotiation_id).order_by(
        F("proposed_on").desc(nulls_last=True), "-pk"
    ))
    named = [p for p in proposals if wanted in (_words(p.name), p.key.casefold())]
    aliased = [p for p in proposals if wanted in map(_words, p.aliases)]
    return named or aliased or [
        p for p in proposals if any(wanted in _words(name) for name in (p.name, *p.aliases))
    ]


def _words(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def review_statements(
    article: Article, *, sort: str = "position", statuses: Sequence[str] = tuple(STATUSES)
) -> list[Statement]:
    """The article's statements with everything a card shows, in a fixed number of queries."""
    order = SORTS.get(sort, SORTS["position"])
    statements = (
        Statement.objects.filter(article=article, status__in=statuses)
        .select_related("actor", "person", "reviewed_by", "duplicate_of", "proposal")
        .prefetch_related(
            "issues", Prefetch("evidence", queryset=Evidence.objects.order_by("start")),
            *CARD_PROPOSAL_PREFETCH,
        )
        .annotate(first_start=Min("evidence__start"))
        .order_by(*order)
    )
    palette = palette_for(article)
    found: list[Statement] = list(statements)
    for statement in found:
        statement.palette = palette.get(statement.actor_id, PALETTE_SIZE - 1)  # type: ignore[attr-defined]  # set for the card's template
    return found


def highlight(body: str, statements: Sequence[Statement]) -> list[Segment]:
    """Cut the body into segments at every evidence boundary; the template escapes each one."""
    spans = [
        (evidence.start, evidence.end, statement)
        for statement in statements
        for evidence in statement.evidence.all()
        if 0 <= evidence.start < evidence.end <= len(body)
    ]
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = []
        for s, e, statement in spans:
            if s <= start and end <= e and statement not in covering:
                covering.append(statement)
        segments.append(Segment(start, body[start:end], covering))
    return segments


def queue_articles(filters: dict[str, Any]) -> QuerySet[Article]:
    """Articles with drafts matching the filters, each with its count of such drafts."""
    drafts = draft_filter(filters)
    return (
        Article.objects.filter(pk__in=Statement.objects.filter(drafts).values("article_id"))
        .select_related("outlet", "negotiation")
        .annotate(
            pending=Count("statements", filter=_prefixed(drafts)),
            lowest=Min("statements__confidence", filter=_prefixed(drafts)),
            latest=Max("statements__stated_on", filter=_prefixed(drafts)),
        )
        .order_by("created_at", "pk")
    )


def draft_filter(filters: dict[str, Any]) -> Q:
    """A Q on Statement for drafts matching the queue's filters (all optional)."""
    q = Q(status=Statement.Status.DRAFT, article__isnull=False)
    if filters.get("negotiation"):
        q &= Q(negotiation=filters["negotiation"])
    if filters.get("actor"):
        q &= Q(actor=filters["actor"])
    if filters.get("outlet"):
        q &= Q(article__outlet=filters["outlet"])
    if filters.get("article"):
        q &= Q(article=filters["article"])
    if filters.get("min_confidence") is not None:
        q &= Q(confidence__gte=filters["min_confidence"])
    if filters.get("max_confidence") is not None:
        q &= Q(confidence__lte=filters["max_confidence"])
    if filters.get("published_from"):
        q &= Q(article__published_on__gte=filters["published_from"])
    if filters.get("published_to"):
        q &= Q(article__published_on__lte=filters["published_to"])
    return q


def _prefixed(q: Q) -> Q:
    """The same conditions seen from Article (``statements__…``)."""
    children: list[Q | tuple[str, Any]] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child))
        else:
            lookup, value = cast("tuple[str, Any]", child)
            children.append((f"statements__{lookup}", value))
    prefixed = Q(*children, _connector=q.connector, _negated=q.negated)
    return prefixed


def next_article(after: Article) -> Article | None:
    """The next article in the queue with drafts, other than this one."""
    return queue_articles({}).exclude(pk=after.pk).first()


def has_drafts(article: Article) -> bool:
    """Whether the article has drafts still to review."""
    return article.statements.filter(status=Statement.Status.DRAFT).exists()


def draft_ids(filters: dict[str, Any]) -> list[int]:
    """The ids of the drafts matching the queue's filters (what a bulk action would change)."""
    return list(Statement.objects.filter(draft_filter(filters)).values_list("pk", flat=True))


def count_unconditioned(statement_ids: Sequence[int]) -> int:
    """Of these statements, those with a condition stance but no condition text (the card's
    flag, see positions/statement.html)."""
    return Statement.objects.filter(
        pk__in=statement_ids, stance=Statement.Stance.CONDITION, conditions="",
    ).count()


# Bookkeeping fields every review changes: the history table shows the others.
HISTORY_HIDDEN = ["version", "reviewed_by", "reviewed_at"]


def statement_versions(statement: Statement) -> list[Any]:
    """The statement's history, newest first, one row per version, each with ``changed``:
    the names of the fields it changed from the version before (the oldest has none)."""
    history = statement.history.select_related("history_user").order_by("-history_date", "-history_id")
    # A change of issues adds a row at the same version: show one row per version.
    versions: list[Any] = []
    seen: set[int] = set()
    for row in history:
        if row.version not in seen:
            seen.add(row.version)
            versions.append(row)
    labels = {f.name: f.verbose_name for f in Statement._meta.get_fields() if isinstance(f, Field)}
    for row, earlier in itertools.pairwise(versions):
        delta = row.diff_against(earlier, excluded_fields=HISTORY_HIDDEN)
        row.changed = [labels[name] for name in delta.changed_fields]
    return versions


def reported_elsewhere(statement: Statement) -> QuerySet[Statement]:
    """The statements merged into this one from other articles (other outlets' reports)."""
    return (
        statement.duplicates.select_related("article__outlet")
        .exclude(article=statement.article_id).order_by("pk")
    )


def merged_here(statement: Statement) -> QuerySet[Statement] | list[Statement]:
    """The statements merged into this one from its own article (the same report drafted
    twice): not "also reported". None for a hand entry."""
    if not statement.article_id:
        return []
    return statement.duplicates.filter(article=statement.article_id).exclude(article=None).order_by("pk")


def duplicate_suggestions(statement: Statement, *, limit: int = 5) -> list[Statement]:
    """Likely duplicates, most likely first: other drafts and statements of the same
    article (any actor: the extractor may have split one position between a speaker and
    the actor it relays), then of the same outlet, then elsewhere (same actor, a shared
    issue, dates within three days); within each, by how alike the evidence is."""
    issue_ids = [issue.pk for issue in statement.issues.all()]
    elsewhere = Q(actor=statement.actor_id)
    if issue_ids:
        elsewhere &= Q(pk__in=Statement.issues.through.objects.filter(
            issue_id__in=issue_ids).values("statement_id"))
    if statement.stated_on:
        window = timedelta(days=3)
        elsewhere &= Q(
            stated_on__range=(statement.stated_on - window, statement.stated_on + window)
        ) | Q(stated_on__isnull=True)
    same_article = Q(article=statement.article_id) if statement.article_id else Q(pk__in=[])
    candidates = (
        Statement.objects.filter(negotiation=statement.negotiation_id)
        .filter(same_article | elsewhere)
        .exclude(pk=statement.pk)
        .exclude(status__in=[Statement.Status.REJECTED, Statement.Status.DUPLICATE])
        .select_related("actor", "article__outlet")
        .prefetch_related("evidence")
    )
    text = _evidence_text(statement)
    outlet_id = statement.article.outlet_id if statement.article else None

    def rank(candidate: Statement) -> tuple[int, float, int]:
        if statement.article_id and candidate.article_id == statement.article_id:
            group = 0
        elif outlet_id and candidate.article and candidate.article.outlet_id == outlet_id:
            group = 1
        else:
            group = 2
        score = fuzz.token_set_ratio(text, _evidence_text(candidate))
        return group, -score, _distance(statement.stated_on, candidate.stated_on)

    def likely(candidate: Statement, evidence_score: float) -> bool:
        # Another actor's statement is suggested only when its evidence is much alike;
        # the same actor's when evidence or summary is somewhat alike.
        if candidate.actor_id != statement.actor_id:
            return evidence_score >= 60
        both = fuzz.token_set_ratio(_statement_text(statement), _statement_text(candidate))
        return max(evidence_score, both) >= 30

    ranked = sorted(((rank(c), c) for c in candidates[:200]), key=lambda pair: pair[0])
    return [candidate for (_, score, _), candidate in ranked if likely(candidate, -score)][:limit]


def _statement_text(statement: Statement) -> str:
    quotes = " ".join(evidence.text for evidence in statement.evidence.all())
    return f"{statement.summary} {quotes}"


def _evidence_text(statement: Statement) -> str:
    quotes = " ".join(evidence.text for evidence in statement.evidence.all())
    return quotes or statement.summary


def _distance(a: date | None, b: date | None) -> int:
    return abs((a - b).days) if a and b else 99


@dataclass(frozen=True)
class DraftOutcomes:
    """How the drafts one extractor version (code + model) made have fared in review."""

    extractor_version: str
    model_version: str
    drafts: int
    pending: int
    approved_unchanged: int
    edited: int
    rejected: int
    duplicate: int


# History reasons (positions.services) of an editor changing a statement's fields, evidence
# or proposal link (a link confirmed as extraction made it is not a change).
EDIT_REASONS = ("edited",)
EDIT_REASON_PREFIXES = ("split", *LINK_CORRECTIONS)


def draft_outcomes_by_version(*, model_version: str | None = None) -> list[DraftOutcomes]:
    """Per extractor version, its drafts: still pending, approved unchanged, approved after an
    edit, rejected, merged as duplicates; newest version first. One query.

    "Edited" means an editor changed the statement before approving it: its history holds an
    edit, a split or a correction of its proposal link.
    """
    history = Statement.history.model
    edit = _edited()
    statements = Statement.objects.filter(article__isnull=False).exclude(
        extractor_version__in=("", "editor")
    )
    if model_version:
        statements = statements.filter(extractor_version__endswith=f"+{model_version}")
    rows = (
        statements.annotate(was_edited=Exists(history.objects.filter(edit, id=OuterRef("pk"))))
        .values("extractor_version")
        .annotate(
            drafts=Count("pk"),
            pending=Count("pk", filter=Q(status="draft")),
            approved_unchanged=Count("pk", filter=Q(status="approved", was_edited=False)),
            edited=Count("pk", filter=Q(status="approved", was_edited=True)),
            rejected=Count("pk", filter=Q(status="rejected")),
            duplicate=Count("pk", filter=Q(status="duplicate")),
            newest=Max("created_at"),
        )
        .order_by("-newest", "extractor_version")
    )
    return [
        DraftOutcomes(
            extractor_version=row["extractor_version"],
            model_version=row["extractor_version"].partition("+")[2],
            drafts=row["drafts"], pending=row["pending"],
            approved_unchanged=row["approved_unchanged"], edited=row["edited"],
            rejected=row["rejected"], duplicate=row["duplicate"],
        )
        for row in rows
    ]


def _edited() -> Q:
    """History rows of an editor changing a statement (not only its status)."""
    edit = Q(history_change_reason__in=EDIT_REASONS)
    for prefix in EDIT_REASON_PREFIXES:
        edit |= Q(history_change_reason__startswith=prefix)
    return edit


def extraction_models_with_outcomes(
    queryset: QuerySet[ExtractionModel] | None = None,
) -> QuerySet[ExtractionModel]:
    """Stored models, each with how the drafts it made fared (``approved_unchanged``,
    ``edited``, ``rejected``, ``pending``), counted in the same query as the models."""
    history = Statement.history.model
    drafts = Statement.objects.filter(
        article__isnull=False,
        extractor_version__endswith=Concat(Value("+"), OuterRef("version")),
    ).annotate(was_edited=Exists(history.objects.filter(_edited(), id=OuterRef("pk"))))

    def count(condition: Q) -> Coalesce:
        counted = (
            drafts.filter(condition).order_by().annotate(group=Value(1))
            .values("group").annotate(n=Count("pk")).values("n")
        )
        return Coalesce(Subquery(counted), 0)

    queryset = ExtractionModel.objects.all() if queryset is None else queryset
    return queryset.annotate(
        approved_unchanged=count(Q(status="approved", was_edited=False)),
        edited=count(Q(status="approved", was_edited=True)),
        rejected=count(Q(status="rejected")),
        pending=count(Q(status="draft")),
    )
