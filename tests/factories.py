"""factory_boy factories for Parley's models."""

from __future__ import annotations

import hashlib
from datetime import date

import factory
from django.contrib.auth.models import Group, User
from factory.declarations import PostGeneration

from articles.models import Batch, BatchArticle
from positions.models import Actor, Article, Evidence, Issue, Negotiation, Participation, Person, Statement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class NegotiationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Negotiation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.LazyAttribute(lambda o: f"Track {o.slug}")
    started_on = date(2023, 10, 7)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Actor {n}")
    colour = "#336699"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    negotiation = factory.SubFactory(NegotiationFactory)
    actor = factory.SubFactory(ActorFactory)
    role = "party"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Speaker {n}")
    actor = factory.SubFactory(ActorFactory)
    title = "Spokesperson"


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        django_get_or_create = ("negotiation", "key")

    negotiation = factory.SubFactory(NegotiationFactory)
    key = factory.Sequence(lambda n: f"issue_{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("_", " ").title())
    keywords = factory.LazyAttribute(lambda o: [o.key])


def _link_batch(article: Article, create: bool, extracted: Batch | None, **kwargs: object) -> None:
    """``batch=`` links the article to a batch, as a .zip upload does."""
    if create and extracted is not None:
        BatchArticle.objects.create(batch=extracted, article=article)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    negotiation = factory.SubFactory(NegotiationFactory)
    title = factory.Sequence(lambda n: f"Talks resume, report {n}")
    body = factory.Sequence(
        lambda n: f"Report {n}. The envoy said on Monday that the talks would resume soon. "
        "The group rejected the offer and demanded a full withdrawal."
    )
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.body.encode()).hexdigest())
    published_on = date(2024, 1, 17)
    status = Article.Status.DONE

    batch = PostGeneration(_link_batch)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    negotiation = factory.SelfAttribute("article.negotiation")
    actor = factory.SubFactory(ActorFactory)
    speaker = factory.LazyAttribute(lambda o: o.actor.name)
    stance = Statement.Stance.DEMAND
    summary = "Wants the talks to resume."
    stated_on = date(2024, 1, 15)
    effective_on = factory.LazyAttribute(
        lambda o: o.stated_on or (o.article.published_on if o.article else None)
    )
    date_basis = Statement.DateBasis.RELATIVE
    status = Statement.Status.DRAFT
    confidence = 0.7

    @factory.post_generation
    def issues(self, create: bool, extracted: list[Issue] | None, **kwargs: object) -> None:
        if create and extracted:
            self.issues.set(extracted)

    @factory.post_generation
    def evidence(self, create: bool, extracted: object, **kwargs: object) -> None:
        """One span: the article's first sentence."""
        if create and self.article_id:
            body = self.article.body
            end = body.find(". ") + 1 or len(body)
            Evidence.objects.create(statement=self, start=0, end=end, text=body[:end])
