"""Which statements count on a day, by time mode, and the latest of them per actor × issue
(or × proposal).

Three modes answer three questions about a day D:

- ``as_of``: each actor's latest approved position dated on or before D (today's record,
  looking back);
- ``published``: the same, counting only statements whose article was published on or
  before D, or that another outlet's report merged into them was (what a reader could
  have known that day; a statement without a dated article counts from its own date);
- ``record``: the statements as editors had approved them at the end of D, read from the
  change history (django-simple-history): one approved after D is absent, one edited after
  D shows its values of D, one rejected or merged after D still shows if it was approved
  on D.

``candidates`` gives a mode's statements on a day as SQL over one table (the statements, or
their history) plus the probe that puts a row on an issue or a proposal; ``latest_per_actor``
ranks them, newest effective date first, one lookup per actor × issue or proposal (LATERAL
on PostgreSQL, a correlated subquery elsewhere, both walking an index and stopping at the
first match); ``positions_for`` reads the winners' values as the mode has them.
``Candidates.queryset`` is the same set through the ORM, for reads that list rather than rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format

from positions.models import Article, Outlet, Person, Statement
from positions.selectors.common import StatementIssue
from positions.selectors.rules import POSITIONAL_STANCES
from positions.selectors.vendor import two_paths


class Mode(models.TextChoices):
    AS_OF = "as_of", "As of"
    PUBLISHED = "published", "Published by"
    RECORD = "record", "Parley's record on"


MODE_HELP: dict[str, str] = {
    Mode.AS_OF: "Each actor's latest approved position dated on or before the day.",
    Mode.PUBLISHED: "Only statements whose article was out by the day: what could be known then.",
    Mode.RECORD: "The statements as editors had approved them that day, from Parley's history.",
}


_PHRASES: dict[str, str] = {
    Mode.AS_OF: "as of", Mode.PUBLISHED: "published by", Mode.RECORD: "in Parley's record on",
}


def mode_phrase(mode: str, day: date) -> str:
    """How a heading or a caption names the mode and its day: "published by 1 June 2024"."""
    return f"{_PHRASES[Mode(mode)]} {date_format(day, 'j F Y')}"


class ShownByMode:
    """A matrix on a day in a time mode (its ``mode`` and ``as_of`` fields): how headings
    and captions name what it shows."""

    mode: str
    as_of: date

    @property
    def shows(self) -> str:
        """What the matrix shows: "published by 1 June 2024"."""
        return mode_phrase(self.mode, self.as_of)


def mode_choices() -> list[tuple[str, str, str]]:
    """(key, label, one line of explanation) per mode, in order."""
    return [(str(key), str(label), MODE_HELP[key]) for key, label in Mode.choices]


class By(StrEnum):
    """What a matrix's rows are: issues or proposals."""

    ISSUE = "issue"
    PROPOSAL = "proposal"


HistoricalStatement: Any = Statement.history.model  # made by simple-history: untyped
IssuesHistory: Any = HistoricalStatement.issues.model


def end_of(day: date) -> datetime:
    """The first instant after the day, in the site's time zone (the record's cutoff)."""
    following = min(day, date.max - timedelta(days=1)) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(following, time.min))


def recorded_on(day: date) -> QuerySet[Any]:
    """Each statement's history row as it stood at the end of the day: its last row before
    then, unless that row records its deletion."""
    cutoff = end_of(day)
    later = HistoricalStatement.objects.filter(id=OuterRef("id"), history_date__lt=cutoff).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )
    rows: QuerySet[Any] = HistoricalStatement.objects.filter(history_date__lt=cutoff)
    return rows.exclude(history_type="-").exclude(Exists(later))


