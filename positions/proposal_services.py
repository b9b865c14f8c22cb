"""Every write to proposals and their clauses, by editors' forms (and anything else that
changes them outside the admin).

Each service validates before it writes (a ``ValidationError`` whose message names the
field, and nothing saved), runs in one transaction and names its user and reason in the
history. A proposal's save and its many-to-many changes (proposers, articles) make one
history row, not one per relation, so the history reads one row per edit; a call that
changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from positions.history import as_change
from positions.models import Actor, Article, Clause, Issue, Negotiation, Proposal

KEY_LENGTH = 80
PROPOSAL_FIELDS = ("name", "key", "aliases", "proposed_on", "parent", "summary")
PROPOSAL_RELATIONS = ("proposed_by", "articles")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _paragraphs(text: str) -> str:
    """Free text as stored: trimmed, with one kind of line break (browsers send CRLF), so a
    form sent back as it was rendered compares equal."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _key_from(text: str, *, taken: set[str], fallback: str) -> str:
    """A slug of the text, free among ``taken`` ("plan", "plan-2", …)."""
    base = slugify(text.replace("/", "-"))[: KEY_LENGTH - 4].strip("-") or fallback
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def _clean_aliases(aliases: Iterable[str], *, name: str) -> list[str]:
    """Aliases on one line each, without blanks, repeats or the name itself (case-insensitive)."""
    seen = {name.casefold()}
    kept: list[str] = []
    for alias in aliases:
        alias = _one_line(alias)
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept


def _check_names(
    negotiation: Negotiation, *, name: str, aliases: Sequence[str], exclude: int | None
) -> None:
    """A name or alias may stand for one proposal only in a negotiation: extraction and
    search resolve a proposal by them."""
    others = Proposal.objects.filter(negotiation=negotiation)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    owners: dict[str, str] = {}
    for other_name, other_aliases in others.values_list("name", "aliases"):
        for label in (other_name, *(other_aliases or [])):
            owners.setdefault(str(label).casefold(), other_name)
    errors: dict[str, list[str]] = {}
    if name.casefold() in owners:
        errors["name"] = [f'"{name}" already names the proposal "{owners[name.casefold()]}".']
    clashes = [alias for alias in aliases if alias.casefold() in owners]
    if clashes:
        errors["aliases"] = [
            f'"{alias}" already names the proposal "{owners[alias.casefold()]}".' for alias in clashes
        ]
    if errors:
        raise ValidationError(errors)


def _check_parent(proposal: Proposal, parent: Proposal | None) -> None:
    if parent is None:
        return
    if parent.negotiation_id != proposal.negotiation_id:
        raise ValidationError({"parent": "The proposal it amends must belong to the same negotiation."})
    if proposal._state.adding:
        return
    seen: set[int] = set()
    step: Proposal | None = parent
    while step is not None and step.pk not in seen:
        if step.pk == proposal.pk:
            raise ValidationError(
                {"parent": f'"{parent.name}" is this proposal or one of its own later versions.'}
            )
        seen.add(step.pk)
        step = step.parent


def _check_related(
    negotiation: Negotiation, *, proposed_by: Sequence[Actor], articles: Sequence[Article]
) -> None:
    errors: dict[str, str] = {}
    taking_part = set(negotiation.actors.values_list("pk", flat=True))
    outsiders = [actor.name for actor in proposed_by if actor.pk not in taking_part]
    if outsiders:
        errors["proposed_by"] = f"Not part of {negotiation.name}: {', '.join(outsiders)}."
    foreign = [str(article.pk) for article in articles if article.negotiation_id != negotiation.pk]
    if foreign:
        errors["articles"] = f"Articles of another negotiation: {', '.join(foreign)}."
    if errors:
        raise ValidationError(errors)


def _clean_key(proposal: Proposal, key: str | None) -> str:
    taken = set(
        Proposal.objects.filter(negotiation_id=proposal.negotiation_id)
        .exclude(pk=proposal.pk).values_list("key", flat=True)
    )
    if not key:
        return _key_from(proposal.name, taken=taken, fallback="proposal")
    key = key.strip()
    if key != slugify(key) or len(key) > KEY_LENGTH:
        raise ValidationError(
            {"key": "Use lowercase letters, digits and hyphens only (at most 80), as in paris-framework."}
        )
    if key in taken:
        raise ValidationError({"key": f'Another proposal of this negotiation has the key "{key}".'})
    return key


