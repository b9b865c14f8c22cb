"""Site-wide views: the overview page and the health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from positions.access import is_editor, public, reader_required
from positions.models import Article, Negotiation, Statement
from positions.selectors import negotiation_overviews


@require_GET
@reader_required
def home(request: HttpRequest) -> HttpResponse:
    negotiations = Negotiation.objects.prefetch_related("participation_set__actor")
    counts = Statement.objects.aggregate(
        approved=Count("pk", filter=Q(status=Statement.Status.APPROVED)),
        drafts=Count("pk", filter=Q(status=Statement.Status.DRAFT)),
    )
    recent = Article.objects.select_related("outlet")[:8] if is_editor(request.user) else []
    overviews = negotiation_overviews(negotiations=list(negotiations), today=timezone.localdate())
    return render(
        request, "home.html",
        {"overviews": overviews, "counts": counts, "recent_articles": recent},
    )


def _broker_ok() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True  # the embedded setup has no broker
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


@never_cache
@require_GET
@public
def health(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable: 200, else 503 (for load balancers and compose)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = True
    except Exception:
        database = False
    broker = _broker_ok()
    status = 200 if database and broker else 503
    return JsonResponse({"database": database, "broker": broker}, status=status)
