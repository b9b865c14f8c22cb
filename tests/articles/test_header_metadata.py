"""Uploads and `manage.py extract` read a fenceless header the same way (one function)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

from django.core.management import call_command

from articles.sources import read_text

ARTICLE = (
    "title: Sides trade terms\n"
    "outlet: Harbour Post\n"
    "published: 2024-05-08\n"
    "url: https://harbour.example/terms\n"
    "\n"
    '"We will never accept a deal that leaves the occupation in place," Osama Hamdan told '
    "reporters on Tuesday.\n\nIsrael's prime minister Benjamin Netanyahu said on Wednesday that "
    "the war would continue until all hostages were freed.\n"
)


def test_an_upload_takes_the_header_as_metadata_not_as_text() -> None:
    document = read_text(ARTICLE.encode())
    assert (document.meta.title, document.meta.outlet, document.meta.published,
            document.meta.url) == ("Sides trade terms", "Harbour Post", date(2024, 5, 8),
                                   "https://harbour.example/terms")
    assert "harbour.example" not in document.body and document.body.startswith('"We will')


def test_extract_reads_the_header_dates_and_offsets_from_the_body(db, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = StringIO()
    call_command("extract", "--format", "jsonl", str(path), stdout=out, stderr=StringIO())
    records = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    assert records
    body = ARTICLE.split("\n\n", 1)[1]
    for record in records:
        assert not any("harbour.example" in piece for piece in record["evidence"])
        for (start, end), piece in zip(record["spans"], record["evidence"], strict=True):
            assert body[start:end] == piece
    assert {record["date"] for record in records} <= {"2024-05-07", "2024-05-08", "2024-05-06", None}
    assert any(record["date"] for record in records)
