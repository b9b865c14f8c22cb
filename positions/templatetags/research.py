"""The research pages' hot loops (a chart's marks, the side by side's cells, the timeline's
entries, the search's hits) and cheaper versions of built-in filters.

A chart draws hundreds of marks: a template loop resolves and escapes each of their
variables through the engine (about 18 µs a mark), ``chart_marks`` formats them all at
once (under 4 µs). The filters give the output of ``get_stance_display``, ``date:"j M Y"`` and
``truncatechars`` for a fraction of their cost, which a page pays a hundred times.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import urlencode
from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language

from positions.models import Participation
from positions.selectors import TimelineChart
from positions.selectors.common import STANCE_LABELS
from positions.selectors.search import MARK_START, MARK_STOP, Hit, ProposalHit

register = template.Library()


# Django's ``escape`` itself, without the ``keep_lazy`` wrapper that first looks for lazy
# text among its arguments: ``Fragment`` escapes plain str (``str(value)``), hundreds a page,
# and that look cost twice the escaping.
_escape_text: Callable[[str], SafeString] = inspect.unwrap(escape)


class Fragment:
    """HTML built from static markup and values, in one ``format_html`` call.

    ``add`` takes a format string that is only static markup (never a value: a constant of
    this module) and the values for its ``{}`` fields: text, never markup (a ``SafeString``
    is escaped like any other). ``render`` escapes each distinct text once (Django's
    ``escape``), however many cells show it (an id, a day, a stance, a URL), and gives the
    whole to one ``format_html`` call, the markup naming each text by position. Escaping
    hundreds of repeated values one by one (and ``format_html``'s second pass over every
    argument ``escape`` had already made safe) cost a matrix more than building it.
    """

    __slots__ = ("_fields", "_markup", "_positions", "_texts")

    def __init__(self) -> None:
        self._markup: list[str] = []
        self._fields: list[str] = []  # per ``{}`` of the markup, in order: "{n}"
        self._texts: list[str] = []  # the distinct texts, in order of first use
        self._positions: dict[str, str] = {}  # text -> its field, "{n}"

    def add(self, markup: str, *values: object) -> None:
        self._markup.append(markup)
        for value in values:
            text = str(value)
            if (field := self._positions.get(text)) is None:
                field = self._positions[text] = f"{{{len(self._texts)}}}"
                self._texts.append(text)
            self._fields.append(field)

    def render(self) -> SafeString:
        static = "".join(self._markup).split("{}")
        numbered = [""] * (2 * len(static) - 1)
        numbered[0::2], numbered[1::2] = static, self._fields
        # Each text escaped here, once; format_html then finds them safe and formats them in.
        # format_html takes at least one argument: an unused empty one if there is no field.
        return format_html("".join(numbered), *map(_escape_text, self._texts or [""]))


_MARK = (
    '<a href="{}{}/"><title>{}</title><circle cx="{}" cy="{}" r="{}" class="mark stance-{}">'
    "</circle></a>"
)
# A day's stack in one lane: how many statements it holds, beside its first mark.
_COUNT = '<text x="{}" y="{}" class="count" aria-hidden="true">{}</text>'


@register.simple_tag
def chart_marks(chart: TimelineChart, statements_url: str) -> SafeString:
    """One link per mark to its statement. The link's ``<title>`` (date, issue, stance,
    summary) is both its accessible name (SVG-AAM) and the pointer's tooltip.

    One ``Fragment`` for all the marks: values that many marks share (a statement's id, a
    day's x, a lane's y, a stance) are escaped once.
    """
    out = Fragment()
    for n, m in enumerate(chart.marks):
        out.add("\n" + _MARK if n else _MARK, statements_url, m.statement_id, m.title, m.x, m.y,
                m.r, m.stance)
        if m.count:
            out.add("\n" + _COUNT, f"{float(m.x) + 9:.1f}", f"{float(m.y) - 4:.1f}", m.count)
    return out.render()


@register.filter
def stance_label(stance: str) -> str:
    """``get_stance_display`` without rebuilding the choices on every call."""
    return STANCE_LABELS.get(stance, stance)


@lru_cache(maxsize=4096)
def _day(value: date, language: str | None) -> str:
    return dateformat.format(value, "j M Y")


@register.filter
def day(value: date | None) -> str:
    """``|date:"j M Y"`` (14 Jan 2024), formatted once per date and language."""
    return _day(value, get_language()) if value else ""


@register.filter
def clip(value: str, length: int) -> str:
    """``truncatechars``, which reads every character even of text that already fits."""
    return value if len(value) <= length else Truncator(value).chars(length)


_LEAD = re.compile(r"^[^():]{1,80} \((?:demand|reject|accept|propose|condition|intent|assess)\): (?:said )?")


@register.filter
def brief(summary: str) -> str:
    """A summary without the extractor's "Actor (stance): said" lead, which a matrix cell
    already shows as its column and badge."""
    return _LEAD.sub("", summary, count=1)


STANCE_CODES = {"demand": "De", "reject": "Re", "accept": "Ac", "propose": "Pr",
                "condition": "Co", "intent": "In", "assess": "As"}


@register.filter
def stance_code(stance: str) -> str:
    """Two letters for a stance, distinct from each other's (accept and assess share an A)."""
    return STANCE_CODES.get(stance, stance[:2].title())


