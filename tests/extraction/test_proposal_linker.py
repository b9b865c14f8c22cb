"""The learned proposal linker: a tiny model trained here, on articles written here, about a
made-up negotiation (not the demo catalogue)."""

from __future__ import annotations

from datetime import date

import pytest

from articles.extraction.proposal_features import StatementView, link_context
from articles.extraction.proposal_linker import (
    LinkArticle,
    LinkerModel,
    learned_link,
    link_drafts,
    prepare,
    train_linker,
)
from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import ArticleMeta, Draft

REFERENCE = reference_from_mapping({
    "actors": [
        {"name": "Northland", "adjectives": ["Northern"]},
        {"name": "Southport", "adjectives": ["Southern"]},
        {"name": "Mediatia", "role": "mediator", "adjectives": ["Mediatian"]},
    ],
    "issues": [{"key": "captives"}, {"key": "truce"}],
    "proposals": [
        {"key": "lakeside", "name": "Lakeside framework", "proposed_by": ["Mediatia"],
         "proposed_on": "2024-02-01",
         "clauses": [{"key": "swap", "issue": "captives", "text": "Captives freed in stages."}]},
        {"key": "orchard", "name": "Orchard paper", "proposed_by": ["Mediatia"],
         "proposed_on": "2024-04-10",
         "clauses": [{"key": "pause", "issue": "truce", "text": "A month without fighting."}]},
        {"key": "granite", "name": "Granite outline", "proposed_by": ["Northland"],
         "proposed_on": "2024-06-05"},
    ],
})

# (plan named in the first sentence, the day, what a side says next without naming a plan)
NAMED = [
    ("the Lakeside framework", date(2024, 2, 20), "Southport said it would free the captives in stages."),
    ("the Orchard paper", date(2024, 4, 25), "Northland said a month without fighting was too short."),
    ("the Granite outline", date(2024, 6, 20), "Southport said the terms were unacceptable."),
    ("the Lakeside framework", date(2024, 7, 1), "Northland said it still wanted the captives back."),
    ("the Orchard paper", date(2024, 7, 3), "Southport said it could live with a month of calm."),
    ("the Granite outline", date(2024, 7, 9), "Mediatia said both sides were studying the text."),
]
PLAIN = [
    (date(2024, 3, 3), "Northland said its army would keep up the pressure.", "Southport said the siege must end."),
    (date(2024, 5, 2), "Southport said its fighters were ready for a long war.", "Northland said it would not withdraw."),
    (date(2024, 6, 28), "Mediatia said its envoy would travel next week.", "Northland said the border stays shut."),
]


def _article(key: str, published: date, body: str,
             statements: list[tuple[str, str, str | None]]) -> LinkArticle:
    views = []
    for evidence, actor, gold in statements:
        start = body.index(evidence)
        views.append((StatementView(((start, start + len(evidence)),), (), actor, "assess"), gold))
    return LinkArticle(key, body, ArticleMeta(title="", published=published), REFERENCE, tuple(views))


def _training_set() -> list[LinkArticle]:
    keys = {"the Lakeside framework": "lakeside", "the Orchard paper": "orchard",
            "the Granite outline": "granite"}
    articles = []
    for number, (plan, day, said) in enumerate(NAMED):
        first = f"Mediatia passed {plan} to the sides on Monday, officials said."
        body = f"{first}\n\n{said}"
        actor = said.split()[0]
        articles.append(_article(f"named/{number}", day, body, [(first, "Mediatia", keys[plan]),
                                                              (said, actor, keys[plan])]))
    for number, (day, one, two) in enumerate(PLAIN):
        body = f"{one}\n\n{two}"
        articles.append(_article(f"plain/{number}", day, body, [(one, one.split()[0], None),
                                                              (two, two.split()[0], None)]))
    return articles


@pytest.fixture(scope="module")
def model() -> LinkerModel:
    return train_linker(prepare(_training_set()), c=3.0, decide_c=3.0, folds=3, precision=0.9)


def _link(model: LinkerModel, body: str, evidence: str, actor: str, published: date) -> str | None:
    context = link_context(body, ArticleMeta(published=published), REFERENCE)
    start = body.index(evidence)
    link = learned_link(context, StatementView(((start, start + len(evidence)),), (), actor, "reject"), model)
    return link.proposal if link else None


def test_links_a_statement_that_names_no_plan_to_the_one_its_article_named_earlier(model):
    body = ("Envoys from Mediatia handed the Orchard paper to both delegations late on Sunday.\n\n"
            "Southport said the calm it offered was far too brief.")
    assert _link(model, body, "Southport said the calm it offered was far too brief.", "Southport",
                 date(2024, 6, 30)) == "orchard"


def test_abstains_when_the_article_names_no_plan(model):
    body = ("Northland said on Sunday that its troops would stay in the hills.\n\n"
            "Southport said the calm it offered was far too brief.")
    assert _link(model, body, "Southport said the calm it offered was far too brief.", "Southport",
                 date(2024, 6, 30)) is None


def test_the_model_round_trips_as_json_and_its_probability_is_the_confidence(model):
    again = LinkerModel.from_json(model.to_json())
    body = "Mediatia gave the Lakeside framework to the sides.\n\nNorthland said it wanted the captives home."
    draft = Draft(speaker="Northland", actor="Northland", issues=("captives",), stance="demand",
                  summary="", spans=((body.index("Northland said"), len(body)),))
    [linked] = link_drafts(body, ArticleMeta(published=date(2024, 3, 1)), REFERENCE, [draft], again)
    assert linked.proposal == "lakeside"
    assert linked.clauses == ()  # its one clause is on the statement's issue: the whole plan
    assert linked.proposal_confidence is not None and linked.proposal_confidence >= again.threshold
    with pytest.raises(ValueError, match="not a proposal linker"):
        LinkerModel.from_json('{"kind": "something else"}')


def test_the_threshold_keeps_the_precision_asked_for_else_the_best_f_half():
    from articles.extraction.proposal_linker import Scored, choose_threshold

    # Ten statements with a plan: the top five right, then a wrong one, then right ones.
    results = [(f"p{i}", Scored(f"p{i}" if i != 5 else "other", 1 - i / 20)) for i in range(10)]
    # 0.95 precision holds down to the fifth only (five of five), which finds half the links.
    assert choose_threshold(results, 0.95, support=0.4) == pytest.approx(1 - 4 / 20)
    # Every link right with 60 % found cannot be met: the threshold of the best F0.5 is taken,
    # here all ten (0.9 precision and recall beat 1.0 and 0.5).
    assert choose_threshold(results, 1.0, support=0.6) == pytest.approx(1 - 9 / 20)
