"""Forms of the upload and review pages. They validate; services do the writing."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import PurePath
from typing import Any, cast

from django import forms
from django.conf import settings

from articles.models import Feed
from articles.selectors import proposals_named
from articles.sources import ACCEPTED_EXTENSIONS, Document, SourceError, read_text
from articles.sources.archive import check_zip
from articles.sources.dispatch import check_upload, extension
from articles.sources.sanitize import date_problem, safe_document, url_problem
from positions.forms import IsoDateInput
from positions.models import Actor, Article, Clause, Issue, Negotiation, Outlet, Proposal, Statement
from positions.services import ProposalLink, SplitPart, StatementChanges

ARCHIVE_EXTENSION = ".zip"


def _too_large(what: str, limit: int) -> forms.ValidationError:
    return forms.ValidationError(f"The {what} is larger than {limit // 1024} KiB, the limit.")


class UploadForm(forms.Form):
    negotiation = forms.ModelChoiceField(queryset=Negotiation.objects.all(), empty_label=None)
    file = forms.FileField(
        required=False,
        help_text=(
            "Text or Markdown (optionally with YAML front matter), HTML, PDF or Word; "
            "or a .zip of such files, saved as one batch."
        ),
    )
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 12}), label="Or paste the text"
    )
    title = forms.CharField(required=False, max_length=300)
    outlet = forms.CharField(required=False, max_length=120)
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https", label="URL")
    published = forms.DateField(
        required=False, widget=IsoDateInput(), label="Published on"
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        suffix = extension(upload.name)
        if suffix == ARCHIVE_EXTENSION:
            if upload.size > settings.PARLEY_MAX_ZIP_BYTES:
                raise _too_large("archive", settings.PARLEY_MAX_ZIP_BYTES)
            return upload
        if suffix not in ACCEPTED_EXTENSIONS:
            named = f"{suffix} files" if suffix else "files without an extension"
            accepted = ", ".join((*ACCEPTED_EXTENSIONS, ARCHIVE_EXTENSION))
            raise forms.ValidationError(f"Parley cannot read {named}; it accepts {accepted}.")
        if upload.size > settings.PARLEY_MAX_UPLOAD_BYTES:
            raise _too_large("file", settings.PARLEY_MAX_UPLOAD_BYTES)
        return upload

    def clean_published(self) -> date | None:
        published: date | None = self.cleaned_data.get("published")
        if published and (problem := date_problem(published, what="publication date")):
            raise forms.ValidationError(f"{problem}.")
        return published

    def clean_url(self) -> str:
        url: str = self.cleaned_data.get("url", "")
        if url and (problem := url_problem(url)):
            raise forms.ValidationError(problem)
        return url

    def clean_text(self) -> str:
        text: str = self.cleaned_data.get("text", "")
        if len(text.encode("utf-8")) > settings.PARLEY_MAX_UPLOAD_BYTES:
            raise _too_large("text", settings.PARLEY_MAX_UPLOAD_BYTES)
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload, text = data.get("file"), data.get("text", "").strip()
        if self.errors:
            return data
        if bool(upload) == bool(text):
            raise forms.ValidationError("Upload a file or paste the text (one of the two).")
        if not upload:
            try:
                document = self._typed(data, read_text(text), ("title", "outlet", "url", "published"))
                safe_document(document)  # what storing it would refuse, refused here
            except SourceError as error:
                raise forms.ValidationError(str(error)) from None
            data["document"] = document
            return data
        # Only the extension of the editor's file name is used, never a path.
        return self._clean_file(data, PurePath(upload.name).name, upload.read())

    def _clean_file(self, data: dict[str, Any], name: str, content: bytes) -> dict[str, Any]:
        """A file is never parsed here: it is checked as far as it can be without parsing
        (size, extension, signature, a .zip's structure) and kept for a worker to read
        (``data["upload"]``), so no upload can hold the web request."""
        is_archive = extension(name) == ARCHIVE_EXTENSION
        if is_archive and (data.get("title") or data.get("url")):
            raise forms.ValidationError(
                "A title or URL belongs to one article; leave them empty for a .zip "
                "(outlet and publication date apply to every file in it)."
            )
        try:
            if is_archive:
                check_zip(
                    content, max_files=settings.PARLEY_MAX_ZIP_FILES,
                    max_total_bytes=settings.PARLEY_MAX_ZIP_BYTES,
                )
            else:
                check_upload(name, content)
        except SourceError as error:
            raise forms.ValidationError(str(error)) from None
        data["upload"] = {"filename": name, "data": content, "typed": self.typed_fields(data)}
        return data

    @staticmethod
    def typed_fields(data: dict[str, Any]) -> dict[str, str]:
        """The metadata the editor typed (non-empty ones), as JSON keeps them."""
        typed = {field: data.get(field) for field in ("title", "outlet", "url", "published")}
        if typed["published"]:
            typed["published"] = typed["published"].isoformat()
        return {field: str(value) for field, value in typed.items() if value}

    @staticmethod
    def _typed(data: dict[str, Any], document: Document, fields: tuple[str, ...]) -> Document:
        """Fields typed in the form win over the text's front matter."""
        meta = dataclasses.replace(
            document.meta, **{field: data[field] for field in fields if data.get(field)}
        )
        return dataclasses.replace(document, meta=meta)


class FetchForm(forms.Form):
    """A URL for the worker to fetch."""

    negotiation = forms.ModelChoiceField(queryset=Negotiation.objects.all(), empty_label=None)
    url = forms.URLField(
        max_length=1000, assume_scheme="https", label="Fetch from a URL",
        help_text="A web page, plain text or PDF; the worker fetches it and saves the article.",
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses can be fetched.")
        return url


class FeedForm(forms.Form):
    negotiation = forms.ModelChoiceField(queryset=Negotiation.objects.all(), empty_label=None)
    url = forms.URLField(max_length=1000, assume_scheme="https", label="Feed URL")

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses can be fetched.")
        if Feed.objects.filter(url=url).exists():
            raise forms.ValidationError("Parley already follows this feed.")
        return url


class FeedActiveForm(forms.Form):
    active = forms.BooleanField(required=False)


class StatementForm(forms.Form):
    """The fields an editor sets on a statement; ``version`` is the one the form was read at."""

    actor = forms.ModelChoiceField(queryset=Actor.objects.none(), empty_label=None)
    speaker = forms.CharField(max_length=200)
    issues = forms.ModelMultipleChoiceField(
        queryset=Issue.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    stance = forms.ChoiceField(choices=Statement.Stance.choices)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    via = forms.CharField(required=False, max_length=300, label="Via (reporting chain)")
    stated_on = forms.DateField(
        required=False, widget=IsoDateInput(), label="Stated on",
        help_text="Empty for a background position.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_stated_on(self) -> date | None:
        stated_on: date | None = self.cleaned_data.get("stated_on")
        if stated_on and (problem := date_problem(stated_on)):
            raise forms.ValidationError(f"{problem}.")
        return stated_on

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = cast("forms.ModelChoiceField[Actor]", self.fields["actor"])
        actor.queryset = negotiation.actors.order_by("name")
        issues = cast("forms.ModelMultipleChoiceField[Issue]", self.fields["issues"])
        issues.queryset = negotiation.issues.order_by("position", "key")

    @classmethod
    def initial_for(cls, statement: Statement) -> dict[str, Any]:
        return {
            "actor": statement.actor_id, "speaker": statement.speaker,
            "issues": [issue.pk for issue in statement.issues.all()], "stance": statement.stance,
            "summary": statement.summary, "conditions": statement.conditions,
            "via": statement.via, "stated_on": statement.stated_on, "version": statement.version,
        }

    def changes(self) -> StatementChanges:
        data = self.cleaned_data
        return StatementChanges(
            actor=data["actor"], speaker=data["speaker"], issues=list(data["issues"]),
            stance=data["stance"], summary=data["summary"], conditions=data["conditions"],
            via=data["via"], stated_on=data["stated_on"],
        )


class NewStatementForm(StatementForm):
    """A statement an editor enters: from text selected in the article, or by hand."""

    version = None  # type: ignore[assignment]  # removes the inherited field
    speaker = forms.CharField(
        max_length=200, required=False, help_text="As named in the text; empty: the actor's name."
    )
    evidence = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact text from the article (select it in the article to fill this in).",
    )
    evidence_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    proposal = forms.CharField(
        required=False, max_length=200, label="About the proposal",
        help_text="Its name or another name for it; empty: about no proposal.",
        widget=forms.TextInput(attrs={"list": "proposal-names", "autocomplete": "off"}),
    )
    approve = forms.BooleanField(required=False, label="Approve it now")

    def __init__(self, *args: Any, negotiation: Negotiation, article: Article | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, negotiation=negotiation, **kwargs)
        self.negotiation = negotiation
        self.article = article

    def clean_proposal(self) -> Proposal | None:
        return proposal_from_words(self.negotiation, self.cleaned_data.get("proposal", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("speaker") and data.get("actor"):
            data["speaker"] = data["actor"].name
        return data

    def clean_evidence(self) -> str:
        evidence: str = self.cleaned_data.get("evidence", "")
        if self.article is not None and not evidence.strip():
            raise forms.ValidationError("Give the evidence: the exact text from the article.")
        return evidence


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1)


class AddEvidenceForm(forms.Form):
    """Text selected in the article, to add to a statement's evidence."""

    statement = forms.IntegerField(min_value=1, label="To statement number")
    evidence = forms.CharField(max_length=5000, widget=forms.HiddenInput)
    evidence_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class RejectForm(VersionForm):
    reason = forms.CharField(required=False, max_length=500)


class MergeForm(VersionForm):
    canonical = forms.IntegerField(min_value=1, label="Statement number it duplicates")
    other_actor = forms.BooleanField(required=False, label="Merge although the actors differ")


class SplitForm(VersionForm):
    """Split in one step: each evidence span stays, or goes to new statement 1, 2, …; each
    clause of the statement's proposal stays, or goes to a new statement; each part may
    take its own stance (a statement that accepts one clause and rejects another becomes
    two). A new statement with clauses but no evidence of its own cites what stays."""

    evidence = forms.TypedMultipleChoiceField(  # the one-part form: these spans move together
        coerce=int, choices=[], widget=forms.CheckboxSelectMultiple, required=False,
        label="Evidence to move to the new statement",
    )

    def __init__(self, *args: Any, statement: Statement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spans = list(statement.evidence.all())
        proposal = statement.proposal
        self.clauses = list(proposal.clauses.all()) if proposal is not None else []
        linked = {clause.pk for clause in statement.clauses.all()}
        cast(forms.ChoiceField, self.fields["evidence"]).choices = [
            (span.pk, span.text) for span in self.spans
        ]
        self.numbers = range(1, max(len(self.spans) - 1, len(self.clauses), 1) + 1)
        new = [(number, f"new statement {number}") for number in self.numbers]
        choices = [(0, f"stays in #{statement.pk}"), *new[: max(len(self.spans) - 1, 0)]]
        for span in self.spans:
            self.fields[f"part-{span.pk}"] = forms.TypedChoiceField(
                coerce=int, choices=choices, required=False, label=span.text,
                empty_value=0,  # type: ignore[arg-type]  # any value works; the stub says str
            )
        for clause in self.clauses:
            here = f"stays in #{statement.pk}" if clause.pk in linked else "not in any"
            self.fields[f"clause-{clause.pk}"] = forms.TypedChoiceField(
                coerce=int, choices=[(0, here), *new], required=False,
                label=f"{clause.key}: {clause.text}", empty_value=0,  # type: ignore[arg-type]
            )
        stances = Statement.Stance.choices
        self.fields["stance-0"] = forms.ChoiceField(
            choices=[("", f"as now ({statement.get_stance_display().lower()})"), *stances],
            required=False, label=f"Stance of #{statement.pk}",
        )
        for number in self.numbers:
            self.fields[f"stance-{number}"] = forms.ChoiceField(
                choices=[("", "the same"), *stances], required=False,
                label=f"Stance of new statement {number}",
            )

    def part_fields(self) -> list[forms.BoundField]:
        return [self[f"part-{span.pk}"] for span in self.spans]

    def clause_fields(self) -> list[forms.BoundField]:
        return [self[f"clause-{clause.pk}"] for clause in self.clauses]

    def stance_fields(self) -> list[forms.BoundField]:
        return [self["stance-0"], *(self[f"stance-{number}"] for number in self.numbers)]

    def stance(self) -> str:
        """A new stance for the statement that stays (empty: as it is)."""
        return str(self.cleaned_data.get("stance-0") or "")

    def parts(self) -> list[SplitPart]:
        """The new statements, in their numbers' order (numbers given nothing skipped)."""
        data = self.cleaned_data
        spans: dict[int, list[int]] = {}
        if data["evidence"]:
            spans[1] = list(data["evidence"])
        else:
            for span in self.spans:
                if number := data.get(f"part-{span.pk}") or 0:
                    spans.setdefault(number, []).append(span.pk)
        clauses: dict[int, list[int]] = {}
        for clause in self.clauses:
            if number := data.get(f"clause-{clause.pk}") or 0:
                clauses.setdefault(number, []).append(clause.pk)
        return [
            SplitPart(evidence=spans.get(number, []), clauses=clauses.get(number, []),
                      stance=data.get(f"stance-{number}") or "")
            for number in self.numbers
            if number in spans or number in clauses or data.get(f"stance-{number}")
        ]


class ProposalLinkForm(VersionForm):
    """The proposal a statement responds to, by name, key or alias (empty: none), and the
    clauses of it the stance is about. Clauses are checked against the proposal by the
    service, which names the wrong ones."""

    proposal = forms.CharField(
        required=False, max_length=200, label="Proposal",
        help_text="Its name or another name for it; empty: about no proposal.",
    )
    clauses = forms.ModelMultipleChoiceField(
        queryset=Clause.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.negotiation = negotiation
        clauses = cast("forms.ModelMultipleChoiceField[Clause]", self.fields["clauses"])
        clauses.queryset = Clause.objects.all()
        clauses.error_messages["invalid_choice"] = "No such clause: %(value)s."

    def clean_proposal(self) -> Proposal | None:
        return proposal_from_words(self.negotiation, self.cleaned_data.get("proposal", ""))

    def link(self) -> ProposalLink:
        data = self.cleaned_data
        return ProposalLink(proposal=data["proposal"], clauses=list(data["clauses"]),
                            confirm=data["confirm"])


class ProposalNewForm(VersionForm):
    """A proposal a statement mentions that Parley does not know yet: created, then linked."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = forms.CharField(max_length=200, error_messages={"required": "Give the proposal a name."})
    aliases = forms.CharField(
        required=False, max_length=1000, label="Other names",
        help_text="As the press calls it, separated by commas or semicolons.",
    )
    proposed_by = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Proposed by",
    )
    proposed_on = forms.DateField(
        required=False, widget=IsoDateInput(), label="Proposed on",
        help_text="The article's date unless you know better; empty: unknown.",
    )

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        proposers = cast("forms.ModelMultipleChoiceField[Actor]", self.fields["proposed_by"])
        proposers.queryset = negotiation.actors.order_by("name")

    def clean_aliases(self) -> list[str]:
        words: str = self.cleaned_data.get("aliases", "")
        return [alias.strip() for alias in re.split(r"[,;\n]", words) if alias.strip()]

    def clean_proposed_on(self) -> date | None:
        proposed_on: date | None = self.cleaned_data.get("proposed_on")
        if proposed_on and (problem := date_problem(proposed_on, what="proposal date")):
            raise forms.ValidationError(f"{problem}.")
        return proposed_on


def proposal_from_words(negotiation: Negotiation, words: str) -> Proposal | None:
    """The one proposal the words name (None for no words), else a clear form error."""
    words = words.strip()
    if not words:
        return None
    found = proposals_named(negotiation.pk, words)
    if not found:
        raise forms.ValidationError(
            f"No proposal of {negotiation.name} is called “{words}”: check the name, or create it.",
            code="unknown",
        )
    if len(found) > 1:
        names = "; ".join(proposal.name for proposal in found)
        raise forms.ValidationError(f"“{words}” names several proposals ({names}): give its full name.")
    return found[0]


class SpeakerForm(VersionForm):
    name = forms.CharField(max_length=120, label="Person")
    actor = forms.ModelChoiceField(queryset=Actor.objects.none(), empty_label=None)
    title = forms.CharField(max_length=200, required=False)
    add_alias = forms.BooleanField(
        required=False, initial=True, label="Remember the speaker's wording as an alias"
    )
    confirm = forms.BooleanField(
        label="Yes, update the people list: the next extraction will use it"
    )

    def __init__(self, *args: Any, negotiation: Negotiation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = cast("forms.ModelChoiceField[Actor]", self.fields["actor"])
        actor.queryset = negotiation.actors.order_by("name")


class QueueFilterForm(forms.Form):
    """The queue's filters; every field optional, unknown values are form errors, not 500s."""

    negotiation = forms.ModelChoiceField(queryset=Negotiation.objects.all(), required=False)
    actor = forms.ModelChoiceField(queryset=Actor.objects.all(), required=False)
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), required=False)
    min_confidence = forms.FloatField(required=False, min_value=0, max_value=1)
    max_confidence = forms.FloatField(required=False, min_value=0, max_value=1)
    published_from = forms.DateField(
        required=False, widget=IsoDateInput()
    )
    published_to = forms.DateField(required=False, widget=IsoDateInput())
    article = forms.ModelChoiceField(
        queryset=Article.objects.all(), required=False, widget=forms.HiddenInput
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class BulkForm(QueueFilterForm):
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=500)
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