def marks(text: str) -> tuple[str, list[str]]:
    """A search hit's text (a summary or a name) with its matched words in <mark>, as a
    format string of static markup and the pieces of text it takes, in order: the text
    between the sentinels (``MARK_START``/``MARK_STOP``) is an argument, escaped by
    ``format_html`` piece by piece, and only the markup around it is a tag; no stored text
    is ever trusted as HTML."""
    head, *words = text.split(MARK_START)
    pieces = [head.replace(MARK_STOP, "")]
    for piece in words:
        word, _, rest = piece.partition(MARK_STOP)
        pieces += (word, rest.replace(MARK_STOP, ""))
    return "{}" + "<mark>{}</mark>{}" * len(words), pieces


# A side-by-side cell's parts (``Fragment`` markup): only static markup; every value is a
# field, escaped by ``Fragment.render``.
_CELL_LINK = (
    '<a class="cell-link" href="{}{}/" aria-describedby="more-{}-{}">'
    '<span class="stance stance-{}">{}</span> <time datetime="{}">{}</time> '
    '<span class="line">{}</span></a>'
)
_SHIFT = '<span class="shift shift-{}">{}</span>'
_SINCE = ' <small class="since">({})</small>'
_MORE = '<div class="more" id="more-{}-{}" role="tooltip"><p class="summary">{}</p>'
_CONDITIONS = '<p class="conditions">If: {}</p>'
_OUTLETS = '<p class="provenance">{}</p>'
_WAS = ('<p class="was">{} <a href="{}{}/">its position of {}</a> '
        '(<span class="stance stance-{}">{}</span>)</p>')
_WAS_NONE = '<p class="was">{} no position as of {}</p>'
_HISTORY = '<a href="{}{}/?negotiation={}&amp;issue={}">History</a></div>'
_SUB = '<li>{}: <a href="{}{}/" class="stance stance-{}">{}</a></li>'
_EMPTY_WAS = '<p class="was">Was: <a href="{}{}/">{}, {}</a></p>'
_EMPTY_WAS_NONE = '<p class="was">Was: no position</p>'
_NO_POSITION = '<span class="muted" aria-label="No position">—</span>'


