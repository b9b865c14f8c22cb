"""Uploading a file as an editor and letting the worker read it, as the tests need it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Fetch
from articles.services import fetch_run
from positions.models import Negotiation


@dataclass
class Landed:
    """What the editor sees: ``status`` of the upload's answer (302, or 422 for a refusal in
    the form), and ``page``: the form with its errors, or the upload's page once read."""

    status: int
    page: str
    fetch: Fetch | None


def upload_read(client: Client, negotiation: Negotiation, name: str, data: bytes, **fields: object) -> Landed:
    """Post the file, run the worker's reading of it (as the task does), and follow the
    redirect to the upload's page."""
    upload = SimpleUploadedFile(name, data)
    response = client.post(
        reverse("articles:upload"), {"negotiation": negotiation.pk, "file": upload, **fields}
    )
    if response.status_code != 302:
        return Landed(response.status_code, response.content.decode(), None)
    fetch = Fetch.objects.latest("pk")
    assert response["Location"] == reverse("articles:fetch", args=[fetch.pk])
    fetch_run(fetch_id=fetch.pk)
    fetch.refresh_from_db()
    return Landed(302, client.get(response["Location"]).content.decode(), fetch)
