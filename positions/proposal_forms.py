"""The editor's proposal form and its table of clauses. They validate; the services in
``positions.proposal_services`` save (and check what spans rows: names, keys, parents)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.utils.text import slugify

from positions.forms import IsoDateInput
from positions.models import Actor, Article, Clause, Issue, Negotiation, Proposal
from positions.proposal_services import ClauseEdit
from positions.text import EARLIEST

CLAUSES_PREFIX = "clauses"
MAX_CLAUSES = 100
SLUG_HELP = "Lowercase letters, digits and hyphens."


class IssueChoiceField(forms.ModelChoiceField[Issue]):
    """Issues by name, a sub-issue marked under its parent."""

    def label_from_instance(self, obj: Issue) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


def _slug_or_blank(value: str) -> str:
    value = value.strip()
    if value and value != slugify(value):
        raise forms.ValidationError(f"Use lowercase letters, digits and hyphens only (not “{value}”).")
    return value


class ProposalForm(forms.Form):
    """What an editor sets on a proposal; ``read_at`` is where its history stood when read."""

    name = forms.CharField(max_length=200)
    key = forms.CharField(
        max_length=80, required=False,
        help_text=f"Short and stable: exports and the API use it. {SLUG_HELP} Empty: made from the name.",
    )
    aliases = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other names the press uses for it, one a line.",
    )
    proposed_by = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Proposed by",
        error_messages={"invalid_choice": "Choose actors that take part in this negotiation."},
    )
    proposed_on = forms.DateField(required=False, widget=IsoDateInput(), label="Proposed on")
    parent = forms.ModelChoiceField(
        queryset=Proposal.objects.none(), required=False, label="Amends",
        help_text="The earlier proposal this one is a version of.",
        error_messages={"invalid_choice": "Choose a proposal of this negotiation."},
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="What it offers, in our words."
    )
    articles = forms.CharField(
        required=False, label="Source articles",
        help_text="Numbers of the articles that report it, separated by spaces or commas.",
    )
    read_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, negotiation: Negotiation, proposal: Proposal | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.negotiation = negotiation
        actors = cast("forms.ModelMultipleChoiceField[Actor]", self.fields["proposed_by"])
        actors.queryset = negotiation.actors.order_by("name")
        parents = negotiation.proposals.order_by("proposed_on", "name")
        if proposal is not None:
            parents = parents.exclude(pk=proposal.pk)
        cast("forms.ModelChoiceField[Proposal]", self.fields["parent"]).queryset = parents

    @classmethod
    def initial_for(cls, proposal: Proposal, *, read_at: str) -> dict[str, Any]:
        return {
            "name": proposal.name, "key": proposal.key, "aliases": "\n".join(proposal.aliases),
            "proposed_by": [actor.pk for actor in proposal.proposed_by.all()],
            "proposed_on": proposal.proposed_on, "parent": proposal.parent_id,
            "summary": proposal.summary,
            "articles": " ".join(
                str(pk) for pk in proposal.articles.order_by("pk").values_list("pk", flat=True)
            ),
            "read_at": read_at,
        }

    def clean_key(self) -> str:
        return _slug_or_blank(self.cleaned_data.get("key", ""))

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]

    def clean_proposed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("proposed_on")
        if value and value < EARLIEST:
            raise forms.ValidationError("Choose a date from 1900 on.")
        if value and value > date.today() + timedelta(days=1):
            raise forms.ValidationError(f"The date {value.isoformat()} is in the future.")
        return value

    def clean_articles(self) -> list[Article]:
        words = [word for word in re.split(r"[\s,;]+", self.cleaned_data.get("articles", "")) if word]
        bad = [word for word in words if not word.removeprefix("#").isdigit()]
        if bad:
            raise forms.ValidationError(f"Not article numbers: {', '.join(bad)}.")
        numbers = list(dict.fromkeys(int(word.removeprefix("#")) for word in words))
        found = {article.pk: article for article in Article.objects.filter(pk__in=numbers)}
        missing = [str(n) for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"No article numbered {', '.join(missing)}.")
        foreign = [str(n) for n in numbers if found[n].negotiation_id != self.negotiation.pk]
        if foreign:
            raise forms.ValidationError(f"Articles of another negotiation: {', '.join(foreign)}.")
        return [found[n] for n in numbers]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as ``proposal_create`` / ``proposal_update`` take them."""
        data = self.cleaned_data
        return {
            "name": data["name"], "key": data["key"] or None, "aliases": data["aliases"],
            "proposed_by": list(data["proposed_by"]), "proposed_on": data["proposed_on"],
            "parent": data["parent"], "summary": data["summary"], "articles": data["articles"],
        }


