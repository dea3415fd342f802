"""The graph explorer: a static page at ``/ui`` (no build step, every asset shipped in the
package) and the two explore routes it reads besides the public API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"


def mount_ui(app: FastAPI) -> None:
    """Serve the explorer at ``/ui`` and add its routes. The static files need no key; every API
    call the page makes sends the key the user typed, so auth stays with the API's routes."""
    from hippo.interfaces.ui.routes import router  # imports the API's dependencies, which need the app package

    app.include_router(router)
    app.mount("/ui", StaticFiles(directory=STATIC_DIR, html=True), name="ui")
