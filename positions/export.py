"""Streamed CSV and JSON exports of approved statements, in constant memory.

Rows come from server-side cursors (``iterator``): the statements, and beside them in the
same order their issue keys, evidence and the outlets of duplicates (``export_rows``);
on PostgreSQL a CSV without shift labels is one ``COPY`` instead (``statements_csv``, a
read with two paths, see ``positions/selectors/vendor.py``). Output is written to a buffer
and yielded in ~64 KiB pieces (one row a time is about half as fast, see DESIGN.md).

Formula injection (OWASP "CSV injection", ../shared/RELIABILITY.md): any text cell that
starts with ``=``, ``+``, ``-``, ``@``, tab, CR or LF is prefixed with a single quote, so
a spreadsheet shows it as text instead of evaluating it. Python's csv module does not.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from positions.models import Article, Clause, Evidence, Issue, Outlet, Statement
from positions.selectors import StatementFilters, StatementIssue, approved_statements
from positions.selectors.modes import Mode
from positions.selectors.proposal_records import (
    ProposalLink,
    proposal_links,
    proposal_links_recorded,
)
from positions.selectors.rules import POSITIONAL_STANCES, shift_label
from positions.selectors.search import matching
from positions.selectors.timeline import Prior
from positions.selectors.vendor import two_paths

CHUNK_ROWS = 2000
FLUSH_BYTES = 64 * 1024
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")
StatementClause = Statement.clauses.through

COLUMNS = [
    "id", "date", "stated_on", "date_basis", "negotiation", "actor", "speaker", "person",
    "stance", "issues", "proposal", "clauses", "summary", "conditions", "quote_type", "via",
    "evidence", "article_title", "outlet", "url", "published_on", "also_reported_by",
    "confidence",
]
# An actor's timeline export: also each statement's shifts, as the timeline shows them
# (the proposal each statement is about is in ``COLUMNS``).
TIMELINE_COLUMNS = [*COLUMNS, "shifts", "shifts_compared_with"]
# The CSV columns read straight from a statement's row, by column: the ORM field of each.
# The others (issues, clauses, evidence, also_reported_by) are gathered per batch of rows.
_FIELDS = {
    "id": "pk", "date": "effective", "stated_on": "stated_on", "date_basis": "date_basis",
    "negotiation": "negotiation__slug", "actor": "actor__name", "speaker": "speaker",
    "person": "person__name", "stance": "stance", "proposal": "proposal__name",
    "summary": "summary",
    "conditions": "conditions", "quote_type": "quote_type", "via": "via",
    "article_title": "article__title", "outlet": "article__outlet__name", "url": "article__url",
    "published_on": "article__published_on", "confidence": "confidence",
}
# Columns that are never text (numbers, dates): the only ones a formula cannot start.
_NOT_TEXT = {"id", "date", "stated_on", "published_on", "confidence"}
# Columns that may hold a date or nothing: written as ISO dates, or empty.
_NULLABLE = (
    "date", "stated_on", "person", "proposal", "article_title", "outlet", "url", "published_on",
)


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: risky text gets a leading quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


@dataclass(frozen=True)
class Citation:
    """How to cite what a page or an export shows: its title, its filters by name (never an
    internal id), the data version, when, and the URL that shows it again."""

    title: str
    url: str
    filters: dict[str, str]
    data_version: str
    exported_at: datetime
    parley_version: str
    rows: int | None = None

    @property
    def retrieved_on(self) -> str:
        """The day it was made, in the site's time zone, as ISO (what ``|date:"Y-m-d"`` gives
        for a fraction of its cost)."""
        return timezone.localdate(self.exported_at).isoformat()

    @property
    def filters_text(self) -> str:
        """Its filters as one reads them: "mode: As of; date: 2024-06-01", or "none"."""
        return "; ".join(f"{k}: {v}" for k, v in self.filters.items()) or "none"

    def text(self) -> str:
        """One line (it also travels in an HTTP header, so no line breaks)."""
        text = (
            f"{self.title}. Filters: {self.filters_text}. Data version {self.data_version}, "
            f"Parley {self.parley_version}. Retrieved {self.exported_at:%Y-%m-%d %H:%M} UTC "
            f"from {self.url}"
        )
        return " ".join(text.split())

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title, "url": self.url, "filters": self.filters,
            "data_version": self.data_version, "parley_version": self.parley_version,
            "exported_at": f"{self.exported_at:%Y-%m-%dT%H:%M:%SZ}", "rows": self.rows,
            "text": self.text(),
        }


def citation_for(
    *, title: str, url: str, filters: dict[str, str], data_version: str, rows: int | None = None
) -> Citation:
    """A citation stamped now (UTC) with this Parley's version."""
    return Citation(
        title=title, url=url, filters=filters, data_version=data_version,
        exported_at=timezone.now(), parley_version=settings.PARLEY_VERSION, rows=rows,
    )


