"""A .zip upload: one batch, one article per readable file, duplicates and unreadable files recorded."""

from __future__ import annotations

import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Batch
from articles.services import batch_create
from articles.sources import SourceError, content_hash, read_text
from positions.models import Article
from tests.articles.conftest import ingested
from tests.articles.sources.builders import STORY_TEXT, make_docx, make_pdf, make_zip, story_page
from tests.articles.uploads import upload_read
from tests.factories import ArticleFactory

OTHER = "Southport rejected the offer on Tuesday and demanded that the blockade end first."
THIRD = "Mediatia said on Friday that a new round of talks would open in the harbour city."


def _upload(client, negotiation, data: bytes, name: str = "week.zip", **fields):
    upload = SimpleUploadedFile(name, data, content_type="application/zip")
    return client.post(reverse("articles:upload"), {"negotiation": negotiation.pk, "file": upload, **fields})


def test_a_zip_becomes_one_batch_with_an_article_per_file(
    editor_client, editor, negotiation, sent_tasks, django_capture_on_commit_callbacks
):
    archive = make_zip({
        "week/page.html": story_page().encode(), "week/other.md": OTHER.encode(),
        "week/third.pdf": make_pdf([THIRD]),
    })
    with django_capture_on_commit_callbacks(execute=True):
        landed = upload_read(editor_client, negotiation, "week.zip", archive, outlet="Harbour Post")
    batch = Batch.objects.get()
    assert landed.fetch is not None and landed.fetch.batch == batch
    assert reverse("articles:batch", args=[batch.pk]) in landed.page
    assert "3 new articles queued for extraction, 0 already in Parley, 0 could not be read." in landed.page
    assert (batch.source_name, batch.member_count, batch.created_by) == ("week.zip", 3, editor)
    assert (batch.failures, batch.duplicates) == ([], [])
    articles = list(batch.articles.order_by("pk"))
    assert [a.source_format for a in articles] == ["html", "markdown", "pdf"]
    assert {a.outlet.name for a in articles} == {"Harbour Post"}  # typed fields apply to every file
    assert sorted(ingested(sent_tasks)) == [a.pk for a in articles]


def test_duplicates_are_counted_as_already_there_and_not_saved_again(editor_client, negotiation, sent_tasks):
    body = read_text(OTHER).body
    existing = ArticleFactory.create(negotiation=negotiation, body=body, content_hash=content_hash(body))
    archive = make_zip({"a.txt": STORY_TEXT.encode(), "b.txt": OTHER.encode(), "c.md": STORY_TEXT.encode()})
    landed = upload_read(editor_client, negotiation, "week.zip", archive)
    batch = Batch.objects.get()
    first = batch.articles.get()
    assert batch.duplicates == [
        {"name": "b.txt", "article_id": existing.pk}, {"name": "c.md", "article_id": first.pk},
    ]
    assert Article.objects.count() == 2
    assert "1 new article queued for extraction, 2 already in Parley, 0 could not be read." in landed.page


def test_unreadable_files_are_listed_with_their_reason_and_the_others_saved(editor_client, negotiation, sent_tasks):
    archive = make_zip({
        "good.txt": OTHER.encode(), "empty.txt": b"  ", "scan.pdf": make_pdf(),
        "photo.jpg": b"\xff\xd8\xff\xe0", "../escape.txt": THIRD.encode(), "doc.docx": make_docx(),
    })
    landed = upload_read(editor_client, negotiation, "week.zip", archive)
    batch = Batch.objects.get()
    reasons = {item["name"]: item["reason"] for item in batch.failures}
    assert landed.status == 302
    assert set(reasons) == {"empty.txt", "scan.pdf", "photo.jpg", "../escape.txt"}
    assert reasons["empty.txt"] == "The file is empty."
    assert "no text layer" in reasons["scan.pdf"]
    assert "cannot read .jpg files" in reasons["photo.jpg"]
    assert "points outside the archive" in reasons["../escape.txt"]
    assert batch.articles.count() == 2
    assert "2 new articles queued for extraction, 0 already in Parley, 4 could not be read." in landed.page
    page = editor_client.get(reverse("articles:batch", args=[batch.pk])).content.decode()
    assert "no text layer" in page and "escape.txt" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 this is not really a zip", "damaged or not a zip file"),
        (make_zip({"folder/": b"", ".DS_Store": b"x"}), "holds no files to read"),
        (make_zip({f"{n}.txt": b"Words." for n in range(4)}), "the limit is 3 per upload"),
    ],
)
def test_an_archive_that_cannot_be_read_saves_nothing(editor_client, negotiation, sent_tasks, settings, data, message):
    settings.PARLEY_MAX_ZIP_FILES = 3
    response = _upload(editor_client, negotiation, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Batch.objects.exists() and not Article.objects.exists()
    assert sent_tasks == []


def test_an_archive_over_the_size_limit_is_refused(editor_client, negotiation, sent_tasks, settings):
    settings.PARLEY_MAX_ZIP_BYTES = 100
    archive = make_zip({"a.txt": OTHER.encode() * 20}, compression=zipfile.ZIP_STORED)
    response = _upload(editor_client, negotiation, archive)
    assert response.status_code == 422
    assert "archive is larger than" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_zip_bomb_member_is_a_failure_not_a_crash(editor_client, negotiation, sent_tasks, settings):
    bomb = make_zip({"bomb.txt": b"a" * 5_000_000, "fine.txt": OTHER.encode()})
    landed = upload_read(editor_client, negotiation, "week.zip", bomb)
    batch = Batch.objects.get()
    assert landed.status == 302 and landed.fetch is not None and landed.fetch.status == "done"
    assert "zip bomb" in batch.failures[0]["reason"]
    assert batch.articles.count() == 1


def test_the_service_saves_the_batch_and_its_articles_together(negotiation, editor, monkeypatch):
    members = [("a.txt", read_text(OTHER)), ("b.txt", SourceError("The file is empty."))]

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("articles.services.article_create", broken)
    with pytest.raises(RuntimeError):
        batch_create(source_name="x.zip", members=members, negotiation=negotiation, uploaded_by=editor)
    assert not Batch.objects.exists() and not Article.objects.exists()
