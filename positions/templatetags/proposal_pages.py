"""The proposal pages' hot loops: the matrix's body and a proposal's stances, each one
``Fragment`` (static markup, every value escaped once), as ``research.matrix_rows`` does for
the side by side."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from positions.templatetags.research import Fragment, brief, clip, day, stance_label

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
    out = Fragment()
    compare = matrix.compare
    for row in matrix.rows:
        ref = row.proposal
        out.add(_ROW, min(row.depth, 3), proposals_url, ref.pk, ref.name,
                day(ref.proposed_on) if ref.proposed_on else "undated")
        for cell in row.cells:
            s = cell.statement
            out.add('\n<td class="cell changed">' if cell.changed else '\n<td class="cell">')
            if cell.changed:
                out.add(_CHANGED, day(compare))
            if s is not None:
                line = clip(brief(s.summary), 120) if s.summary else s.speaker
                out.add(_CELL, statements_url, s.pk, _title(s), s.stance, stance_label(s.stance),
                        s.effective.isoformat() if s.effective else "", day(s.effective), line)
                if cell.shift:
                    out.add(_SHIFT, cell.shift, cell.shift)
            if cell.changed:
                then = cell.previous
                if then is not None:
                    out.add(_WAS, statements_url, then.pk, stance_label(then.stance),
                            day(then.effective))
                else:
                    out.add(_WAS_NONE)
            elif s is None:
                out.add(_NONE)
            out.add("</td>")
        out.add("\n</tr>\n")
    return out.render()


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
    out = Fragment()
    for s in stances:
        out.add(_STANCE, s.pk, s.effective.isoformat() if s.effective else "",
                day(s.effective) if s.effective else "undated", s.stance, s.stance_label,
                s.summary or "(no summary)")
        if s.clauses:
            out.add(_CLAUSES_HEAD, "s" if len(s.clauses) > 1 else "")
            for index, clause in enumerate(s.clauses):
                out.add(", " + _CLAUSE if index else _CLAUSE, clause.key, clip(clause.text, 200),
                        clause.key)
            out.add("</p>\n")
        if s.conditions:
            out.add(_CONDITIONS, s.conditions)
        for text in s.evidence:
            out.add(_EVIDENCE, clip(text, 400))
        out.add('<p class="provenance">{}', s.speaker)
        if s.article_id is not None:
            outlet = s.outlet or "source article"
            if s.url[:4] == "http":
                out.add(' · <a href="{}" rel="noopener noreferrer" title="{}">{}</a>', s.url,
                        s.article_title, outlet)
            else:
                out.add(" · {}", outlet)
        if s.also:
            out.add(" (also {})", ", ".join(dict.fromkeys(s.also)))
        out.add(_TAIL, statements_url, s.pk)
    return out.render()


_RUN = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}


@register.filter
def word_diff_html(runs: Any) -> SafeString:
    """A clause's word diff (``ClauseChange.diff``) as text with <del> and <ins>: the words
    are arguments, escaped; only the tags are markup."""
    return format_html(" ".join(_RUN[op] for op, _ in runs), *(words for _, words in runs))
