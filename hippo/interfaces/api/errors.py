"""Exception handlers: every failure becomes a JSON ``{"detail": ...}`` a person can act on, with
the right status; never a stack trace to the client (it goes to the server log)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hippo.config import ConfigError
from hippo.errors import UserError
from hippo.interfaces.api.jobs import NamespaceBusy
from hippo.interfaces.api.subgraph import NotFound
from hippo.llm.errors import LLMError
from hippo.store.base import StoreError

log = logging.getLogger(__name__)


def _json(status: int, detail: str, **extra: Any) -> JSONResponse:
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


def _where(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]  # where the value came from is clear from the name
    return ".".join(parts) or "request body"


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors()]
    summary = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors[:5]) or "the request is not valid"
    return _json(422, summary, errors=errors)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if isinstance(exc.__cause__, RecursionError):  # FastAPI's body parser gave up on deep nesting
        return _json(400, "the request body is JSON nested too deeply to read (over ~1,000 levels of [ or {)")
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _store(request: Request, exc: Exception) -> JSONResponse:
    log.warning("store failure on %s %s: %s", request.method, request.url.path, exc)
    return _json(503, f"store unavailable: {exc}")


async def _sqlite(request: Request, exc: Exception) -> JSONResponse:
    log.warning("sqlite failure on %s %s: %s", request.method, request.url.path, exc)
    return _json(503, f"store unavailable: SQLite: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


async def _llm(request: Request, exc: Exception) -> JSONResponse:
    log.warning("LLM failure on %s %s: %s", request.method, request.url.path, exc)
    return _json(503, f"LLM unavailable: {exc}")


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    return _json(503, f"namespace {exc} is busy with a writing job; try again shortly")


async def _user(request: Request, exc: Exception) -> JSONResponse:
    return _json(422, str(exc))


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return _json(404, str(exc))


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(500, "internal error; the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, _store)
    app.add_exception_handler(sqlite3.Error, _sqlite)
    app.add_exception_handler(LLMError, _llm)  # before UserError: LLMUnavailable is both
    app.add_exception_handler(NamespaceBusy, _busy)
    app.add_exception_handler(UserError, _user)
    app.add_exception_handler(ConfigError, _user)
    app.add_exception_handler(NotFound, _not_found)
    try:
        from neo4j.exceptions import DriverError, Neo4jError

        app.add_exception_handler(DriverError, _store)
        app.add_exception_handler(Neo4jError, _store)
    except ImportError:  # the neo4j driver is a dependency, but the SQLite path must not need it
        pass
    app.add_exception_handler(Exception, _internal)
