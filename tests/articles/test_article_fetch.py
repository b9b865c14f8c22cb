"""A URL fetched by the worker: the service against a local web server, the thin task, the views."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from unittest import mock

import pytest
from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from articles.models import Fetch
from articles.services import article_create, fetch_create, fetch_run
from articles.sources import SourceUnavailable, read_text, read_upload
from articles.tasks import article_fetch_task
from articles.work import FETCHES, QUEUE_DOWN_NOTE
from positions.models import Article
from tests.articles.conftest import htmx
from tests.articles.sources.builders import STORY_TEXT, STORY_TITLE, story_page
from tests.articles.sources.conftest import LocalWeb


@pytest.fixture
def private_ok(settings):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = True
    settings.PARLEY_FETCH_TIMEOUT = 2


def _fetch(negotiation, url: str, user=None) -> Fetch:
    return Fetch.objects.create(url=url, negotiation=negotiation, requested_by=user)


# --- the service ------------------------------------------------------------------------


def test_a_fetched_page_becomes_a_queued_article(web: LocalWeb, negotiation, editor, private_ok):
    web.serve("/story", story_page().encode())
    fetch = _fetch(negotiation, web.url("/story"), editor)
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    article = Article.objects.get()
    assert (fetch.status, fetch.article, fetch.duplicate, fetch.attempts) == ("done", article, False, 1)
    assert (article.title, article.url, article.source_format) == (STORY_TITLE, web.url("/story"), "url")
    assert (article.status, article.uploaded_by) == ("queued", editor)


def test_the_same_story_pasted_uploaded_and_fetched_is_one_article(web: LocalWeb, negotiation, editor, private_ok):
    pasted, _ = article_create(document=read_text(STORY_TEXT), negotiation=negotiation, uploaded_by=editor)
    uploaded, created = article_create(
        document=read_upload("story.html", story_page().encode()), negotiation=negotiation, uploaded_by=editor
    )
    web.serve("/story", story_page().encode())
    fetch = _fetch(negotiation, web.url("/story"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert (uploaded, created) == (pasted, False)
    assert (fetch.article, fetch.duplicate) == (pasted, True)
    assert Article.objects.count() == 1


def test_a_private_address_is_refused_when_the_setting_is_off(web: LocalWeb, negotiation, settings):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = False
    web.serve("/story", story_page().encode())
    fetch = _fetch(negotiation, web.url("/story"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed"
    assert "127.0.0.1 is a loopback address; Parley only fetches public web addresses." in fetch.error
    assert web.requests == [] and not Article.objects.exists()


@pytest.mark.parametrize(
    ("status", "content_type", "message"),
    [
        (404, "text/html", "The page was not found (HTTP 404"),
        (200, "image/png", "The address returned image/png"),
        (403, "text/html", "it may need a login"),
    ],
)
def test_a_page_that_cannot_be_read_fails_the_fetch_with_the_readers_message(
    web: LocalWeb, negotiation, private_ok, status, content_type, message
):
    web.serve("/bad", b"<p>nothing</p>", status=status, content_type=content_type)
    fetch = _fetch(negotiation, web.url("/bad"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed" and message in fetch.error
    assert not Article.objects.exists()


def test_a_redirect_loop_fails_the_fetch(web: LocalWeb, negotiation, private_ok):
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")
    fetch = _fetch(negotiation, web.url("/a"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed" and "redirects in a loop" in fetch.error


def test_an_endless_body_is_cut_at_the_size_cap(web: LocalWeb, negotiation, private_ok, settings):
    settings.PARLEY_FETCH_MAX_BYTES = 1000

    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.end_headers()
        for _ in range(10_000):
            request.wfile.write(b"more words " * 100)

    web.routes["/endless"] = endless
    fetch = _fetch(negotiation, web.url("/endless"))
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "failed" and "larger than the 0.0 MB limit" in fetch.error


def test_a_transient_failure_puts_the_fetch_back_and_raises_for_a_retry(web: LocalWeb, negotiation, private_ok):
    web.serve("/busy", b"busy", status=503)
    fetch = _fetch(negotiation, web.url("/busy"))
    with pytest.raises(SourceUnavailable, match="try again later"):
        fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.status == "queued" and "HTTP 503" in fetch.error


def test_a_timeout_is_transient(web: LocalWeb, negotiation, private_ok, settings):
    settings.PARLEY_FETCH_TIMEOUT = 1

    def slow(request):
        web.pause(3)

    web.routes["/slow"] = slow
    fetch = _fetch(negotiation, web.url("/slow"))
    with pytest.raises(SourceUnavailable, match="did not answer within 1 second"):
        fetch_run(fetch_id=fetch.pk)


def test_a_second_delivery_does_nothing(web: LocalWeb, negotiation, private_ok):
    web.serve("/story", story_page().encode())
    fetch = _fetch(negotiation, web.url("/story"))
    fetch_run(fetch_id=fetch.pk)
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    assert fetch.attempts == 1 and len(web.requests) == 1


def test_creating_a_fetch_enqueues_it_after_commit(negotiation, editor, django_capture_on_commit_callbacks, sent_tasks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fetch = fetch_create(url="https://example.org/a", negotiation=negotiation, requested_by=editor)
    assert sent_tasks == []
    for callback in callbacks:
        callback()
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": fetch.pk})]


# --- the task ---------------------------------------------------------------------------


def test_the_task_calls_the_service_with_the_id(db):
    with mock.patch("articles.tasks.fetch_run") as run:
        article_fetch_task(fetch_id=7)
    run.assert_called_once_with(fetch_id=7)


def test_the_task_retries_a_transient_failure_with_a_countdown(db):
    with (
        mock.patch("articles.tasks.fetch_run", side_effect=SourceUnavailable("HTTP 503")),
        mock.patch.object(article_fetch_task, "retry", side_effect=RuntimeError("retry")) as retry,
        contextlib.suppress(RuntimeError),
    ):
        article_fetch_task(fetch_id=3)
    retry.assert_called_once_with(countdown=30)


def test_the_task_gives_up_after_its_retries(negotiation, settings):
    settings.PARLEY_FETCH_RETRIES = 0
    fetch = _fetch(negotiation, "https://example.org/a")
    with mock.patch("articles.tasks.fetch_run", side_effect=SourceUnavailable("The site did not answer.")):
        article_fetch_task.apply(kwargs={"fetch_id": fetch.pk})
    fetch.refresh_from_db()
    assert fetch.status == "failed" and fetch.error.startswith("The site did not answer. (gave up after 1 tries)")


@pytest.mark.parametrize(
    ("error", "message"),
    [(SoftTimeLimitExceeded(), "took too long"), (ValueError("odd page"), "Fetching failed: odd page")],
)
def test_the_task_fails_the_fetch_on_other_errors(negotiation, error, message):
    fetch = _fetch(negotiation, "https://example.org/a")
    with mock.patch("articles.tasks.fetch_run", side_effect=error):
        article_fetch_task.apply(kwargs={"fetch_id": fetch.pk})
    fetch.refresh_from_db()
    assert fetch.status == "failed" and message in fetch.error


def test_the_task_is_acknowledged_late():
    assert article_fetch_task.acks_late and article_fetch_task.reject_on_worker_lost


# --- the views --------------------------------------------------------------------------


def test_submitting_a_url_saves_a_fetch_and_enqueues_it(
    editor_client, editor, negotiation, django_capture_on_commit_callbacks, sent_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("articles:fetch_create"), {"negotiation": negotiation.pk, "url": "https://example.org/story"}
        )
    fetch = Fetch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("articles:fetch", args=[fetch.pk])
    assert (fetch.url, fetch.status, fetch.requested_by) == ("https://example.org/story", "queued", editor)
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": fetch.pk})]


@pytest.mark.parametrize(
    ("url", "message"),
    [("", "This field is required"), ("not a url", "Enter a valid URL"), ("ftp://example.org/a", "Only http:// and https:// addresses")],
)
def test_a_bad_url_is_refused_on_the_upload_page(editor_client, negotiation, url, message):
    response = editor_client.post(reverse("articles:fetch_create"), {"negotiation": negotiation.pk, "url": url})
    html = response.content.decode()
    assert response.status_code == 422 and message in html and "Upload an article" in html
    assert not Fetch.objects.exists()


@pytest.mark.parametrize("status", ["queued", "fetching"])
def test_the_fetch_page_polls_while_pending(editor_client, negotiation, status):
    fetch = Fetch.objects.create(url="https://example.org/<b>", negotiation=negotiation, status=status)
    page = editor_client.get(reverse("articles:fetch", args=[fetch.pk]))
    fragment = editor_client.get(reverse("articles:fetch", args=[fetch.pk]), headers=htmx("fetch-status"))
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert "https://example.org/&lt;b&gt;" in page.content.decode()
    html = fragment.content.decode()
    assert fragment.status_code == 200 and html.lstrip().startswith('<section id="fetch-status"')
    assert "every 2s" in html and "<html" not in html


def test_a_done_fetch_links_its_article_and_stops_polling(editor_client, negotiation):
    article = Article.objects.create(negotiation=negotiation, body="Words.", content_hash="h", title="Crossings")
    fetch = Fetch.objects.create(url="https://example.org/a", negotiation=negotiation, status="done", article=article, duplicate=True)
    response = editor_client.get(reverse("articles:fetch", args=[fetch.pk]), headers=htmx("fetch-status"))
    html = response.content.decode()
    assert response.status_code == 286
    assert "already in Parley" in html and reverse("articles:detail", args=[article.pk]) in html


def test_a_failed_fetch_shows_the_reason(editor_client, negotiation):
    fetch = Fetch.objects.create(url="https://example.org/a", negotiation=negotiation, status="failed", error="The page was not found (HTTP 404 Not Found); check the address.")
    html = editor_client.get(reverse("articles:fetch", args=[fetch.pk])).content.decode()
    assert "HTTP 404" in html and "every 2s" not in html


def test_fetch_views_send_anonymous_visitors_to_login(negotiation):
    fetch = _fetch(negotiation, "https://example.org/a")
    for response in (
        Client().get(reverse("articles:fetch", args=[fetch.pk])),
        Client().post(reverse("articles:fetch_create"), {"negotiation": negotiation.pk, "url": "https://example.org/b"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider_client", "researcher_client"])
def test_fetch_views_refuse_users_who_are_not_editors(request, negotiation, who):
    client = request.getfixturevalue(who)
    fetch = _fetch(negotiation, "https://example.org/a")
    assert client.get(reverse("articles:fetch", args=[fetch.pk])).status_code == 403
    response = client.post(reverse("articles:fetch_create"), {"negotiation": negotiation.pk, "url": "https://example.org/b"})
    assert response.status_code == 403 and Fetch.objects.count() == 1


def test_an_unknown_fetch_is_404(editor_client, db):
    assert editor_client.get(reverse("articles:fetch", args=[9999])).status_code == 404


def test_submitting_answers_get_with_405(editor_client):
    assert editor_client.get(reverse("articles:fetch_create")).status_code == 405


def test_a_fetch_saved_while_the_broker_is_down_stays_queued_and_is_swept_later(
    negotiation, editor, django_capture_on_commit_callbacks, sent_tasks
):
    down = mock.patch.object(Task, "apply_async", side_effect=BrokerError("Connection refused"))
    with down, django_capture_on_commit_callbacks(execute=True):
        fetch = fetch_create(url="https://example.org/a", negotiation=negotiation, requested_by=editor)
    fetch.refresh_from_db()
    assert (fetch.status, fetch.error) == ("queued", QUEUE_DOWN_NOTE)
    Fetch.objects.filter(pk=fetch.pk).update(created_at=fetch.created_at - timedelta(minutes=5))
    assert FETCHES.sweep() == 1
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": fetch.pk})]


def test_the_sweep_leaves_a_fetch_waiting_out_its_retry(negotiation, sent_tasks):
    waiting = Fetch.objects.create(url="https://example.org/a", negotiation=negotiation, error="HTTP 503")
    Fetch.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert FETCHES.sweep() == 0
    assert sent_tasks == []


def test_the_sweep_takes_over_a_fetch_held_past_the_hard_limit(negotiation, settings, sent_tasks):
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 5)
    held = Fetch.objects.create(url="https://example.org/a", negotiation=negotiation, status="fetching", claimed_at=stale)
    Fetch.objects.create(url="https://example.org/b", negotiation=negotiation, status="fetching", claimed_at=timezone.now())
    assert FETCHES.sweep() == 1
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": held.pk})]
