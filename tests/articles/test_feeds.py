"""Feeds: polled by beat, each new link fetched once, the same story once; the feeds page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from articles.models import Feed, Fetch
from articles.services import feed_create, feed_poll, feeds_poll, fetch_run
from articles.tasks import feed_poll_task, feeds_poll_task
from positions.models import Article
from tests.articles.conftest import htmx
from tests.articles.sources.builders import story_page
from tests.articles.sources.conftest import LocalWeb


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>Story {n}</title><link>{link}</link></item>" for n, link in enumerate(links))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
        f"<link>https://courier.example/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def private_ok(settings):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = True
    settings.PARLEY_FETCH_TIMEOUT = 2


@pytest.fixture
def feed(web: LocalWeb, negotiation, editor) -> Feed:
    return Feed.objects.create(url=web.url("/feed.xml"), negotiation=negotiation, created_by=editor)


# --- polling ------------------------------------------------------------------------------


def test_a_poll_queues_a_fetch_per_new_link_and_none_the_second_time(
    web: LocalWeb, feed, editor, private_ok, sent_tasks, django_capture_on_commit_callbacks
):
    web.serve("/feed.xml", rss(web.url("/a"), web.url("/b"), web.url("/a")), content_type="application/rss+xml")
    with django_capture_on_commit_callbacks(execute=True):
        assert feed_poll(feed_id=feed.pk) == 2
    queued = list(Fetch.objects.order_by("pk"))
    assert [f.url for f in queued] == [web.url("/a"), web.url("/b")]
    assert {(f.feed, f.requested_by, f.status) for f in queued} == {(feed, editor, "queued")}
    assert sent_tasks == [("articles.tasks.article_fetch_task", {"fetch_id": f.pk}) for f in queued]
    web.serve("/feed.xml", rss(web.url("/b"), web.url("/c")), content_type="text/xml")
    assert feed_poll(feed_id=feed.pk) == 1
    feed.refresh_from_db()
    assert Fetch.objects.count() == 3 and feed.last_polled_at and feed.last_error == ""


def test_two_links_to_the_same_story_make_one_article(web: LocalWeb, feed, private_ok, sent_tasks):
    web.serve("/feed.xml", rss(web.url("/a"), web.url("/amp/a")), content_type="application/rss+xml")
    web.serve("/a", story_page().encode())
    web.serve("/amp/a", story_page().encode())
    feed_poll(feed_id=feed.pk)
    for fetch in Fetch.objects.order_by("pk"):
        fetch_run(fetch_id=fetch.pk)
    first, second = Fetch.objects.order_by("pk")
    assert Article.objects.count() == 1
    assert (first.duplicate, second.duplicate, first.article, second.article) == (False, True, second.article, first.article)


def test_a_link_too_long_to_store_is_left_out(web: LocalWeb, feed, private_ok, sent_tasks):
    web.serve("/feed.xml", rss(web.url("/" + "a" * 1000), web.url("/b")), content_type="application/rss+xml")
    assert feed_poll(feed_id=feed.pk) == 1
    assert Fetch.objects.get().url == web.url("/b")


def test_a_feed_deleted_before_its_poll_is_skipped(db):
    assert feed_poll(feed_id=424242) == 0


def test_a_link_already_saved_as_an_article_is_not_fetched_again(web: LocalWeb, feed, negotiation, private_ok, sent_tasks):
    Article.objects.create(negotiation=negotiation, body="Words.", content_hash="h", url=web.url("/a"))
    web.serve("/feed.xml", rss(web.url("/a")), content_type="application/rss+xml")
    assert feed_poll(feed_id=feed.pk) == 0
    assert not Fetch.objects.exists()


def test_the_feed_is_refused_on_a_private_address_when_the_setting_is_off(web: LocalWeb, feed, settings, sent_tasks):
    settings.PARLEY_FETCH_ALLOW_PRIVATE = False
    web.serve("/feed.xml", rss("https://courier.example/a"), content_type="application/rss+xml")
    assert feed_poll(feed_id=feed.pk) == 0
    feed.refresh_from_db()
    assert "loopback address; Parley only fetches public web addresses" in feed.last_error
    assert web.requests == [] and not Fetch.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<html><body><p>A page</p></body></html>", "text/html", "Parley can fetch RSS and Atom feeds here"),
        (b"just some words, not xml", "text/plain", "This is not an RSS or Atom feed"),
        (b"", "application/rss+xml", "This is not an RSS or Atom feed"),
    ],
)
def test_something_that_is_not_a_feed_is_recorded_as_its_error(web: LocalWeb, feed, private_ok, sent_tasks, body, content_type, message):
    web.serve("/feed.xml", body, content_type=content_type)
    assert feed_poll(feed_id=feed.pk) == 0
    feed.refresh_from_db()
    assert message in feed.last_error and feed.last_polled_at is not None


def test_a_feed_that_is_down_is_recorded_and_read_again_next_time(web: LocalWeb, feed, private_ok, sent_tasks):
    web.serve("/feed.xml", b"", status=502)
    assert feed_poll(feed_id=feed.pk) == 0
    feed.refresh_from_db()
    assert "HTTP 502" in feed.last_error
    web.serve("/feed.xml", rss(web.url("/a")), content_type="application/rss+xml")
    assert feed_poll(feed_id=feed.pk) == 1
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_beat_polls_only_the_active_feeds(negotiation, sent_tasks, django_capture_on_commit_callbacks):
    active = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    Feed.objects.create(url="https://paused.example/rss", negotiation=negotiation, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert feeds_poll() == 1
    assert sent_tasks == [("articles.tasks.feed_poll_task", {"feed_id": active.pk})]


def test_beat_runs_the_poll_task_on_the_configured_interval():
    entry = django_settings.CELERY_BEAT_SCHEDULE["poll-feeds"]
    assert entry["task"] == "articles.tasks.feeds_poll_task"
    assert entry["schedule"] == 900


def test_the_tasks_call_their_services(db):
    with mock.patch("articles.tasks.feeds_poll", return_value=2) as poll_all:
        assert feeds_poll_task() == 2
    with mock.patch("articles.tasks.feed_poll", return_value=3) as poll_one:
        assert feed_poll_task(feed_id=5) == 3
    poll_all.assert_called_once_with()
    poll_one.assert_called_once_with(feed_id=5)


def test_a_new_feed_is_read_once_right_away(negotiation, editor, django_capture_on_commit_callbacks, sent_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        feed = feed_create(url="https://courier.example/rss", negotiation=negotiation, created_by=editor)
    assert sent_tasks == [("articles.tasks.feed_poll_task", {"feed_id": feed.pk})]


# --- the feeds page -----------------------------------------------------------------------


def test_the_page_lists_feeds_with_their_state(editor_client, negotiation):
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation, last_error="HTTP 502 <b>")
    Fetch.objects.create(url="https://courier.example/a", negotiation=negotiation, feed=feed, status="done")
    Fetch.objects.create(url="https://courier.example/b", negotiation=negotiation, feed=feed, status="failed")
    response = editor_client.get(reverse("articles:feeds"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "https://courier.example/rss" in html and "HTTP 502 &lt;b&gt;" in html
    assert "1 fetched, 1 failed" in html and "Pause" in html


def test_htmx_gets_only_the_feed_table(editor_client, negotiation):
    Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    response = editor_client.get(reverse("articles:feeds"), headers=htmx("feed-table"))
    html = response.content.decode()
    assert html.lstrip().startswith('<table class="grid" id="feed-table">') and "<html" not in html


@pytest.mark.parametrize("size", [1, 10])
def test_the_page_runs_a_fixed_number_of_queries(editor_client, negotiation, django_assert_num_queries, size):
    for n in range(size):
        Feed.objects.create(url=f"https://courier.example/{n}.xml", negotiation=negotiation)
    editor_client.get(reverse("articles:feeds"))
    # 1 session, 2 user, 3 groups, 4 the form's default negotiation, 5 feeds with their
    # negotiation and counts, 6 and 7 the negotiation choices, which rendering the select reads twice.
    with django_assert_num_queries(7):
        editor_client.get(reverse("articles:feeds"))


def test_adding_a_feed_saves_it_and_reads_it(editor_client, editor, negotiation, django_capture_on_commit_callbacks, sent_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("articles:feeds"), {"negotiation": negotiation.pk, "url": "https://courier.example/rss"}
        )
    feed = Feed.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("articles:feeds")
    assert (feed.url, feed.active, feed.created_by) == ("https://courier.example/rss", True, editor)
    assert sent_tasks == [("articles.tasks.feed_poll_task", {"feed_id": feed.pk})]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "This field is required"),
        ("not a url", "Enter a valid URL"),
        ("ftp://courier.example/rss", "Only http:// and https://"),
        ("https://courier.example/rss", "Parley already follows this feed"),
    ],
)
def test_a_bad_feed_url_is_refused(editor_client, negotiation, url, message):
    Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    response = editor_client.post(reverse("articles:feeds"), {"negotiation": negotiation.pk, "url": url})
    assert response.status_code == 422 and message in response.content.decode()
    assert Feed.objects.count() == 1


def test_pausing_and_resuming_a_feed(editor_client, negotiation):
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    url = reverse("articles:feed_active", args=[feed.pk])
    response = editor_client.post(url, {})
    feed.refresh_from_db()
    assert response.status_code == 302 and feed.active is False
    response = editor_client.post(url, {"active": "on"}, headers=htmx(f"feed-{feed.pk}"))
    feed.refresh_from_db()
    html = response.content.decode()
    assert feed.active is True
    assert html.lstrip().startswith(f'<tr id="feed-{feed.pk}">') and "Pause" in html and "<html" not in html


def test_read_now_enqueues_a_poll(editor_client, negotiation, django_capture_on_commit_callbacks, sent_tasks):
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("articles:feed_poll", args=[feed.pk]))
    assert response.status_code == 302
    assert sent_tasks == [("articles.tasks.feed_poll_task", {"feed_id": feed.pk})]


def test_unknown_feeds_are_404(editor_client, db):
    assert editor_client.post(reverse("articles:feed_active", args=[999])).status_code == 404
    assert editor_client.post(reverse("articles:feed_poll", args=[999])).status_code == 404


def test_feed_actions_answer_get_with_405(editor_client, negotiation):
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    for name in ("articles:feed_active", "articles:feed_poll"):
        assert editor_client.get(reverse(name, args=[feed.pk])).status_code == 405


def _feed_requests(feed: Feed, negotiation) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("get", reverse("articles:feeds"), {}),
        ("post", reverse("articles:feeds"), {"negotiation": negotiation.pk, "url": "https://x.example/rss"}),
        ("post", reverse("articles:feed_active", args=[feed.pk]), {}),
        ("post", reverse("articles:feed_poll", args=[feed.pk]), {}),
    ]


def test_anonymous_visitors_are_sent_to_login(negotiation):
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    for method, url, data in _feed_requests(feed, negotiation):
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider_client", "researcher_client"])
def test_users_who_are_not_editors_are_refused(request, negotiation, who):
    client = request.getfixturevalue(who)
    feed = Feed.objects.create(url="https://courier.example/rss", negotiation=negotiation)
    for method, url, data in _feed_requests(feed, negotiation):
        assert getattr(client, method)(url, data).status_code == 403
    feed.refresh_from_db()
    assert feed.active and Feed.objects.count() == 1


def test_a_poll_takes_at_most_the_set_number_of_new_links_and_the_rest_next_time(
    web: LocalWeb, feed, private_ok, sent_tasks, settings
):
    settings.PARLEY_FEED_MAX_ITEMS = 3
    links = [web.url(f"/s{n}") for n in range(7)]
    web.serve("/feed.xml", rss(*links), content_type="application/rss+xml")
    assert feed_poll(feed_id=feed.pk) == 3
    assert feed_poll(feed_id=feed.pk) == 3
    assert feed_poll(feed_id=feed.pk) == 1
    assert sorted(Fetch.objects.values_list("url", flat=True)) == sorted(links)


def test_links_that_are_not_http_are_left_out(web: LocalWeb, feed, private_ok, sent_tasks):
    web.serve(
        "/feed.xml", rss("javascript:alert(1)", "data:text/html,x", web.url("/ok")),
        content_type="application/rss+xml",
    )
    assert feed_poll(feed_id=feed.pk) == 1
    assert list(Fetch.objects.values_list("url", flat=True)) == [web.url("/ok")]
