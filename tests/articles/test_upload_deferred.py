"""Every uploaded file, small or large, is only checked in the web request (size, extension,
signature, a .zip's structure: nothing parsed), stored and enqueued; the worker reads it, and
the upload's page says what came of it (a new article, "already in Parley" with a link, a
batch, or the reader's message)."""

from __future__ import annotations

import codecs

import pytest
from celery import Task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Batch, Fetch
from articles.services import fetch_run
from positions.models import Article
from tests.articles.sources.builders import STORY_TEXT, STORY_TITLE, make_zip, story_page


def _upload(client, negotiation, name: str, data: bytes, **fields):
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("articles:upload"), {"negotiation": negotiation.pk, "file": upload, **fields})


def _stored(response) -> Fetch:
    fetch = Fetch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:fetch", args=[fetch.pk])
    return fetch


def test_a_large_page_is_stored_and_enqueued_not_parsed(
    editor_client, editor, negotiation, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(editor_client, negotiation, "story.html", story_page().encode(), outlet="Typed Outlet")
    fetch = _stored(response)
    assert not Article.objects.exists()
    assert (fetch.filename, bytes(fetch.data), fetch.requested_by, fetch.status) == (
        "story.html", story_page().encode(), editor, "queued",
    )
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": fetch.pk})]
    page = editor_client.get(response["Location"]).content.decode()
    assert "Reading an uploaded file" in page and "Waiting for a worker to read the file" in page


def test_the_worker_reads_it_into_an_article_with_the_typed_fields_and_drops_the_bytes(
    editor_client, negotiation
):
    fetch = _stored(_upload(editor_client, negotiation, "story.html", story_page().encode(), outlet="Typed Outlet"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    article = Article.objects.get()
    assert (fetch.status, fetch.article, fetch.duplicate, fetch.data) == ("done", article, False, None)
    assert (article.title, article.outlet.name, article.source_format) == (STORY_TITLE, "Typed Outlet", "html")
    page = editor_client.get(reverse("articles:fetch", args=[fetch.pk])).content.decode()
    assert "Article saved; extraction is queued." in page and reverse("articles:detail", args=[article.pk]) in page


def test_the_same_text_again_says_already_in_parley_with_a_link(editor_client, negotiation, sent_tasks):
    first = _stored(_upload(editor_client, negotiation, "a.txt", STORY_TEXT.encode()))
    fetch_run(fetch_id=first.pk)
    Fetch.objects.filter(pk=first.pk).delete()
    second = _stored(_upload(editor_client, negotiation, "b.txt", STORY_TEXT.encode()))
    fetch_run(fetch_id=second.pk)
    article = Article.objects.get()
    page = editor_client.get(reverse("articles:fetch", args=[second.pk])).content.decode()
    assert "already in Parley" in page and reverse("articles:detail", args=[article.pk]) in page


def test_a_large_zip_becomes_a_batch_in_the_worker(editor_client, negotiation, sent_tasks):
    archive = make_zip({"a.txt": STORY_TEXT.encode(), "b.exe": b"MZ"})
    fetch = _stored(_upload(editor_client, negotiation, "week.zip", archive, outlet="Typed Outlet"))
    assert not Batch.objects.exists()
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    batch = Batch.objects.get()
    assert (fetch.status, fetch.batch) == ("done", batch)
    assert [failure["name"] for failure in batch.failures] == ["b.exe"]
    assert Article.objects.get().outlet.name == "Typed Outlet"
    page = editor_client.get(reverse("articles:fetch", args=[fetch.pk])).content.decode()
    assert reverse("articles:batch", args=[batch.pk]) in page


def test_a_large_zip_with_nothing_readable_fails_listing_reasons_and_saves_nothing(editor_client, negotiation, sent_tasks):
    archive = make_zip({"a.exe": b"MZ" * 100, "b.txt": b"!!! ??? ..." * 20})
    fetch = _stored(_upload(editor_client, negotiation, "week.zip", archive))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed" and fetch.data is None
    assert "No file in the archive could be read" in fetch.error and "a.exe" in fetch.error and "no words" in fetch.error
    assert not Batch.objects.exists() and not Article.objects.exists()
    page = editor_client.get(reverse("articles:fetch", args=[fetch.pk])).content.decode()
    assert "The file could not be read" in page


def test_content_the_worker_cannot_read_fails_with_the_readers_message(editor_client, negotiation, sent_tasks):
    page = b"<html><body><nav><a href='/'>Home</a></nav>" + b"<script>x()</script>" * 20 + b"</body></html>"
    fetch = _stored(_upload(editor_client, negotiation, "empty.html", page))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed" and "No article text could be found" in fetch.error
    assert not Article.objects.exists()


def test_a_nul_in_a_large_file_is_removed_by_the_worker(editor_client, negotiation, sent_tasks):
    data = codecs.BOM_UTF8 + (STORY_TEXT + "\x00").encode()
    fetch = _stored(_upload(editor_client, negotiation, "nul.txt", data))
    fetch_run(fetch_id=fetch.pk)
    assert "\x00" not in Article.objects.get().body


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.txt", b"%PDF-1.7" + b" " * 200, "it contains a PDF"),
        ("fake.pdf", b"plain words " * 20, "its content is not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "old Word .doc"),
        ("many.zip", make_zip({f"{n}.txt": b"Words here." * 20 for n in range(5)}), "the limit is 3 per upload"),
        ("bad.zip", b"PK\x03\x04" + b"x" * 200, "damaged or not a zip file"),
    ],
)
def test_what_can_be_told_without_parsing_is_refused_in_the_form(editor_client, negotiation, sent_tasks, settings, name, data, message):
    settings.PARLEY_MAX_ZIP_FILES = 3
    response = _upload(editor_client, negotiation, name, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Fetch.objects.exists() and not Article.objects.exists() and not Batch.objects.exists()
    assert sent_tasks == []


def test_a_title_with_a_large_zip_is_refused(editor_client, negotiation, sent_tasks):
    archive = make_zip({"a.txt": STORY_TEXT.encode()})
    response = _upload(editor_client, negotiation, "week.zip", archive, title="One title")
    assert response.status_code == 422
    assert not Fetch.objects.exists()


def test_the_list_and_upload_pages_do_not_load_stored_bytes(editor_client, negotiation, sent_tasks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fetch = _stored(_upload(editor_client, negotiation, "story.html", story_page().encode()))
    for url in (reverse("articles:list"), reverse("articles:fetch", args=[fetch.pk])):
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        assert not any('"articles_fetch"."data"' in query["sql"] for query in queries.captured_queries)


def test_a_small_zip_that_unpacks_large_goes_to_the_worker(editor_client, negotiation, sent_tasks, settings):
    archive = make_zip({f"{n}.txt": (STORY_TEXT + f" Number {n}.").encode() * 3 for n in range(10)})
    assert len(archive) < 5_000
    fetch = _stored(_upload(editor_client, negotiation, "week.zip", archive))
    assert not Batch.objects.exists()
    fetch_run(fetch_id=fetch.pk)
    assert Batch.objects.get().articles.count() == 10


def test_the_task_reads_a_stored_upload(editor_client, negotiation, sent_tasks):
    from articles.tasks import article_fetch_task

    fetch = _stored(_upload(editor_client, negotiation, "story.html", story_page().encode()))
    article_fetch_task(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert (fetch.status, fetch.article) == ("done", Article.objects.get())


def test_a_seven_megabyte_page_is_answered_at_once_with_the_default_limits(editor_client, negotiation, sent_tasks, settings):
    import time

    paragraph = "<p>" + " ".join(["Northland said on Monday that it would accept a truce."] * 20) + "</p>\n"
    page = story_page().replace("</article>", paragraph * 6_500 + "</article>").encode()
    assert 7_000_000 < len(page) < settings.PARLEY_MAX_UPLOAD_BYTES
    started = time.monotonic()
    fetch = _stored(_upload(editor_client, negotiation, "huge.html", page))
    assert time.monotonic() - started < 5
    assert len(bytes(fetch.data)) == len(page) and not Article.objects.exists()


def test_a_small_file_is_not_parsed_in_the_request_either(editor_client, negotiation, sent_tasks):
    fetch = _stored(_upload(editor_client, negotiation, "tiny.txt", b"Northland accepted the truce."))
    assert bytes(fetch.data) == b"Northland accepted the truce." and not Article.objects.exists()


def test_with_tasks_run_at_once_the_editor_lands_on_the_outcome(
    editor_client, negotiation, django_capture_on_commit_callbacks, monkeypatch
):
    """The embedded setup runs tasks as they are sent: the same checks come first, and the
    page the upload redirects to already shows what came of it."""
    ran: list[int] = []

    def run_the_fetch_now(task: Task, args: object = None, kwargs: dict[str, int] | None = None, **_: object) -> None:
        if task.name == "articles.tasks.article_fetch_task":  # not the article's extraction
            task.apply(kwargs=kwargs)
            ran.append(kwargs["fetch_id"] if kwargs else 0)

    monkeypatch.setattr(Task, "apply_async", run_the_fetch_now)
    with django_capture_on_commit_callbacks(execute=True):
        refused = _upload(editor_client, negotiation, "fake.pdf", b"plain words " * 20)
        response = _upload(editor_client, negotiation, "story.html", story_page().encode())
    assert refused.status_code == 422 and "its content is not a PDF" in refused.content.decode()
    fetch = _stored(response)
    page = editor_client.get(response["Location"]).content.decode()
    assert ran == [fetch.pk]
    assert fetch.status == "done" and "Article saved; extraction is queued." in page