def filter_labels(form: Any, *, skip: Sequence[str] = ("format", "bom")) -> dict[str, str]:
    """A bound form's filters by what a reader sees: an actor's or issue's name, a stance's
    label, a date as ISO; hidden fields (format, cursor), ``skip`` and empty ones left out."""
    data = getattr(form, "cleaned_data", {})
    labels: dict[str, str] = {}
    for name, bound in form.fields.items():
        value = data.get(name)
        if value in (None, "", False) or bound.widget.is_hidden or name in skip:
            continue
        label = str(bound.label or name.replace("_", " ")).lower()
        if isinstance(value, date):
            labels[label] = value.strftime(getattr(bound, "label_format", "%Y-%m-%d"))
        elif hasattr(bound, "queryset") or not hasattr(bound, "choices"):
            labels[label] = str(value)
        else:
            choices = {str(k): str(v) for k, v in bound.choices}
            labels[label] = choices.get(str(value), str(value)).lstrip("— ")
    return labels


def cite(response: HttpResponseBase, citation: Citation) -> HttpResponseBase:
    """Put the citation in the response's headers (a CSV has no place of its own for it)."""
    response["X-Parley-Citation"] = citation.text()
    response["Link"] = f'<{iri_to_uri(citation.url)}>; rel="cite-as"'
    return response


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


def _in_export_order(
    qs: QuerySet[Statement], *fields: str, own: bool = False
) -> Iterator[tuple[Any, ...]]:
    """(statement id, *fields) for the statements of ``qs`` in the export's order (their
    effective date, undated first, then their id); ``fields`` across a relation give its
    rows beside each statement, in the order of those fields.

    A relation's rows are read through the statements, a join the database walks in the
    export's order, rather than for the list of their ids, which it would sort whole
    (a third to five times slower on SQLite). The joins are the export's own: the filters
    never join a multi-valued relation (an issue is an EXISTS, ``on_issue``).
    ``own``: the statement's own fields, one row each, which need no further order.
    """
    ordered = qs.order_by(
        F("effective_on").asc(nulls_first=True), "pk", *(() if own else fields)
    )
    return _raw_rows(ordered.values_list("pk", *fields))


def _raw_rows(qs: QuerySet[Any]) -> Iterator[tuple[Any, ...]]:
    """The query's rows as the database driver gives them, streamed (a server-side cursor
    on PostgreSQL), without the ORM's per-value converters (a noticeable share of a row's
    cost on SQLite): every value is already what ``_text`` and the csv module take
    (both drivers give dates as ``date``, numbers as numbers, text as ``str``)."""
    sql, params = qs.query.sql_with_params()
    # As ``iterator`` does: no server-side cursor where the setting forbids them (pgbouncer).
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    cursor = connection.chunked_cursor() if server_side else connection.cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield from rows
    finally:
        cursor.close()


