"""The service on a real SQLite store: scopes, the namespace lock shared by jobs and immediate
writes, and job records only the namespace's keys may read."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hippo.errors import Forbidden, NamespaceBusy, NotFound, UserError
from hippo.index.extract.base import Progress
from hippo.memory import Memory
from hippo.service.core import Service
from hippo.service.keys import ApiKey


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service(Memory(store=f"sqlite:///{tmp_path / 'hippo.db'}"), owns_memory=True, write_wait_seconds=0.2)
    yield svc
    svc.close()


def test_namespace_defaults_to_the_memorys_and_obeys_key_scopes(service: Service) -> None:
    assert service.namespace(None) == service.memory.namespace
    reader = ApiKey("k", frozenset({"docs"}))
    assert service.namespace("docs", reader) == "docs"
    with pytest.raises(Forbidden, match="may not use namespace 'notes'"):
        service.namespace("notes", reader)
    with pytest.raises(UserError, match="a namespace is 1-64 letters or digits"):
        service.namespace("no spaces")


def test_an_immediate_write_waits_for_a_job_on_its_namespace_then_says_busy(service: Service) -> None:
    started, release = threading.Event(), threading.Event()

    def long_job(progress: Progress) -> dict[str, Any]:
        started.set()
        release.wait(10)
        return {}

    service.jobs.submit("index", "docs", long_job)
    assert started.wait(10)
    with pytest.raises(NamespaceBusy, match="namespace docs is busy"):
        service.delete("docs", ["d1"])
    assert service.delete("other", ["d1"]) == 0  # other namespaces are not held up
    release.set()
    assert service.jobs.wait_idle(10)
    assert service.delete("docs", ["d1"]) == 0


def test_a_job_is_visible_only_within_its_keys_scope(service: Service) -> None:
    job = service.jobs.submit("index", "docs", lambda progress: {"ok": True})
    assert service.jobs.wait_idle(10)
    assert service.job(job.id)["result"] == {"ok": True}
    with pytest.raises(NotFound, match="no job"):  # another namespace's job is as good as missing
        service.job(job.id, ApiKey("k", frozenset({"notes"})))
    with pytest.raises(NotFound, match="no job"):
        service.job("0" * 32)


def test_checks_run_before_any_work(service: Service) -> None:
    with pytest.raises(UserError, match="top_k"):
        service.query("docs", "who?", top_k=0)
    with pytest.raises(UserError, match="hops"):
        service.subgraph("docs", entity="ent-x", hops=9)
    with pytest.raises(NotFound, match="no entity 'ent-x'"):
        service.subgraph("docs", entity="ent-x")
    with pytest.raises(UserError, match="no document ids"):
        service.delete("docs", [])
