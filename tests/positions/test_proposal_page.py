"""positions:proposal — a proposal's clauses, its versions and what each changed, and every
actor's stances toward it with their evidence and sources; the timeline names it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from positions.models import Outlet, Statement
from positions.selectors.proposals import clause_changes, proposal_page, word_diff
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory, StatementFactory
from tests.positions.conftest import read_csv

pytestmark = pytest.mark.django_db


def url(proposal) -> str:
    return reverse("positions:proposal", args=[proposal.pk])


@pytest.fixture
def family(negotiation, actors, issues):
    """A mediator's plan, its revision (one clause reworded, one dropped, one new) and a
    second revision of that."""
    plan = ProposalFactory.create(
        negotiation=negotiation, key="harbour-plan", name="Harbour plan", aliases=["the envoy's paper"],
        proposed_on=date(2024, 3, 1), proposed_by=[actors["Mediatia"]],
        summary="Three stages, from a first pause to the end of the fighting.",
    )
    ClauseFactory.create(proposal=plan, key="pause", issue=issues["ceasefire"], position=0,
                         text="A pause of six weeks in every district.")
    ClauseFactory.create(proposal=plan, key="swap", issue=issues["hostages"], position=1,
                         text="Captives released in return for detainees, in three rounds.")
    ClauseFactory.create(proposal=plan, key="patrols", issue=issues["ceasefire"], position=2,
                         text="Joint patrols along the coast road.")
    revision = ProposalFactory.create(negotiation=negotiation, key="harbour-plan-2", name="Harbour plan, revised",
                                      proposed_on=date(2024, 4, 1), parent=plan)
    ClauseFactory.create(proposal=revision, key="pause", issue=issues["ceasefire"], position=0,
                         text="A pause of ten weeks in every district.")
    ClauseFactory.create(proposal=revision, key="swap", issue=issues["hostages"], position=1,
                         text="Captives released in return for detainees, in three rounds.")
    ClauseFactory.create(proposal=revision, key="talks", issue=issues["ceasefire/permanent"], position=2,
                         text="Talks on a lasting end to the war begin in the second stage.")
    third = ProposalFactory.create(negotiation=negotiation, key="harbour-plan-3", name="Harbour plan, third text",
                                   proposed_on=date(2024, 5, 1), parent=revision)
    return {"plan": plan, "revision": revision, "third": third}


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, family, who: str, status: int):
    assert clients[who].get(url(family["plan"])).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, family):
    response = anonymous_client.get(url(family["plan"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("pk", [0, 987654, 2**63 - 1, 2**64])
def test_an_unknown_proposal_is_404(researcher_client, pk):
    assert researcher_client.get(f"/proposals/{pk}/").status_code == 404


def test_page_shows_name_aliases_proposers_date_summary_and_clauses(researcher_client, family):
    body = researcher_client.get(url(family["plan"])).content.decode()
    assert "<h1>Harbour plan" in body and "the envoy&#x27;s paper" in body
    assert "Mediatia" in body and "1 Mar 2024" in body
    assert "Three stages, from a first pause to the end of the fighting." in body
    clauses = body.split('id="clauses"')[1].split('id="versions"')[0]
    assert clauses.index("A pause of six weeks") < clauses.index("Captives released") < clauses.index("Joint patrols")
    assert 'id="clause-swap"' in clauses


def test_a_version_lists_what_it_changed_from_its_parent_clause_by_clause(family):
    page = proposal_page(proposal=family["revision"])
    assert [(v.proposal.key, v.depth, v.relation) for v in page.versions] == [
        ("harbour-plan", 0, "earlier"), ("harbour-plan-2", 1, "this"), ("harbour-plan-3", 2, "later"),
    ]
    revision = page.versions[1]
    assert [(c.key, c.kind) for c in revision.changes] == [
        ("pause", "changed"), ("talks", "added"), ("patrols", "removed"),
    ]
    assert revision.kept == 1  # the swap clause is the same text
    assert ("removed", "six") in revision.changes[0].diff and ("added", "ten") in revision.changes[0].diff
    # The third text has no clauses recorded: everything of its parent is gone from it.
    assert [c.kind for c in page.versions[2].changes] == ["removed"] * 3


def test_the_page_shows_the_diff_and_links_each_version(researcher_client, family):
    body = researcher_client.get(url(family["revision"])).content.decode()
    versions = body.split('id="versions"')[1].split('id="stances"')[0]
    assert "<del>six</del>" in versions and "<ins>ten</ins>" in versions
    assert "Talks on a lasting end to the war" in versions and "<del>Joint patrols along the coast road.</del>" in versions
    assert url(family["plan"]) in versions and url(family["third"]) in versions
    assert "(this proposal)" in versions and "1 clause kept unchanged" in versions
    assert f'Amends</dt><dd><a href="{url(family["plan"])}">Harbour plan</a>' in body


def test_word_diff_and_clause_changes_in_isolation():
    assert word_diff("a pause of six weeks", "a pause of ten weeks") == (
        ("same", "a pause of"), ("removed", "six"), ("added", "ten"), ("same", "weeks"),
    )
    assert clause_changes([], []) == ([], 0)


def test_a_row_per_actor_with_every_approved_stance_over_time(
    researcher_client, negotiation, actors, issues, make_statement, family
):
    plan, south = family["plan"], actors["Southport"]
    swap = plan.clauses.get(key="swap")
    make_statement(actor=south, issues=[issues["hostages"]], proposal=plan, stance="reject",
                   stated_on=date(2024, 3, 4), summary="Turned the paper down flat", outlet="Harbour Post")
    make_statement(actor=south, issues=[issues["hostages"]], proposal=plan, stance="condition",
                   stated_on=date(2024, 3, 20), summary="Would take the swap if the rounds were shorter",
                   conditions="shorter rounds", clauses=[swap], outlet="Bay Times")
    make_statement(actor=south, issues=[issues["hostages"]], proposal=plan, stance="accept",
                   stated_on=date(2024, 3, 25), status="draft", summary="A draft never shown")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], proposal=family["revision"],
                   stance="accept", summary="Took the revised text")
    page = proposal_page(proposal=plan)
    rows = {row.name: row for row in page.actors}
    assert [row.name for row in page.actors] == ["Northland", "Southport", "Mediatia"]
    assert [s.stance for s in rows["Southport"].stances] == ["reject", "condition"]
    assert rows["Northland"].stances == []  # its statement is about the revision
    condition = rows["Southport"].stances[1]
    assert [c.key for c in condition.clauses] == ["swap"] and condition.conditions == "shorter rounds"
    assert condition.outlet == "Bay Times" and condition.evidence
    body = researcher_client.get(url(plan)).content.decode()
    stances = body.split('id="stances"')[1]
    assert stances.index("Turned the paper down flat") < stances.index("Would take the swap")
    assert "A draft never shown" not in body and "Took the revised text" not in body
    assert '<a href="#clause-swap"' in stances and "Conditions:</strong> shorter rounds" in stances
    assert 'class="evidence"' in stances and "Bay Times" in stances
    statement = Statement.objects.get(summary="Would take the swap if the rounds were shorter")
    assert reverse("positions:statement", args=[statement.pk]) in stances
    assert f'href="{statement.article.url}"' in stances or not statement.article.url.startswith("http")
    assert "No stance recorded." in stances  # Mediatia's row


def test_a_duplicate_report_adds_its_outlet_to_the_stance(researcher_client, negotiation, actors, issues, make_statement, family):
    canonical = make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=family["plan"],
                               stance="reject", outlet="Harbour Post")
    other = ArticleFactory.create(negotiation=negotiation, outlet=Outlet.objects.create(name="Gulf Wire"))
    StatementFactory.create(article=other, actor=actors["Southport"], issues=[issues["hostages"]],
                            status=Statement.Status.DUPLICATE, duplicate_of=canonical, proposal=family["plan"])
    page = proposal_page(proposal=family["plan"])
    southport = next(row for row in page.actors if row.name == "Southport")
    assert [s.pk for s in southport.stances] == [canonical.pk]
    assert southport.stances[0].outlets == ["Harbour Post", "Gulf Wire"]


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(
    researcher_client, negotiation, actors, issues, make_statement, family, django_assert_num_queries, count: int
):
    swap = family["plan"].clauses.get(key="swap")
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]], proposal=family["plan"],
                       clauses=[swap], stated_on=date(2024, 3, 2) + timedelta(days=i))
    # 1 session, 2 user, 3 user's groups (access check), 4 the proposal with its negotiation
    # and parent; 5 its proposers, 6 the negotiation's proposals (for its versions), 7 the
    # clauses of the family, 8 the statements about it (with actor, person, outlet, article),
    # 9 their evidence, 10 their clauses, 11 their duplicates' outlets, 12 the negotiation's
    # actors.
    with django_assert_num_queries(12):
        assert researcher_client.get(url(family["plan"])).status_code == 200


def test_the_timeline_names_the_proposal_a_statement_is_about(
    researcher_client, actors, issues, make_statement, family
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], proposal=family["revision"], summary="About the plan")
    make_statement(actor=north, issues=[issues["hostages"]], summary="About nothing in particular")
    body = researcher_client.get(reverse("positions:timeline", args=[north.pk])).content.decode()
    assert f'About <a href="{url(family["revision"])}">Harbour plan, revised</a>' in body
    assert body.count('class="proposal-ref"') == 1


def test_the_timeline_export_has_a_proposal_column(researcher_client, actors, issues, make_statement, family):
    import json

    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], proposal=family["plan"], stated_on=date(2024, 3, 5))
    make_statement(actor=north, issues=[issues["hostages"]], stated_on=date(2024, 3, 6))
    rows = read_csv(researcher_client.get(reverse("positions:export") + f"?actor={north.pk}"))
    assert [row["proposal"] for row in rows] == ["Harbour plan", ""]
    data = json.loads(b"".join(researcher_client.get(
        reverse("positions:export") + f"?actor={north.pk}&format=json").streaming_content))
    assert [s["proposal"] for s in data["statements"]] == ["Harbour plan", ""]


def test_a_loop_of_versions_in_bad_data_still_gives_a_page(researcher_client, family):
    from positions.models import Proposal

    Proposal.objects.filter(pk=family["plan"].pk).update(parent=family["third"])
    response = researcher_client.get(url(family["revision"]))
    assert response.status_code == 200
    keys = [v.proposal.key for v in proposal_page(proposal=family["revision"]).versions]
    assert sorted(keys) == ["harbour-plan", "harbour-plan-2", "harbour-plan-3"]


def test_editors_find_the_edit_page_from_it_and_researchers_do_not(clients, family):
    edit = reverse("positions:proposal_edit", args=[family["plan"].pk])
    assert f'href="{edit}"' in clients["editor"].get(url(family["plan"])).content.decode()
    assert edit not in clients["researcher"].get(url(family["plan"])).content.decode()
