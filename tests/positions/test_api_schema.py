"""The API against its own OpenAPI schema (schemathesis): no 5xx, every response as documented.

The schema is loaded from the app itself (WSGI, no server). Each operation gets a bounded
number of generated requests, signed with a researcher's token, over a small world with
statements so the responses carry data.
"""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application
from positions.tokens import api_token_create
from tests.factories import ClauseFactory, ProposalFactory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the connection after each request; Django's test client
    stops it the same way, or the test's transaction would be lost."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(researcher, negotiation, actors, issues, make_statement) -> str:
    north = actors["Northland"]
    plan = ProposalFactory.create(negotiation=negotiation, proposed_by=[actors["Mediatia"]])
    clause = ClauseFactory.create(proposal=plan, issue=issues["hostages"])
    make_statement(actor=north, issues=[issues["hostages"]], outlet="Reuters",
                   proposal=plan, clauses=[clause], stance="accept")
    make_statement(actor=north, issues=[issues["ceasefire/permanent"]], stance="reject",
                   stated_on=None, published_on=date(2024, 2, 1))
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], stance="accept")
    return api_token_create(username=researcher.username, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, api_token: str):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=CHECKS)
