"""A loopback TCP proxy that can cut its connections: a real network fault between the Neo4j
driver and the server (the server keeps running; the client sees exactly what a stopped server
or a dropped link looks like), without mocking the database.

    with FaultyProxy("127.0.0.1", 7687) as proxy:
        store = Neo4jStore(f"bolt://127.0.0.1:{proxy.port}", ...)
        proxy.cut_after(4000)        # drop everything once 4000 more bytes went client -> server
        ...
        proxy.restore()              # accept and forward again
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType


class FaultyProxy:
    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._down = False
        self._budget: int | None = None  # bytes client -> server before the cut
        self.cuts = 0
        self.sent_upstream = 0  # bytes forwarded client -> server, for aiming cut_after
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- control -----------------------------------------------------------------------------
    def cut_after(self, n_bytes: int) -> None:
        with self._lock:
            self._budget = n_bytes

    def cut(self) -> None:
        """Drop every open connection and refuse new ones until ``restore``."""
        with self._lock:
            self._down = True
            self._budget = None
            self.cuts += 1
            doomed = list(self._sockets)
            self._sockets.clear()
        for s in doomed:
            _close(s)

    def restore(self) -> None:
        with self._lock:
            self._down = False

    @property
    def down(self) -> bool:
        return self._down

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)

    def __enter__(self) -> FaultyProxy:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # --- forwarding --------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down:
                _close(client)  # a refused connection, as from a stopped server
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets.update((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upstream: bool) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                _close(src)
                _close(dst)
                return
            if upstream:
                with self._lock:
                    self.sent_upstream += len(data)
                    if self._budget is not None:
                        if len(data) >= self._budget:
                            trigger = True
                        else:
                            self._budget -= len(data)
                            trigger = False
                    else:
                        trigger = False
                if trigger:
                    self.cut()
                    return
            try:
                dst.sendall(data)
            except OSError:
                _close(src)
                _close(dst)
                return


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
