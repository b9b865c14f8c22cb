"""`manage.py create_api_token USERNAME NAME`: a token for the read-only API, printed once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from positions.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a researcher or editor and print it (it is not stored)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'weekly report script'.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            _, secret = api_token_create(username=options["username"], name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(secret)
        self.stderr.write(
            "Shown once: Parley keeps only its hash. Send it as 'Authorization: Bearer <token>'."
        )
