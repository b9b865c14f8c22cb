"""Query-string forms for the research views. They validate; they never save."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from positions.models import Actor, Issue, Negotiation, Outlet, Proposal, Statement
from positions.selectors import Mode, StatementFilters
from positions.services import ArticleMetadata
from positions.text import EARLIEST

STANCE_CHOICES = [("", "Any stance"), *Statement.Stance.choices]


class IsoDateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the locale: a
    browser shows ``16/01/2024`` as empty and submits nothing, so a form saved unchanged
    would lose the date. Every date field of every form uses this widget."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None,
    ) -> SafeString:
        """The markup of Django's ``widgets/input.html`` (and ``attrs.html``), built here from
        the same context: the matrix pages show two date fields on every request, and the
        form renderer's three templates cost each several times this."""
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
                           shown, _attributes(widget["attrs"]))


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes as Django's ``attrs.html`` writes them: ``True`` bare, ``False``
    left out, anything else as its text (None too, as "None"); names and values escaped."""
    return format_html_join("", " {}{}", (
        (name, "" if value is True else format_html('="{}"', value))
        for name, value in attrs.items() if value is not False
    ))


DATE_WIDGET = IsoDateInput()


def _issue_label(issue: Issue) -> str:
    return f"— {issue.name}" if issue.parent_id else issue.name


class MonthField(forms.DateField):
    """A month as YYYY-MM (the search's month facet), cleaned to its first day."""

    input_formats = ["%Y-%m"]
    label_format = "%Y-%m"  # how a citation names it
    # Rendered as the browser's month input wants it (2024-01), never a locale date.
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class _DateRangeMixin(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=DATE_WIDGET)
    date_to = forms.DateField(required=False, label="To", widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            # Before 1900 is a typing slip, and arithmetic on year 1 overflows.
            if (value := data.get(name)) and value < EARLIEST:
                self.add_error(name, "Choose a date from 1900 on.")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data


class TimelineFilterForm(_DateRangeMixin):
    """An actor's timeline filters; choices come from lists the view already loaded."""

    negotiation = forms.ChoiceField(required=False, label="Negotiation")
    issue = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Issue")
    stance = forms.ChoiceField(required=False, choices=STANCE_CHOICES, label="Stance")
    speaker = forms.CharField(required=False, max_length=120, label="Speaker")
    after = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, negotiations: Sequence[Negotiation], issues: Sequence[Issue],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._negotiations = {n.slug: n for n in negotiations}
        cast(forms.ChoiceField, self.fields["negotiation"]).choices = [("", "All negotiations")] + [
            (n.slug, n.name) for n in negotiations
        ]
        cast(forms.ChoiceField, self.fields["issue"]).choices = [("", "Any issue")] + [
            (issue.pk, _issue_label(issue)) for issue in issues
        ]

    def clean_negotiation(self) -> Negotiation | None:
        return self._negotiations.get(self.cleaned_data.get("negotiation") or "")

    def filters(self) -> StatementFilters:
        """The valid part of the query string (an invalid field is ignored and reported)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        negotiation = data.get("negotiation")
        return StatementFilters(
            negotiation_id=negotiation.pk if negotiation else None,
            issue_id=data.get("issue"),
            stance=data.get("stance") or "",
            speaker=data.get("speaker") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


FORMAT_CHOICES = [("", "Page"), ("csv", "CSV"), ("json", "JSON")]


class AsOfForm(forms.Form):
    """The time mode and date a side-by-side shows, and optionally an earlier date to
    compare with (in the same mode)."""

    mode = forms.ChoiceField(
        required=False, choices=Mode.choices, label="Mode", widget=forms.RadioSelect,
        error_messages={"invalid_choice": (
            "Unknown mode “%(value)s”: choose as_of (as of), published (published by) "
            "or record (Parley's record on)."
        )},
    )
    as_of = forms.DateField(required=False, label="Date", widget=DATE_WIDGET)
    compare = forms.DateField(required=False, label="Compare with", widget=DATE_WIDGET)
    format = forms.ChoiceField(required=False, choices=FORMAT_CHOICES, widget=forms.HiddenInput)
    bom = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("as_of"):
            data["as_of"] = timezone.localdate()
        if not data.get("mode") and "mode" not in self.errors:
            data["mode"] = Mode.AS_OF
        return data

    def shown(self) -> tuple[Mode, date, date | None]:
        """The mode, date and compared date to show: the valid part of the query string
        (an invalid field is reported and falls back to its default, today or ``as_of``)."""
        data = self.cleaned_data
        return Mode(data.get("mode") or Mode.AS_OF), data.get("as_of") or timezone.localdate(), (
            data.get("compare") if "compare" not in self.errors else None
        )


class ChangesForm(_DateRangeMixin):
    """The date range of a "what changed" page; by default the last 30 days."""

    MAX_DAYS = 3660
    format = forms.ChoiceField(required=False, choices=FORMAT_CHOICES, widget=forms.HiddenInput)
    bom = forms.BooleanField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        end = data.get("date_to") or timezone.localdate()
        start = data.get("date_from") or end - timedelta(days=30)
        if (end - start).days > self.MAX_DAYS:
            self.add_error("date_from", "Choose a range of at most ten years.")
        data["date_from"], data["date_to"] = start, end
        return data


class ExportForm(_DateRangeMixin):
    """Export filters; ids and slugs are checked against the database."""

    negotiation = forms.ModelChoiceField(
        queryset=Negotiation.objects.all(), to_field_name="slug", required=False
    )
    actor = forms.ModelChoiceField(queryset=Actor.objects.all(), required=False)
    issue = forms.ModelChoiceField(queryset=Issue.objects.all(), required=False)
    stance = forms.ChoiceField(required=False, choices=STANCE_CHOICES)
    speaker = forms.CharField(required=False, max_length=120)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    month = MonthField(required=False)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)
    proposal = forms.ModelChoiceField(
        queryset=Proposal.objects.all(), required=False,
        help_text="Only the statements about this proposal (by id) or its clauses.",
    )
    format = forms.ChoiceField(required=False, choices=[("csv", "CSV"), ("json", "JSON")])
    bom = forms.BooleanField(required=False, help_text="Start with a UTF-8 BOM (for Excel).")

    def filters(self) -> StatementFilters:
        data = self.cleaned_data
        return StatementFilters(
            negotiation_id=data["negotiation"].pk if data.get("negotiation") else None,
            actor_id=data["actor"].pk if data.get("actor") else None,
            issue_id=data["issue"].pk if data.get("issue") else None,
            stance=data.get("stance") or "",
            speaker=data.get("speaker") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year"),
            outlet_id=data["outlet"].pk if data.get("outlet") else None,
            month=data.get("month"),
            proposal_id=data["proposal"].pk if data.get("proposal") else None,
        )


class SearchForm(forms.Form):
    """Full-text query and facet selections."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    negotiation = forms.ModelChoiceField(
        queryset=Negotiation.objects.all(), to_field_name="slug", required=False
    )
    actor = forms.ModelChoiceField(queryset=Actor.objects.all(), required=False)
    issue = forms.ModelChoiceField(queryset=Issue.objects.all(), required=False)
    stance = forms.ChoiceField(required=False, choices=STANCE_CHOICES)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    month = MonthField(required=False)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)

    def filters(self) -> StatementFilters:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return StatementFilters(
            negotiation_id=pk("negotiation"), actor_id=pk("actor"), issue_id=pk("issue"),
            stance=data.get("stance") or "", year=data.get("year"), outlet_id=pk("outlet"),
            month=data.get("month"),
        )


class ArticleMetadataForm(forms.Form):
    """An article's title, outlet, URL and publication date as an editor corrects them;
    ``seen`` is the article's state when the form was read (see ``article_seen``)."""

    title = forms.CharField(required=False, max_length=300)
    outlet = forms.CharField(required=False, max_length=120)
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https", label="URL")
    published_on = forms.DateField(required=False, widget=DATE_WIDGET, label="Published on")
    seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, article: Any, seen: int) -> dict[str, Any]:
        return {
            "title": article.title, "outlet": article.outlet.name if article.outlet_id else "",
            "url": article.url, "published_on": article.published_on, "seen": seen,
        }

    def clean_published_on(self) -> Any:
        published = self.cleaned_data.get("published_on")
        # A day's grace, as for uploads: an editor ahead of UTC may date it tomorrow.
        if published and published > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(f"{published.isoformat()} is in the future.")
        return published

    def metadata(self) -> ArticleMetadata:
        data = self.cleaned_data
        return ArticleMetadata(
            title=data["title"], outlet=data["outlet"], url=data["url"],
            published_on=data["published_on"],
        )
