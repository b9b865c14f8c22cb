from datetime import date


def test_finds_a_reported_statement_with_actor_issue_and_date(run):
    body = "Hamas said on Tuesday that it rejected the latest truce proposal from the mediators."
    [draft] = run(body)
    assert draft.actor == "Hamas"
    assert draft.stance == "reject"
    assert "negotiations" in draft.issues or "ceasefire" in draft.issues
    assert draft.stated_on == date(2024, 3, 12)
    assert draft.evidence(body) == [body]


def test_non_english_text_gives_no_drafts(run):
    body = "Le Hamas a rejeté mardi la dernière proposition de trêve présentée par les médiateurs."
    assert run(body) == []
