"""Hippo for agents: an MCP server (``hippo mcp``) with four tools over one Memory —
remember (index text), recall (query), forget (delete) and inspect (stats or a subgraph).

Runs over stdio (an agent starts it as a subprocess) or streamable HTTP (``/mcp``), where the
same API keys as the HTTP API apply and, without keys, only loopback is served.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from hippo.interfaces.api.auth import ApiKey, key_from_request
from hippo.interfaces.api.jobs import NamespaceLocks, describe_failure
from hippo.interfaces.api.limits import MAX_HOPS, MAX_QUERY_CHARS, MAX_TOP_K, NAMESPACE_RE
from hippo.interfaces.api.subgraph import NotFound, subgraph
from hippo.memory import Memory
from hippo.retrieve.retriever import MODES
from hippo.text import content_hash
from hippo.types import Document

T = TypeVar("T")
INSTRUCTIONS = (
    "Hippo is a knowledge-graph memory. Use `remember` to store text, `recall` to retrieve passages "
    "for a question (multi-hop questions work), `forget` to delete stored documents by id, and "
    "`inspect` for counts or the entities, facts and passages around an entity or passage id."
)


def _tool_call(fn: Callable[[], T]) -> T:
    """Run a tool body; failures become one readable line for the agent, never a traceback."""
    try:
        return fn()
    except ToolError:
        raise
    except NotFound as exc:
        raise ToolError(str(exc)) from exc
    except Exception as exc:
        raise ToolError(describe_failure(exc)) from exc


class HippoTools:
    """The tool bodies, independent of the MCP plumbing (one Memory; one lock per namespace)."""

    def __init__(self, memory: Memory, scope: ApiKey | None = None) -> None:
        self.memory = memory
        self.locks = NamespaceLocks()
        self.scope = scope

    def _ns(self, namespace: str | None) -> Memory:
        ns = namespace or self.memory.namespace
        if not NAMESPACE_RE.match(ns):
            raise ToolError("namespace names are 1-64 characters of A-Z a-z 0-9 _ . -")
        if self.scope is not None and not self.scope.allows(ns):
            raise ToolError(f"this key may not use namespace {ns!r}")
        if ns == self.memory.namespace:
            return self.memory
        return self.memory.with_namespace(ns)

    def remember(self, text: str, title: str = "", doc_id: str = "", namespace: str = "", replace: bool = True) -> dict[str, Any]:
        if not text.strip():
            raise ToolError("text is empty")
        if len(text) > self.memory.settings.max_document_chars:
            raise ToolError(f"text has {len(text)} characters; the limit is {self.memory.settings.max_document_chars}")
        doc = Document(id=doc_id or f"mcp-{content_hash(text)[:16]}", title=title, text=text)

        def run() -> dict[str, Any]:
            _ = self.memory.extractor  # load once on the shared Memory; with_namespace reuses it
            memory = self._ns(namespace)
            with self.locks.hold(memory.namespace):
                report = memory.add_documents([doc], replace=replace)
            return {"doc_id": doc.id, "namespace": memory.namespace, **report.to_dict()}

        return _tool_call(run)

    def recall(self, query: str, top_k: int = 5, mode: str = "", namespace: str = "",
               recognition_filter: bool | None = None) -> dict[str, Any]:
        if not query.strip() or len(query) > MAX_QUERY_CHARS:
            raise ToolError(f"query must be 1-{MAX_QUERY_CHARS} characters")
        if not 1 <= top_k <= MAX_TOP_K:
            raise ToolError(f"top_k must be between 1 and {MAX_TOP_K}")
        if mode and mode not in MODES:
            raise ToolError(f"mode must be one of {', '.join(MODES)}")
        return _tool_call(lambda: self._ns(namespace).query(
            query, top_k=top_k, mode=mode or None, recognition_filter=recognition_filter).to_dict())

    def forget(self, doc_ids: list[str], namespace: str = "") -> dict[str, Any]:
        if not doc_ids:
            raise ToolError("doc_ids is empty")

        def run() -> dict[str, Any]:
            memory = self._ns(namespace)
            with self.locks.hold(memory.namespace):
                deleted = memory.delete(doc_ids)
            return {"namespace": memory.namespace, "deleted": deleted, "not_found": len(set(doc_ids)) - deleted}

        return _tool_call(run)

    def inspect(self, namespace: str = "", entity: str = "", passage: str = "", hops: int = 1) -> dict[str, Any]:
        if entity and passage:
            raise ToolError("give at most one of entity or passage")
        if not 1 <= hops <= MAX_HOPS:
            raise ToolError(f"hops must be between 1 and {MAX_HOPS}")

        def run() -> dict[str, Any]:
            memory = self._ns(namespace)
            if not entity and not passage:
                return memory.stats()
            return subgraph(memory, entity=entity or None, passage=passage or None, hops=hops)

        return _tool_call(run)


def build_server(memory: Memory, scope: ApiKey | None = None) -> MCPServer[Any]:
    tools = HippoTools(memory, scope)
    server: MCPServer[Any] = MCPServer("hippo", instructions=INSTRUCTIONS)

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=True))
    def remember(text: str, title: str = "", doc_id: str = "", namespace: str = "", replace: bool = True) -> dict[str, Any]:
        """Store a text in the memory (as one document): it is split into passages and its entities
        and facts join the knowledge graph. doc_id defaults to a hash of the text; with replace,
        a document with the same id is replaced. Returns what was indexed."""
        return tools.remember(text, title, doc_id, namespace, replace)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def recall(query: str, top_k: int = 5, mode: str = "", namespace: str = "",
               recognition_filter: bool | None = None) -> dict[str, Any]:
        """Retrieve the passages that answer a question (multi-hop questions work), ranked, with an
        explanation: linked facts, seed entities, entities carrying the most PageRank mass.
        mode: hipporag2 (default), hipporag1 or dense. recognition_filter: let the server's LLM keep
        only the relevant linked facts (default: the server's HIPPO_RECOGNITION_FILTER)."""
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
        key = next((k for k in self.keys if hmac.compare_digest(k.secret.encode(), presented.encode())), None)
        if key is None:
            return 401, "the API key is not valid"
        if key.namespaces is not None:
            return 403, "the MCP endpoint needs a key for every namespace (namespace-scoped keys are for the HTTP API)"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.keys:
            refusal = self._refusal(key_from_request(Request(scope)))
            if refusal is not None:
                status, detail = refusal
                await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def http_app(memory: Memory, keys: list[ApiKey], host: str) -> ASGIApp:
    """The streamable-HTTP MCP endpoint at ``/mcp``, behind the key guard."""
    return RequireKey(build_server(memory).streamable_http_app(host=host), keys)
