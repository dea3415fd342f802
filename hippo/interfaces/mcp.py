"""Hippo for agents: an MCP server (``hippo mcp``) with four tools over one Memory —
remember (index text), recall (query), forget (delete) and inspect (stats or a subgraph).

Runs over stdio (an agent starts it as a subprocess) or streamable HTTP (``/mcp``), where the
same API keys as the HTTP API apply and, without keys, only loopback is served.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hippo.errors import describe, is_internal
from hippo.memory import Memory
from hippo.retrieve.policies.registry import modes_help
from hippo.service.core import Service
from hippo.service.keys import ApiKey, find_key, key_from_headers
from hippo.text import content_hash
from hippo.types import Document

log = logging.getLogger(__name__)
T = TypeVar("T")
INSTRUCTIONS = (
    "Hippo is a knowledge-graph memory. Use `remember` to store text, `recall` to retrieve passages "
    "for a question (multi-hop questions work), `forget` to delete stored documents by id, and "
    "`inspect` for counts or the entities, facts and passages around an entity or passage id."
)

# the mode list comes from the retrieval registry, so the tool describes every mode it accepts
RECALL_DESCRIPTION = (
    "Retrieve the passages that answer a question (multi-hop questions work), ranked, with an "
    "explanation: linked facts, seed entities, entities carrying the most PageRank mass. "
    f"mode (empty: the server's default) is one of: {modes_help()}. recognition_filter: let the "
    "server's LLM keep only the relevant linked facts (default: the server's HIPPO_RECOGNITION_FILTER)."
)


def tool_error(exc: BaseException) -> ToolError:
    """The tool error for any failure: the line ``hippo.errors.describe`` gives (the CLI and the
    API show the same), never a traceback (bugs go to the log with theirs)."""
    if is_internal(exc):
        log.error("MCP tool failed", exc_info=exc)
    return ToolError(describe(exc))


def tool_call(fn: Callable[[], T]) -> T:
    """Run a tool body; any failure becomes the tool error above."""
    try:
        return fn()
    except Exception as exc:
        raise tool_error(exc) from exc


class HippoTools:
    """The tool bodies, independent of the MCP plumbing: each is one call of the service, which
    checks the input and holds the namespace's lock for writes."""

    def __init__(self, memory: Memory, scope: ApiKey | None = None) -> None:
        self.service = Service(memory)
        self.scope = scope

    def remember(self, text: str, title: str = "", doc_id: str = "", namespace: str = "", replace: bool = True) -> dict[str, Any]:
        def run() -> dict[str, Any]:
            ns = self.service.namespace(namespace, self.scope)
            doc = Document(id=doc_id or f"mcp-{content_hash(text)[:16]}", title=title, text=text)
            report = self.service.add_documents(ns, [doc], replace=replace)
            return {"doc_id": doc.id, "namespace": ns, **report.to_dict()}

        return tool_call(run)

    def recall(self, query: str, top_k: int = 5, mode: str = "", namespace: str = "",
               recognition_filter: bool | None = None) -> dict[str, Any]:
        def run() -> dict[str, Any]:
            ns = self.service.namespace(namespace, self.scope)
            result = self.service.query(ns, query, top_k=top_k, mode=mode or None,
                                        recognition_filter=recognition_filter)
            return result.to_dict()

        return tool_call(run)

    def forget(self, doc_ids: list[str], namespace: str = "") -> dict[str, Any]:
        def run() -> dict[str, Any]:
            ns = self.service.namespace(namespace, self.scope)
            deleted = self.service.delete(ns, doc_ids)
            return {"namespace": ns, "deleted": deleted, "not_found": len(set(doc_ids)) - deleted}

        return tool_call(run)

    def inspect(self, namespace: str = "", entity: str = "", passage: str = "", hops: int = 1) -> dict[str, Any]:
        def run() -> dict[str, Any]:
            ns = self.service.namespace(namespace, self.scope)
            if not entity and not passage:
                return self.service.stats(ns)
            return self.service.subgraph(ns, entity=entity, passage=passage, hops=hops)

        return tool_call(run)


def build_server(memory: Memory, scope: ApiKey | None = None) -> MCPServer[Any]:
    tools = HippoTools(memory, scope)
    server: MCPServer[Any] = MCPServer("hippo", instructions=INSTRUCTIONS)

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=True))
    def remember(text: str, title: str = "", doc_id: str = "", namespace: str = "", replace: bool = True) -> dict[str, Any]:
        """Store a text in the memory (as one document): it is split into passages and its entities
        and facts join the knowledge graph. doc_id defaults to a hash of the text; with replace,
        a document with the same id is replaced. Returns what was indexed."""
        return tools.remember(text, title, doc_id, namespace, replace)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True), description=RECALL_DESCRIPTION)
    def recall(query: str, top_k: int = 5, mode: str = "", namespace: str = "",
               recognition_filter: bool | None = None) -> dict[str, Any]:
        return tools.recall(query, top_k, mode, namespace, recognition_filter)

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=True))
    def forget(doc_ids: list[str], namespace: str = "") -> dict[str, Any]:
        """Delete documents by id, with every entity, fact and edge only they supported."""
        return tools.forget(doc_ids, namespace)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def inspect(namespace: str = "", entity: str = "", passage: str = "", hops: int = 1) -> dict[str, Any]:
        """Without entity or passage: counts of documents, passages, entities, facts and edges.
        With an entity id (ent-…) or a passage id (psg-…): the entities, facts and passages within
        `hops` hops of it, and the edges between them."""
        return tools.inspect(namespace, entity, passage, hops)

    return server


class RequireKey:
    """ASGI guard for the MCP HTTP app, with the HTTP API's keys. Tools take any namespace, so only
    keys without a namespace scope may use it (a scoped key gets 403 and a reason)."""

    def __init__(self, app: ASGIApp, keys: list[ApiKey]) -> None:
        self.app = app
        self.keys = keys

    def _refusal(self, presented: str | None) -> tuple[int, str] | None:
        if presented is None:
            return 401, "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"
        key = find_key(self.keys, presented)
        if key is None:
            return 401, "the API key is not valid"
        if key.namespaces is not None:
            return 403, "the MCP endpoint needs a key for every namespace (namespace-scoped keys are for the HTTP API)"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.keys:
            refusal = self._refusal(key_from_headers(Request(scope).headers))
            if refusal is not None:
                status, detail = refusal
                await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def http_app(memory: Memory, keys: list[ApiKey], host: str) -> ASGIApp:
    """The streamable-HTTP MCP endpoint at ``/mcp``, behind the key guard."""
    return RequireKey(build_server(memory).streamable_http_app(host=host), keys)
