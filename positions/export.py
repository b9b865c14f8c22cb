"""Streamed CSV and JSON exports of approved statements, in constant memory.

Rows come from one server-side cursor (``iterator``); every 2,000 rows three small queries
fill in issue keys, evidence and the outlets of duplicates. Output is written to a buffer
and yielded in ~64 KiB pieces (one row a time is about half as fast, see DESIGN.md).

Formula injection (OWASP "CSV injection", ../shared/RELIABILITY.md): any text cell that
starts with ``=``, ``+``, ``-``, ``@``, tab, CR or LF is prefixed with a single quote, so
a spreadsheet shows it as text instead of evaluating it. Python's csv module does not.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from positions.models import Article, Evidence, Issue, Outlet, Statement
from positions.selectors import StatementFilters, StatementIssue, approved_statements
from positions.selectors.search import matching
from positions.selectors.timeline import Prior, previous_positions, shift_for

CHUNK_ROWS = 2000
FLUSH_BYTES = 64 * 1024
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")

COLUMNS = [
    "id", "date", "stated_on", "date_basis", "negotiation", "actor", "speaker", "person",
    "stance", "issues", "summary", "conditions", "quote_type", "via", "evidence",
    "article_title", "outlet", "url", "published_on", "also_reported_by", "confidence",
]
# An actor's timeline export: also each statement's shifts, as the timeline shows them.
TIMELINE_COLUMNS = [*COLUMNS, "shifts", "shifts_compared_with"]
_FIELDS = [
    "pk", "effective", "stated_on", "date_basis", "negotiation__slug", "actor__name", "speaker",
    "person__name", "stance", "summary", "conditions", "quote_type", "via", "article__title",
    "article__outlet__name", "article__url", "article__published_on", "confidence",
]


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

    def text(self) -> str:
        """One line (it also travels in an HTTP header, so no line breaks)."""
        filters = "; ".join(f"{k}: {v}" for k, v in self.filters.items()) or "none"
        text = (
            f"{self.title}. Filters: {filters}. Data version {self.data_version}, "
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


def _shifts(batch: Sequence[tuple[Any, ...]]) -> dict[int, list[tuple[str, str, Prior]]]:
    """(issue key, shift label, the statement compared with) per statement of the batch."""
    rows = [
        SimpleNamespace(pk=row[0], effective=row[1], stance=row[8], summary=row[9],
                        conditions=row[10])
        for row in batch
    ]
    by_pk = {row.pk: row for row in rows}
    found: dict[int, list[tuple[str, str, Prior]]] = defaultdict(list)
    for sid, _, key, _, prior in previous_positions(rows):
        label = shift_for(by_pk[sid], prior)
        if label and prior:
            found[sid].append((key, label, prior))
    return found


def _complete(batch: Sequence[tuple[Any, ...]], shifts: bool = False) -> Iterator[dict[str, Any]]:
    """Add issue keys, evidence and other outlets to a batch of rows (three queries), and
    with ``shifts`` the shift labels (one more)."""
    ids = [row[0] for row in batch]
    labels = _shifts(batch) if shifts else {}
    issues: dict[int, list[str]] = defaultdict(list)
    for sid, key in StatementIssue.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "issue__key"
    ).order_by("issue__key"):
        issues[sid].append(key)
    evidence: dict[int, list[str]] = defaultdict(list)
    for sid, text in Evidence.objects.filter(statement_id__in=ids).values_list(
        "statement_id", "text"
    ).order_by("statement_id", "start"):
        evidence[sid].append(text)
    outlets: dict[int, list[str]] = defaultdict(list)
    for sid, outlet in Statement.objects.filter(
        duplicate_of_id__in=ids, status=Statement.Status.DUPLICATE
    ).values_list("duplicate_of_id", "article__outlet__name").order_by(
        "duplicate_of_id", "article__outlet__name"
    ):
        if outlet and outlet not in outlets[sid]:
            outlets[sid].append(outlet)
    for row in batch:
        values = dict(zip(_FIELDS, row, strict=True))
        sid = values["pk"]
        record = {
            "id": sid, "date": _text(values["effective"]), "stated_on": _text(values["stated_on"]),
            "date_basis": values["date_basis"], "negotiation": values["negotiation__slug"],
            "actor": values["actor__name"], "speaker": values["speaker"],
            "person": _text(values["person__name"]), "stance": values["stance"],
            "issues": issues.get(sid, []), "summary": values["summary"],
            "conditions": values["conditions"], "quote_type": values["quote_type"],
            "via": values["via"], "evidence": evidence.get(sid, []),
            "article_title": _text(values["article__title"]),
            "outlet": _text(values["article__outlet__name"]), "url": _text(values["article__url"]),
            "published_on": _text(values["article__published_on"]),
            "also_reported_by": [
                o for o in outlets.get(sid, []) if o != values["article__outlet__name"]
            ],
            "confidence": values["confidence"],
        }
        if shifts:
            record["shifts"] = [f"{key}: {label}" for key, label, _ in labels.get(sid, ())]
            record["shifts_compared_with"] = [
                f"{key}: #{prior.pk} ({_text(prior.effective)}, {prior.stance})"
                for key, _, prior in labels.get(sid, ())
            ]
        yield record


def export_queryset(filters: StatementFilters, text: str = "") -> QuerySet[Statement]:
    """The approved statements an export holds: the filters, and the search text if any."""
    return matching(approved_statements(filters), text=text, vendor=connection.vendor)


def export_records(
    filters: StatementFilters, *, text: str = "", shifts: bool = False
) -> Iterator[dict[str, Any]]:
    """Approved statements as plain dicts, oldest first, streamed from the database.

    ``shifts``: each row also gets, per issue, its shift label against the actor's previous
    positional statement on that issue and which statement that was (as the timeline shows
    them; one more query a batch).
    """
    qs = (
        export_queryset(filters, text)
        .order_by(F("effective").asc(nulls_first=True), "pk")
        .values_list(*_FIELDS)
    )
    batch: list[tuple[Any, ...]] = []
    for row in qs.iterator(chunk_size=CHUNK_ROWS):
        batch.append(row)
        if len(batch) >= CHUNK_ROWS:
            yield from _complete(batch, shifts)
            batch = []
    if batch:
        yield from _complete(batch, shifts)


def _csv_row(record: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    row = []
    for column in columns:
        value = record[column]
        if isinstance(value, list):
            value = " | ".join(value) if column == "evidence" else "; ".join(value)
        row.append(safe_cell(value))
    return row


def stream_csv(
    records: Iterator[dict[str, Any]], *, bom: bool, columns: Sequence[str] = COLUMNS,
) -> Iterator[bytes]:
    """CSV bytes in ~64 KiB pieces: optional BOM, the header row, the rows; nothing else
    (the citation goes in the response's headers, see ``cite``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if bom:
        buffer.write("\ufeff")
    writer.writerow(columns)
    for record in records:
        writer.writerow(_csv_row(record, columns))
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


# Text columns of COLUMNS, by position: these get the formula-injection prefix in SQL.
_TEXT_COLUMNS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19}


