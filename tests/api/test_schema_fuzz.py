"""The schema fuzzer: schemathesis generates requests for every operation of the schema and runs every
check it has (server errors, status codes, content types, headers, response schemas, rejection of
invalid and acceptance of valid input, unsupported methods) through the WSGI app, inside the test
database. The schema is the one /api/schema/ serves (checked below); a bounded, derandomized number
of examples per operation keeps the run short and the same on every run."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CHECKS

from jipp.wsgi import application


def _live_schema():
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_live_schema())
schema.app = application


@pytest.fixture
def fuzz_world(open_world, unthrottled, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # As Django's test client does: the WSGI handler must not close the test's database connection
    # (and its transaction) at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield open_world
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_fuzzed_schema_is_the_served_one(client):
    assert client.get("/api/schema/?format=json").json() == _live_schema()


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_every_operation_keeps_its_contract(case, fuzz_world):
    checks = CHECKS.get_all()
    if (case.query or {}).get("cursor"):
        # A cursor is opaque: a string of the right type that names no position is a 400 by design,
        # so "valid input is accepted" cannot hold for made-up cursors (every other check still runs).
        checks = [check for check in checks if check.__name__ != "positive_data_acceptance"]
    # identity: the in-process WSGI transport does not decompress the gzip that public responses get.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=checks)
