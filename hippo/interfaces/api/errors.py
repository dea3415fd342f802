"""Exception handlers: every failure becomes a JSON ``{"detail": ..., "kind": ...}`` a person can
act on, with the status its error class declares (``hippo.errors``: the same mapping the CLI and
the MCP server use); never a stack trace to the client (it goes to the server log)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hippo.errors import HippoError, Unavailable, UserError, describe, kind_of, status_of

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "5"


def error_response(exc: BaseException, **extra: Any) -> JSONResponse:
    """The response for any exception: status, one-line detail and kind from ``hippo.errors``."""
    status = status_of(exc)
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == Unavailable.status else None
    return JSONResponse({"detail": describe(exc), "kind": kind_of(exc), **extra}, status_code=status, headers=headers)


def _where(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]  # where the value came from is clear from the name
    return ".".join(parts) or "request body"


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors()]
    summary = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in errors[:5]) or "the request is not valid"
    return error_response(UserError(summary), errors=errors)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    if isinstance(exc.__cause__, RecursionError):  # FastAPI's body parser gave up on deep nesting
        detail = "the request body is JSON nested too deeply to read (over ~1,000 levels of [ or {)"
        return JSONResponse({"detail": detail, "kind": UserError.kind}, status_code=400)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _hippo(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, Unavailable):
        log.warning("%s on %s %s: %s", kind_of(exc), request.method, request.url.path, exc)
    return error_response(exc)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(HippoError, _hippo)
    app.add_exception_handler(Exception, _internal)