def _copy_sql(filters: StatementFilters, text: str = "") -> tuple[str, tuple[Any, ...]]:
    """``COPY (…) TO STDOUT`` of exactly the CSV columns, filtered by the ORM's own SQL.

    The ORM's query (filters, effective date, joins) is materialised once as ``base``;
    issue keys, evidence and other outlets are aggregated for its ids and joined, which
    lets PostgreSQL hash-join a large export instead of running three lookups a row.
    """
    base_sql, params = (
        export_queryset(filters, text)
        .values_list(*_FIELDS, "article__outlet_id")
        .order_by()
        .query.sql_with_params()
    )
    base_names = [f"b{i}" for i in range(len(_FIELDS) + 1)]
    statement = Statement._meta.db_table
    article = Article._meta.db_table
    columns = [
        *base_names[:9], "ik.v", *base_names[9:13], "ev.v", *base_names[13:17], "du.v",
        base_names[17],
    ]
    outer = ", ".join(
        _escaped(column) if i in _TEXT_COLUMNS else column for i, column in enumerate(columns)
    )
    sql = f"""
        COPY (
          WITH base ({", ".join(base_names)}) AS MATERIALIZED ({base_sql})
          SELECT {outer}
          FROM base
          LEFT JOIN (
            SELECT si.statement_id AS id, string_agg(i.key, '; ' ORDER BY i.key) AS v
            FROM {StatementIssue._meta.db_table} si
            JOIN {Issue._meta.db_table} i ON i.id = si.issue_id
            WHERE si.statement_id IN (SELECT b0 FROM base)
            GROUP BY si.statement_id
          ) ik ON ik.id = base.b0
          LEFT JOIN (
            SELECT e.statement_id AS id, string_agg(e.text, ' | ' ORDER BY e.start) AS v
            FROM {Evidence._meta.db_table} e
            WHERE e.statement_id IN (SELECT b0 FROM base)
            GROUP BY e.statement_id
          ) ev ON ev.id = base.b0
          LEFT JOIN (
            SELECT d.duplicate_of_id AS id, string_agg(DISTINCT o.name, '; ' ORDER BY o.name) AS v
            FROM {statement} d
            JOIN base canonical ON canonical.b0 = d.duplicate_of_id
            JOIN {article} a ON a.id = d.article_id
            JOIN {Outlet._meta.db_table} o ON o.id = a.outlet_id
            WHERE d.status = 'duplicate' AND o.id IS DISTINCT FROM canonical.{base_names[-1]}
            GROUP BY d.duplicate_of_id
          ) du ON du.id = base.b0
          ORDER BY base.b1 ASC NULLS FIRST, base.b0
        ) TO STDOUT WITH (FORMAT csv)
    """
    return sql, params


