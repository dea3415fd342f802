"""One lock per namespace: writers of one namespace run one after the other, readers never wait
(the store gives them a consistent view of each committed write)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hippo.errors import NamespaceBusy


class NamespaceLocks:
    """One lock per namespace, created on first use."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, ns: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(ns, threading.Lock())

    @contextmanager
    def hold(self, ns: str, timeout: float = -1) -> Iterator[None]:
        """Hold the namespace's lock; NamespaceBusy when it is not granted within ``timeout``
        seconds (-1: wait as long as it takes)."""
        lock = self.lock(ns)
        if not lock.acquire(timeout=timeout):
            raise NamespaceBusy(ns)
        try:
            yield
        finally:
            lock.release()