@register.simple_tag
def matrix_rows(matrix: Any, statements_url: str, actors_url: str, slug: str) -> SafeString:
    """The side-by-side matrix's body: per issue its name, its gap and a cell per actor.

    A cell shows its statement's stance, date and one line, and (on hover or focus) the
    whole statement, its outlets, what it was compared with and a link to its history;
    under it the sub-issues' stances. A matrix has hundreds of cells, and template nodes
    cost several times what this does: one ``Fragment`` for the whole body, its markup only
    static constants, every value escaped once by it.
    """
    out = Fragment()
    compare = matrix.compare
    for row in matrix.rows:
        issue_id = row.issue.pk
        out.add('<tr class="depth-{}">\n<th scope="row" class="issue-col">{}</th>\n'
                '<td class="gap gap-col">', row.depth, row.issue.name)
        if row.gap:
            out.add('<span class="gap-{}">{}</span>', row.gap, row.gap)
        out.add("</td>")
        for cell in row.cells:
            s, actor_id = cell.statement, cell.actor.pk
            out.add('\n<td class="cell changed">' if cell.changed else '\n<td class="cell">')
            if s is not None:
                line = clip(brief(s.summary), 160) if s.summary else s.speaker
                out.add(_CELL_LINK, statements_url, s.pk, issue_id, actor_id, s.stance,
                        stance_label(s.stance), s.effective.isoformat() if s.effective else "",
                        day(s.effective), line)
                if cell.shift:
                    out.add(_SHIFT, cell.shift, cell.shift)
                if s.since:
                    out.add(_SINCE, s.since)
                out.add(_MORE, issue_id, actor_id, s.summary or s.speaker)
                if s.conditions:
                    out.add(_CONDITIONS, s.conditions)
                if outlets := s.outlets:
                    out.add(_OUTLETS, ", ".join(outlets))
                if compare and cell.changed:
                    then = cell.previous
                    lead = f"{cell.shift.capitalize()} against" if cell.shift else "Was"
                    if then:
                        out.add(_WAS, lead, statements_url, then.pk, day(then.effective),
                                then.stance, stance_label(then.stance))
                    else:
                        out.add(_WAS_NONE, lead, day(compare))
                out.add(_HISTORY, actors_url, actor_id, slug, issue_id)
            if cell.sub:
                out.add('<ul class="sub" aria-label="Sub-issues">')
                for child, position in cell.sub:
                    out.add(_SUB, child.name, statements_url, position.pk, position.stance,
                            stance_label(position.stance))
                out.add("</ul>")
            if s is None:
                if compare and cell.changed:
                    then = cell.previous
                    if then:
                        out.add(_EMPTY_WAS, statements_url, then.pk, stance_label(then.stance),
                                day(then.effective))
                    else:
                        out.add(_EMPTY_WAS_NONE)
                if not cell.sub:
                    out.add(_NO_POSITION)
            out.add("</td>")
        out.add("\n</tr>\n")
    return out.render()


ROLE_LABELS = dict(Participation.Role.choices)

# The matrix pages' column headers, mode choices and legend (templates/positions/
# matrix_parts.html): loops the template engine ran at several times this cost a request.
_ACTOR_HEADER = (
    '\n        <th scope="col" class="actor-col"><svg class="swatch" width="10" height="10" '
    'aria-hidden="true"><rect width="10" height="10" fill="{}"></rect></svg>\n'
    '          <a href="{}{}/?negotiation={}">{}</a>\n'
    '          <small class="muted">{}</small></th>\n        '
)
_MODE_CHOICE = (
    '\n    <div class="mode-choice"><input type="radio" name="mode" value="{}" id="mode-{}" '
    'aria-describedby="mode-{}-help"'
)
_MODE_CHOICE_END = (
    '>\n      <label for="mode-{}">{}</label> <small id="mode-{}-help" class="muted">{}</small>'
    '</div>\n    '
)
_LEGEND_STANCE = '<dd><span class="stance stance-{}">{}</span> {}</dd>'
_LEGEND_SHIFT = '<dd><span class="shift shift-{}">{}</span> {}</dd>'
_LEGEND_GAP = '<dd><span class="gap-{}">{}</span>: {}</dd>'


