"""The background job runner: records, progress, failures as one line, one writer per namespace."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from hippo.errors import NamespaceBusy, StoreError, UserError
from hippo.index.extract.base import Progress
from hippo.service.jobs import JobRunner
from hippo.service.locks import NamespaceLocks


@pytest.fixture
def runner() -> JobRunner:
    return JobRunner(workers=3)


def _wait(runner: JobRunner, job_id: str) -> dict[str, Any]:
    assert runner.wait_idle(timeout=10)
    job = runner.get(job_id)
    assert job is not None
    return job


def test_a_job_reports_progress_and_result(runner: JobRunner) -> None:
    def work(progress: Progress) -> dict[str, Any]:
        for i in range(1, 4):
            progress("extract", i, 3)
        return {"answer": 42}

    job = runner.submit("index", "ns", work)
    assert runner.get(job.id)["status"] in ("queued", "running", "succeeded")  # type: ignore[index]
    done = _wait(runner, job.id)
    assert done["status"] == "succeeded" and done["result"] == {"answer": 42} and done["error"] is None
    assert {k: done["progress"][k] for k in ("stage", "done", "total")} == {"stage": "extract", "done": 3, "total": 3}
    assert done["progress"]["eta_s"] == 0.0
    assert done["started"] <= done["finished"]


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (UserError("no documents to index"), "no documents to index"),
        (StoreError("Neo4j at bolt://x is unreachable"), "store unavailable: Neo4j at bolt://x is unreachable"),
        (KeyError("secret internals"), "internal error (KeyError); see the server log"),
    ],
)
def test_a_failure_is_one_line_without_internals(runner: JobRunner, exc: Exception, message: str) -> None:
    def work(progress: Progress) -> dict[str, Any]:
        raise exc

    done = _wait(runner, runner.submit("index", "ns", work).id)
    assert done["status"] == "failed" and done["error"] == message and done["result"] is None


def test_jobs_on_one_namespace_never_overlap_but_other_namespaces_run_alongside(runner: JobRunner) -> None:
    active: dict[str, int] = {"a": 0, "b": 0}
    peak: dict[str, int] = {"a": 0, "b": 0}
    both_running = threading.Event()
    guard = threading.Lock()

    def work_on(ns: str) -> Any:
        def work(progress: Progress) -> dict[str, Any]:
            with guard:
                active[ns] += 1
                peak[ns] = max(peak[ns], active[ns])
                if active["a"] and active["b"]:
                    both_running.set()
            time.sleep(0.1)
            with guard:
                active[ns] -= 1
            return {}

        return work

    ids = [runner.submit("index", "a", work_on("a")).id for _ in range(3)] + [runner.submit("index", "b", work_on("b")).id]
    assert runner.wait_idle(timeout=10)
    assert peak == {"a": 1, "b": 1}
    assert both_running.is_set()
    assert all(runner.get(i)["status"] == "succeeded" for i in ids)  # type: ignore[index]


def test_a_namespace_lock_can_time_out() -> None:
    locks = NamespaceLocks()
    with locks.hold("ns"):
        outcome: list[str] = []

        def other() -> None:
            try:
                with locks.hold("ns", timeout=0.05):
                    outcome.append("got it")
            except NamespaceBusy:
                outcome.append("busy")

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert outcome == ["busy"]
    with locks.hold("ns", timeout=0.05):
        pass


def test_unknown_job_is_none(runner: JobRunner) -> None:
    assert runner.get("0" * 32) is None and runner.namespace_of("0" * 32) is None


def test_a_running_job_reports_rate_and_eta_of_its_stage(runner: JobRunner) -> None:
    halfway, finish = threading.Event(), threading.Event()

    def work(progress: Progress) -> dict[str, Any]:
        progress("extract", 40, 40)
        progress("embed", 0, 100)
        time.sleep(0.3)
        progress("embed", 50, 100)
        halfway.set()
        finish.wait(10)
        return {}

    job = runner.submit("index", "ns", work)
    assert halfway.wait(10)
    snapshot = runner.get(job.id)["progress"]  # type: ignore[index]
    finish.set()
    assert snapshot["stage"] == "embed" and (snapshot["done"], snapshot["total"]) == (50, 100)
    # 50 texts in >= 0.3 s of this stage (not the extract stage's clock): at most ~167/s, 50 left
    assert 0 < snapshot["rate"] <= 50 / 0.3 + 1
    assert snapshot["eta_s"] == pytest.approx(50 / snapshot["rate"], abs=0.06)  # eta_s is rounded to 0.1 s
    _wait(runner, job.id)
