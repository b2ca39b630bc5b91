"""Schemathesis against the OpenAPI document the portal serves: for each operation, requests
generated from the document (valid and invalid parameters) go to the WSGI application; every
answer must be a documented status with a documented body — never a server error — and invalid
parameters must be refused. Left out: « a schema-valid request is accepted », since a well-formed
code can name no commune (400 « commune inconnue »), which no schema can say."""

from django.core.wsgi import get_wsgi_application

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 400


def test_every_operation_keeps_its_documented_contract():
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
