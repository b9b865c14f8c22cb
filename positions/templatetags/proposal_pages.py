"""The proposal pages' hot loops: the matrix's body and a proposal's stances, each one
``format_html`` call whose format string is only static markup (every value an argument,
escaped), as ``research.matrix_rows`` does for the side by side."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from positions.templatetags.research import brief, clip, day, escaper, stance_label

register = template.Library()

_ROW = ('<tr class="depth-{}">\n<th scope="row" class="issue-col"><a href="{}{}/">{}</a>'
        ' <small class="muted">{}</small></th>')
_CELL = ('<a class="cell-link" href="{}{}/" title="{}"><span class="stance stance-{}">{}</span>'
         ' <time datetime="{}">{}</time> <span class="line">{}</span></a>')
_SHIFT = ' <span class="shift shift-{}">{}</span>'
_CHANGED = '<span class="visually-hidden">(changed since {})</span>'
_WAS = '<p class="was">Was: <a href="{}{}/">{}, {}</a></p>'
_WAS_NONE = '<p class="was">Was: no stance</p>'
_NONE = '<span class="muted" aria-label="No stance">—</span>'


def _title(position: Any) -> str:
    """A cell's title: the whole statement, its conditions, who said it, who reported it."""
    parts = [position.summary or position.speaker]
    if position.conditions:
        parts.append(f"If: {position.conditions}")
    parts.append(f"{position.speaker}, {day(position.effective)}")
    if outlets := position.outlets:
        parts.append("Reported by " + ", ".join(outlets))
    return " · ".join(parts)


@register.simple_tag
def proposal_rows(matrix: Any, statements_url: str, proposals_url: str) -> SafeString:
    """The proposals matrix's body: per proposal (versions indented under their parent) its
    name and date, and a cell per actor with the stance, its date and one line."""
    once = escaper()

    compare = matrix.compare
    parts: list[str] = []
    args: list[object] = []
    for row in matrix.rows:
        ref = row.proposal
        parts.append(_ROW)
        args += (once(min(row.depth, 3)), once(proposals_url), once(ref.pk), ref.name,
                 once(day(ref.proposed_on) if ref.proposed_on else "undated"))
        for cell in row.cells:
            s = cell.statement
            parts.append('\n<td class="cell changed">' if cell.changed else '\n<td class="cell">')
            if cell.changed:
                parts.append(_CHANGED)
                args.append(once(day(compare)))
            if s is not None:
                line = clip(brief(s.summary), 120) if s.summary else s.speaker
                parts.append(_CELL)
                args += (once(statements_url), once(s.pk), _title(s), once(s.stance),
                         once(stance_label(s.stance)),
                         once(s.effective.isoformat() if s.effective else ""),
                         once(day(s.effective)), line)
                if cell.shift:
                    parts.append(_SHIFT)
                    args += (once(cell.shift), once(cell.shift))
            if cell.changed:
                then = cell.previous
                if then is not None:
                    parts.append(_WAS)
                    args += (once(statements_url), once(then.pk), once(stance_label(then.stance)),
                             once(day(then.effective)))
                else:
                    parts.append(_WAS_NONE)
            elif s is None:
                parts.append(_NONE)
            parts.append("</td>")
        parts.append("\n</tr>\n")
    return format_html("".join(parts), *args) if parts else escape("")


_STANCE = ('<li class="entry" id="statement-{}">\n<div class="entry-head"><time datetime="{}">{}'
           '</time> <span class="stance stance-{}">{}</span></div>\n<p class="summary">{}</p>\n')
_CLAUSES_HEAD = '<p class="clauses">On clause{}: '
_CLAUSE = '<a href="#clause-{}" title="{}">{}</a>'
_CONDITIONS = '<p class="conditions"><strong>Conditions:</strong> {}</p>\n'
_EVIDENCE = '<blockquote class="evidence">{}</blockquote>\n'
_TAIL = ' · <a href="{}{}/#evidence">Statement and evidence</a></p>\n</li>\n'


@register.simple_tag
def proposal_stances(stances: Any, statements_url: str) -> SafeString:
    """One actor's stances toward a proposal (``ProposalStance`` rows), oldest first: date,
    stance, summary, the clauses it is about, conditions, evidence, who said it and where
    it was reported, with links to the statement and its article."""
    once = escaper()

    parts: list[str] = []
    args: list[object] = []
    for s in stances:
        parts.append(_STANCE)
        args += (once(s.pk), once(s.effective.isoformat() if s.effective else ""),
                 once(day(s.effective) if s.effective else "undated"), once(s.stance),
                 once(s.stance_label), s.summary or "(no summary)")
        if s.clauses:
            parts.append(_CLAUSES_HEAD)
            args.append("s" if len(s.clauses) > 1 else "")
            for index, clause in enumerate(s.clauses):
                parts.append(", " + _CLAUSE if index else _CLAUSE)
                args += (once(clause.key), clip(clause.text, 200), once(clause.key))
            parts.append("</p>\n")
        if s.conditions:
            parts.append(_CONDITIONS)
            args.append(s.conditions)
        for text in s.evidence:
            parts.append(_EVIDENCE)
            args.append(clip(text, 400))
        parts.append('<p class="provenance">{}')
        args.append(once(s.speaker))
        if s.article_id is not None:
            outlet = s.outlet or "source article"
            if s.url[:4] == "http":
                parts.append(' · <a href="{}" rel="noopener noreferrer" title="{}">{}</a>')
                args += (s.url, s.article_title, once(outlet))
            else:
                parts.append(" · {}")
                args.append(once(outlet))
        if s.also:
            parts.append(" (also {})")
            args.append(once(", ".join(dict.fromkeys(s.also))))
        parts.append(_TAIL)
        args += (once(statements_url), once(s.pk))
    return format_html("".join(parts), *args) if parts else escape("")


_RUN = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}


@register.filter
def word_diff_html(runs: Any) -> SafeString:
    """A clause's word diff (``ClauseChange.diff``) as text with <del> and <ins>: the words
    are arguments, escaped; only the tags are markup."""
    return format_html(" ".join(_RUN[op] for op, _ in runs), *(words for _, words in runs))
