"""Page furniture is not reporting; non-English articles get no English drafts."""

from __future__ import annotations

from articles.extraction import detect_language
from articles.extraction.cleaning import is_boilerplate, paragraphs


def test_recognises_boilerplate_lines():
    for line in ("ALSO READ: Hamas rejects truce, says Israel must leave Gaza",
                 "Read more: Netanyahu vows to press on",
                 "Follow us on X and Telegram for the latest updates",
                 "(Photo: Reuters)",
                 "Image caption: Displaced families in Rafah",
                 "Reporting by A. Writer; Editing by B. Editor",
                 "By Jane Example and John Sample, Reuters",
                 "Updated: 14:05 GMT",
                 "Share this article"):
        assert is_boilerplate(line), line
    assert not is_boilerplate("Hamas said the proposal fell short of its demands.")
    assert not is_boilerplate("By Monday, Hamas said it would respond to the proposal.")


def test_boilerplate_lines_make_no_drafts(run):
    body = ("ALSO READ: Hamas says it rejects the truce and will fight on\n"
            "Follow us for updates: Israel says it will never accept Hamas demands\n"
            "Qatar said the talks on a ceasefire would continue in Doha.")
    drafts = run(body)
    assert [d.actor for d in drafts] == ["Qatar"]


def test_paragraph_offsets_cut_the_body():
    body = "First line.\n\n  Second line with spaces.  \nALSO READ: elsewhere\n"
    assert [body[s:e] for s, e in paragraphs(body)] == ["First line.", "Second line with spaces."]


def test_detects_languages_offline():
    assert detect_language("Hamas said it would study the ceasefire proposal.") == "en"
    assert detect_language("La Hamas ha detto che studierà la proposta di tregua.") == "it"


def test_non_english_text_gives_no_drafts(run):
    body = "Le Hamas a rejeté mardi la dernière proposition de trêve présentée par les médiateurs."
    assert run(body) == []


def test_spans_cut_their_evidence_exactly(run):
    body = "\ufeffThe sun rose over Gaza.\n\n“We accept the framework,” Hamas said in a statement."
    [draft] = run(body)
    [(start, end)] = draft.spans
    assert body[start:end] == "“We accept the framework,” Hamas said in a statement."


def test_joins_lines_of_hard_wrapped_text(run):
    body = ("A senior Hamas official told Reuters on Monday that the movement would not\n"
            "accept a temporary truce and that Israel must withdraw all its forces from\n"
            "Gaza before any deal.\n\n"
            "Talks resume in Cairo\n"
            "Qatar said the ceasefire talks would resume on Tuesday.")
    spans = paragraphs(body)
    assert body[spans[0][0]:spans[0][1]].endswith("before any deal.")
    assert [body[s:e] for s, e in spans[1:]] == [
        "Talks resume in Cairo", "Qatar said the ceasefire talks would resume on Tuesday."]
    drafts = run(body)
    assert [d.actor for d in drafts] == ["Hamas", "Qatar"]
    assert drafts[0].via == "Reuters"
