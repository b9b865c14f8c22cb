"""Uploading an article: file or pasted text, duplicates, and bad input that saves nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Fetch
from articles.services import fetch_run
from positions.models import Article
from tests.articles.conftest import ingested
from tests.articles.uploads import upload_read

TEXT = (
    "---\ntitle: Envoys meet in Cairo\noutlet: Harbour Post\npublished: 2024-03-04\n---\n"
    "Northland said on Monday that it would accept a truce.\n"
)


def _post(client, negotiation, **fields):
    data = {"negotiation": negotiation.pk, **fields}
    return client.post(reverse("articles:upload"), data)


def test_a_markdown_file_is_stored_then_read_by_the_worker_into_a_queued_article(
    editor_client, editor, negotiation, sent_tasks, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("cairo.md", TEXT.encode(), content_type="text/markdown")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(editor_client, negotiation, file=upload)
    fetch = Fetch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:fetch", args=[fetch.pk])
    assert not Article.objects.exists()  # nothing is parsed in the web request
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": fetch.pk})]
    with django_capture_on_commit_callbacks(execute=True):
        fetch_run(fetch_id=fetch.pk)
    article = Article.objects.get()
    assert (article.title, article.outlet.name, str(article.published_on)) == (
        "Envoys meet in Cairo", "Harbour Post", "2024-03-04",
    )
    assert (article.status, article.uploaded_by, article.source_format) == ("queued", editor, "markdown")
    assert ingested(sent_tasks) == [article.pk]
    page = editor_client.get(response["Location"]).content.decode()
    assert "Article saved; extraction is queued." in page
    assert reverse("articles:detail", args=[article.pk]) in page


def test_pasted_text_takes_the_typed_fields(editor_client, negotiation, sent_tasks):
    response = _post(
        editor_client, negotiation, text="Southport rejected the offer on Tuesday.",
        title="Offer rejected", outlet="Reuters", url="https://example.org/a", published="2024-02-01",
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.title, article.outlet.name, article.url, str(article.published_on)) == (
        "Offer rejected", "Reuters", "https://example.org/a", "2024-02-01",
    )


def test_the_same_content_again_goes_to_the_existing_article_saying_so(editor_client, negotiation, sent_tasks):
    _post(editor_client, negotiation, text="Southport rejected the offer on Tuesday.")
    response = _post(editor_client, negotiation, text="Southport  rejected the offer\non Tuesday.")
    article = Article.objects.get()
    assert response["Location"] == reverse("articles:detail", args=[article.pk])
    page = editor_client.get(response["Location"]).content.decode()
    assert "already in Parley" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file_name": "notes.exe", "file_body": b"MZ..."}, "Parley cannot read .exe files"),
        ({"file_name": "notes.txt", "file_body": b"%PDF-1.7 binary"}, "it contains a PDF"),
        ({"file_name": "empty.md", "file_body": b"  \n"}, "The file is empty"),
        ({}, "Upload a file or paste the text"),
        ({"text": "   "}, "Upload a file or paste the text"),
        ({"text": "Fine text.", "url": "not a url"}, "Enter a valid URL"),
        ({"text": "Fine text.", "published": "31/31/2024"}, "Enter a valid date"),
        ({"text": "Fine text.", "published": "2999-01-01"}, "2999-01-01 is in the future"),
        ({"text": "---\npublished: someday\n---\nText."}, "published must be a date"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(editor_client, negotiation, sent_tasks, fields, message):
    data = dict(fields)
    if "file_name" in data:
        data["file"] = SimpleUploadedFile(data.pop("file_name"), data.pop("file_body"))
    response = _post(editor_client, negotiation, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Article.objects.exists() and not Fetch.objects.exists()
    assert sent_tasks == []


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("bad.md", b"---\npublished: someday\n---\nText.", "published must be a date"),
        ("bad.md", b"---\n: [unclosed\n---\nText.", "not valid YAML"),
        ("late.md", b"---\npublished: 2999-01-01\n---\nText.", "is in the future"),
        ("page.html", b"<html><body><script>x()</script></body></html>", "No article text could be found"),
    ],
)
def test_a_file_the_worker_cannot_read_shows_why_on_its_page_and_saves_nothing(
    editor_client, negotiation, sent_tasks, name, body, message
):
    landed = upload_read(editor_client, negotiation, name, body)
    assert landed.fetch is not None and landed.fetch.status == "failed"
    assert "The file could not be read" in landed.page and message in landed.page
    assert not Article.objects.exists()
    assert sent_tasks == []


def test_a_file_over_the_limit_is_refused(editor_client, negotiation, sent_tasks, settings):
    settings.PARLEY_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("long.txt", b"Northland said it would accept a truce.")
    response = _post(editor_client, negotiation, file=upload)
    assert response.status_code == 422
    assert "larger than" in response.content.decode()
    assert not Article.objects.exists()


def test_pasted_text_over_the_limit_is_refused(editor_client, negotiation, sent_tasks, settings):
    settings.PARLEY_MAX_UPLOAD_BYTES = 10
    response = _post(editor_client, negotiation, text="Northland said it would accept a truce.")
    assert response.status_code == 422
    assert not Article.objects.exists()


def test_the_form_page_offers_file_and_text(editor_client, negotiation):
    html = editor_client.get(reverse("articles:upload")).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="text"' in html
