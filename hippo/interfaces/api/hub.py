"""What every request shares: one Memory (store and models) per process, the job runner, the
namespace locks and the authenticator."""

from __future__ import annotations

import threading
from pathlib import Path

from hippo.config import Settings
from hippo.interfaces.api.auth import Authenticator, load_api_keys
from hippo.interfaces.api.jobs import JobRunner, NamespaceLocks
from hippo.memory import Memory


class Hub:
    def __init__(self, settings: Settings, memory: Memory, owns_memory: bool) -> None:
        self.settings = settings
        self.memory = memory
        self.owns_memory = owns_memory
        self.auth = Authenticator(load_api_keys(settings)[0])
        self.locks = NamespaceLocks()
        self.jobs = JobRunner(settings.api_job_workers, self.locks)
        self._load_guard = threading.Lock()

    def memory_for(self, ns: str, *, extractor: bool = False) -> Memory:
        """The namespace's view of the shared Memory. ``extractor=True`` loads the extractor on
        the shared Memory first, so every namespace reuses one loaded model."""
        if extractor:
            with self._load_guard:
                _ = self.memory.extractor
        return self.memory.with_namespace(ns)

    def synth_output_dir(self) -> Path:
        return Path(self.settings.cache_dir) / "api-synth"

    def close(self) -> None:
        self.jobs.shutdown()
        if self.owns_memory:
            self.memory.close()
