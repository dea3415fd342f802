"""The MCP server over streamable HTTP (/mcp) with the official client: tools work with a key,
and the endpoint refuses requests without one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from hippo.interfaces.mcp import http_app
from hippo.memory import Memory
from hippo.service.keys import parse_api_keys
from tests.support.live_server import LiveServer

AGENT_KEY, SCOPED_KEY = "agent-key-0123456789", "scoped-key-0123456789"


async def _use(url: str, headers: dict[str, str]) -> dict[str, Any]:
    async with httpx2.AsyncClient(headers=headers, timeout=120) as http, \
            streamable_http_client(url, http_client=http) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        remembered = await session.call_tool("remember", {"text": "Tova Rusk founded the Brine Street bakery in Marrow.", "doc_id": "tova"})
        stats = await session.call_tool("inspect", {})
        return {"remembered": remembered, "stats": stats}


def test_mcp_over_http_needs_a_full_key(tmp_path: Path) -> None:
    with Memory(store=f"sqlite:///{tmp_path / 'mcp.db'}", namespace="agent") as memory:
        app = http_app(memory, parse_api_keys(json.dumps([AGENT_KEY, {"key": SCOPED_KEY, "namespaces": ["docs"]}])), "127.0.0.1")
        with LiveServer(app) as server:
            url = f"{server.url}/mcp"
            seen = anyio.run(_use, url, {"Authorization": f"Bearer {AGENT_KEY}"})
            assert not seen["remembered"].is_error, seen["remembered"].content
            assert seen["remembered"].structured_content["documents_added"] == 1
            assert seen["stats"].structured_content["documents"] == 1
            probe = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            assert httpx.post(url, json=probe).status_code == 401
            assert httpx.post(url, json=probe, headers={"X-API-Key": "wrong"}).status_code == 401
            scoped = httpx.post(url, json=probe, headers={"X-API-Key": SCOPED_KEY})
            assert scoped.status_code == 403 and "namespace-scoped" in scoped.json()["detail"]
