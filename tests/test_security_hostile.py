"""Hostile text is shown as text: script, event-handler, markup and template payloads stored in
every user-supplied field come out escaped on every page; the Content-Security-Policy allows
no inline script; templates contain no inline script or event handler; CSV exports defuse
formulas."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import SelectionReading
from positions.models import Evidence, Outlet, Statement
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClauseFactory,
    IssueFactory,
    NegotiationFactory,
    ParticipationFactory,
    PersonFactory,
    ProposalFactory,
    StatementFactory,
    UserFactory,
)
from tests.test_permissions import (
    EDITOR,
    EXPECTED,
    PUBLIC,
    READER,
    ingestion_objects,
    kwargs_for,
    url_patterns,
)

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg/onload=alert(1)>"
TEMPLATE = "{{7*7}}{% now 'Y' %}"
HX = '<a hx-get="/evil" hx-trigger="load">x</a>'
PAYLOAD = f"{SCRIPT}{IMG}{SVG}{TEMPLATE}{HX}"

# What must never reach a page unescaped.
RAW = ["<script>alert", "<img src=x", "<svg/onload", '<a hx-get="/evil"', "onerror=alert(1)>"]


def hostile(label: str) -> str:
    return f"{label} {PAYLOAD}"


def short(label: str) -> str:
    """For the 120-character name fields."""
    return f"{label} {SCRIPT}{IMG}{TEMPLATE}"


@pytest.fixture
def world(db) -> dict[str, Any]:
    """A negotiation whose every free-text field carries the payloads."""
    negotiation = NegotiationFactory.create(
        slug="hostile-talks", name=hostile("Negotiation"), description=hostile("Description")
    )
    actor = ActorFactory.create(name=short("Actor"), short_name="<b>S</b>", aliases=[SCRIPT])
    other = ActorFactory.create(name=short("Other"))
    ParticipationFactory.create(negotiation=negotiation, actor=actor, role="party")
    ParticipationFactory.create(negotiation=negotiation, actor=other, role="mediator")
    issue = IssueFactory.create(negotiation=negotiation, key="hostages", name=short("Issue"))
    outlet = Outlet.objects.create(name=short("Outlet"), domains=["evil.example"])
    body = (
        f"Opening line {SCRIPT}. The envoy {IMG} said the talks would resume. "
        f"{SVG} then {TEMPLATE} and {HX} closed the report."
    )
    article = ArticleFactory.create(
        negotiation=negotiation, title=hostile("Title"), body=body, outlet=outlet,
        url="https://evil.example/a?x=%22%3E%3Cscript%3E", published_on=date(2024, 1, 17),
    )
    person = PersonFactory.create(name=short("Person"), actor=actor, title=hostile("Title of person"))
    fields = {
        "speaker": hostile("Speaker"), "summary": hostile("Summary"),
        "conditions": hostile("Conditions"), "via": hostile("Via"),
    }
    # A proposal and a revision: the proposal pages, the editor's pages (every field and the
    # history), the matrix, search hits (name and aliases) and the review card's link.
    plan = ProposalFactory.create(
        negotiation=negotiation, key="hostile-plan", name=short("Proposal"),
        aliases=[SCRIPT, IMG, hostile("Alias")], summary=hostile("Proposal summary"),
    )
    plan.proposed_by.set([actor, other])
    clause = ClauseFactory.create(proposal=plan, key="kept", issue=issue, text=hostile("Clause"))
    draft = StatementFactory.create(article=article, actor=actor, person=person, issues=[issue], **fields)
    approved = StatementFactory.create(
        article=article, actor=actor, person=person, issues=[issue],
        status=Statement.Status.APPROVED, stated_on=date(2024, 1, 16), proposal=plan,
        clauses=[clause], **fields,
    )
    StatementFactory.create(
        article=article, actor=other, issues=[issue], status=Statement.Status.APPROVED,
        stance=Statement.Stance.REJECT, stated_on=date(2024, 1, 18), **fields,
    )
    Evidence.objects.create(statement=approved, start=13, end=13 + len(SCRIPT), text=SCRIPT)
    revision = ProposalFactory.create(negotiation=negotiation, key="hostile-revision", name=short("Revision"),
                                      parent=plan, proposed_on=date(2024, 1, 12))
    changed = ClauseFactory.create(proposal=revision, key="kept", issue=issue, text=hostile("Clause revised"))
    StatementFactory.create(article=article, actor=other, issues=[issue], status=Statement.Status.APPROVED,
                            proposal=revision, clauses=[changed], stated_on=date(2024, 1, 19), **fields)
    reading = SelectionReading.objects.create(  # the new-statement card shows text and error
        token=uuid.uuid4(), article=article, text=body, reading={}, error=hostile("Reading")[:300]
    )
    # The draft's review card shows its link, the clauses to pick and the names offered.
    Statement.objects.filter(pk=draft.pk).update(proposal=plan, proposal_confidence=0.5)
    draft.clauses.set(plan.clauses.all())
    return {"article": article, "actor": actor, "draft": draft, "approved": approved,
            "negotiation": negotiation, "issue": issue, "reading": reading, "proposal": revision,
            **ingestion_objects(negotiation, hostile("Ingestion"))}


def assert_escaped(html: str, where: str) -> None:
    leaks = [raw for raw in RAW if raw in html]
    assert not leaks, f"{where}: unescaped {leaks}"


def pages(world: dict[str, Any]) -> list[str]:
    """Every GET page of the project with the hostile objects, plus reflected query strings."""
    urls = []
    for name, route, _ in url_patterns():
        rule = EXPECTED[name]
        if "GET" in rule.methods and rule.access in (READER, EDITOR):
            urls.append(reverse(name, kwargs=kwargs_for(name, route, world)))
    slug, actor = world["negotiation"].slug, world["actor"].pk
    urls += [
        reverse("positions:search") + "?q=" + "Summary",
        reverse("positions:search") + "?q=" + "Proposal",  # a proposal hit: name and aliases
        reverse("positions:search") + "?q=%3Cscript%3Ealert(1)%3C/script%3E",
        reverse("positions:side_by_side", kwargs={"slug": slug}) + "?as_of=2024-01-20&compare=2024-01-15",
        reverse("positions:side_by_side", kwargs={"slug": slug}) + "?as_of=%22%3E%3Cscript%3Ealert(1)",
        reverse("positions:changes", kwargs={"slug": slug}) + "?date_from=2024-01-01&date_to=2024-02-01",
        reverse("positions:proposals_matrix", kwargs={"slug": slug}) + "?as_of=2024-01-20&compare=2024-01-15",
        reverse("positions:proposal", kwargs={"pk": world["proposal"].parent_id}),
        reverse("positions:timeline", kwargs={"pk": actor}) + "?q=%3Cimg%20src=x%20onerror=alert(1)%3E",
        reverse("articles:list") + "?q=%3Cscript%3Ealert(1)%3C/script%3E",
        reverse("positions:proposal_list") + f"?negotiation={slug}",
        reverse("positions:proposal_new") + f"?negotiation={slug}",
        reverse("positions:proposal_edit", kwargs={"pk": world["proposal"].parent_id}),
    ]
    return urls


def test_payloads_are_escaped_on_every_page(world):
    client = Client()
    client.force_login(UserFactory.create(username="h-editor", role="editor"))
    checked = 0
    for url in pages(world):
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"
        if response.status_code == 200 and "html" in response["Content-Type"]:
            html = response.content.decode()
            assert_escaped(html, url)
            checked += 1
    assert checked >= 15
    # The payloads did reach the pages, escaped: the test would otherwise prove nothing.
    review = client.get(reverse("articles:review", kwargs={"pk": world["article"].pk})).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review
    assert "{{7*7}}" in review


def test_payloads_are_escaped_in_htmx_fragments(world):
    client = Client()
    client.force_login(UserFactory.create(username="h-editor", role="editor"))
    slug, actor = world["negotiation"].slug, world["actor"].pk
    for url, target in (
        (reverse("positions:side_by_side", kwargs={"slug": slug}) + "?as_of=2024-01-20", "matrix"),
        (reverse("positions:timeline", kwargs={"pk": actor}), "timeline-results"),
        (reverse("positions:search") + "?q=Summary", "search-results"),
        (reverse("positions:changes", kwargs={"slug": slug}), "changes-list"),
    ):
        response = client.get(url, headers={"HX-Request": "true", "HX-Target": target})
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), f"{url} #{target}")


def test_payloads_are_escaped_in_the_admin(world):
    client = Client()
    client.force_login(UserFactory.create(username="h-admin", is_staff=True, is_superuser=True))
    for model, pk in (("positions/article", world["article"].pk),
                      ("positions/statement", world["approved"].pk),
                      ("positions/actor", world["actor"].pk)):
        for url in (f"/admin/{model}/", f"/admin/{model}/{pk}/change/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_escaped(response.content.decode(), url)


def test_editor_input_is_stored_as_typed_and_shown_escaped(world):
    """Through the edit form, not only the factories: nothing strips or renders the markup."""
    client = Client()
    client.force_login(UserFactory.create(username="h-editor", role="editor"))
    draft = world["draft"]
    page = client.get(reverse("articles:statement_edit", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    assert_escaped(page.content.decode(), "edit form")


def test_csv_export_defuses_formulas(world):
    Statement.objects.filter(pk=world["approved"].pk).update(
        summary='=HYPERLINK("http://evil.example","x")', speaker="+1+cmd|' /C calc'!A0",
        conditions="@SUM(1+1)", via="-2+3",
    )
    client = Client()
    client.force_login(UserFactory.create(username="h-researcher", role="researcher"))
    response = client.get(reverse("positions:export") + "?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["id", "date"])
    columns = rows[header]
    records = [dict(zip(columns, row, strict=False)) for row in rows[header + 1:]]
    mine = next(r for r in records if r["id"] == str(world["approved"].pk))
    assert mine["summary"] == "'" + '=HYPERLINK("http://evil.example","x")'
    assert mine["speaker"].startswith("'+")
    assert mine["conditions"] == "'@SUM(1+1)"
    assert mine["via"] == "'-2+3"
    for record in records:
        for value in record.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), record


def test_pages_send_a_csp_without_inline_script(world, editor_client):
    for url in (reverse("home"), reverse("login"), reverse("articles:upload"),
                reverse("articles:review", kwargs={"pk": world["article"].pk}),
                reverse("positions:search")):
        response = editor_client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        script = directives.get("script-src", directives.get("default-src"))
        assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, policy
        assert "'unsafe-inline'" not in directives.get("style-src", []), policy
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        # Every script tag loads a file; the nonce is there for Django's own needs only.
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{url}: inline script {tag}"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
TEMPLATE_IDS = [str(p.relative_to(ROOT)) for p in TEMPLATES]


@pytest.mark.parametrize("path", TEMPLATES, ids=TEMPLATE_IDS)
def test_templates_have_no_inline_script_handlers_or_styles(path: Path) -> None:
    source = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", source, flags=re.I):
        assert "src=" in tag, f"{path.name}: inline <script> without src: {tag}"
    handlers = re.findall(r"<[^>]*\s(on[a-z]+)\s*=", source, flags=re.I)
    assert not handlers, f"{path.name}: inline event handler attributes {handlers}"
    assert not re.search(r"\sstyle\s*=", source), f"{path.name}: inline style attribute (CSP style-src)"
    assert "javascript:" not in source.lower(), f"{path.name}: javascript: URL"
    # Statement, article and name text is never marked safe (RELIABILITY.md, ASVS 1.2.1).
    if path.name != "password_reset_email.html":  # a plain-text mail, not HTML
        assert "|safe" not in source and "autoescape off" not in source, path.name


def test_no_python_code_marks_text_safe() -> None:
    offenders = []
    for folder in ("articles", "positions", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if re.search(r"\bmark_safe\(|\bSafeString\(", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"mark_safe in {offenders}: use format_html or escape"


def test_public_pages_are_few() -> None:
    public = sorted(name for name, rule in EXPECTED.items() if rule.access == PUBLIC)
    # The API's index, OpenAPI schema and its interactive docs describe endpoints, not data:
    # the data needs a token or a session.
    assert public == [
        "api:api-root", "api:openapi-json", "api:openapi-view",
        "health", "login", "logout", "password_reset", "password_reset_complete",
        "password_reset_confirm", "password_reset_done",
    ]
