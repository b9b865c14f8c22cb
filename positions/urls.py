from django.http import HttpRequest, HttpResponse
from django.urls import path

from positions import proposal_views, views
from positions.access import reader_required


@reader_required
def _proposal_placeholder(request: HttpRequest, pk: int) -> HttpResponse:
    """PLACEHOLDER until helper "pages" builds the proposal's page (the merger drops it)."""
    return HttpResponse(
        f'<!doctype html><html lang="en"><title>Proposal {pk}</title>'
        f"<main><h1>Proposal {pk}</h1></main></html>"
    )


app_name = "positions"

urlpatterns = [
    path("actors/<int:pk>/", views.timeline, name="timeline"),
    path("negotiations/<slug:slug>/", views.side_by_side, name="side_by_side"),
    path("negotiations/<slug:slug>/changes/", views.changes, name="changes"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("proposals/<int:pk>/", _proposal_placeholder, name="proposal"),  # PLACEHOLDER
    path("search/", views.search, name="search"),
    path("search/counts/", views.search_counts, name="search_counts"),
    path("export/", views.export, name="export"),
    path("cite/version/", views.cite_version, name="data_version"),
    # The editor's proposal pages; the read page /proposals/<pk>/ is the research side's.
    path("proposals/", proposal_views.proposal_list, name="proposal_list"),
    path("proposals/new/", proposal_views.proposal_new, name="proposal_new"),
    path("proposals/clause-row/", proposal_views.proposal_clause_row, name="proposal_clause_row"),
    path("proposals/<int:pk>/edit/", proposal_views.proposal_edit, name="proposal_edit"),
]
