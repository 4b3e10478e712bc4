"""The API against its own description: schemathesis generates requests from /openapi.json for
every operation and checks that none gets a 500 and that every answer matches the documented
schema. Bounded: a few examples per operation, derandomised, each request under a deadline.

One built-in check is left out: "a schema-valid request is accepted". A history can be valid
field by field and still contradict itself (a newborn without a birth date, a payment date
outside the year): that is the documented 400 with the engine's sentence, not a fault.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.conversation.store import MemoryStore
from bot.http.app import create_app
from tests.http.conftest import ROOMY

# the ASGI client calls itself "testserver": a host name allowed here only
app = create_app(MemoryStore(), ROOMY.model_copy(update={"allowed_hosts": ["localhost", "testserver"]}))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
# a body over the cap is refused with 413 before it is parsed: a rejection like 422
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


@schema.parametrize()
@settings(max_examples=15, deadline=5000, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_and_never_500(case):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
