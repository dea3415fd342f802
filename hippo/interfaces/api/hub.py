"""What every request shares: the service (one Memory, namespace locks, jobs) and the
authenticator."""

from __future__ import annotations

from pathlib import Path

from hippo.config import Settings
from hippo.interfaces.api.auth import Authenticator
from hippo.memory import Memory
from hippo.service.core import Service
from hippo.service.keys import load_api_keys


class Hub:
    def __init__(self, settings: Settings, memory: Memory, owns_memory: bool) -> None:
        self.settings = settings
        self.service = Service(memory, settings, owns_memory=owns_memory)
        self.auth = Authenticator(load_api_keys(settings)[0])

    @property
    def memory(self) -> Memory:
        return self.service.memory

    def synth_output_dir(self) -> Path:
        return Path(self.settings.cache_dir) / "api-synth"

    def close(self) -> None:
        self.service.close()