@dataclass(frozen=True)
class Candidates:
    """The statements a mode counts on a day, for one negotiation.

    As SQL (``where()``: conditions on alias ``s`` of ``table`` and their ``%s``
    parameters): rows with ``actor_id``, ``effective_on``, ``stance``, ``proposal_id`` and the
    statement's ``id``; ``key`` names the row's own key (the statement's id, or the
    history row's id in ``record`` mode), which ``positions_for`` reads back.
    """

    mode: Mode
    day: date
    negotiation_id: int

    @property
    def from_history(self) -> bool:
        return self.mode == Mode.RECORD

    @property
    def table(self) -> str:
        return str((HistoricalStatement if self.from_history else Statement)._meta.db_table)

    @property
    def key(self) -> str:
        return "history_id" if self.from_history else "id"

    def where(self) -> tuple[str, list[Any]]:
        """The mode's conditions on ``s`` and their parameters."""
        sql = "s.status = 'approved' AND s.effective_on <= %s AND s.negotiation_id = %s"
        params: list[Any] = [self.day, self.negotiation_id]
        if self.mode == Mode.PUBLISHED:
            # Its own article out by the day, or another outlet's report of it (a duplicate
            # merged into it). Scalar lookups per row walked, LIMIT 1 rather than EXISTS:
            # PostgreSQL would hash every duplicate and article first (100 ms at 100k).
            articles = Article._meta.db_table
            sql += (f" AND (COALESCE((SELECT a.published_on FROM {articles} a"
                    " WHERE a.id = s.article_id), s.effective_on) <= %s"
                    f" OR (SELECT 1 FROM {Statement._meta.db_table} d"
                    f" JOIN {articles} a ON a.id = d.article_id WHERE d.duplicate_of_id = s.id"
                    " AND d.status = 'duplicate' AND a.published_on <= %s LIMIT 1) IS NOT NULL)")
            params += [self.day, self.day]
        elif self.from_history:
            recorded, more = _recorded_sql(self, "s")
            sql += f" AND {recorded}"
            params += more
        return sql, params

    def probe(self, by: By, group: str, *, exists: bool) -> str:
        """SQL that puts row ``s`` on the issue or proposal whose id is ``group``.

        ``exists``: as EXISTS (portable); otherwise as a LIMIT 1 scalar that PostgreSQL
        runs once per row walked instead of hashing the whole link table first.
        """
        if by == By.PROPOSAL:
            return f"s.proposal_id = {group}"
        links, own = (
            (IssuesHistory._meta.db_table, "history_id") if self.from_history
            else (StatementIssue._meta.db_table, "statement_id")
        )
        lookup = f"SELECT 1 FROM {links} t WHERE t.{own} = s.{self.key} AND t.issue_id = {group}"
        return f"EXISTS ({lookup})" if exists else f"({lookup} LIMIT 1) IS NOT NULL"

    def queryset(self) -> QuerySet[Any]:
        """The same rows through the ORM: ``Statement`` rows, or in ``record`` mode
        ``HistoricalStatement`` rows (their ``id`` is the statement's)."""
        if not self.from_history:
            qs = Statement.objects.approved().filter(
                negotiation_id=self.negotiation_id, effective_on__lte=self.day
            )
            if self.mode == Mode.PUBLISHED:
                reported = Statement.objects.filter(
                    duplicate_of_id=OuterRef("pk"), status=Statement.Status.DUPLICATE,
                    article__published_on__lte=self.day,
                )
                qs = qs.filter(Q(article__published_on__isnull=True)
                               | Q(article__published_on__lte=self.day) | Exists(reported))
            return qs
        return recorded_on(self.day).filter(
            negotiation_id=self.negotiation_id, status=Statement.Status.APPROVED,
            effective_on__lte=self.day,
        )


def _recorded_sql(found: Candidates, alias: str) -> tuple[str, list[Any]]:
    """SQL that keeps history row ``alias`` if it is its statement's last before the end of
    the mode's day and does not record its deletion (``recorded_on`` in plain SQL)."""
    cutoff = connection.ops.adapt_datetimefield_value(end_of(found.day))
    a = alias
    sql = (f"{a}.history_date < %s AND {a}.history_type <> '-' AND NOT EXISTS ("
           f"SELECT 1 FROM {found.table} l WHERE l.id = {a}.id AND l.history_date < %s"
           f" AND (l.history_date > {a}.history_date"
           f" OR (l.history_date = {a}.history_date AND l.history_id > {a}.history_id)))")
    return sql, [cutoff, cutoff]


def candidates(*, mode: Mode | str, day: date, negotiation_id: int) -> Candidates:
    """The statements ``mode`` counts on ``day`` in a negotiation (see ``Candidates``)."""
    return Candidates(mode=Mode(mode), day=day, negotiation_id=negotiation_id)


def _stance_sql(positional: bool) -> tuple[str, list[str]]:
    stances = list(POSITIONAL_STANCES) if positional else []
    if not stances:
        return "", []
    return f"AND s.stance IN ({', '.join(['%s'] * len(stances))})", stances


