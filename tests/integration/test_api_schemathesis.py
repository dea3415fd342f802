"""Schemathesis against the live server's /openapi.json: generated requests for every operation,
valid and invalid, must never get a 5xx — and background jobs they start must never die with an
internal error. Bounded (a few examples per operation) so it runs in well under three minutes."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from hippo.interfaces.api import create_app
from hippo.memory import Memory
from hippo.types import Document
from tests.support.live_server import LiveServer

KEY = "fuzz-key-0123456789"
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
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
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
                case.validate_response(response, checks=[not_a_server_error])

            try:
                check()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # e.g. GET /health: nothing to get wrong
    assert len(calls) == len(operations) and sum(calls.values()) >= 10 * len(operations), calls
    hub = server.app.state.hub
    assert hub.service.jobs.wait_idle(timeout=120), "background jobs did not finish"
    failed = [j for j in (hub.service.jobs.get(i) for i in list(hub.service.jobs._jobs)) if j and j["status"] == "failed"]
    assert not [j for j in failed if j["error"].startswith("internal error")], failed
    assert time.monotonic() - started < 180
