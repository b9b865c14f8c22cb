"""The list of articles, with their status and drafts to review."""

from __future__ import annotations

from django.urls import reverse


def test_lists_articles_with_links_and_draft_counts(editor_client, draft):  # type: ignore[no-untyped-def]
    html = editor_client.get(reverse("articles:list")).content.decode()
    assert "Truce talks" in html and "1 to review" in html
    assert reverse("articles:upload") in html