@register.simple_tag
def actor_headers(participations: Iterable[Participation], actors_url: str, slug: str) -> SafeString:
    """A matrix's actor columns: per participation a swatch of the actor's colour, a link
    to its timeline in this negotiation and its role."""
    out = Fragment()
    negotiation = urlencode(slug)
    for p in participations:
        out.add(_ACTOR_HEADER, p.actor.colour, actors_url, p.actor.pk, negotiation,
                p.actor.label, ROLE_LABELS.get(p.role, p.role).lower())
    return out.render()


@register.simple_tag
def mode_choices(modes: Iterable[tuple[str, str, str]], chosen: str) -> SafeString:
    """The form's time modes as radio buttons, each described by its line of help; the
    ``chosen`` one checked."""
    out = Fragment()
    for key, label, help_text in modes:
        out.add(_MODE_CHOICE, key, key, key)
        if key == chosen:
            out.add(" checked")
        out.add(_MODE_CHOICE_END, key, label, key, help_text)
    return out.render()


@register.simple_tag
def mode_note(modes: Iterable[tuple[str, str, str]], chosen: str) -> SafeString:
    """The line under a matrix's heading: the chosen mode's label and its help."""
    out = Fragment()
    for key, label, help_text in modes:
        if key == chosen:
            out.add("{}: {}", label, help_text)
    return out.render()


@register.simple_tag
def legend_modes(modes: Iterable[tuple[str, str, str]], chosen: str) -> SafeString:
    """The legend's time modes, the one shown marked."""
    out = Fragment()
    for key, label, help_text in modes:
        out.add("<dd")
        if key == chosen:
            out.add(' class="chosen"')
        out.add("><strong>{}</strong>", label)
        if key == chosen:
            out.add(" (shown)")
        out.add(": {}</dd>", help_text)
    return out.render()


def _legend_list(markup: str, rows: Iterable[tuple[object, ...]]) -> SafeString:
    """One of the legend's lists: ``markup`` once a row, the row's values formatted in."""
    out = Fragment()
    for values in rows:
        out.add(markup, *values)
    return out.render()


@register.simple_tag
def legend_stances(stances: Iterable[tuple[str, str, str]]) -> SafeString:
    """The legend's stances: each badge and what it means."""
    return _legend_list(_LEGEND_STANCE, stances)


@register.simple_tag
def legend_shifts(shifts: Iterable[tuple[str, str]]) -> SafeString:
    """The legend's shift labels: each badge and what it means."""
    return _legend_list(_LEGEND_SHIFT, ((key, key, meaning) for key, meaning in shifts))


@register.simple_tag
def legend_gaps(gaps: Iterable[tuple[str, str]]) -> SafeString:
    """The legend's labels of what lies between the parties: each and what it means."""
    return _legend_list(_LEGEND_GAP, ((key, key, meaning) for key, meaning in gaps))


_ENTRY = '<li class="entry" id="statement-{}">\n<div class="entry-head">\n'
_SHIFTED_ISSUE = '<li>{} <span class="shift shift-{}">{}</span></li>'
_ENTRY_TAIL = ' · <a href="{}{}/#evidence">Evidence and provenance</a></p>\n</li>\n'


_PROPOSAL = '<p class="proposal-ref">About <a href="{}{}/">{}</a></p>\n'


