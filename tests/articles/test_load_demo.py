"""load_demo: the demo negotiation, users and article; running it twice duplicates nothing."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from articles.demo_articles import demo_articles_dir
from positions.models import Actor, Article, Issue, Negotiation, Participation, Person


def test_loads_the_demo_once_however_often_it_runs(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    negotiation = Negotiation.objects.get(slug="gaza-ceasefire")
    assert set(Negotiation.objects.values_list("slug", flat=True)) == {"gaza-ceasefire", "russia-ukraine"}
    roles = dict(Participation.objects.filter(negotiation=negotiation).values_list("actor__name", "role"))
    assert roles == {
        "Israel": "party", "Hamas": "party", "Islamic Jihad": "party",
        "United States": "mediator", "Egypt": "mediator", "Qatar": "mediator",
    }
    keys = set(Issue.objects.filter(negotiation=negotiation).values_list("key", flat=True))
    assert {"hostages", "prisoners", "ceasefire", "ceasefire/permanent", "ceasefire/temporary",
            "humanitarian_aid", "military_operations", "negotiations", "governance", "other"} == keys
    assert Issue.objects.get(negotiation=negotiation, key="ceasefire/permanent").parent.key == "ceasefire"
    assert Person.objects.get(name="Benjamin Netanyahu").actor.name == "Israel"
    assert Actor.objects.count() == 6 + 11  # Russia-Ukraine shares the United States and Qatar
    demo_articles = len(list(demo_articles_dir(negotiation.slug).glob("*.md")))
    assert Article.objects.filter(negotiation=negotiation).count() == 1 + demo_articles
    for role in ("editor", "researcher"):
        assert User.objects.get(username=role).groups.filter(name=role).exists()
    assert out.getvalue().count("password:") == 4