def _latest_lateral(
    *, found: Candidates, actor_ids: list[int], group_ids: list[int], by: By = By.ISSUE,
    positional: bool = False,
) -> dict[tuple[int, int], int]:
    """``latest_per_actor`` on PostgreSQL: arrays of ids, a LATERAL lookup per pair."""
    where, params = found.where()
    stance, stances = _stance_sql(positional)
    sql = f"""
        SELECT p.actor_id, g.group_id, d.key
        FROM unnest(%s::bigint[]) AS p(actor_id)
        CROSS JOIN unnest(%s::bigint[]) AS g(group_id)
        CROSS JOIN LATERAL (
          SELECT s.{found.key} AS key FROM {found.table} s
          WHERE s.actor_id = p.actor_id AND {where} {stance}
            AND {found.probe(by, "g.group_id", exists=False)}
          ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
        ) d
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [actor_ids, group_ids, *params, *stances])
        return {(a, g): key for a, g, key in cursor.fetchall()}


def _latest_portable(
    *, found: Candidates, actor_ids: list[int], group_ids: list[int], by: By = By.ISSUE,
    positional: bool = False,
) -> dict[tuple[int, int], int]:
    """``latest_per_actor`` in plain SQL (SQLite; PostgreSQL too in the two-path test): the
    pairs as VALUES, and per pair a correlated subquery, newest first, LIMIT 1.
    An empty list becomes [0] (no such row): the query still runs, so the count stays the same.
    """
    actors, groups = actor_ids or [0], group_ids or [0]
    conditions, params = _walk_conditions(found, by, positional)
    sql = f"""
        WITH p(actor_id) AS (VALUES {', '.join(['(%s)'] * len(actors))}),
             g(group_id) AS (VALUES {', '.join(['(%s)'] * len(groups))})
        SELECT p.actor_id, g.group_id, (
          SELECT s.{found.key} FROM {found.table} s
          WHERE s.actor_id = p.actor_id AND {conditions}
          ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
        )
        FROM p CROSS JOIN g
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*actors, *groups, *params])
        return {(a, g): key for a, g, key in cursor.fetchall() if key is not None}


def _walk_conditions(found: Candidates, by: By, positional: bool) -> tuple[str, list[Any]]:
    """What ``_latest_portable``'s walk asks of each row, and its parameters.

    On an issue, the issue first: the walk reads the index (actor, status, date, id) and
    the issue links' index, and visits a row of the table (for its negotiation and the
    mode's other conditions) only once the row is on the issue, a few in ten of those
    walked. SQLite orders a WHERE's terms itself, reading the row first; a CASE is the
    order it keeps. The status and date stay outside as well: they bound the index walk.
    A proposal's probe is a column of the row, and an index of its own: unchanged.
    """
    where, params = found.where()
    stance, stances = _stance_sql(positional)
    probe = found.probe(by, "g.group_id", exists=True)
    if by != By.ISSUE:
        return f"{where} {stance} AND {probe}", [*params, *stances]
    return (f"s.status = 'approved' AND s.effective_on <= %s"
            f" AND CASE WHEN {probe} THEN ({where} {stance}) ELSE FALSE END",
            [found.day, *params, *stances])


# Per (actor, issue or proposal): the key of the mode's latest statement, in one query.
# Both paths walk an (actor, status, effective_on, id) index backwards, of the statements
# or of their history (migration 0012), and stop at the first row on the issue.
latest_per_actor = two_paths("latest statement per cell", postgresql=_latest_lateral,
                             portable=_latest_portable)


@dataclass
class Position:
    """An actor's position on an issue: the statement that states it, as the page, its
    export and the API show it (plain values: sixty cells and more build no model
    instances), with the values its mode gives it."""

    pk: int  # the statement's id
    effective: date | None
    stance: str
    summary: str
    conditions: str
    speaker: str  # the person's name, else the speaker as named in the text
    outlet: str  # its article's outlet
    also: list[str] = field(default_factory=list)  # its duplicates' outlets, as entered
    since: str = ""  # record mode: what became of it after the day ("rejected since", …)

    @property
    def outlets(self) -> list[str]:
        """Every outlet that reported it, once each: its own first."""
        return list(dict.fromkeys(filter(None, (self.outlet, *self.also))))


