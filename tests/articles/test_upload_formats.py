"""Uploading each format through the page: the article it makes, or a clear refusal that saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Batch, Fetch
from positions.models import Article
from tests.articles.conftest import ingested
from tests.articles.sources.builders import (
    STORY_PARAGRAPHS,
    STORY_TEXT,
    STORY_TITLE,
    encrypt_pdf,
    make_docx,
    make_pdf,
    make_zip,
    story_page,
)
from tests.articles.uploads import upload_read

_upload = upload_read


@pytest.mark.parametrize(
    ("name", "data", "source_format"),
    [
        ("story.txt", STORY_TEXT.encode(), "text"),
        ("story.md", ("---\ntitle: Crossings\n---\n" + STORY_TEXT).encode(), "markdown"),
        ("story.html", story_page().encode(), "html"),
        ("story.pdf", make_pdf(STORY_PARAGRAPHS, title="Crossings"), "pdf"),
        ("story.docx", make_docx(headline=STORY_TITLE), "docx"),
    ],
)
def test_each_format_becomes_one_queued_article(editor_client, negotiation, sent_tasks, name, data, source_format):
    landed = _upload(editor_client, negotiation, name, data)
    article = Article.objects.get()
    assert landed.fetch is not None and landed.fetch.article == article
    assert reverse("articles:detail", args=[article.pk]) in landed.page
    assert (article.status, article.source_format) == ("queued", source_format)
    assert "monitoring arrangements" in article.body


def test_a_web_page_keeps_the_story_and_drops_scripts_navigation_and_comments(editor_client, negotiation, sent_tasks):
    _upload(editor_client, negotiation, "page.html", story_page().encode())
    article = Article.objects.get()
    assert article.title == STORY_TITLE
    assert article.outlet.name == "The Lantern Courier"
    assert str(article.published_on) == "2024-05-14"
    for clutter in ("<", "tracker", "Front page", "Sponsored", "Nobody in my village", "Injected"):
        assert clutter not in article.body


def test_the_same_story_as_html_pdf_and_word_is_one_article(
    editor_client, negotiation, sent_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(editor_client, negotiation, "page.html", story_page().encode())
        for name, data in (("s.pdf", make_pdf(STORY_PARAGRAPHS)), ("s.docx", make_docx(headline=STORY_TITLE))):
            landed = _upload(editor_client, negotiation, name, data)
            assert "This article is already in Parley (the same text)" in landed.page
            assert reverse("articles:detail", args=[Article.objects.get().pk]) in landed.page
    assert Article.objects.count() == 1
    assert ingested(sent_tasks) == [Article.objects.get().pk]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", make_pdf(), "no text layer"),
        ("locked.pdf", encrypt_pdf(make_pdf(STORY_PARAGRAPHS), user_password="pw"), "protected by a password"),
        ("broken.pdf", b"%PDF-1.4\n" + b"\x8f not a pdf " * 40, "This PDF is damaged"),
        ("fake.pdf", b"Plain words pretending to be a PDF.", "its content is not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Word .doc file"),
        ("fake.docx", b"Just text.", "its content is not a Word document"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "it contains a PNG image"),
        ("binary.txt", b"\x00\x01\x02\x03" * 50, "binary"),
        ("notes.rtf", b"{\\rtf1 Hello}", "Parley cannot read .rtf files"),
        ("noextension", b"Words.", "files without an extension"),
        ("empty.html", b"   \n", "The file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_saying_why(editor_client, negotiation, sent_tasks, name, data, message):
    """Refused in the form when its name or signature tells, else by the worker on its page."""
    landed = _upload(editor_client, negotiation, name, data)
    assert message in landed.page
    if landed.fetch is not None:
        assert (landed.fetch.status, landed.fetch.data) == ("failed", None)
        assert "The file could not be read" in landed.page
    else:
        assert landed.status == 422
    assert not Article.objects.exists() and not Batch.objects.exists()
    assert sent_tasks == []


def test_text_in_another_encoding_is_detected_not_mangled(editor_client, negotiation, sent_tasks):
    text = "Le médiateur a déclaré que la trêve était très fragile à Gaza."
    _upload(editor_client, negotiation, "latin.txt", text.encode("cp1252"))
    assert Article.objects.get().body == text


def test_the_page_names_every_accepted_format(editor_client, negotiation):
    html = editor_client.get(reverse("articles:upload")).content.decode()
    for name in (".txt", ".md", ".html", ".pdf", ".docx", ".zip", "Fetch from a URL"):
        assert name in html


def test_a_zip_with_a_title_is_refused_as_the_title_belongs_to_one_article(editor_client, negotiation, sent_tasks):
    archive = make_zip({"a.txt": STORY_TEXT.encode()})
    landed = _upload(editor_client, negotiation, "many.zip", archive, title="One title")
    assert landed.status == 422
    assert "leave them empty for a .zip" in landed.page
    assert not Batch.objects.exists() and not Fetch.objects.exists()
