"""Direct quotes, split quotes and reported speech: who said what, and how."""

from __future__ import annotations


def only(drafts):
    assert len(drafts) == 1, [(d.actor, d.stance, d.speaker) for d in drafts]
    return drafts[0]


def test_reads_a_quote_before_the_cue(run):
    body = '"We will never accept a temporary truce," Hamas spokesman Hazem Qassem said on Monday.'
    draft = only(run(body))
    assert draft.actor == "Hamas"
    assert draft.quote_type == "direct"
    assert draft.speaker.endswith("Qassem")
    assert draft.stance == "reject"


def test_reads_a_quote_after_the_cue(run):
    body = 'Benjamin Netanyahu said: "Israel must bring every hostage home before the fighting stops."'
    draft = only(run(body))
    assert draft.actor == "Israel"
    assert draft.quote_type == "direct"
    assert draft.stance == "demand"


def test_joins_a_quote_split_across_sentences(run):
    body = ('"We are ready to discuss a prisoner exchange," Osama Hamdan said. '
            '"But the occupation forces must leave Gaza first."')
    draft = only(run(body))
    assert draft.actor == "Hamas"
    assert len(draft.spans) == 2
    assert draft.evidence(body)[1].startswith('"But the occupation')


def test_reads_told_that(run):
    body = "Yoav Gallant told soldiers that the army would continue its offensive in Rafah."
    draft = only(run(body))
    assert (draft.actor, draft.stance, draft.quote_type) == ("Israel", "intent", "reported")


def test_reads_insisted_that(run):
    body = "Hamas insisted that any agreement must include a full withdrawal of Israeli troops."
    assert only(run(body)).stance == "demand"


def test_reads_according_to(run):
    body = ("Israel will send a delegation to Cairo for new talks, according to the Israeli "
            "prime minister's office.")
    draft = only(run(body))
    assert draft.actor == "Israel"
    assert draft.stance == "intent"


def test_reads_said_in_a_statement(run):
    body = "Qatar said in a statement that mediators had delivered a new ceasefire proposal."
    assert only(run(body)).actor == "Qatar"


def test_reads_rejected_accepted_proposed_and_urged(run):
    cases = {
        "Islamic Jihad rejected the Egyptian plan for a phased truce.": "reject",
        "Israel's security cabinet accepted the framework for a hostage deal.": "accept",
        "Egypt proposed a two-day ceasefire to allow aid into Gaza.": "propose",
        "Antony Blinken urged Hamas to accept the ceasefire offer.": "demand",
    }
    for body, stance in cases.items():
        assert only(run(body)).stance == stance, body


def test_does_not_read_a_denial_of_rejection_as_rejection(run):
    body = "Hamas did not reject the ceasefire proposal, a spokesman said."
    assert all(draft.stance != "reject" for draft in run(body))


def test_reads_quotes_in_single_marks(run):
    body = "‘We will never accept a temporary truce,’ Hamas’s spokesman Hazem Qassem said."
    draft = only(run(body))
    assert (draft.actor, draft.stance, draft.quote_type) == ("Hamas", "reject", "direct")
