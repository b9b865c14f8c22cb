"""The reference ingestion extracts with is kept per worker process and rebuilt only when an
editor has changed the negotiation's actors, people or issues: a correction reaches the
next article."""

from __future__ import annotations

from collections.abc import Callable
from unittest import mock

import pytest

from articles import reference as reference_module
from articles.reference import ingest_reference, reference_fingerprint
from articles.services import article_ingest
from positions.models import Actor, Article, Issue, Participation, Person, Statement
from tests.factories import ActorFactory, ArticleFactory, IssueFactory, ParticipationFactory, PersonFactory

BODY = (
    "The Harbour League said on Monday that it would accept a truce if the captives were freed.\n\n"
    "Mira Holt said on Tuesday that there would be no truce."
)


def ingested(negotiation, number: int) -> list[tuple[str, str | None]]:
    """Ingest a new article with BODY; the (actor, person) of each of its drafts."""
    article = ArticleFactory.create(negotiation=negotiation, body=f"Report {number}.\n\n{BODY}",
                             status=Article.Status.QUEUED)
    article_ingest(article_id=article.pk)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DONE
    drafts = Statement.objects.filter(article=article).select_related("actor", "person")
    return sorted((draft.actor.name, draft.person.name if draft.person else None) for draft in drafts)


def test_an_alias_an_editor_adds_reaches_the_next_article(negotiation):
    assert ingested(negotiation, 1) == []  # nobody known says anything
    northland = Actor.objects.get(name="Northland")
    northland.aliases = ["Harbour League"]
    northland.save()
    assert ingested(negotiation, 2) == [("Northland", None)]


def test_a_person_an_editor_adds_reaches_the_next_article_and_its_drafts(negotiation):
    ingested(negotiation, 1)
    PersonFactory.create(name="Mira Holt", actor=Actor.objects.get(name="Southport"), title="Envoy")
    assert ingested(negotiation, 2) == [("Southport", "Mira Holt")]


def test_the_reference_is_built_once_while_nothing_changes(negotiation):
    reference_module._ingest_references.clear()
    with mock.patch.object(reference_module, "reference_for", wraps=reference_module.reference_for) as build:
        ingested(negotiation, 1)
        ingested(negotiation, 2)
        assert build.call_count == 1
        Issue.objects.filter(negotiation=negotiation, key="hostages").update(keywords=["hostage"])
        ingested(negotiation, 3)
        assert build.call_count == 2


def _rename_actor(negotiation):
    Actor.objects.filter(name="Mediatia").update(name="Mediatia Republic")


EDITS: dict[str, Callable[..., object]] = {
    "an actor's alias": lambda n: Actor.objects.filter(name="Northland").update(aliases=["the North"]),
    "an actor's adjectives": lambda n: Actor.objects.filter(name="Northland").update(adjectives=["Northern"]),
    "an actor's kind": lambda n: Actor.objects.filter(name="Northland").update(kind="movement"),
    "an actor's short name": lambda n: Actor.objects.filter(name="Northland").update(short_name="NL"),
    "an actor's name": _rename_actor,
    "a role": lambda n: Participation.objects.filter(actor__name="Mediatia").update(role="party"),
    "an actor joining": lambda n: ParticipationFactory.create(negotiation=n, actor=ActorFactory.create(name="Eastmark")),
    "an actor leaving": lambda n: Participation.objects.filter(actor__name="Mediatia").delete(),
    "a new person": lambda n: PersonFactory.create(actor=Actor.objects.get(name="Northland")),
    "a person's title": lambda n: Person.objects.filter(name="Ana Vell").update(title="Minister"),
    "a person's aliases": lambda n: Person.objects.filter(name="Ana Vell").update(aliases=["Vell"]),
    "a person moving to another side": lambda n: Person.objects.filter(name="Ana Vell").update(
        actor=Actor.objects.get(name="Southport")),
    "a new issue": lambda n: IssueFactory.create(negotiation=n, key="prisoners", keywords=["prisoners"]),
    "an issue's keywords": lambda n: Issue.objects.filter(key="hostages").update(keywords=["hostage"]),
    "an issue's name": lambda n: Issue.objects.filter(key="hostages").update(name="Captives"),
    "an issue removed": lambda n: Issue.objects.filter(key="ceasefire/permanent").delete(),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_edit_of_what_extraction_reads_changes_the_fingerprint(negotiation, edit):
    PersonFactory.create(name="Ana Vell", actor=Actor.objects.get(name="Northland"))
    before = reference_fingerprint(negotiation)
    EDITS[edit](negotiation)
    assert reference_fingerprint(negotiation) != before


def test_another_negotiations_edits_keep_the_reference(negotiation):
    kept = ingest_reference(negotiation)
    other = ParticipationFactory.create(actor=ActorFactory.create(name="Westholm")).negotiation
    IssueFactory.create(negotiation=other, key="water")
    assert ingest_reference(negotiation) is kept
