"""`hippo mcp` over stdio, answering malformed lines instead of dropping them.

The MCP SDK's stdio transport turns a line it cannot read into an exception on the read stream,
which the server drops with a debug log: the client waits for an answer that never comes. Here
each such line gets the JSON-RPC error a client can act on — -32700 (not JSON) or -32600 (JSON,
but not a JSON-RPC message: ``[]``, a bare string, no method) with ``id: null`` — and one line on
stderr (stdout carries the protocol).
"""

from __future__ import annotations

import contextvars
import sys
from types import TracebackType
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp_types import INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError
from pydantic import ValidationError


def error_for(exc: Exception) -> ErrorData:
    """The JSON-RPC error for a line the transport could not read as a message."""
    if isinstance(exc, ValidationError) and any(e["type"] == "json_invalid" for e in exc.errors()):
        return ErrorData(code=PARSE_ERROR, message="Parse error: the line is not valid JSON (or nests too deeply)")
    return ErrorData(code=INVALID_REQUEST, message=(
        "Invalid Request: expected one JSON-RPC 2.0 object with 'jsonrpc': '2.0' and a 'method' "
        "(batches and bare values are not accepted)"
    ))


class AnswerMalformed:
    """A read stream that passes messages on and answers the transport's exceptions itself."""

    def __init__(self, inner: Any, write_stream: Any) -> None:
        self._inner = inner
        self._write = write_stream

    @property
    def last_context(self) -> contextvars.Context | None:
        context: contextvars.Context | None = getattr(self._inner, "last_context", None)
        return context

    async def receive(self) -> SessionMessage:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item  # type: ignore[no-any-return]
            error = error_for(item)
            print(f"hippo: mcp: answered a malformed message with {error.code}: {error.message}", file=sys.stderr,
                  flush=True)
            await self._write.send(SessionMessage(JSONRPCError(jsonrpc="2.0", id=None, error=error)))

    def __aiter__(self) -> AnswerMalformed:
        return self

    async def __anext__(self) -> SessionMessage:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    def close(self) -> None:
        self._inner.close()

    async def __aenter__(self) -> AnswerMalformed:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()


async def _serve(server: MCPServer[Any]) -> None:
    lowlevel = server._lowlevel_server  # the SDK's own run_stdio_async does the same
    async with stdio_server() as (read_stream, write_stream):
        await lowlevel.run(AnswerMalformed(read_stream, write_stream), write_stream,
                           lowlevel.create_initialization_options())


def run_stdio(server: MCPServer[Any]) -> None:
    anyio.run(_serve, server)
