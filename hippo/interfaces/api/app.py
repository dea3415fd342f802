"""The app factory. One Memory per process (store and models shared by every request); each
request works on ``memory.with_namespace(ns)``.

    uvicorn --factory hippo.interfaces.api.app:create_app      # or: hippo serve
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hippo import __version__
from hippo.config import Settings
from hippo.interfaces.api import errors, routes_documents, routes_inspect, routes_jobs, routes_query, routes_system
from hippo.interfaces.api.body_limit import BodySizeLimit
from hippo.interfaces.api.hub import Hub
from hippo.interfaces.ui import mount_ui
from hippo.memory import Memory

DESCRIPTION = """Hippo as a service: index documents into a knowledge graph, answer multi-hop
questions by Personalized PageRank, synthesise grounded training data.

Send an API key as `Authorization: Bearer KEY` or `X-API-Key: KEY` when the server has keys
(`HIPPO_API_KEYS_FILE` or `HIPPO_API_KEYS`). Indexing and synthesis return `202 {"job_id"}`: poll `GET /v1/jobs/{job_id}`."""


def create_app(settings: Settings | None = None, memory: Memory | None = None) -> FastAPI:
    if memory is not None:
        settings = settings or memory.settings
    settings = settings or Settings.from_env()
    hub = Hub(settings, memory or Memory(settings), owns_memory=memory is None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            hub.close()

    app = FastAPI(title="Hippo", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.hub = hub
    errors.install(app)
    for module in (routes_system, routes_documents, routes_jobs, routes_query, routes_inspect):
        app.include_router(module.router)
    mount_ui(app)  # the graph explorer at /ui and its explore routes
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    return app
