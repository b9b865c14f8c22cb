"""Undo as a history per page, kept in the editor's session.

Each page where editors act (an article's review, which its statements' pages share; the
queue; a hand entry's page) keeps its own last actions, several levels deep. An entry
lists (statement id, version the action made, version to go back to). Undoing one makes
new versions; the earlier entries that pointed at the version it went back to then point
at the new one, so the next undo on that page finds the statement as it left it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

UNDO_KEY = "parley_undo"
LEVELS = 10  # per page
PAGES = 20  # the pages an editor worked on most recently
PAGE_KEY = re.compile(r"^(queue|article-\d+|statement-\d+)$")


@dataclass(frozen=True)
class UndoOffer:
    """What the undo bar offers: the last action on a page and how many more there are."""

    page: str
    page_label: str
    label: str
    levels: int


@dataclass(frozen=True)
class UndoEntry:
    page: str
    label: str
    items: list[tuple[int, int, int]]


def page_of(statement: Any) -> tuple[str, str]:
    """The page a statement's actions belong to, and its name for the undo bar."""
    if statement.article_id:
        title = statement.article.title or "untitled article"
        return f"article-{statement.article_id}", f"the review of “{title}”"
    return f"statement-{statement.pk}", f"statement #{statement.pk}"


def _pages(session: Any) -> dict[str, Any]:
    data = session.get(UNDO_KEY)
    if not isinstance(data, dict) or "pages" not in data:
        data = {"seq": 0, "pages": {}}  # nothing yet, or an older one-level entry
    return data


def remember(
    session: Any, *, page: str, page_label: str, label: str, items: list[tuple[int, int]]
) -> None:
    """Add an action (its (id, version made) pairs) on top of the page's history."""
    data = _pages(session)
    data["seq"] += 1
    history = data["pages"].setdefault(page, {"label": page_label, "entries": []})
    history["label"] = page_label
    history["entries"].append({
        "label": label, "seq": data["seq"],
        "items": [[pk, version, version - 1] for pk, version in items],
    })
    del history["entries"][:-LEVELS]
    newest = sorted(data["pages"], key=lambda key: -_last_seq(data["pages"][key]))
    data["pages"] = {key: data["pages"][key] for key in newest[:PAGES]}
    session[UNDO_KEY] = data


def _last_seq(history: dict[str, Any]) -> int:
    return history["entries"][-1]["seq"] if history["entries"] else 0


def _latest_page(data: dict[str, Any]) -> str | None:
    pages = [key for key, history in data["pages"].items() if history["entries"]]
    return max(pages, key=lambda key: _last_seq(data["pages"][key])) if pages else None


def offer(session: Any, page: str | None) -> UndoOffer | None:
    """The undo a page offers (None: nothing to undo there)."""
    data = _pages(session)
    history = data["pages"].get(page or "")
    if not history or not history["entries"]:
        return None
    return UndoOffer(page=page or "", page_label=history["label"],
                     label=history["entries"][-1]["label"], levels=len(history["entries"]))


def pop(session: Any, page: str | None) -> UndoEntry | None:
    """Take the page's last action off its history (no page: the latest of any page)."""
    data = _pages(session)
    page = page if page and page in data["pages"] else _latest_page(data)
    if page is None or not data["pages"][page]["entries"]:
        return None
    entry = data["pages"][page]["entries"].pop()
    session[UNDO_KEY] = data
    items = [(int(pk), int(made), int(to)) for pk, made, to in entry["items"]]
    return UndoEntry(page=page, label=entry["label"], items=items)


def renumber(session: Any, entry: UndoEntry, restored: dict[int, int]) -> None:
    """After ``entry`` was undone (``restored``: id -> its new version), earlier actions
    that made the version it went back to now start from the new version."""
    back_to = {pk: to for pk, _, to in entry.items if pk in restored}
    data = _pages(session)
    for history in data["pages"].values():
        for earlier in history["entries"]:
            for item in earlier["items"]:
                if back_to.get(item[0]) == item[1]:
                    item[1] = restored[item[0]]
    session[UNDO_KEY] = data
