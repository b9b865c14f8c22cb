"""Hostile and odd uploads against PostgreSQL: a clear message or a clean article, never a 500,
never a half-saved row.

Each refused case asserts the editor's message and that no article, batch, outlet or fetch
was left behind; each accepted case asserts what was stored (no NUL, columns within their
lengths, no link other than http(s)) and the note that says what was changed.
"""

from __future__ import annotations

import codecs
import time
from datetime import date

import pytest
from django.urls import reverse

from articles.forms import StatementForm
from articles.models import Batch, Fetch
from articles.services import fetch_run
from positions.models import Article, Outlet
from tests.articles.sources.builders import STORY_TEXT, make_pdf, make_zip, story_page
from tests.articles.sources.conftest import LocalWeb
from tests.articles.uploads import upload_read

SENTENCE = "Northland said on Monday that it would accept a truce if the captives were freed."
# Long enough that a stray control character or two is not taken for binary data.
LONG = " ".join([SENTENCE] * 5)


_upload = upload_read  # the form checks and stores the file, the worker reads it


def _paste(client, negotiation, text: str, **fields):
    return client.post(reverse("articles:upload"), {"negotiation": negotiation.pk, "text": text, **fields})


def _nothing_saved(*, read_by_worker: bool = False) -> None:
    """No row left behind; a file read by the worker leaves only its failed upload, without its bytes."""
    assert not Article.objects.exists()
    assert not Batch.objects.exists()
    assert not Outlet.objects.exists()
    if read_by_worker:
        assert list(Fetch.objects.values_list("status", "data")) == [("failed", None)]
    else:
        assert not Fetch.objects.exists()


def _front(lines: str, body: str = SENTENCE) -> bytes:
    return f"---\n{lines}\n---\n{body}\n".encode()


# --- accepted, made safe ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.txt", codecs.BOM_UTF8 + f"{LONG}\x00 More words here.".encode()),
        ("bom16.txt", codecs.BOM_UTF16_LE + f"{LONG}\x00 More words.".encode("utf-16-le")),
        ("ctrl.md", f"{LONG}\x07\x1b[31m More words.\x7f".encode()),
    ],
)
def test_nul_and_control_characters_in_a_text_are_removed(editor_client, negotiation, sent_tasks, name, data):
    response = _upload(editor_client, negotiation, name, data)
    assert response.status == 302
    body = Article.objects.get().body
    assert "\x00" not in body and "\x07" not in body and "\x7f" not in body
    assert body.startswith(SENTENCE)


def test_a_yaml_escaped_nul_in_the_title_is_removed(editor_client, negotiation, sent_tasks):
    response = _upload(editor_client, negotiation, "nul.md", _front('title: "Truce\\0 talks\\x07"\noutlet: "Post\\0"'))
    assert response.status == 302
    article = Article.objects.get()
    assert (article.title, article.outlet.name) == ("Truce talks", "Post")


def test_a_nul_in_a_pdf_title_is_removed(editor_client, negotiation, sent_tasks):
    response = _upload(editor_client, negotiation, "doc.pdf", make_pdf([SENTENCE], title="Talks\x00 resume"))
    assert response.status == 302
    assert Article.objects.get().title == "Talks resume"


def test_long_metadata_is_clipped_with_a_note_shown_on_the_article(editor_client, negotiation, sent_tasks):
    data = _front(f"title: {'Long headline ' * 40}\noutlet: {'Very Long Outlet Name ' * 20}")
    response = _upload(editor_client, negotiation, "long.md", data)
    assert response.status == 302
    article = Article.objects.get()
    assert len(article.title) <= 300 and len(article.outlet.name) <= 120
    assert "The title was" in article.notes and "outlet name was" in article.notes
    page = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "shortened to 300" in page


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example/a.txt",
        "https://example.org/" + "a" * 2000,
    ],
)
def test_a_link_from_front_matter_that_is_not_http_is_left_out_with_a_note(editor_client, negotiation, sent_tasks, url):
    response = _upload(editor_client, negotiation, "link.md", _front(f"url: '{url}'"))
    assert response.status == 302
    article = Article.objects.get()
    assert article.url == ""
    assert "link was left out" in article.notes
    page = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "javascript:" not in page.split("<details")[0]


def test_a_date_with_a_time_is_read_as_its_day(editor_client, negotiation, sent_tasks):
    response = _upload(editor_client, negotiation, "t.md", _front("published: 2024-03-04 10:30:00"))
    assert response.status == 302
    assert Article.objects.get().published_on == date(2024, 3, 4)


