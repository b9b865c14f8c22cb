"""Heavy reads for researchers: timelines, positions as of a date, shifts, statement provenance.

Every read here counts only approved statements. A duplicate (the same position reported by
another outlet) is never a row of its own: it is folded into its canonical statement's list
of outlets. An undated statement counts from its article's publication date (its
*effective date*, stored as ``Statement.effective_on`` so that one index serves every
"as of" read); a statement with neither date has no place in time and is left out of
"as of" views and shifts, though the timeline still lists it at the end.

The package splits by page (timeline, side_by_side, changes, statement, search, with the
shift rule in rules, shared filters in common, and the time modes of a matrix — as of,
published by, Parley's record on — in modes); import from here.
"""

from positions.selectors.changes import (
    CHANGES_PAGE_SIZE,
    DEFAULT_DAYS,
    Shift,
    ShiftList,
    default_changes_range,
    shifts_between,
)
from positions.selectors.common import (
    StatementFilters,
    StatementIssue,
    approved_statements,
    effective_date,
    on_issue,
)
from positions.selectors.modes import (
    MODE_HELP,
    By,
    Candidates,
    Mode,
    Position,
    candidates,
    latest_per_actor,
    mode_choices,
    mode_phrase,
    positions_for,
)
from positions.selectors.overview import Overview, negotiation_overviews
from positions.selectors.rules import (
    FIRMNESS,
    HARDENED,
    POSITIONAL_STANCES,
    RESTATED,
    REVERSED,
    SHIFT_LABELS,
    SHIFT_MEANINGS,
    SOFTENED,
    is_conditional_refusal,
    shift_label,
)
from positions.selectors.search import (
    SEARCH_PAGE_SIZE,
    SearchCounts,
    SearchResults,
    count_search_matches,
    data_version,
    search_statements,
)
from positions.selectors.side_by_side import (
    Cell,
    Legend,
    Matrix,
    Row,
    latest_positions_as_of,
    matrix_legend,
    positions_side_by_side,
)
from positions.selectors.statement import EvidenceInContext, StatementDetail, statement_detail
from positions.selectors.timeline import (
    CHART_LIMIT,
    TIMELINE_PAGE_SIZE,
    ChartMark,
    TimelineChart,
    TimelineEntry,
    TimelinePage,
    decode_cursor,
    encode_cursor,
    timeline_chart_for_actor,
    timeline_for_actor,
)

__all__ = [
    "CHANGES_PAGE_SIZE",
    "CHART_LIMIT",
    "DEFAULT_DAYS",
    "FIRMNESS",
    "HARDENED",
    "MODE_HELP",
    "POSITIONAL_STANCES",
    "RESTATED",
    "REVERSED",
    "SEARCH_PAGE_SIZE",
    "SHIFT_LABELS",
    "SHIFT_MEANINGS",
    "SOFTENED",
    "TIMELINE_PAGE_SIZE",
    "By",
    "Candidates",
    "Cell",
    "ChartMark",
    "EvidenceInContext",
    "Legend",
    "Matrix",
    "Mode",
    "Overview",
    "Position",
    "Row",
    "SearchCounts",
    "SearchResults",
    "Shift",
    "ShiftList",
    "StatementDetail",
    "StatementFilters",
    "StatementIssue",
    "TimelineChart",
    "TimelineEntry",
    "TimelinePage",
    "approved_statements",
    "candidates",
    "count_search_matches",
    "data_version",
    "decode_cursor",
    "default_changes_range",
    "effective_date",
    "encode_cursor",
    "is_conditional_refusal",
    "latest_per_actor",
    "latest_positions_as_of",
    "matrix_legend",
    "mode_choices",
    "mode_phrase",
    "negotiation_overviews",
    "on_issue",
    "positions_for",
    "positions_side_by_side",
    "search_statements",
    "shift_label",
    "shifts_between",
    "statement_detail",
    "timeline_chart_for_actor",
    "timeline_for_actor",
]