class _Follower:
    """Reads rows ordered as the export is, and hands over those of each statement in turn
    (a merge join: every related table is read once, in one query, with no list of ids)."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.next = next(rows, None)

    def take(self, statement_id: int) -> list[tuple[Any, ...]]:
        """The rows of this statement (the export's next one): its id dropped."""
        found = []
        while self.next is not None and self.next[0] == statement_id:
            found.append(self.next[1:])
            self.next = next(self.rows, None)
        return found


class _History:
    """The actors' positional statements on each issue, walked oldest first alongside the
    export, so that each exported statement meets the previous one on each of its issues
    (what ``previous_positions`` finds one probe at a time, here in one pass).

    An export of every approved statement (of its actor) holds that history itself: it is
    then recorded from the export's rows as they pass (``passed``), with no query of its own.
    """

    def __init__(self, filters: StatementFilters, text: str) -> None:
        self.latest: dict[tuple[int, int], Prior] = {}
        self.follower: _Follower | None = None
        if filters == StatementFilters(actor_id=filters.actor_id) and not text:
            return
        statements = Statement.objects.approved().filter(
            stance__in=POSITIONAL_STANCES, effective_on__isnull=False
        )
        if filters.actor_id:
            statements = statements.filter(actor_id=filters.actor_id)
        self.follower = _Follower(_in_export_order(
            statements.filter(issues__isnull=False),
            "effective_on", "actor_id", "issues__id", "stance", "conditions",
        ))

    def before(self, effective: date, statement_id: int) -> dict[tuple[int, int], Prior]:
        """Per (actor, issue): the newest positional statement before this one."""
        follower = self.follower
        while follower is not None and follower.next is not None and (
            follower.next[1], follower.next[0]
        ) < (effective, statement_id):
            pk, day, actor_id, issue_id, stance, conditions = follower.next
            self.latest[(actor_id, issue_id)] = Prior(pk, day, stance, conditions)
            follower.next = next(follower.rows, None)
        return self.latest

    def passed(self, values: Sequence[Any], actor_id: int, own: list[tuple[Any, ...]]) -> None:
        """An exported statement (its row, its issues) is behind: the history's newest on
        its issues, when the history is the export's own and it is positional and dated."""
        effective, stance = values[_DATE_AT], values[_STANCE_AT]
        if self.follower is None and effective is not None and stance in _POSITIONAL:
            prior = Prior(values[_ID_AT], effective, stance, values[_CONDITIONS_AT])
            for _, issue_id, *_ in own:
                self.latest[(actor_id, issue_id)] = prior


_POSITIONAL = frozenset(POSITIONAL_STANCES)


def export_queryset(filters: StatementFilters, text: str = "") -> QuerySet[Statement]:
    """The approved statements an export holds: the filters, and the search text if any."""
    return matching(approved_statements(filters), text=text)


def export_rows(
    filters: StatementFilters, *, text: str = "", shifts: bool = False
) -> Iterator[list[Any]]:
    """Approved statements as rows of ``COLUMNS`` (with ``shifts``: ``TIMELINE_COLUMNS``),
    oldest first, streamed from the database; a cell of several values is a list, a date a
    ``date``, an empty cell None (as the csv module writes them: ISO dates, nothing).

    Five queries whatever the size, read side by side in the same order (``_Follower``):
    the statements (with their proposal's name), their issues, their clauses' keys (in the
    proposal's order), their evidence, their duplicates' outlets.
    ``shifts``: each row also gets, per issue, its shift label against the actor's previous
    positional statement on that issue and which statement that was, as the timeline shows
    them (the actors' positional history, ``_History``: one more query, none when the export
    holds every approved statement of its actor).
    """
    qs = export_queryset(filters, text)
    rows = _in_export_order(qs, *_FIELDS.values(), "actor_id", own=True)
    issues = _Follower(_in_export_order(
        qs.filter(issues__isnull=False),
        "issues__key", "issues__id", "issues__negotiation_id", "issues__position",
    ))
    clauses = _Follower(_in_export_order(
        qs.filter(clauses__isnull=False), "clauses__position", "clauses__key"
    ))
    evidence = _Follower(_in_export_order(
        qs.filter(evidence__isnull=False), "evidence__start", "evidence__text"
    ))
    outlets = _Follower(_in_export_order(
        qs.filter(duplicates__status=Statement.Status.DUPLICATE), "duplicates__article__outlet__name"
    ))
    history = _History(filters, text) if shifts else None
    for values in rows:
        sid, actor_id = values[0], values[-1]
        cells = list(values[1:-1])  # ``_FIELDS``, in ``COLUMNS`` order
        own = issues.take(sid)
        outlet = values[_OUTLET_AT]
        also: list[str] = []
        for (name,) in outlets.take(sid):
            if name and name != outlet and name not in also:
                also.append(name)
        gathered = {
            "issues": [key for key, *_ in own],
            "clauses": [key for _, key in clauses.take(sid)],
            "evidence": [text for _, text in evidence.take(sid)],
            "also_reported_by": also,
        }
        for at, column in _GATHERED_AT:
            cells.insert(at, gathered[column])
        if history is not None:
            cells += _shift_cells(history, values, actor_id, own)
            history.passed(values, actor_id, own)
        yield cells


# ``export_rows``' indexes: in a statement's row from the database (its id, ``_FIELDS``,
# its actor's id), and in ``COLUMNS`` for the columns gathered per statement (ascending,
# so that inserting them in turn puts each at its place).
_FIELD_AT = {column: at for at, column in enumerate(_FIELDS, start=1)}
_OUTLET_AT = _FIELD_AT["outlet"]
_GATHERED_AT = [(at, column) for at, column in enumerate(COLUMNS) if column not in _FIELDS]
_DATE_AT, _ID_AT = _FIELD_AT["date"], _FIELD_AT["id"]
_STANCE_AT, _SUMMARY_AT, _CONDITIONS_AT = (
    _FIELD_AT["stance"], _FIELD_AT["summary"], _FIELD_AT["conditions"]
)


def _in_timeline_order(issue: tuple[Any, ...]) -> tuple[Any, ...]:
    key, _, negotiation_id, position = issue
    return negotiation_id, position, key


def _shift_cells(
    history: _History, values: Sequence[Any], actor_id: int, own: list[tuple[Any, ...]]
) -> list[list[str]]:
    """The ``shifts`` and ``shifts_compared_with`` cells of one exported statement (its row
    from the database, its issues)."""
    shifts: list[str] = []
    compared: list[str] = []
    effective = values[_DATE_AT]
    if effective is None:
        return [shifts, compared]  # no place in time: nothing to compare with
    latest = history.before(effective, values[_ID_AT])
    stance, summary, conditions = values[_STANCE_AT], values[_SUMMARY_AT], values[_CONDITIONS_AT]
    # In the order the timeline lists a statement's issues.
    for key, issue_id, *_ in sorted(own, key=_in_timeline_order):
        prior = latest.get((actor_id, issue_id))
        if prior is None:
            continue
        label = shift_label(previous_stance=prior.stance, previous_conditions=prior.conditions,
                            stance=stance, conditions=conditions, summary=summary)
        if label:
            shifts.append(f"{key}: {label}")
            compared.append(f"{key}: #{prior.pk} ({_text(prior.effective)}, {prior.stance})")
    return [shifts, compared]


def export_records(
    filters: StatementFilters, *, text: str = "", shifts: bool = False
) -> Iterator[dict[str, Any]]:
    """``export_rows`` as dicts by column (the JSON export's statements): dates as ISO
    text, empty cells as ""."""
    columns = TIMELINE_COLUMNS if shifts else COLUMNS
    for row in export_rows(filters, text=text, shifts=shifts):
        record = dict(zip(columns, row, strict=True))
        for column in _NULLABLE:
            record[column] = _text(record[column])
        yield record


_RISKY_FIRST = frozenset(DANGEROUS_FIRST)
CSV_BATCH_ROWS = 200  # rows handed to the csv module at once, between checks of the buffer


def _csv_row(cells: Sequence[Any], joiners: Sequence[str]) -> list[Any]:
    """``safe_cell`` of every cell, lists joined (by the column's joiner); inlined, as it
    runs for every cell."""
    row = []
    for value, joiner in zip(cells, joiners, strict=True):
        if value.__class__ is list:
            value = joiner.join(value)
        elif value.__class__ is not str:
            row.append(value)
            continue
        row.append("'" + value if value[:1] in _RISKY_FIRST else value)
    return row


def stream_csv(
    rows: Iterable[Sequence[Any]], *, bom: bool, columns: Sequence[str] = COLUMNS,
) -> Iterator[bytes]:
    """CSV bytes in ~64 KiB pieces: optional BOM, the header row, the rows (cells in the
    order of ``columns``); nothing else (the citation goes in the response's headers, see
    ``cite``). Rows go to the csv module in batches (one call each), not one by one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write("\ufeff")
    writer.writerow(columns)
    joiners = [" | " if column == "evidence" else "; " for column in columns]
    rows = iter(rows)
    while batch := list(islice(rows, CSV_BATCH_ROWS)):
        writer.writerows([_csv_row(row, joiners) for row in batch])
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _escaped(column: str) -> str:
    """SQL for a text column with the same formula-injection prefix as ``safe_cell``."""
    return (
        f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', E'\\n') "
        f"THEN '''' || {column} ELSE {column} END"
    )


def _copy_sql(filters: StatementFilters, text: str = "") -> tuple[str, tuple[Any, ...]]:
    """``COPY (…) TO STDOUT`` of exactly the CSV columns, filtered by the ORM's own SQL.

    The ORM's query (filters, effective date, joins) is materialised once as ``base``, its
    columns named after the CSV's; issue keys, clause keys, evidence and other outlets are aggregated
    for its ids and joined, which lets PostgreSQL hash-join a large export instead of
    running three lookups a row. Every text column gets the formula-injection prefix.
    """
    base_sql, params = (
        export_queryset(filters, text)
        .values_list(*_FIELDS.values(), "article__outlet_id")
        .order_by()
        .query.sql_with_params()
    )
    base_columns = ", ".join(f'"{name}"' for name in [*_FIELDS, "outlet_id"])
    gathered = {
        "issues": "ik.v", "clauses": "cl.v", "evidence": "ev.v", "also_reported_by": "du.v",
    }
    cells = [gathered.get(column, f'base."{column}"') for column in COLUMNS]
    outer = ", ".join(
        cell if column in _NOT_TEXT else _escaped(cell)
        for column, cell in zip(COLUMNS, cells, strict=True)
    )
    statement = Statement._meta.db_table
    article = Article._meta.db_table
    sql = f"""
        COPY (
          WITH base ({base_columns}) AS MATERIALIZED ({base_sql})
          SELECT {outer}
          FROM base
          LEFT JOIN (
            SELECT si.statement_id AS id, string_agg(i.key, '; ' ORDER BY i.key) AS v
            FROM {StatementIssue._meta.db_table} si
            JOIN {Issue._meta.db_table} i ON i.id = si.issue_id
            WHERE si.statement_id IN (SELECT "id" FROM base)
            GROUP BY si.statement_id
          ) ik ON ik.id = base."id"
          LEFT JOIN (
            SELECT sc.statement_id AS id,
                   string_agg(c.key, '; ' ORDER BY c.position, c.key) AS v
            FROM {StatementClause._meta.db_table} sc
            JOIN {Clause._meta.db_table} c ON c.id = sc.clause_id
            WHERE sc.statement_id IN (SELECT "id" FROM base)
            GROUP BY sc.statement_id
          ) cl ON cl.id = base."id"
          LEFT JOIN (
            SELECT e.statement_id AS id, string_agg(e.text, ' | ' ORDER BY e.start) AS v
            FROM {Evidence._meta.db_table} e
            WHERE e.statement_id IN (SELECT "id" FROM base)
            GROUP BY e.statement_id
          ) ev ON ev.id = base."id"
          LEFT JOIN (
            SELECT d.duplicate_of_id AS id, string_agg(DISTINCT o.name, '; ' ORDER BY o.name) AS v
            FROM {statement} d
            JOIN base canonical ON canonical."id" = d.duplicate_of_id
            JOIN {article} a ON a.id = d.article_id
            JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id
            WHERE d.status = 'duplicate' AND o.id IS DISTINCT FROM canonical."outlet_id"
            GROUP BY d.duplicate_of_id
          ) du ON du.id = base."id"
          ORDER BY base."date" ASC NULLS FIRST, base."id"
        ) TO STDOUT WITH (FORMAT csv)
    """
    return sql, params


def _header(*, bom: bool, columns: Sequence[str]) -> bytes:
    head = io.StringIO()
    if bom:
        head.write("\ufeff")
    csv.writer(head).writerow(columns)
    return head.getvalue().encode("utf-8")


def _csv_by_copy(
    filters: StatementFilters, *, bom: bool, text: str = "", shifts: bool = False
) -> Iterator[bytes]:
    """``statements_csv`` on PostgreSQL, produced by ``COPY … TO STDOUT``.

    The database formats and escapes every cell (see ``_escaped``); Python only gathers
    COPY's per-row messages into ~64 KiB pieces, so this runs near COPY's own speed. The
    shift labels of a timeline export come from Python's rule (``shift_label``): with
    ``shifts`` this is the portable writer.
    """
    if shifts:
        return _csv_by_rows(filters, bom=bom, text=text, shifts=shifts)
    return _copied(filters, bom=bom, text=text)


def _copied(filters: StatementFilters, *, bom: bool, text: str) -> Iterator[bytes]:
    yield _header(bom=bom, columns=COLUMNS)
    sql, params = _copy_sql(filters, text)
    buffer = bytearray()
    with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
        for data in copy:
            buffer += data
            if len(buffer) >= FLUSH_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def _csv_by_rows(
    filters: StatementFilters, *, bom: bool, text: str = "", shifts: bool = False
) -> Iterator[bytes]:
    """``statements_csv`` anywhere: ``export_rows`` written by Python's csv module."""
    rows = export_rows(filters, text=text, shifts=shifts)
    return stream_csv(rows, bom=bom, columns=TIMELINE_COLUMNS if shifts else COLUMNS)


# The approved statements as CSV bytes in ~64 KiB pieces: the header row, then the rows
# oldest first; with ``shifts`` (an actor's timeline) also each row's shift labels.
statements_csv = two_paths("statements CSV", postgresql=_csv_by_copy, portable=_csv_by_rows)


def stream_json(
    records: Iterator[dict[str, Any]], *, citation: Citation, key: str = "statements"
) -> Iterator[bytes]:
    """``{"citation": {...}, "statements": [...]}`` in ~64 KiB pieces."""
    parts = [f'{{"citation": {json.dumps(citation.as_dict())}, {json.dumps(key)}: [']
    size = len(parts[0])
    first = True
    for record in records:
        piece = ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
        parts.append(piece)
        size += len(piece)
        if size >= FLUSH_BYTES:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("]}\n")
    yield "".join(parts).encode("utf-8")


# ---------------------------------------------------------------------------------------
# Exports of what a page shows: the side-by-side matrix and the "what changed" list
# ---------------------------------------------------------------------------------------

# ``mode`` and ``shown_date`` say on every row which matrix it is (positions as of, published
# by, or Parley's record on that date), so rows of several exports stay told apart;
# ``since`` (the record only) what became of the statement after that date.
MATRIX_COLUMNS = [
    "issue_key", "issue", "actor", "role", "statement_id", "date", "stance", "summary",
    "conditions", "proposal", "clauses", "outlets", "gap", "compared_date",
    "compared_statement_id", "compared_stance", "changed", "mode", "shown_date", "since",
]
PROPOSALS_MATRIX_COLUMNS = [
    "proposal_key", "proposal", "parent_key", "proposed_on", "actor", "role", "statement_id",
    "date", "stance", "summary", "conditions", "outlets", "compared_date",
    "compared_statement_id", "compared_stance", "changed", "mode", "shown_date", "since",
]
SHIFT_COLUMNS = [
    "date", "actor", "issue_key", "shift", "statement_id", "stance", "conditions", "summary",
    "proposal", "clauses", "previous_statement_id", "previous_date", "previous_stance",
    "previous_conditions",
]


def _cell_record(matrix: Any, cell: Any) -> dict[str, Any]:
    """A matrix cell's columns, the same in both matrices: its statement, the compared one,
    and the time mode that chose them."""
    now, then = cell.statement, cell.previous
    return {
        "statement_id": now.pk if now else "", "date": _text(getattr(now, "effective", None)),
        "stance": now.stance if now else "", "summary": now.summary if now else "",
        "conditions": now.conditions if now else "", "outlets": now.outlets if now else [],
        "compared_date": _text(matrix.compare),
        "compared_statement_id": then.pk if then else "",
        "compared_stance": then.stance if then else "",
        "changed": ("yes" if cell.changed else "no") if matrix.compare else "",
        "mode": str(matrix.mode), "shown_date": _text(matrix.as_of),
        "since": now.since if now else "",
    }


def matrix_records(matrix: Any) -> list[dict[str, Any]]:
    """One row per cell of a side-by-side matrix (issue × actor), as the page shows it,
    with the proposal and clauses of the cell's statement (two more queries): in the
    ``record`` mode, as they stood on its day."""
    shown = [c.statement.pk for r in matrix.rows for c in r.cells if c.statement]
    links = (proposal_links_recorded(shown, matrix.as_of) if matrix.mode == Mode.RECORD
             else proposal_links(shown))
    records = []
    for row in matrix.rows:
        for cell in row.cells:
            link = links[cell.statement.pk] if cell.statement else ProposalLink()
            records.append({
                "issue_key": row.issue.key, "issue": row.issue.name, "actor": cell.actor.name,
                "role": getattr(cell.actor, "role", ""), "gap": row.gap,
                "proposal": link.name or "", "clauses": link.clauses, **_cell_record(matrix, cell),
            })
    return records


def proposals_matrix_records(matrix: Any) -> list[dict[str, Any]]:
    """One row per cell of the proposals matrix (proposal × actor), as the page shows it."""
    keys = matrix.keys
    return [
        {"proposal_key": row.proposal.key, "proposal": row.proposal.name,
         "parent_key": keys.get(row.proposal.parent_id, "") if row.proposal.parent_id else "",
         "proposed_on": _text(row.proposal.proposed_on), "actor": participation.actor.name,
         "role": participation.role, **_cell_record(matrix, cell)}
        for row in matrix.rows
        for participation, cell in zip(matrix.actors, row.cells, strict=True)
    ]


def shift_records(shifts: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per labelled shift, newest first, as the "what changed" page lists them,
    with the proposal and clauses of the shifting statement (two more queries)."""
    links = proposal_links([shift.statement_id for shift in shifts])
    return [
        {
            "date": _text(shift.effective), "actor": shift.actor, "issue_key": shift.issue_key,
            "shift": shift.label, "statement_id": shift.statement_id, "stance": shift.stance,
            "conditions": shift.conditions, "summary": shift.summary,
            "proposal": links[shift.statement_id].name or "",
            "clauses": links[shift.statement_id].clauses,
            "previous_statement_id": shift.previous_id,
            "previous_date": _text(shift.previous_effective),
            "previous_stance": shift.previous_stance,
            "previous_conditions": shift.previous_conditions,
        }
        for shift in shifts
    ]


def table_response(
    *, records: list[dict[str, Any]], columns: list[str], fmt: str, name: str,
    citation: Citation, bom: bool = False,
) -> StreamingHttpResponse:
    """A page's own rows as a CSV or JSON download, cited like every export."""
    citation = replace(citation, rows=len(records))
    stamp = f"{citation.exported_at:%Y%m%d-%H%M%S}"
    if fmt == "json":
        response = StreamingHttpResponse(
            stream_json(iter(records), citation=citation, key=name),
            content_type="application/json",
        )
        extension = "json"
    else:
        response = StreamingHttpResponse(
            stream_csv(([r[c] for c in columns] for r in records), bom=bom, columns=columns),
            content_type="text/csv; charset=utf-8",
        )
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="parley-{name}-{stamp}.{extension}"'
    cite(response, citation)
    return response
