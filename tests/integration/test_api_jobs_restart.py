"""API job records live in the store: a job can be polled after `hippo serve` restarts (a new app,
a new job runner, the same store), on SQLite and Neo4j; a job cut off by the restart reads as
failed, not as running forever; a job of a namespace the key may not use is a 404, like a missing
one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hippo.interfaces.api import create_app
from hippo.memory import Memory
from hippo.service.jobs import INTERRUPTED
from tests.conftest import neo4j_target_from_env
from tests.support.live_server import LiveServer, wait_for_job

ADMIN_KEY, SCOPED_KEY = "admin-key-0123456789", "scoped-key-0123456789"


def _memory(backend: str, tmp: Path) -> Memory:
    if backend == "sqlite":
        return Memory(store=f"sqlite:///{tmp / 'jobs.db'}", cache_dir=str(tmp / "cache"))
    target = neo4j_target_from_env()
    if target is None:
        pytest.skip("HIPPO_TEST_NEO4J_URI is not set")
    return Memory(store=target.uri, neo4j_user=target.user, neo4j_password=target.password, cache_dir=str(tmp / "cache"))


@pytest.fixture(params=["sqlite", "neo4j"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    ns = f"jobs-{uuid.uuid4().hex[:8]}"
    yield request.param, tmp_path, ns
    with _memory(request.param, tmp_path) as memory:
        memory.store.drop_namespace(ns)


def _serve(memory: Memory, ns: str) -> LiveServer:
    keys = json.dumps([ADMIN_KEY, {"key": SCOPED_KEY, "namespaces": ["elsewhere"]}])
    return LiveServer(create_app(memory.settings.replace(api_keys=keys), memory))


def test_a_job_outlives_a_restart_of_the_server(backend: tuple[str, Path, str]) -> None:
    name, tmp, ns = backend
    admin = {"X-API-Key": ADMIN_KEY}
    with _memory(name, tmp) as memory, _serve(memory, ns) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        accepted = c.put(f"/v1/namespaces/{ns}/documents/vell", json={"text": "Odo Brask sailed to Vell."}, headers=admin)
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["job_id"]
        before = wait_for_job(c, job_id, admin)
        assert before["status"] == "succeeded", before
        # a record the previous process left queued: its job never ran to the end
        cut_off = uuid.uuid4().hex
        memory.store.save_job(cut_off, ns, json.dumps({**before, "job_id": cut_off, "status": "running",
                                                       "result": None, "finished": None}))

    with _memory(name, tmp) as memory, _serve(memory, ns) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        after = c.get(f"/v1/jobs/{job_id}", headers=admin)
        assert after.status_code == 200 and after.json() == before
        interrupted = c.get(f"/v1/jobs/{cut_off}", headers=admin).json()
        assert interrupted["status"] == "failed" and interrupted["error"] == INTERRUPTED
        # another namespace's job is as missing as a job that never was, for a scoped key
        for url in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/output"):
            hidden = c.get(url, headers={"X-API-Key": SCOPED_KEY})
            assert hidden.status_code == 404 and hidden.json()["detail"] == f"no job {job_id!r}", hidden.text
