"""No edit loses data, in Chromium: each edit form (statement, speaker, article metadata,
hand entry) submitted as the browser renders it changes nothing (no field, no history row),
and the changes an editor does make carry what depends on them."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from positions.models import Article, Statement
from tests.browser.conftest import settled
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, PersonFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser

BODY = (
    "Northland said on Tuesday that it would accept a pause if the captives were freed. "
    "Southport turned the offer down and insisted the fighting stop for good.\n\n"
    "Mediatia described the talks as serious."
)


def _state(statement: Statement) -> tuple[Any, ...]:
    statement.refresh_from_db()
    return (
        statement.version, statement.actor_id, statement.person_id, statement.speaker,
        statement.stance, statement.summary, statement.conditions, statement.via,
        statement.stated_on, statement.date_basis, statement.effective_on,
        sorted(statement.issues.values_list("pk", flat=True)), statement.history.count(),
    )


def _article_state(article: Article) -> tuple[Any, ...]:
    article.refresh_from_db()
    return (article.title, article.outlet_id, article.url, article.published_on,
            article.history.count())


@pytest.fixture
def world(transactional_db, negotiation):
    UserFactory.create(username="edna", role="editor")
    article = ArticleFactory.create(negotiation=negotiation, body=BODY, title="Pause talks",
                             url="https://harbour.example/pause", published_on=date(2024, 1, 17))
    northland = negotiation.actors.get(name="Northland")
    statement = StatementFactory.create(
        article=article, actor=northland, speaker="the envoy", stance="condition",
        summary="Northland (condition): would accept a pause if the captives were freed",
        conditions="the captives were freed", via="Reuters", stated_on=date(2024, 1, 16),
        date_basis=Statement.DateBasis.RELATIVE,
        issues=[negotiation.issues.get(key="hostages")],
        person=PersonFactory.create(name="Ada Venn", actor=northland, aliases=["the envoy"]),
    )
    return {"article": article, "statement": statement, "negotiation": negotiation}


def test_every_edit_form_saved_unchanged_changes_nothing(
    live_server, browser, problems, world
) -> None:
    base, statement, article = live_server.url, world["statement"], world["article"]
    page = problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base, "edna")
    before = _state(statement)

    # The statement, inline in the review workspace: e opens the form, Enter saves it.
    page.goto(f"{base}/articles/{article.pk}/review/#statement-{statement.pk}")
    card = page.locator(f"#statement-{statement.pk}")
    card.focus()
    page.keyboard.press("e")
    expect(page.locator(f"form#statement-{statement.pk} #id_stated_on")).to_have_value("2024-01-16")
    settled(page)
    page.locator(f"form#statement-{statement.pk} #id_speaker").press("Enter")
    expect(page.locator(f"article#statement-{statement.pk}")).to_be_visible()
    expect(page.locator("#undo-bar")).to_contain_text("No changes")
    assert _state(statement) == before

    # The statement on its own page (a plain form post, no htmx swap).
    page.goto(f"{base}/articles/statements/{statement.pk}/edit/")
    page.locator("form.statement-card.editing [data-action=save]").click()
    page.wait_for_load_state("load")
    assert _state(statement) == before

    # The speaker form, confirmed as it is.
    page.goto(f"{base}/articles/statements/{statement.pk}/")
    page.check("#speaker input[name=confirm]")
    page.locator("#speaker button[type=submit]").click()
    page.wait_for_load_state("load")
    assert _state(statement) == before

    # The article's metadata, opened inline and saved as it is.
    article_before = _article_state(article)
    page.goto(f"{base}/articles/{article.pk}/")
    page.locator("[data-action=edit-metadata]").click()
    expect(page.locator("form#article-meta #id_published_on")).to_have_value("2024-01-17")
    page.locator("form#article-meta button[type=submit]").click()
    expect(page.locator("#article-meta")).to_contain_text("Nothing changed")
    assert _article_state(article) == article_before
    assert _state(statement) == before

    # A hand entry: the date typed survives a round trip with an error, then is saved.
    page.goto(f"{base}/articles/statements/new/")
    page.fill("#id_stated_on", "2024-02-05")
    page.fill("#id_summary", "A hand-entered position.")
    # A stance the server does not know: its error comes back in the form.
    page.evaluate("document.querySelector('#id_stance option:checked').value = 'threaten'")
    page.locator("#new-statement button[type=submit]").click()
    expect(page.locator("#new-statement .errorlist")).to_be_visible()
    expect(page.locator("#id_stated_on")).to_have_value("2024-02-05")
    # The browser logs the 422 it was meant to get; nothing else may be logged.
    problems.seen[:] = [seen for seen in problems.seen if "status of 422" not in seen]
    page.fill("#id_speaker", "a spokesperson")
    page.select_option("#id_stance", "assess")
    page.locator("#new-statement button[type=submit]").click()
    page.wait_for_load_state("load")
    entered = Statement.objects.get(summary="A hand-entered position.")
    assert (entered.stated_on, entered.date_basis) == (date(2024, 2, 5), "editor")
    assert not problems.seen, "\n".join(problems.seen)


def test_what_an_edit_changes_carries_what_depends_on_it(
    live_server, browser, problems, world
) -> None:
    base, statement, article = live_server.url, world["statement"], world["article"]
    page = problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base, "edna")

    page.goto(f"{base}/articles/{article.pk}/review/#statement-{statement.pk}")
    page.locator(f"#statement-{statement.pk}").focus()
    page.keyboard.press("e")
    form = page.locator(f"form#statement-{statement.pk}")
    form.locator("#id_stance").select_option("accept")
    form.locator("#id_conditions").fill("the border reopens")
    form.locator("#id_speaker").fill("a senior official")
    form.locator("[data-action=save]").click()
    card = page.locator(f"article#statement-{statement.pk}")
    expect(card).to_contain_text("Northland (accept): would accept a pause if the border reopens")
    statement.refresh_from_db()
    assert statement.person_id is None  # the new wording no longer names Ada Venn
    assert statement.stated_on == date(2024, 1, 16)

    # A new publication date re-dates what took its date from the article, and says so.
    by_publication = StatementFactory.create(
        article=article, actor=statement.actor, stated_on=date(2024, 1, 17),
        date_basis=Statement.DateBasis.PUBLICATION,
    )
    page.goto(f"{base}/articles/{article.pk}/")
    page.locator("[data-action=edit-metadata]").click()
    page.fill("form#article-meta #id_published_on", "2024-01-18")
    page.fill("form#article-meta #id_outlet", "Harbour Gazette")
    page.locator("form#article-meta button[type=submit]").click()
    expect(page.locator("#article-meta")).to_contain_text(re.compile(r"1 statement dated by publication re-dated"))
    expect(page.locator("#article-meta")).to_contain_text("Harbour Gazette")
    by_publication.refresh_from_db()
    assert by_publication.stated_on == date(2024, 1, 18)
    assert not problems.seen, "\n".join(problems.seen)