@register.simple_tag
def timeline_entries(statements: Any, statements_url: str, proposals_url: str = "") -> SafeString:
    """A timeline page's statements (``TimelineEntry`` rows): per statement its date, stance,
    issues with their shift labels, summary, the proposal it is about (a link, given
    ``proposals_url``), conditions, first evidence span and provenance. One ``Fragment``
    for the page, as ``matrix_rows`` does."""
    out = Fragment()
    for s in statements:
        out.add(_ENTRY, s.pk)
        if s.effective:
            out.add('<time datetime="{}">', s.effective.isoformat())
        else:
            out.add("<time>")
        if s.stated_on:
            out.add("{}</time>", day(s.stated_on))
        elif s.effective:
            out.add('{} <small class="muted">(background, from publication)</small></time>',
                    day(s.effective))
        else:
            out.add('<span class="muted">undated</span></time>')
        out.add('\n<span class="stance stance-{}">{}</span>\n<ul class="issues">', s.stance,
                s.stance_label)
        for _, issue, label in s.issue_shifts:
            if label:
                out.add(_SHIFTED_ISSUE, issue, label, label)
            else:
                out.add("<li>{}</li>", issue)
        out.add('</ul>\n</div>\n<p class="summary">{}</p>\n', s.summary or "(no summary)")
        if s.proposal_id is not None and proposals_url:
            out.add(_PROPOSAL, proposals_url, s.proposal_id, s.proposal)
        if s.conditions:
            out.add('<p class="conditions"><strong>Conditions:</strong> {}</p>\n', s.conditions)
        if s.evidence:
            out.add('<blockquote class="evidence">{}</blockquote>\n', clip(s.first_evidence, 400))
        out.add('<p class="provenance">{}', s.who)
        if s.via:
            out.add(" · via {}", s.via)
        if s.has_article:
            outlet = s.outlet or "source article"
            if s.url[:4] == "http":
                out.add(' · <a href="{}" rel="noopener noreferrer">{}</a>', s.url, outlet)
            else:
                out.add(" · {}", outlet)
        if s.also:
            out.add(" ")  # the template's line break before the list, kept as it was
        for name in s.also:
            out.add(", {}", name)
        out.add(_ENTRY_TAIL, statements_url, s.pk)
    return out.render()


_HIT = ('<li class="entry">\n<div class="entry-head"><time>{}</time>\n<a href="{}{}/">{}</a>\n'
        '<span class="stance stance-{}">{}</span>\n<ul class="issues">')
_HIT_TAIL = '\n· <a href="{}{}/#evidence">Evidence and provenance</a></p>\n</li>\n'


@register.simple_tag
def search_hits(hits: Iterable[Hit], actors_url: str, statements_url: str) -> SafeString:
    """The search page's statements (``Hit`` rows): per hit its date, actor, stance, issues,
    summary with the matched words in <mark> (``marks``), speaker and outlets, and a link
    to its evidence. One ``Fragment`` for the page, as ``matrix_rows``."""
    out = Fragment()
    for s in hits:
        out.add(_HIT, day(s.effective) or "undated", actors_url, s.actor_id, s.actor, s.stance,
                s.stance_label)
        for issue in s.issues:
            out.add("<li>{}</li>", issue)
        out.add('</ul></div>\n<p class="summary">')
        if s.summary:
            out.add(*_marked(s.marked))
        else:
            out.add("(no summary)")
        out.add('</p>\n<p class="provenance">{}', s.speaker)
        if s.outlets:
            out.add(" · {}", ", ".join(s.outlets))
        out.add(_HIT_TAIL, statements_url, s.pk)
    return out.render()


@register.simple_tag
def proposal_hits(proposals: Iterable[ProposalHit], proposals_url: str) -> SafeString:
    """The search page's proposals (``ProposalHit`` rows): per proposal a link with its name,
    the matched words in <mark> (``marks``), its negotiation and date, and its other names.
    One ``Fragment``, as ``search_hits``."""
    out = Fragment()
    for p in proposals:
        out.add('<li><a href="{}{}/">', proposals_url, p.pk)
        out.add(*_marked(p.marked))
        out.add('</a>\n<span class="muted">{}', p.negotiation)
        if p.proposed_on:
            out.add(" · {}", day(p.proposed_on))
        out.add("</span>")
        if p.aliases:
            out.add("\n<br><small>Also called: {}</small>", ", ".join(p.aliases))
        out.add("</li>\n")
    return out.render()


def _marked(text: str) -> tuple[str, ...]:
    """``marks`` as ``Fragment.add``'s arguments: the markup, then its pieces of text."""
    markup, pieces = marks(text)
    return (markup, *pieces)