class ClauseForm(forms.Form):
    """One row of the clause table: an existing clause (its number, hidden) or a new one."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    key = forms.CharField(
        max_length=80, required=False, help_text=f"{SLUG_HELP} Empty: made from the issue.",
    )
    issue = IssueChoiceField(
        queryset=Issue.objects.none(), required=False,
        error_messages={"invalid_choice": "Choose an issue of this negotiation."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Text",
        help_text="What the clause provides, in our words.",
        error_messages={"required": "Give the clause's text."},
    )

    def __init__(
        self, *args: Any, negotiation: Negotiation, issues: Sequence[Issue] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast("IssueChoiceField", self.fields["issue"])
        field.queryset = negotiation.issues.order_by("position", "key")
        if issues is not None:  # read once for every row (``clause_form_kwargs``)
            labels = [(issue.pk, field.label_from_instance(issue)) for issue in issues]
            field.choices = [("", field.empty_label or ""), *labels]

    def clean_key(self) -> str:
        return _slug_or_blank(self.cleaned_data.get("key", ""))


def _removed(form: forms.Form) -> bool:
    return bool(form.cleaned_data.get("DELETE"))


class BaseClauseFormSet(forms.BaseFormSet[ClauseForm]):
    """The clause rows; ``clauses`` are the proposal's own (rows may name only those)."""

    def __init__(self, *args: Any, clauses: dict[int, Clause] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clauses = clauses or {}

    def clean(self) -> None:
        if any(self.errors):
            return
        keys: dict[str, int] = {}
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            data = form.cleaned_data
            if data.get("id") and data["id"] not in self.clauses:
                form.add_error(None, "This clause is not one of the proposal's.")
            if _removed(form):
                continue
            key = data.get("key")
            if key and key in keys:
                form.add_error("key", f"Another row has the key “{key}”.")
            if key:
                keys[key] = 1
        if any(self.errors):
            raise forms.ValidationError("Correct the clauses marked below.")

    def edits(self) -> list[ClauseEdit]:
        """The rows as the services take them (untouched blank rows left out); their order
        is the rows' order, so an error's index is a row's."""
        rows: list[ClauseEdit] = []
        self.row_forms: list[ClauseForm] = []
        for form in self.forms:
            data = form.cleaned_data
            clause = self.clauses.get(data["id"]) if data.get("id") else None
            if clause is None and not form.has_changed():
                continue
            remove = _removed(form)
            rows.append(ClauseEdit(
                clause=clause, key=data.get("key", ""), issue=data.get("issue"),
                text=data.get("text", ""), remove=remove,
            ))
            self.row_forms.append(form)
        return rows


ClauseFormSet = cast("type[BaseClauseFormSet]", formset_factory(
    ClauseForm, formset=BaseClauseFormSet, extra=1, can_delete=True, max_num=MAX_CLAUSES,
    validate_max=True,
))


def clause_form_kwargs(negotiation: Negotiation) -> dict[str, Any]:
    """What every clause row is built with: the negotiation, and its issues read once (not
    once a row)."""
    return {"negotiation": negotiation, "issues": list(negotiation.issues.order_by("position", "key"))}


def clause_initial(clauses: Sequence[Clause]) -> list[dict[str, Any]]:
    return [
        {"id": clause.pk, "key": clause.key, "issue": clause.issue_id, "text": clause.text}
        for clause in clauses
    ]
