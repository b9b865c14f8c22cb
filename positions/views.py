from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from positions.access import reader_required


@require_GET
@reader_required
def side_by_side(request: HttpRequest) -> HttpResponse:
    return render(request, "positions/side_by_side.html", {})
