"""Property-based tests of the API against its own OpenAPI schema (schemathesis, in-process through WSGI).

Every operation gets generated requests, valid and invalid, sent with the demo admin's token; each answer
must not be a server error, must use a status code the schema documents, and must match the schema's
response body for that code. Bounded to a few examples per operation so the module runs in seconds.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS

from api.services import token_create

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECK_NAMES = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance"]


@pytest.fixture
def token_headers(django_user_model):
    _, key = token_create(user=django_user_model.objects.get(username="demo"), name="schemathesis")
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(autouse=True)
def keep_the_test_transaction():
    """Django's WSGI handler closes "old" connections around each request, which would close the test's open
    transaction; the test client disconnects the same signals for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_operation_answers_as_its_schema_says(case, token_headers):
    checks = [CHECKS.get_by_names([name])[0] for name in CHECK_NAMES]
    case.call_and_validate(headers=token_headers, checks=checks)
