"""Negotiations, their actors, people and issues, the articles statements cite, and the
position statements Parley tracks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from positions.text import MAX_OUTLET, MAX_TITLE, MAX_URL


class Negotiation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    actors: models.ManyToManyField[Actor, Participation] = models.ManyToManyField(
        "Actor", through="Participation", related_name="negotiations",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Actor(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", "State"
        MOVEMENT = "movement", "Movement"
        GOVERNMENT = "government", "Government"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATE)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, one per item.")
    adjectives = models.JSONField(
        default=list, blank=True, help_text='Adjectives naming its sources ("Israeli", "Qatari").'
    )
    colour = models.CharField(max_length=7, default="#64748b")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="actor_colour_is_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Participation(models.Model):
    class Role(models.TextChoices):
        PARTY = "party", "Party"
        MEDIATOR = "mediator", "Mediator"

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE)
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE)
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["role", "actor__name"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "actor"], name="one_role_per_negotiation"),
            models.CheckConstraint(
                condition=Q(role__in=["party", "mediator"]), name="participation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role}) in {self.negotiation}"


class Person(models.Model):
    name = models.CharField(max_length=120)
    aliases = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="people")
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["name", "actor"], name="person_unique_per_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class Issue(models.Model):
    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="issues")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.CharField(max_length=80, help_text="A sub-issue's key is parent/own.")
    name = models.CharField(max_length=120)
    keywords = models.JSONField(default=list, blank=True)
    description = models.TextField(
        blank=True, help_text="What the issue covers; extraction scores sentences against it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["negotiation", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "key"], name="issue_key_unique"),
            models.CheckConstraint(
                condition=Q(key__regex=r"^[a-z0-9_]+(/[a-z0-9_]+)*$"), name="issue_key_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Outlet(models.Model):
    name = models.CharField(max_length=MAX_OUTLET, unique=True)
    aliases = models.JSONField(default=list, blank=True)
    domains = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


ARTICLE_UNTRACKED = [
    "negotiation", "language", "body", "content_hash", "source_format", "status", "error",
    "attempts", "claimed_at", "uploaded_by", "created_at", "processed_at", "notes",
]


class Article(models.Model):
    """A source statements cite: its metadata, the text evidence offsets point into, and the
    state of its ingestion (which the ``articles`` app drives).

    The table keeps the name it had when the model lived in ``articles``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINAL = (Status.DONE, Status.FAILED)

    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=MAX_TITLE, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    url = models.URLField(max_length=MAX_URL, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    body = models.TextField(help_text="The extracted text that evidence offsets point into.")
    content_hash = models.CharField(max_length=64, unique=True)
    source_format = models.CharField(max_length=10, default="text")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    notes = models.TextField(
        blank=True, help_text="What was changed to store the article (a title shortened, a link left out)."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    # Editors correct the metadata (positions.services.article_update_metadata): history
    # keeps those fields only, not the body or the ingestion state.
    history = HistoricalRecords(
        excluded_fields=ARTICLE_UNTRACKED, table_name="articles_historicalarticle"
    )

    class Meta:
        db_table = "articles_article"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "claimed_at"], name="article_claims")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "processing", "done", "failed"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def unread_language(self) -> str:
        """The name of the language the text was found to be in, when extraction cannot read
        it (English only); "" for English or before detection."""
        if not self.language or self.language == "en":
            return ""
        name = LANG_INFO.get(self.language, {}).get("name")
        return f"{name} (“{self.language}”)" if name else f"language code “{self.language}”"


