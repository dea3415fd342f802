"""Schemathesis against the live server's /openapi.json with every check it has: generated
requests for every operation, valid and invalid, must never get a 5xx, must get only the status
codes, headers, content types and bodies the document declares, valid data must be accepted and
invalid data rejected, and a missing key must give 401 — and background jobs they start must never
die with an internal error. Bounded (a few examples per operation) so it runs in a few minutes."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response

from hippo.interfaces.api import create_app
from hippo.memory import Memory
from hippo.types import Document
from tests.support.live_server import LiveServer

KEY = "fuzz-key-0123456789"
# schema-valid requests the server may still refuse with 422: the request is well formed but cannot
# be acted on (no LLM configured here for recognition_filter, no facts to synthesise from, both
# entity and passage given, a whitespace-only query). Such a 422 has no "errors" list;
# schema_valid_data_passes_request_validation below fails any 422 that has one.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
# a schema-violating body that is also too large is refused by size first (413), before it is read
NEGATIVE_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES},
    "negative_data_rejection": {"expected-statuses": NEGATIVE_STATUSES},
}})


@schemathesis.check
def schema_valid_data_passes_request_validation(ctx: CheckContext, response: Response, case: schemathesis.Case) -> bool | None:
    """What the OpenAPI document allows, the request validation must accept: a positive case that
    gets the field-by-field 422 means the document and the server disagree."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = response.json()
    if body.get("errors"):
        raise AssertionError(f"schema-valid request failed request validation: {body['detail']}")
    return None
HEADERS = {"Authorization": f"Bearer {KEY}"}
EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Memory]]:
    tmp = tmp_path_factory.mktemp("fuzz")
    memory = Memory(store=f"sqlite:///{tmp / 'fuzz.db'}", namespace="default", cache_dir=str(tmp / "cache"),
                    api_keys=KEY, api_max_body_bytes=100_000)
    memory.add_documents([
        Document("a", "Harbour", "Ilsa Varn painted the Harbour Gate mural in Quellport."),
        Document("b", "Quellport", "Quellport is a fishing town on the coast of Aldmere."),
    ])
    app = create_app(memory=memory)
    with LiveServer(app) as server:
        yield server, memory
    memory.close()


def test_no_generated_request_gets_a_server_error(live: tuple[LiveServer, Memory]) -> None:
    server, _memory = live
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    started = time.monotonic()
    calls: dict[str, int] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers=HEADERS)

            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def check(case: schemathesis.Case) -> None:
                response = case.call(base_url=server.url, headers=HEADERS, timeout=60)
                # check() runs within this iteration, so the loop variable is the current one
                calls[operation.label] = calls.get(operation.label, 0) + 1  # noqa: B023
                case.validate_response(response, headers=HEADERS)  # every check schemathesis has

            try:
                check()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # e.g. GET /health: nothing to get wrong
    assert len(calls) == len(operations) and sum(calls.values()) >= 10 * len(operations), calls
    print(f"schemathesis: {sum(calls.values())} cases over {len(operations)} operations, every check, 0 failures")
    hub = server.app.state.hub
    assert hub.service.jobs.wait_idle(timeout=120), "background jobs did not finish"
    failed = [j for j in (hub.service.jobs.get(i) for i in list(hub.service.jobs._jobs)) if j and j["status"] == "failed"]
    assert not [j for j in failed if j["error"].startswith("internal error")], failed
    assert time.monotonic() - started < 180
