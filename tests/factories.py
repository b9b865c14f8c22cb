"""factory_boy factories for Parley's models."""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.models import Group, User
from factory.declarations import LazyAttribute, PostGeneration, SelfAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password

from articles.models import Batch, BatchArticle
from positions.models import (
    Actor,
    Article,
    Clause,
    Evidence,
    Issue,
    Negotiation,
    Participation,
    Person,
    Proposal,
    Statement,
)


def _add_role(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
    if create and extracted:
        user.groups.add(Group.objects.get_or_create(name=extracted)[0])


def _set_issues(statement: Statement, create: bool, extracted: list[Issue] | None, **kwargs: object) -> None:
    if create and extracted:
        statement.issues.set(extracted)


def _set_proposers(proposal: Proposal, create: bool, extracted: list[Actor] | None, **kwargs: object) -> None:
    if create and extracted:
        proposal.proposed_by.set(extracted)


def _set_clauses(statement: Statement, create: bool, extracted: list[Clause] | None, **kwargs: object) -> None:
    if create and extracted:
        statement.clauses.set(extracted)


def _add_first_sentence(statement: Statement, create: bool, extracted: object, **kwargs: object) -> None:
    """One evidence span: the article's first sentence."""
    if create and statement.article:
        body = statement.article.body
        end = body.find(". ") + 1 or len(body)
        Evidence.objects.create(statement=statement, start=0, end=end, text=body[:end])


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n}")
    password = Password("correct horse battery")

    role = PostGeneration(_add_role)


class NegotiationFactory(DjangoModelFactory[Negotiation]):
    class Meta:
        model = Negotiation
        django_get_or_create = ("slug",)

    slug = Sequence(lambda n: f"track-{n}")
    name = LazyAttribute(lambda o: f"Track {o.slug}")
    started_on = date(2023, 10, 7)


class ActorFactory(DjangoModelFactory[Actor]):
    class Meta:
        model = Actor
        django_get_or_create = ("name",)

    name = Sequence(lambda n: f"Actor {n}")
    colour = "#336699"


class ParticipationFactory(DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    negotiation = SubFactory(NegotiationFactory)
    actor = SubFactory(ActorFactory)
    role = "party"


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    name = Sequence(lambda n: f"Speaker {n}")
    actor = SubFactory(ActorFactory)
    title = "Spokesperson"


class IssueFactory(DjangoModelFactory[Issue]):
    class Meta:
        model = Issue
        django_get_or_create = ("negotiation", "key")

    negotiation = SubFactory(NegotiationFactory)
    key = Sequence(lambda n: f"issue_{n}")
    name = LazyAttribute(lambda o: o.key.replace("_", " ").title())
    keywords = LazyAttribute(lambda o: [o.key])


def _link_batch(article: Article, create: bool, extracted: Batch | None, **kwargs: object) -> None:
    """``batch=`` links the article to a batch, as a .zip upload does."""
    if create and extracted is not None:
        BatchArticle.objects.create(batch=extracted, article=article)


class ArticleFactory(DjangoModelFactory[Article]):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    negotiation = SubFactory(NegotiationFactory)
    title = Sequence(lambda n: f"Talks resume, report {n}")
    body = Sequence(
        lambda n: f"Report {n}. The envoy said on Monday that the talks would resume soon. "
        "The group rejected the offer and demanded a full withdrawal."
    )
    content_hash = LazyAttribute(lambda o: hashlib.sha256(o.body.encode()).hexdigest())
    published_on = date(2024, 1, 17)
    status = Article.Status.DONE

    batch = PostGeneration(_link_batch)


class StatementFactory(DjangoModelFactory[Statement]):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    article = SubFactory(ArticleFactory)
    negotiation = SelfAttribute("article.negotiation")
    actor = SubFactory(ActorFactory)
    speaker = LazyAttribute(lambda o: o.actor.name)
    stance = Statement.Stance.DEMAND
    summary = "Wants the talks to resume."
    stated_on = date(2024, 1, 15)
    effective_on = LazyAttribute(
        lambda o: o.stated_on or (o.article.published_on if o.article else None)
    )
    date_basis = Statement.DateBasis.RELATIVE
    status = Statement.Status.DRAFT
    confidence = 0.7

    issues = PostGeneration(_set_issues)
    clauses = PostGeneration(_set_clauses)
    evidence = PostGeneration(_add_first_sentence)


class ProposalFactory(DjangoModelFactory[Proposal]):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    negotiation = SubFactory(NegotiationFactory)
    key = Sequence(lambda n: f"plan-{n}")
    name = LazyAttribute(lambda o: f"Plan {o.key}")
    proposed_on = date(2024, 1, 10)

    proposed_by = PostGeneration(_set_proposers)


class ClauseFactory(DjangoModelFactory[Clause]):
    class Meta:
        model = Clause

    proposal = SubFactory(ProposalFactory)
    key = Sequence(lambda n: f"clause-{n}")
    text = "A pause in the fighting while captives are exchanged."