def gist(position: Position | None) -> tuple[int, str, str] | None:
    """What a comparison of two dates looks at: another statement, or (the record) the same
    one edited to another stance or condition."""
    return (position.pk, position.stance, position.conditions) if position else None


def _in(values: Iterable[int]) -> tuple[str, list[Any]]:
    """``IN (%s, …)`` and its parameters; [0] (no such row) when there are none, so the
    query still runs and the page's query count stays the same."""
    params = list(values) or [0]
    return f"IN ({', '.join(['%s'] * len(params))})", params


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def positions_for(
    found: Candidates, keys: Iterable[int], *, outlets: bool = False
) -> dict[int, Position]:
    """The rows ``latest_per_actor`` chose, by key: one query; with ``outlets`` one more for
    the outlets of their duplicates ("also reported by"); in ``record`` mode one more, for
    what became of them since.

    Plain SQL over the mode's table, like ``latest_per_actor``: a matrix page runs these on
    every request, and building them through the ORM cost several times running them.
    """
    keys_in, params = _in(keys)
    version = ", s.version" if found.from_history else ""
    rows = _rows(
        f"SELECT s.{found.key}, s.id, s.effective_on, s.stance, s.summary, s.conditions,"
        f" p.name, s.speaker, o.name{version} FROM {found.table} s"
        f" LEFT JOIN {Person._meta.db_table} p ON p.id = s.person_id"
        f" LEFT JOIN {Article._meta.db_table} a ON a.id = s.article_id"
        f" LEFT JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id"
        f" WHERE s.{found.key} {keys_in}", params,
    )
    now: dict[int, tuple[str, int]] = {}
    if found.from_history:
        ids_in, ids = _in(row[1] for row in rows)
        now = {pk: (status, current) for pk, status, current in _rows(
            f"SELECT id, status, version FROM {Statement._meta.db_table} WHERE id {ids_in}", ids
        )}
    values = {}
    for row_key, pk, day, stance, summary, conditions, person, speaker, outlet, *rest in rows:
        since = _since(now.get(pk), rest[0]) if found.from_history else ""
        values[row_key] = Position(pk=pk, effective=day, stance=stance, summary=summary,
                                 conditions=conditions, speaker=person or speaker,
                                 outlet=outlet or "", since=since)
    if outlets:
        by_statement = {position.pk: position for position in values.values()}
        for canonical, name in duplicate_outlets_for(found, list(by_statement)):
            by_statement[canonical].also.append(name)
    return values


_SINCE: dict[str, str] = {
    Statement.Status.REJECTED: "rejected since", Statement.Status.DUPLICATE: "merged since",
    Statement.Status.DRAFT: "reopened since",
}


def _since(now: tuple[str, int] | None, version: int) -> str:
    """What became of a statement after the day its record shows."""
    if now is None:
        return "removed since"
    status, current = now
    return _SINCE.get(status, "edited since" if current != version else "")


def record_start(*, negotiation_id: int) -> date | None:
    """The first day the negotiation's statements have history (None: none yet): before
    it, Parley's record holds nothing, whatever the statements' own dates."""
    first = HistoricalStatement.objects.filter(negotiation_id=negotiation_id).order_by(
        "history_date"
    ).values_list("history_date", flat=True).first()
    return timezone.localdate(first) if first else None


def duplicate_outlets_for(found: Candidates, statement_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(canonical id, outlet) for each duplicate report of these statements, in the order
    they were entered, as the mode has them: today's, those out by the day (``published``),
    or those of the day's record."""
    ids_in, params = _in(statement_ids)
    sql = (f"SELECT d.duplicate_of_id, o.name FROM {found.table} d"
           f" JOIN {Article._meta.db_table} a ON a.id = d.article_id"
           f" JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id"
           f" WHERE d.status = 'duplicate' AND d.duplicate_of_id {ids_in}")
    if found.mode == Mode.PUBLISHED:  # the reports out by the day
        sql += " AND (a.published_on IS NULL OR a.published_on <= %s)"
        params.append(found.day)
    elif found.from_history:
        recorded, more = _recorded_sql(found, "d")
        sql += f" AND {recorded}"
        params += more
    return [(canonical, name) for canonical, name in _rows(f"{sql} ORDER BY d.id", params)]
