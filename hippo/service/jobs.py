"""Background jobs: indexing and synthesis run in a small thread pool so requests return at once.

A job record carries status (queued → running → succeeded | failed), progress fed by the
``Progress`` callback (stage, done, total), a one-line error and a JSON result. Jobs that write a
namespace hold that namespace's lock, so two writers of one namespace run one after the other
while readers (queries) go on. A failure is recorded as ``hippo.errors.describe`` words it, the
same line the CLI, the API and the MCP server show.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hippo.errors import describe, is_internal
from hippo.index.extract.base import Progress
from hippo.service.locks import NamespaceLocks

log = logging.getLogger(__name__)

JobFn = Callable[[Progress], dict[str, Any]]
KEEP_FINISHED = 1000  # finished job records kept for polling; the oldest go first


@dataclass
class Job:
    id: str
    kind: str
    namespace: str
    status: str = "queued"
    stage: str = ""
    done: int = 0
    total: int = 0
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
            "progress": {"stage": self.stage, "done": self.done, "total": self.total},
            "error": self.error,
            "result": self.result,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


class JobRunner:
    def __init__(self, workers: int = 2, locks: NamespaceLocks | None = None) -> None:
        self.locks = locks or NamespaceLocks()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hippo-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._guard = threading.Lock()

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def submit(self, kind: str, namespace: str, fn: JobFn, job_id: str | None = None) -> Job:
        job = Job(id=job_id or self.new_id(), kind=kind, namespace=namespace)
        with self._guard:
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job, fn)
        return job

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A snapshot of the job's record (copied under the guard: never half-updated)."""
        with self._guard:
            job = self._jobs.get(job_id)
            return None if job is None else job.to_dict()

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
                job.stage, job.done, job.total = stage, done, total

        try:
            with self.locks.hold(job.namespace):
                with self._guard:
                    job.status, job.started = "running", time.time()
                try:
                    result = fn(progress)
                except Exception as exc:  # a job must end in a record, whatever went wrong
                    self._record_failure(job, exc)
                    return
                # recorded before the lock is released, so the next writer of the namespace
                # never appears to start before this one finished
                with self._guard:
                    job.result, job.status, job.finished = result, "succeeded", time.time()
        except Exception as exc:  # the namespace lock was not granted in time
            self._record_failure(job, exc)

    def _record_failure(self, job: Job, exc: Exception) -> None:
        message = describe(exc)
        if is_internal(exc):
            log.exception("job %s (%s on %s) failed", job.id, job.kind, job.namespace, exc_info=exc)
        with self._guard:
            job.error, job.status, job.finished = message, "failed", time.time()

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.status in ("succeeded", "failed")]
        for job_id in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job_id]
