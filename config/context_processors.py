"""The main navigation, by role: every page shows the same links to the same user."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from positions.access import is_editor, is_reader

EDITOR_LINKS = (
    ("Articles", "articles:list"),
    ("Review queue", "articles:queue"),
    ("Upload", "articles:upload"),
    ("Feeds", "articles:feeds"),
    ("Proposals", "positions:proposal_list"),
)
READER_LINKS = (("Search", "positions:search"),)


def navigation(request: HttpRequest) -> dict[str, list[dict[str, str]]]:
    user = getattr(request, "user", None)
    if user is None or not is_reader(user):
        return {"nav_links": []}
    names = (EDITOR_LINKS if is_editor(user) else ()) + READER_LINKS
    return {"nav_links": [{"label": label, "url": reverse(name)} for label, name in names]}
