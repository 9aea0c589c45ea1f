"""The schema fuzzer: schemathesis generates requests for every operation of the schema and runs every
check it has (server errors, status codes, content types, headers, response schemas, rejection of
invalid and acceptance of valid input, unsupported methods) through the WSGI app, inside the test
database. The schema is the one /api/schema/ serves (checked below); a bounded, derandomized number
of examples per operation keeps the run short and the same on every run."""

import json

import pytest
import schemathesis
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
    return open_world


def test_the_fuzzed_schema_is_the_served_one(client):
    assert client.get("/api/schema/?format=json").json() == _live_schema()


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, fuzz_world):
    # identity: the in-process WSGI transport does not decompress the gzip that public responses get.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS.get_all())
