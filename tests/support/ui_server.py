"""The API app with the graph explorer, served by uvicorn on loopback in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from hippo.config import Settings
from hippo.interfaces.api.app import create_app
from hippo.interfaces.ui import mount_ui
from hippo.memory import Memory


def explorer_app(memory: Memory, settings: Settings | None = None) -> FastAPI:
    """``create_app`` over an existing Memory; the explorer is mounted once (by the factory when it
    does so, here otherwise)."""
    app = create_app(settings or memory.settings, memory=memory)
    if not any(getattr(route, "path", None) == "/ui" for route in app.routes):
        mount_ui(app)
    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run the app on 127.0.0.1 (a free port); yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