def _save(
    proposal: Proposal, *, user: User, reason: str, created: bool,
    relations: Mapping[str, Sequence[Any]],
) -> Proposal:
    """Save the proposal and set its relations as one history row (simple-history would
    write a row for the save and one more for each relation set)."""
    proposal.full_clean()
    proposal.skip_history_when_saving = True  # type: ignore[attr-defined]  # read by simple-history
    try:
        proposal.save()
        for name, values in relations.items():
            getattr(proposal, name).set(values)
    finally:
        del proposal.skip_history_when_saving  # type: ignore[attr-defined]
    as_change(proposal, user=user, reason=reason)
    proposal.save()
    if created:
        # The recording save above is an update; the row it wrote is the proposal's first.
        proposal.history.filter(pk=proposal.history.latest().pk).update(history_type="+")
    return proposal


@transaction.atomic
def proposal_create(
    *, negotiation: Negotiation, name: str, user: User, key: str | None = None,
    aliases: Iterable[str] = (), proposed_by: Sequence[Actor] = (), proposed_on: Any = None,
    parent: Proposal | None = None, summary: str = "", articles: Sequence[Article] = (),
) -> Proposal:
    """Record a new proposal of a negotiation; the key defaults to a free slug of the name."""
    name = _one_line(name)
    if not name:
        raise ValidationError({"name": "Give the proposal a name."})
    clean_aliases = _clean_aliases(aliases, name=name)
    _check_names(negotiation, name=name, aliases=clean_aliases, exclude=None)
    proposal = Proposal(
        negotiation=negotiation, name=name, aliases=clean_aliases, proposed_on=proposed_on,
        parent=parent, summary=_paragraphs(summary),
    )
    _check_parent(proposal, parent)
    _check_related(negotiation, proposed_by=proposed_by, articles=articles)
    proposal.key = _clean_key(proposal, key)
    return _save(
        proposal, user=user, reason="created", created=True,
        relations={"proposed_by": list(proposed_by), "articles": list(articles)},
    )


@transaction.atomic
def proposal_update(*, proposal: Proposal, user: User, **fields: Any) -> Proposal:
    """Change a proposal's fields (any of name, key, aliases, proposed_on, parent, summary,
    proposed_by, articles); what is not given stays. Unchanged values write nothing."""
    unknown = set(fields) - set(PROPOSAL_FIELDS) - set(PROPOSAL_RELATIONS)
    if unknown:
        raise TypeError(f"proposal_update() got unknown fields: {', '.join(sorted(unknown))}")
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    name = _one_line(fields.get("name", current.name))
    if not name:
        raise ValidationError({"name": "Give the proposal a name."})
    aliases = _clean_aliases(fields.get("aliases", current.aliases), name=name)
    _check_names(current.negotiation, name=name, aliases=aliases, exclude=current.pk)
    parent = fields.get("parent", current.parent)
    _check_parent(current, parent)
    proposed_by = list(fields.get("proposed_by", current.proposed_by.all()))
    articles = list(fields.get("articles", current.articles.all()))
    _check_related(current.negotiation, proposed_by=proposed_by, articles=articles)
    values: dict[str, Any] = {
        "name": name, "aliases": aliases, "proposed_on": fields.get("proposed_on", current.proposed_on),
        "parent_id": parent.pk if parent else None,
        "summary": _paragraphs(str(fields.get("summary", current.summary))),
        "key": _clean_key(current, fields["key"]) if fields.get("key") else current.key,
    }
    relations = {"proposed_by": proposed_by, "articles": articles}
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    changed += [
        name for name, items in relations.items()
        if {item.pk for item in items} != set(getattr(current, name).values_list("pk", flat=True))
    ]
    if not changed:
        return current
    for attr, value in values.items():
        setattr(current, attr, value)
    labels = sorted(name.removesuffix("_id").replace("_", " ") for name in changed)
    return _save(
        current, user=user, reason=f"edited: {', '.join(labels)}", created=False,
        relations=relations,
    )