class Proposal(models.Model):
    """A named plan or offer in a negotiation, the version it amends and its clauses.

    Statements respond to a proposal (``Statement.proposal``) or to some of its clauses
    (``Statement.clauses``): that gives each proposal's record and the proposals matrix.
    """

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="proposals")
    key = models.SlugField(
        max_length=80, help_text="Short and stable within the negotiation; exports and the API use it."
    )
    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list, blank=True,
        help_text='Other names the press uses ("the Biden plan", "the bridging proposal").',
    )
    proposed_by: models.ManyToManyField[Actor, Any] = models.ManyToManyField(
        Actor, blank=True, related_name="proposals", help_text="Who put it forward.",
    )
    proposed_on = models.DateField(null=True, blank=True, help_text="When it was put forward.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="versions",
        help_text="The earlier proposal this one amends.",
    )
    summary = models.TextField(blank=True, help_text="What it offers, in our words.")
    articles: models.ManyToManyField[Article, Any] = models.ManyToManyField(
        Article, blank=True, related_name="proposals", help_text="Articles that report it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[proposed_by, articles])

    class Meta:
        ordering = ["negotiation", "proposed_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "key"], name="proposal_key_unique"),
            models.UniqueConstraint(fields=["negotiation", "name"], name="proposal_name_unique"),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="proposal_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Clause(models.Model):
    """One provision of a proposal, on one issue, in our words. A clause's key is shared
    with the clause it revises in the parent proposal, so versions compare clause by clause."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="clauses")
    key = models.SlugField(max_length=80)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="clauses"
    )
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "key"], name="clause_key_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="clause_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.key}"


STANCES = ["demand", "reject", "accept", "propose", "condition", "intent", "assess"]
STATUSES = ["draft", "approved", "rejected", "duplicate"]


class StatementQuerySet(models.QuerySet["Statement"]):
    def approved(self) -> StatementQuerySet:
        return self.filter(status=Statement.Status.APPROVED)


class Statement(models.Model):
    class Stance(models.TextChoices):
        DEMAND = "demand", "Demand"
        REJECT = "reject", "Reject"
        ACCEPT = "accept", "Accept"
        PROPOSE = "propose", "Propose"
        CONDITION = "condition", "Condition"
        INTENT = "intent", "Intent"
        ASSESS = "assess", "Assess"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate"

    class QuoteType(models.TextChoices):
        DIRECT = "direct", "Direct"
        REPORTED = "reported", "Reported"

    class DateBasis(models.TextChoices):
        EXPLICIT = "explicit", "Explicit date"
        RELATIVE = "relative", "Relative day"
        CONTEXT = "context", "From context"
        RELAY = "relay", "From the relaying statement"
        PUBLICATION = "publication", "Publication date"
        EDITOR = "editor", "Set by an editor"

    negotiation = models.ForeignKey(Negotiation, on_delete=models.PROTECT, related_name="statements")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="statements")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    speaker = models.CharField(max_length=200, help_text="As named in the text.")
    issues = models.ManyToManyField(Issue, related_name="statements")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    summary = models.TextField(blank=True)
    quote_type = models.CharField(
        max_length=10, choices=QuoteType.choices, default=QuoteType.REPORTED
    )
    stated_on = models.DateField(null=True, blank=True, help_text="Empty for a background position.")
    # Stored so "as of" reads walk one index: stated_on, else the article's publication
    # date (see set_effective_on); null when neither is known.
    effective_on = models.DateField(null=True, blank=True, editable=False)
    date_basis = models.CharField(max_length=12, choices=DateBasis.choices, blank=True)
    via = models.CharField(max_length=300, blank=True, help_text="Reporting chain, source first.")
    conditions = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT,
        related_name="statements",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.FloatField(default=0.5)
    extractor_version = models.CharField(max_length=40, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="statements",
        help_text="The proposal the statement responds to, if any.",
    )
    clauses = models.ManyToManyField(
        Clause, blank=True, related_name="statements",
        help_text="The proposal's clauses the stance is about; none for the whole proposal.",
    )
    proposal_confidence = models.FloatField(
        null=True, blank=True, help_text="Extraction's confidence in the proposal link.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[issues, clauses])
    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-stated_on", "-id"]
        indexes = [
            # Timelines, shift lookups and positions as of a date walk this backwards; with
            # the stance in it, a stance filter needs no visit to the table per row.
            models.Index(
                fields=["actor", "status", "effective_on", "id"], include=["stance"],
                name="statement_as_of",
            ),
            # An actor's timeline filtered by stance (with an issue too, the walk would
            # otherwise pass ten statements for each it keeps).
            models.Index(
                fields=["actor", "status", "stance", "effective_on", "id"],
                name="statement_stance_as_of",
            ),
            # What changed in a date range; the newest search matches.
            models.Index(fields=["negotiation", "status", "effective_on"], name="statement_range"),
            models.Index(fields=["article", "status"], name="statement_article_status"),
            # The newest approved statements of any negotiation or actor: an unfiltered
            # search walks it backwards (migration 0006 also adds the search documents).
            models.Index(
                fields=["effective_on", "id"], condition=Q(status="approved"),
                name="statement_approved_newest",
            ),
            # The proposals matrix: an actor's latest stance toward a proposal as of a date
            # (one backward step per cell); a proposal's page reads its statements by it too.
            models.Index(
                fields=["proposal", "actor", "status", "effective_on", "id"],
                condition=Q(proposal__isnull=False), name="statement_proposal_as_of",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=STANCES), name="statement_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=STATUSES), name="statement_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(quote_type__in=["direct", "reported"]), name="statement_quote_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="statement_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(proposal_confidence__isnull=True)
                | (Q(proposal_confidence__gte=0) & Q(proposal_confidence__lte=1)),
                name="statement_proposal_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(stated_on__isnull=True) | Q(effective_on=F("stated_on")),
                name="statement_effective_on_is_stated_on",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="statement_duplicate_has_canonical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.stance} ({self.stated_on or 'undated'})"

    @property
    def effective_date(self) -> date | None:
        """The date used in "as of" views: an undated statement counts from its article."""
        if self.stated_on:
            return self.stated_on
        return self.article.published_on if self.article_id and self.article else None

    def set_effective_on(self) -> None:
        """Store ``effective_date``; every write that sets stated_on or article calls this."""
        self.effective_on = self.effective_date


class Evidence(models.Model):
    """One exact source span of a statement, in code points of its article's body."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="evidence")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=models.F("start")),
                name="evidence_span_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.start}:{self.end}] {self.text[:60]}"


class ApiToken(models.Model):
    """A script's key to the read-only API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
