"""The outlet an article names, and the metadata editors correct on articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from positions.history import as_change
from positions.models import Article, Outlet, Statement
from positions.services.review import save_with_history, statements_redate
from positions.text import MAX_OUTLET, safe_line


def outlet_for(name: str, url: str = "") -> Outlet | None:
    """The outlet known by this name, an alias or the URL's domain, created on first sight."""
    try:
        domain = (urlsplit(url).hostname or "").removeprefix("www.")[:MAX_OUTLET] if url else ""
    except ValueError:  # a malformed link (a bad port, brackets) names no domain
        domain = ""
    name = safe_line(name)[:MAX_OUTLET]
    if not name and not domain:
        return None
    if name and (outlet := Outlet.objects.filter(name__iexact=name).first()):
        return outlet
    # Aliases and domains are short JSON lists on a small table: match them in Python,
    # which works the same on SQLite and PostgreSQL.
    wanted = name.casefold()
    for outlet in Outlet.objects.only("name", "aliases", "domains"):
        if (wanted and wanted in (alias.casefold() for alias in outlet.aliases)) or (
            domain and domain in outlet.domains
        ):
            return outlet
    outlet, _ = Outlet.objects.get_or_create(
        name=name or domain, defaults={"domains": [domain] if domain else []}
    )
    return outlet


# --- Article metadata an editor corrects --------------------------------------------------


class ArticleConflict(Exception):
    """The article's metadata changed since the editor's form was read."""


@dataclass(frozen=True)
class ArticleMetadata:
    """The fields of an article an editor may correct."""

    title: str
    outlet: str
    url: str
    published_on: date | None


@dataclass(frozen=True)
class MetadataUpdate:
    article: Any
    changed: list[str]
    redated: int
    undated: int


def article_seen(article: Any) -> int:
    """The token an edit form carries: the article's latest history row (0 before any)."""
    return article.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def _redate_from_publication(article: Any, user: User) -> int:
    """Statements dated by the article's publication take the new date, with history."""
    statements = list(
        Statement.objects.select_for_update()
        .filter(article=article, date_basis=Statement.DateBasis.PUBLICATION)
        .exclude(stated_on=article.published_on).order_by("pk")
    )
    if not statements:
        return 0
    for statement in statements:
        statement.stated_on = article.published_on
        statement.article = article
        statement.set_effective_on()
        statement.version += 1
    when = article.published_on.isoformat() if article.published_on else "no date"
    save_with_history(statements, ["stated_on", "effective_on", "version"], user=user,
                      reason=f"re-dated: the article's publication date is now {when}",
                      at=timezone.now())
    return len(statements)


@transaction.atomic
def article_update_metadata(
    *, article_id: int, seen: int, user: User, metadata: ArticleMetadata
) -> MetadataUpdate:
    """Correct an article's title, outlet, URL and publication date, with history.

    Nothing is written when nothing changed. A new publication date re-dates the statements
    that took their date from it and moves the undated ones' "as of" date; the counts say
    how many. ``seen`` is ``article_seen`` when the form was read: anything saved since is
    a conflict (``ArticleConflict``), as for statements.
    """
    article = Article.objects.select_for_update().get(pk=article_id)
    if article_seen(article) != seen:
        raise ArticleConflict(f"Article {article_id} changed since it was read.")
    outlet_name = metadata.outlet.strip()
    current_outlet = article.outlet.name if article.outlet else ""
    if outlet_name == current_outlet:
        outlet_id = article.outlet_id
    else:
        outlet = outlet_for(outlet_name) if outlet_name else None
        outlet_id = outlet.pk if outlet else None
    fields = {"title": metadata.title.strip(), "outlet_id": outlet_id, "url": metadata.url.strip(),
              "published_on": metadata.published_on}
    changed = [name.removesuffix("_id") for name, value in fields.items()
               if getattr(article, name) != value]
    if not changed:
        return MetadataUpdate(article=article, changed=[], redated=0, undated=0)
    for name, value in fields.items():
        setattr(article, name, value)
    as_change(article, user=user, reason="metadata corrected: " + ", ".join(changed))
    article.save(update_fields=[name for name in fields])
    redated = undated = 0
    if "published_on" in changed:
        redated = _redate_from_publication(article, user)
        undated = statements_redate(article_id=article.pk, user=user)
    return MetadataUpdate(article=article, changed=changed, redated=redated, undated=undated)