def test_a_scalar_title_of_another_type_is_stored_as_text(editor_client, negotiation, sent_tasks):
    response = _upload(editor_client, negotiation, "n.md", _front("title: 1984\noutlet: 3.5"))
    assert response.status == 302
    article = Article.objects.get()
    assert (article.title, article.outlet.name) == ("1984", "3.5")


def test_a_page_with_an_overlong_site_name_and_canonical_link_is_saved(editor_client, negotiation, sent_tasks):
    page = story_page().replace(
        'content="The Lantern Courier"', f'content="{"The Lantern Courier " * 30}"'
    ).replace(
        'href="https://courier.example/world/harbour-talks-stall"',
        f'href="https://courier.example/{"x" * 1500}"',
    )
    response = _upload(editor_client, negotiation, "page.html", page.encode())
    assert response.status == 302
    article = Article.objects.get()
    assert len(article.outlet.name) <= 120 and article.url == ""
    assert "outlet name was" in article.notes


def test_a_zip_member_with_a_nul_does_not_fail_the_others(editor_client, negotiation, sent_tasks):
    archive = make_zip({"a.txt": codecs.BOM_UTF8 + f"{LONG}\x00".encode(), "b.txt": STORY_TEXT.encode()})
    response = _upload(editor_client, negotiation, "week.zip", archive)
    assert response.status == 302
    assert Article.objects.count() == 2
    assert not any("\x00" in body for body in Article.objects.values_list("body", flat=True))