@transaction.atomic
def clause_save(
    *, proposal: Proposal, user: User, key: str | None, issue: Issue | None, text: str,
    position: int | None = None, clause: Clause | None = None,
) -> Clause:
    """Add a clause to a proposal or change one (``clause``, else the proposal's clause with
    that key). A blank key becomes a free slug of the issue's key (or "clause")."""
    text = _paragraphs(text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "Give the clause's text."
    if issue is not None and issue.negotiation_id != proposal.negotiation_id:
        errors["issue"] = f'The issue "{issue.key}" belongs to another negotiation.'
    if errors:
        raise ValidationError(errors)
    # Locking the proposal serialises edits to its clauses (keys, positions).
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    siblings = Clause.objects.filter(proposal=proposal)
    if clause is None and key:
        clause = siblings.filter(key=key.strip()).first()
    elif clause is not None:
        if clause.proposal_id != proposal.pk:
            raise ValidationError("That clause belongs to another proposal.")
        clause = siblings.get(pk=clause.pk)
    others = siblings.exclude(pk=clause.pk) if clause else siblings
    taken = set(others.values_list("key", flat=True))
    if key:
        key = key.strip()
        if key != slugify(key) or len(key) > KEY_LENGTH:
            raise ValidationError(
                {"key": "Use lowercase letters, digits and hyphens only, as in hostages-first-phase."}
            )
        if key in taken:
            raise ValidationError({"key": f'The proposal has another clause with the key "{key}".'})
    elif clause is not None:
        key = clause.key
    else:
        key = _key_from(issue.key if issue else "clause", taken=taken, fallback="clause")
    if clause is None:
        if position is None:
            last = siblings.aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
        clause = Clause(proposal=proposal, key=key, issue=issue, text=text, position=position)
        reason = "added"
    else:
        values = {"key": key, "issue_id": issue.pk if issue else None, "text": text,
                  "position": clause.position if position is None else position}
        if all(getattr(clause, name) == value for name, value in values.items()):
            return clause
        for name, value in values.items():
            setattr(clause, name, value)
        reason = "edited"
    clause.full_clean()
    as_change(clause, user=user, reason=reason)
    clause.save()
    return clause


@transaction.atomic
def clause_delete(*, clause: Clause, user: User) -> None:
    """Remove a clause no statement responds to (its history stays)."""
    responding = clause.statements.count()
    if responding:
        noun = "statement responds" if responding == 1 else "statements respond"
        raise ValidationError(
            f'{responding} {noun} to the clause "{clause.key}": change them before removing it.'
        )
    as_change(clause, user=user, reason="removed")
    clause.delete()


# --- An editor's form: the proposal and its clauses saved together, or nothing. ---


@dataclass(frozen=True)
class ClauseEdit:
    """One row of the clause table: an existing clause (or None for a new one) and what
    the row says of it; ``remove`` deletes it."""

    clause: Clause | None
    key: str
    issue: Issue | None
    text: str
    remove: bool = False


class ClauseRowError(Exception):
    """A clause row the services refused: its index in the rows given, and why."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(f"Clause row {index}: {error}")
        self.index = index
        self.error = error


class ProposalConflict(Exception):
    """Someone changed the proposal or its clauses since the editor's form was read."""


def proposal_read_token(proposal: Proposal) -> str:
    """Where the proposal's history stood: the latest history row of the proposal and of its
    clauses. A form carries it, so a save over someone else's later change is refused."""
    latest = proposal.history.order_by("-history_id").values_list("history_id", flat=True).first()
    clause = (
        Clause.history.filter(proposal_id=proposal.pk).order_by("-history_id")
        .values_list("history_id", flat=True).first()
    )
    return f"{latest or 0}.{clause or 0}"


@transaction.atomic
def proposal_save(
    *, negotiation: Negotiation, proposal: Proposal | None, user: User, fields: dict[str, Any],
    clauses: Sequence[ClauseEdit], read_at: str | None = None,
) -> Proposal:
    """Create a proposal (``proposal`` None) or change one, with its clauses, all or nothing.

    ``fields`` are ``proposal_create``'s keyword arguments; a row the clause services refuse
    raises ``ClauseRowError`` (nothing saved). With ``read_at`` (``proposal_read_token`` when
    the form was read) a proposal changed since raises ``ProposalConflict``.
    """
    if proposal is None:
        proposal = proposal_create(negotiation=negotiation, user=user, **fields)
    else:
        Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if read_at is not None and read_at != proposal_read_token(proposal):
            raise ProposalConflict(f"Proposal {proposal.pk} changed since it was read")
        proposal = proposal_update(proposal=proposal, user=user, **fields)
    # Removals first: a key a removed clause frees may be given to another row.
    order = sorted(range(len(clauses)), key=lambda index: not clauses[index].remove)
    for index in order:
        edit = clauses[index]
        try:
            if edit.remove:
                if edit.clause is not None:
                    clause_delete(clause=edit.clause, user=user)
            else:
                clause_save(
                    proposal=proposal, user=user, clause=edit.clause, key=edit.key,
                    issue=edit.issue, text=edit.text,
                )
        except ValidationError as error:
            raise ClauseRowError(index, error) from error
    return proposal
