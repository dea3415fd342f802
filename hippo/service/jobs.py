"""Background jobs: indexing and synthesis run in a small thread pool so requests return at once.

A job record carries status (queued → running → succeeded | failed), progress fed by the
``Progress`` callback (stage, done, total, and the stage's rate and ETA), a one-line error and a
JSON result. Jobs that write a
namespace hold that namespace's lock, so two writers of one namespace run one after the other
while readers (queries) go on. A failure is recorded as ``hippo.errors.describe`` words it, the
same line the CLI, the API and the MCP server show.

With a store, every record is also saved there (on each change of status, and for progress at
most once a second), so a job can be polled after the server restarts. A saved job still queued
or running that this process does not know was cut off by the restart: it reads as failed.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hippo.errors import HippoError, describe, is_internal
from hippo.index.extract.base import Progress
from hippo.service.locks import NamespaceLocks
from hippo.store.base import GraphStore

log = logging.getLogger(__name__)

JobFn = Callable[[Progress], dict[str, Any]]
KEEP_FINISHED = 1000  # finished job records kept in memory; older ones are read from the store
PROGRESS_SAVE_SECONDS = 1.0  # how often a running job's progress is written to the store
INTERRUPTED = "interrupted: the server stopped before the job finished; submit it again"
FINISHED = ("succeeded", "failed")


@dataclass
class Job:
    id: str
    kind: str
    namespace: str
    status: str = "queued"
    stage: str = ""
    done: int = 0
    total: int = 0
    stage_started: float = 0.0  # monotonic clock when this stage's first report came
    stage_from: int = 0  # the stage's count at that moment (a resumed stage starts above 0)
    error: str | None = None
    result: dict[str, Any] | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.id,
            "kind": self.kind,
            "namespace": self.namespace,
            "status": self.status,
            "progress": self.progress(),
            "error": self.error,
            "result": self.result,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


    def advance(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or done < self.done:
            self.stage, self.stage_started, self.stage_from = stage, time.monotonic(), done
        self.done, self.total = done, total

    def progress(self) -> dict[str, Any]:
        """Stage, done/total, and the stage's mean rate (items per second) and ETA in seconds since
        its first report; None until there is a rate to tell."""
        elapsed = time.monotonic() - self.stage_started if self.stage else 0.0
        moved = self.done - self.stage_from
        rate = moved / elapsed if moved > 0 and elapsed > 0 else None
        eta = max(self.total - self.done, 0) / rate if rate else (0.0 if self.total and self.done >= self.total else None)
        return {"stage": self.stage, "done": self.done, "total": self.total,
                "rate": None if rate is None else round(rate, 3), "eta_s": None if eta is None else round(eta, 1)}


class JobRunner:
    def __init__(self, workers: int = 2, locks: NamespaceLocks | None = None, store: GraphStore | None = None) -> None:
        self.locks = locks or NamespaceLocks()
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hippo-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._guard = threading.Lock()
        self._saved_at: dict[str, float] = {}

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def submit(self, kind: str, namespace: str, fn: JobFn, job_id: str | None = None) -> Job:
        job = Job(id=job_id or self.new_id(), kind=kind, namespace=namespace)
        with self._guard:
            self._jobs[job.id] = job
            self._forget_old()
        self._save(job)
        self._pool.submit(self._run, job, fn)
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A snapshot of the job's record (copied under the guard: never half-updated), from this
        process or, for a job of an earlier one, from the store."""
        with self._guard:
            job = self._jobs.get(job_id)
            if job is not None:
                return job.to_dict()
        saved = self.store.get_job(job_id) if self.store is not None else None
        if saved is None:
            return None
        record: dict[str, Any] = json.loads(saved[1])
        if record.get("status") not in FINISHED:  # not ours, so its process is gone
            record["status"], record["error"] = "failed", INTERRUPTED
        return record

    def _save(self, job: Job, *, progress: bool = False) -> None:
        """Write the record to the store; a store that fails loses the record there, not the job."""
        if self.store is None:
            return
        now = time.monotonic()
        with self._guard:
            if progress and now - self._saved_at.get(job.id, 0.0) < PROGRESS_SAVE_SECONDS:
                return
            self._saved_at[job.id] = now
            record = json.dumps(job.to_dict())
        try:
            self.store.save_job(job.id, job.namespace, record)
        except HippoError as exc:
            log.warning("job %s: its record could not be saved to the store: %s", job.id, exc)

    def namespace_of(self, job_id: str) -> str | None:
        with self._guard:
            job = self._jobs.get(job_id)
            return None if job is None else job.namespace

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """True once no job is queued or running (tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._guard:
                if all(j.status in ("succeeded", "failed") for j in self._jobs.values()):
                    return True
            time.sleep(0.05)
        return False

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, job: Job, fn: JobFn) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            with self._guard:
                job.advance(stage, done, total)
            self._save(job, progress=True)

        try:
            with self.locks.hold(job.namespace):
                with self._guard:
                    job.status, job.started = "running", time.time()
                self._save(job)
                try:
                    result = fn(progress)
                except Exception as exc:  # a job must end in a record, whatever went wrong
                    self._record_failure(job, exc)
                    return
                # recorded before the lock is released, so the next writer of the namespace
                # never appears to start before this one finished
                with self._guard:
                    job.result, job.status, job.finished = result, "succeeded", time.time()
                self._save(job)
        except Exception as exc:  # the namespace lock was not granted in time
            self._record_failure(job, exc)

    def _record_failure(self, job: Job, exc: Exception) -> None:
        message = describe(exc)
        if is_internal(exc):
            log.exception("job %s (%s on %s) failed", job.id, job.kind, job.namespace, exc_info=exc)
        with self._guard:
            job.error, job.status, job.finished = message, "failed", time.time()
        self._save(job)

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.status in ("succeeded", "failed")]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job_id]
            self._saved_at.pop(job_id, None)
