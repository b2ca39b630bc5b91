"""Schemathesis against the OpenAPI document the portal serves: for each operation, requests
generated from the document (valid and invalid parameters) go to the WSGI application; every
answer must be a documented status with a documented body — never a server error — and invalid
parameters must be refused. Left out: « a schema-valid request is accepted », since a well-formed
code can name no commune (400 « commune inconnue »), which no schema can say."""

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 400


@pytest.fixture
def connection_kept_between_requests():
    """As Django's test client does: the WSGI handler would close the test's database connection
    (and its transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_keeps_its_documented_contract(connection_kept_between_requests):
    ServiceFactory.create_batch(3)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 3
    requests_sent = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )  # fmt: skip
        def keeps_the_contract(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])
            requests_sent.append(case)

        keeps_the_contract()
    assert len(requests_sent) >= 3 * EXAMPLES_PER_OPERATION * 0.9