# --- refused, nothing saved ------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]" for n in range(8)]
    + ["title: *i"]
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_front(ALIAS_BOMB), "YAML alias"),
        (_front("base: &b {title: x}\n<<: *b"), "YAML alias"),
        (_front("title: [a, b]"), "title must be a single value, not a list"),
        (_front("outlet: {name: x}"), "outlet must be a single value, not a mapping"),
        (_front("title: yes"), "title must be text, not yes/no"),
        (_front("published: 2024-02-30"), "published must be a date"),
        (_front("published: 0001-01-01"), "0001-01-01 is before 1900"),
        (_front("published: 9999-12-31"), "9999-12-31 is in the future"),
        (_front("published: [2024-01-01]"), "published must be a date"),
        (_front("title: !!python/object:os.system x"), "not valid YAML"),
        (_front("title: " + "[" * 3000), "too deeply nested"),
        (_front("title: " + "[" * 60), "not valid YAML"),
        (b"... --- !!! ??? ***\n\n---\n", "no words"),
    ],
)
def test_bad_front_matter_and_text_are_refused_with_a_message(editor_client, negotiation, sent_tasks, data, message):
    started = time.monotonic()
    response = _upload(editor_client, negotiation, "bad.md", data)
    assert time.monotonic() - started < 5
    assert "The file could not be read" in response.page and message in response.page
    _nothing_saved(read_by_worker=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published": "0001-01-01"}, "0001-01-01 is before 1900"),
        ({"published": "1899-12-31"}, "before 1900"),
        ({"published": "9999-12-31"}, "is in the future"),
        ({"url": "ftp://files.example/a"}, "Only http:// and https://"),
        ({"title": "Truce\x00talks"}, "Null characters are not allowed"),
        ({"outlet": "x" * 121}, "at most 120 characters"),
    ],
)
def test_bad_typed_fields_are_refused(editor_client, negotiation, sent_tasks, fields, message):
    response = _paste(editor_client, negotiation, SENTENCE, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    _nothing_saved()


def test_pasted_punctuation_only_is_refused(editor_client, negotiation, sent_tasks):
    response = _paste(editor_client, negotiation, "!!! ... ??? --- *** ###")
    assert response.status_code == 422
    assert "no words" in response.content.decode()
    _nothing_saved()


def test_a_zip_with_nothing_readable_is_refused_listing_each_reason(editor_client, negotiation, sent_tasks):
    archive = make_zip({
        "a.exe": b"MZ", "b.md": _front("title: [x]"), "c.txt": b"!!! ???", "d.pdf": b"not a pdf",
    })
    page = _upload(editor_client, negotiation, "week.zip", archive).page
    assert "No file in the archive could be read" in page
    for reason in ("a.exe", "title must be a single value", "c.txt", "no words", "d.pdf"):
        assert reason in page
    _nothing_saved(read_by_worker=True)


def test_the_statement_form_refuses_implausible_dates(negotiation):
    actor = negotiation.actors.first()
    for value, message in (("9999-12-31", "is in the future"), ("0001-01-01", "before 1900")):
        form = StatementForm(
            {"actor": actor.pk, "speaker": "x", "stance": "demand", "stated_on": value, "version": 1},
            negotiation=negotiation,
        )
        assert not form.is_valid()
        assert message in form.errors["stated_on"][0]


# --- fetched pages ---------------------------------------------------------------------------


def test_a_fetched_page_with_a_nul_is_saved_clean(web: LocalWeb, negotiation, editor, settings, sent_tasks):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = True
    settings.PARLEY_FETCH_TIMEOUT = 5
    page = codecs.BOM_UTF8 + f"{LONG}\x00 And more words.".encode()
    web.serve("/nul", page, content_type="text/plain; charset=utf-8")
    fetch = Fetch.objects.create(url=web.url("/nul"), negotiation=negotiation, requested_by=editor)
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "done", fetch.error
    assert fetch.article is not None
    assert "\x00" not in fetch.article.body


def test_a_fetched_text_of_punctuation_fails_the_fetch_with_a_message(web: LocalWeb, negotiation, editor, settings, sent_tasks):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = True
    settings.PARLEY_FETCH_TIMEOUT = 5
    web.serve("/dots", b"... !!! ???", content_type="text/plain; charset=utf-8")
    fetch = Fetch.objects.create(url=web.url("/dots"), negotiation=negotiation, requested_by=editor)
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert (fetch.status, fetch.article) == ("failed", None)
    assert "no words" in fetch.error
    assert not Article.objects.exists()


# --- archives: limits and special entries ----------------------------------------------------


def test_a_zip_member_over_the_single_file_limit_is_listed_and_the_rest_saved(editor_client, negotiation, sent_tasks, settings):
    settings.PARLEY_MAX_UPLOAD_BYTES = 2_000
    archive = make_zip({"big.txt": (STORY_TEXT + "\n\n").encode() * 5, "small.txt": SENTENCE.encode()})
    response = _upload(editor_client, negotiation, "week.zip", archive)
    assert response.status == 302
    batch = Batch.objects.get()
    assert [failure["name"] for failure in batch.failures] == ["big.txt"]
    assert "single-file limit" in batch.failures[0]["reason"]
    assert Article.objects.count() == 1


def test_a_symbolic_link_in_a_zip_is_skipped_and_listed(editor_client, negotiation, sent_tasks):
    import io
    import stat
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("story.txt", STORY_TEXT)
        link = zipfile.ZipInfo("passwd.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    response = _upload(editor_client, negotiation, "week.zip", out.getvalue())
    assert response.status == 302
    batch = Batch.objects.get()
    assert batch.failures == [{"name": "passwd.txt", "reason": "passwd.txt is a symbolic link; skipped."}]
    page = editor_client.get(reverse("articles:batch", args=[batch.pk])).content.decode()
    assert "symbolic link" in page


# --- language and size in the worker ---------------------------------------------------------


def test_a_non_english_article_says_so_on_its_page_and_its_batch(editor_client, negotiation):
    from tests.factories import ArticleFactory

    batch = Batch.objects.create(negotiation=negotiation, source_name="week.zip", member_count=1)
    article = ArticleFactory.create(negotiation=negotiation, status="done", language="de", batch=batch)
    detail = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "reads as German (“de”)" in detail and "English only" in detail
    page = editor_client.get(reverse("articles:batch", args=[batch.pk])).content.decode()
    assert "no drafts: the text reads as German" in page


def test_a_text_longer_than_extraction_reads_fails_with_a_message_before_parsing(negotiation, settings):
    from articles.services import article_ingest
    from tests.factories import ArticleFactory

    settings.PARLEY_MAX_EXTRACT_CHARS = 1_000
    article = ArticleFactory.create(negotiation=negotiation, status="queued", body=LONG * 5)
    article_ingest(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == "failed"
    assert "extraction reads at most 1,000" in article.error
    assert not article.statements.exists()


def test_control_characters_in_member_and_file_names_are_not_stored(editor_client, negotiation, sent_tasks):
    archive = make_zip({"bad\x07\x1bname.exe": b"MZ", "good.txt": STORY_TEXT.encode()})
    response = _upload(editor_client, negotiation, "we\x1bek.zip", archive)
    assert response.status == 302
    batch = Batch.objects.get()
    assert "\x1b" not in batch.source_name
    assert batch.failures[0]["name"] == "bad name.exe"
