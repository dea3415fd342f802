"""``Service``: what every interface above shares — one Memory (store and models) per process,
one lock per namespace, the background job runner — and the operations they offer, each
checked by ``hippo.service.limits`` before any work starts. The HTTP API and the MCP server call
these; neither reaches into the other."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from hippo.config import Settings
from hippo.errors import NotFound, UserError
from hippo.index.extract.base import Progress, no_progress
from hippo.index.pipeline import IndexReport
from hippo.memory import Memory
from hippo.service import limits
from hippo.service.jobs import Job, JobRunner
from hippo.service.keys import ApiKey, require_scope
from hippo.service.locks import NamespaceLocks
from hippo.service.subgraph import neighbourhood, provenance_drawing, query_drawing
from hippo.types import Document, QueryResult

WRITE_WAIT_SECONDS = 60.0  # how long a write answered at once waits for a job writing its namespace


class Service:
    def __init__(self, memory: Memory, settings: Settings | None = None, *, owns_memory: bool = False,
                 write_wait_seconds: float = WRITE_WAIT_SECONDS) -> None:
        self.memory = memory
        self.write_wait_seconds = write_wait_seconds
        self.settings = settings or memory.settings
        self.owns_memory = owns_memory
        self.locks = NamespaceLocks()
        self.jobs = JobRunner(self.settings.api_job_workers, self.locks, store=memory.store)
        self._load_guard = threading.Lock()

    # --- namespaces ----------------------------------------------------------------------------
    def namespace(self, ns: str | None, key: ApiKey | None = None) -> str:
        """The namespace a request names (default: the Memory's), checked and within the key's scope."""
        name = limits.check_namespace(ns or self.memory.namespace)
        require_scope(key, name)
        return name

    def memory_for(self, ns: str, *, extractor: bool = False) -> Memory:
        """The namespace's view of the shared Memory. ``extractor=True`` loads the extractor on
        the shared Memory first, so every namespace reuses one loaded model."""
        limits.check_namespace(ns)
        if extractor:
            with self._load_guard:
                _ = self.memory.extractor
        return self.memory if ns == self.memory.namespace else self.memory.with_namespace(ns)

    # --- writes --------------------------------------------------------------------------------
    def add_documents(self, ns: str, documents: Sequence[Document], *, replace: bool,
                      progress: Progress = no_progress) -> IndexReport:
        """Index now, holding the namespace's lock (NamespaceBusy after ``write_wait_seconds``)."""
        limits.check_documents(documents, self.settings)
        memory = self.memory_for(ns, extractor=True)
        with self.locks.hold(ns, timeout=self.write_wait_seconds):
            return memory.add_documents(documents, replace=replace, progress=progress)

    def submit_add_documents(self, ns: str, documents: Sequence[Document], *, replace: bool) -> Job:
        """Index in a background job (the runner holds the namespace's lock while it runs)."""
        limits.check_documents(documents, self.settings)
        limits.check_namespace(ns)
        batch = list(documents)

        def run(progress: Progress) -> dict[str, Any]:
            report = self.memory_for(ns, extractor=True).add_documents(batch, replace=replace, progress=progress)
            return report.to_dict()

        return self.jobs.submit("index", ns, run)

    def delete(self, ns: str, doc_ids: Sequence[str]) -> int:
        """Delete documents and what only they supported; returns how many existed. The lock keeps
        a delete from landing between an indexing job's reads and its write."""
        if not doc_ids:
            raise UserError("no document ids to delete")
        memory = self.memory_for(ns)
        with self.locks.hold(ns, timeout=self.write_wait_seconds):
            return memory.delete(list(doc_ids))

    # --- reads ---------------------------------------------------------------------------------
    def query(self, ns: str, text: str, *, top_k: int = 5, mode: str | None = None,
              recognition_filter: bool | None = None) -> QueryResult:
        """``recognition_filter``: HippoRAG 2's LLM filter for this query (None: the setting)."""
        limits.check_query(text, top_k, mode)
        return self.memory_for(ns).query(text, top_k=top_k, mode=mode or None, recognition_filter=recognition_filter)

    def stats(self, ns: str) -> dict[str, Any]:
        return self.memory_for(ns).stats()

    def subgraph(self, ns: str, *, entity: str | None = None, passage: str | None = None,
                 hops: int = 1) -> dict[str, Any]:
        limits.check_hops(hops)
        return neighbourhood(self.memory_for(ns), entity=entity or None, passage=passage or None, hops=hops)

    def query_drawing(self, ns: str, text: str, *, top_k: int = 5,
                      mode: str | None = None) -> tuple[QueryResult, dict[str, Any]]:
        """A query's result and the subgraph that carried its PageRank mass, for drawing."""
        limits.check_query(text, top_k, mode)
        return query_drawing(self.memory_for(ns).retriever, ns, text, top_k, mode or None)

    def provenance_drawing(self, ns: str, passage_ids: list[str], fact_ids: list[str], entity_ids: list[str],
                           path: list[str]) -> dict[str, Any]:
        """The source subgraph of a synthesised record, for drawing."""
        return provenance_drawing(self.memory_for(ns).retriever, ns, passage_ids, fact_ids, entity_ids, path)

    def job(self, job_id: str, key: ApiKey | None = None) -> dict[str, Any]:
        """A job's record, if the key may see its namespace. A job of a namespace the key may not
        use is answered as missing (404), so a key cannot learn which job ids exist elsewhere."""
        record = self.jobs.get(job_id)
        if record is None or (key is not None and not key.allows(record["namespace"])):
            raise NotFound(f"no job {job_id!r}")
        return record

    def close(self) -> None:
        self.jobs.shutdown()
        if self.owns_memory:
            self.memory.close()
