"""positions:export — streamed CSV (and JSON) of approved statements with filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from positions.export import _FIELDS, COLUMNS, safe_cell
from positions.models import Statement
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory, StatementFactory

pytestmark = pytest.mark.django_db


def get(client, query: str = ""):
    return client.get(reverse("positions:export") + (f"?{query}" if query else ""))


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def parse(response) -> tuple[str, list[dict[str, str]]]:
    """The citation (an HTTP header) and the rows of a CSV export, whose first line is its
    header row: read as csv.DictReader reads it, and checked against pandas."""
    text = body_of(response).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == text.splitlines()[0].split(",")
    assert frame.to_dict("records") == rows
    return response["X-Parley-Citation"], rows


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, who: str, status: int):
    assert get(clients[who]).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client):
    response = get(anonymous_client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_is_streamed_as_a_csv_attachment(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]])
    response = get(researcher_client)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="parley-statements-')


def test_only_approved_statements_are_exported(researcher_client, actors, issues, make_statement):
    keep = make_statement(actor=actors["Northland"], issues=[issues["hostages"]])
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], status="draft")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], status="rejected")
    _, rows = parse(get(researcher_client))
    assert [int(r["id"]) for r in rows] == [keep.pk]


def test_columns_carry_the_statement_and_its_source(researcher_client, actors, issues, make_statement):
    s = make_statement(
        actor=actors["Northland"], issues=[issues["hostages"], issues["ceasefire/permanent"]],
        stance="condition", conditions="a full withdrawal", via="Reuters", outlet="Harbour Post",
        summary="Swap only after a truce",
    )
    _, rows = parse(get(researcher_client))
    row = rows[0]
    assert row["actor"] == "Northland" and row["stance"] == "condition"
    assert row["issues"] == "ceasefire/permanent; hostages"
    assert row["summary"] == "Swap only after a truce" and row["conditions"] == "a full withdrawal"
    assert row["via"] == "Reuters" and row["outlet"] == "Harbour Post"
    assert row["date"] == "2024-01-15" and row["negotiation"] == "harbour-talks"
    assert row["evidence"] == s.evidence.get().text


def test_columns_carry_the_proposal_and_its_clauses_in_csv_and_json(
    researcher_client, negotiation, actors, issues, make_statement
):
    plan = ProposalFactory.create(negotiation=negotiation, name="+Quay plan")
    swap = ClauseFactory.create(proposal=plan, key="swap", position=2)
    truce = ClauseFactory.create(proposal=plan, key="truce", position=1)
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], proposal=plan,
                   clauses=[swap, truce], stated_on=date(2024, 1, 10))
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], stated_on=date(2024, 1, 11))
    _, rows = parse(get(researcher_client))
    # in the proposal's order; a name a spreadsheet would run is quoted as every text cell is
    assert [(r["proposal"], r["clauses"]) for r in rows] == [("'+Quay plan", "truce; swap"), ("", "")]
    records = json.loads(body_of(get(researcher_client, "format=json")))["statements"]
    assert [(r["proposal"], r["clauses"]) for r in records] == [("+Quay plan", ["truce", "swap"]), ("", [])]
    _, timeline = parse(get(researcher_client, f"actor={actors['Northland'].pk}"))
    assert timeline[0]["proposal"] == "'+Quay plan" and timeline[0]["clauses"] == "truce; swap"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor={north}", {"north-hostages", "north-ceasefire"}),
        ("issue={ceasefire}", {"north-ceasefire", "south-permanent"}),
        ("issue={hostages}&actor={north}", {"north-hostages"}),
        ("date_from=2024-02-01", {"north-ceasefire", "south-permanent"}),
        ("date_to=2024-01-31", {"north-hostages"}),
        ("negotiation=harbour-talks&stance=reject", {"south-permanent"}),
        ("negotiation=other-track", set()),
    ],
)
def test_filters(researcher_client, negotiation, actors, issues, make_statement, query: str, expected: set[str]):
    north, south = actors["Northland"], actors["Southport"]
    make_statement(actor=north, issues=[issues["hostages"]], summary="north-hostages", stated_on=date(2024, 1, 10))
    make_statement(actor=north, issues=[issues["ceasefire"]], summary="north-ceasefire", stated_on=date(2024, 2, 10))
    make_statement(actor=south, issues=[issues["ceasefire/permanent"]], summary="south-permanent",
                   stance="reject", stated_on=date(2024, 3, 10))
    from tests.factories import NegotiationFactory

    NegotiationFactory.create(slug="other-track")
    filled = query.format(north=north.pk, ceasefire=issues["ceasefire"].pk, hostages=issues["hostages"].pk)
    _, rows = parse(get(researcher_client, filled))
    assert {r["summary"] for r in rows} == expected


def test_unknown_filter_values_are_a_400_not_an_empty_file(researcher_client):
    response = get(researcher_client, "actor=999999&date_from=someday")
    assert response.status_code == 400
    assert "actor" in response.content.decode() and "date_from" in response.content.decode()


@pytest.mark.parametrize("payload", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "\nLF"])
def test_formula_injection_cells_are_escaped(researcher_client, actors, issues, make_statement, payload: str):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary=payload,
                   speaker=payload, conditions=payload, via=payload)
    _, rows = parse(get(researcher_client))
    for column in ("summary", "speaker", "conditions", "via"):
        assert rows[0][column] == "'" + payload


def test_safe_cell_leaves_ordinary_text_and_numbers_alone() -> None:
    assert safe_cell("Hamas said") == "Hamas said"
    assert safe_cell(0.5) == 0.5
    assert safe_cell("") == ""


def test_the_columns_read_with_each_statement_keep_the_csv_order() -> None:
    # export_rows puts the columns gathered per statement between them by index.
    assert [column for column in COLUMNS if column in _FIELDS] == list(_FIELDS)


def test_bom_option_starts_the_file_with_a_utf8_bom(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Café talks — “no”")
    raw = b"".join(get(researcher_client, "bom=on").streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Café talks — “no”" in raw.decode("utf-8-sig")
    assert not b"".join(get(researcher_client).streaming_content).startswith(b"\xef\xbb\xbf")


def test_the_csv_starts_with_its_header_and_the_citation_names_filters_by_name(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]])
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]])
    query = f"actor={actors['Northland'].pk}&stance=demand&bom=on"
    assert body_of(get(researcher_client, query)).lstrip("\ufeff").startswith("id,date,stated_on,")
    response = get(researcher_client, query)
    citation, rows = parse(response)
    assert len(rows) == 1 and response["X-Parley-Rows"] == "1"
    assert citation.startswith("Parley: approved statements. Filters: actor: Northland; stance: Demand.")
    assert "Data version " in citation and "Data version empty" not in citation
    assert "Parley 0.1.0" in citation and "Retrieved " in citation
    assert f"actor={actors['Northland'].pk}" in citation  # the URL, to fetch it again
    assert "rel=\"cite-as\"" in response["Link"]


def test_a_duplicate_is_folded_into_its_canonical_row_with_its_outlet(
    researcher_client, negotiation, actors, issues, make_statement
):
    canonical = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], outlet="Harbour Post")
    other = ArticleFactory.create(negotiation=negotiation, outlet=canonical.article.outlet.__class__.objects.create(name="Bay Times"))
    StatementFactory.create(article=other, actor=actors["Northland"], issues=[issues["hostages"]],
                     status=Statement.Status.DUPLICATE, duplicate_of=canonical)
    _, rows = parse(get(researcher_client))
    assert len(rows) == 1
    assert rows[0]["outlet"] == "Harbour Post" and rows[0]["also_reported_by"] == "Bay Times"


def test_json_export_has_the_citation_and_the_rows(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="=cmd is fine in JSON")
    response = get(researcher_client, "format=json")
    assert isinstance(response, StreamingHttpResponse)
    data = json.loads(body_of(response))
    assert data["citation"]["rows"] == 1 and data["citation"]["title"] == "Parley: approved statements"
    assert data["citation"]["url"].startswith("http://testserver/export/?format=json")
    assert data["citation"]["text"] == response["X-Parley-Citation"]
    assert data["statements"][0]["summary"] == "=cmd is fine in JSON"
    assert data["statements"][0]["issues"] == ["hostages"]


def test_many_rows_stream_in_several_pieces(researcher_client, actors, issues, make_statement):
    for _ in range(3):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="x" * 40_000)
    pieces = list(get(researcher_client).streaming_content)
    assert len(pieces) >= 2


def test_a_search_export_holds_the_matches_of_its_text_alone(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Wants a harbour swap")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Rejects the corridor plan")
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], summary="Another harbour idea")
    citation, rows = parse(get(researcher_client, "q=harbour"))
    assert sorted(r["summary"] for r in rows) == ["Another harbour idea", "Wants a harbour swap"]
    assert "search: harbour" in citation
    _, rows = parse(get(researcher_client, f"q=harbour&actor={actors['Northland'].pk}"))
    assert [r["summary"] for r in rows] == ["Wants a harbour swap"]
    data = json.loads(body_of(get(researcher_client, "q=corridor&format=json")))
    assert [s["summary"] for s in data["statements"]] == ["Rejects the corridor plan"]


def test_a_timeline_export_carries_the_shift_labels_the_timeline_shows(researcher_client, actors, issues, make_statement):
    north = actors["Northland"]
    first = make_statement(actor=north, issues=[issues["hostages"]], stance="reject", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire"]], stance="accept",
                   stated_on=date(2024, 2, 1))
    _, rows = parse(get(researcher_client, f"actor={north.pk}"))
    assert [r["shifts"] for r in rows] == ["", "hostages: reversed"]
    assert rows[1]["shifts_compared_with"] == f"hostages: #{first.pk} (2024-01-01, reject)"
    data = json.loads(body_of(get(researcher_client, f"actor={north.pk}&format=json")))
    assert data["statements"][1]["shifts"] == ["hostages: reversed"]


def test_a_cite_this_panel_sits_beside_every_export_link_and_loads_the_data_version(
    researcher_client, negotiation, actors, issues, make_statement
):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]])
    north = actors["Northland"].pk
    pages = {
        reverse("positions:timeline", args=[north]) + f"?issue={issues['hostages'].pk}":
            "Parley: timeline of Northland. Filters: issue: Hostages.",
        reverse("positions:side_by_side", args=[negotiation.slug]) + "?as_of=2024-06-01":
            "Parley: side by side, Harbour talks. Filters: mode: As of; date: 2024-06-01",
        reverse("positions:changes", args=[negotiation.slug]) + "?date_from=2024-01-01&date_to=2024-02-01":
            "Parley: what changed, Harbour talks. Filters: from: 2024-01-01; to: 2024-02-01.",
        reverse("positions:search") + f"?q=talks&actor={north}":
            "Parley: search. Filters: search: talks; actor: Northland.",
    }
    for url, text in pages.items():
        page = researcher_client.get(url).content.decode()
        assert "<summary>Cite this</summary>" in page
        assert " ".join(text.split()) in " ".join(page.split()), url
    version = researcher_client.get(reverse("positions:data_version"), HTTP_HX_REQUEST="true",
                                    HTTP_HX_TARGET="data-version").content.decode()
    assert version.startswith('<span id="data-version"') and "@" in version