def stream_csv_copy(
    filters: StatementFilters, *, bom: bool, text: str = ""
) -> Iterator[bytes]:
    """PostgreSQL: the same CSV as ``stream_csv``, produced by ``COPY … TO STDOUT``.

    The database formats and escapes every cell (see ``_escaped``); Python only gathers
    COPY's per-row messages into ~64 KiB pieces, so this runs near COPY's own speed.
    """
    head = io.StringIO()
    if bom:
        head.write("\ufeff")
    csv.writer(head).writerow(COLUMNS)
    yield head.getvalue().encode("utf-8")
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

MATRIX_COLUMNS = [
    "issue_key", "issue", "actor", "role", "statement_id", "date", "stance", "summary",
    "conditions", "outlets", "gap", "compared_date", "compared_statement_id",
    "compared_stance", "changed",
]
SHIFT_COLUMNS = [
    "date", "actor", "issue_key", "shift", "statement_id", "stance", "conditions", "summary",
    "previous_statement_id", "previous_date", "previous_stance", "previous_conditions",
]


def matrix_records(matrix: Any) -> list[dict[str, Any]]:
    """One row per cell of a side-by-side matrix (issue × actor), as the page shows it."""
    records = []
    for row in matrix.rows:
        for cell in row.cells:
            now, then = cell.statement, cell.previous
            records.append({
                "issue_key": row.issue.key, "issue": row.issue.name, "actor": cell.actor.name,
                "role": getattr(cell.actor, "role", ""),
                "statement_id": now.pk if now else "", "date": _text(getattr(now, "effective", None)),
                "stance": now.stance if now else "", "summary": now.summary if now else "",
                "conditions": now.conditions if now else "", "outlets": now.outlets if now else [],
                "gap": row.gap, "compared_date": _text(matrix.compare),
                "compared_statement_id": then.pk if then else "",
                "compared_stance": then.stance if then else "",
                "changed": ("yes" if cell.changed else "no") if matrix.compare else "",
            })
    return records


def shift_records(shifts: Sequence[Any]) -> list[dict[str, Any]]:
    """One row per labelled shift, newest first, as the "what changed" page lists them."""
    return [
        {
            "date": _text(shift.effective), "actor": shift.actor, "issue_key": shift.issue_key,
            "shift": shift.label, "statement_id": shift.statement_id, "stance": shift.stance,
            "conditions": shift.conditions, "summary": shift.summary,
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
            stream_csv(iter(records), bom=bom, columns=columns),
            content_type="text/csv; charset=utf-8",
        )
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="parley-{name}-{stamp}.{extension}"'
    cite(response, citation)
    return response
