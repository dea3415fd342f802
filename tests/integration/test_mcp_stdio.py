"""`hippo mcp` over stdio, driven by the official MCP Python client: remember, recall, inspect,
forget, and readable tool errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

STORY = [
    ("Odile Brenn wrote the novel The Salt Ledger.", "salt-ledger"),
    ("Odile Brenn was born in the harbour town of Kestrel Bay.", "odile-brenn"),
]


def _payload(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        data = result.structured_content
        return data.get("result", data) if isinstance(data, dict) and set(data) == {"result"} else data
    return json.loads(result.content[0].text)


async def _session_run(db: Path, cwd: Path) -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "hippo.interfaces.cli.main", "mcp", "--store", f"sqlite:///{db}", "--namespace", "agent"],
        env={"HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(sys.path)},
        cwd=str(cwd),
    )
    seen: dict[str, Any] = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        seen["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
        for text, doc_id in STORY:
            seen.setdefault("remembered", []).append(
                _payload(await session.call_tool("remember", {"text": text, "doc_id": doc_id, "title": doc_id}))
            )
        seen["recall"] = _payload(await session.call_tool("recall", {"query": "Where was the author of The Salt Ledger born?", "top_k": 2}))
        seen["stats"] = _payload(await session.call_tool("inspect", {}))
        seed = seen["recall"]["explanation"]["seed_entities"][0]["entity_id"]
        seen["subgraph"] = _payload(await session.call_tool("inspect", {"entity": seed, "hops": 2}))
        seen["bad_top_k"] = await session.call_tool("recall", {"query": "x", "top_k": 0})
        seen["bad_ns"] = await session.call_tool("recall", {"query": "x", "namespace": "no spaces"})
        seen["forget"] = _payload(await session.call_tool("forget", {"doc_ids": ["salt-ledger", "never-stored"]}))
        seen["after"] = _payload(await session.call_tool("inspect", {}))
    return seen


@pytest.mark.slow
def test_mcp_tools_over_stdio(tmp_path: Path) -> None:
    seen = anyio.run(_session_run, tmp_path / "mcp.db", tmp_path)
    assert seen["tools"] == ["forget", "inspect", "recall", "remember"]
    assert [r["documents_added"] for r in seen["remembered"]] == [1, 1]
    assert seen["remembered"][0]["doc_id"] == "salt-ledger" and seen["remembered"][0]["namespace"] == "agent"
    assert {h["doc_id"] for h in seen["recall"]["hits"]} == {"salt-ledger", "odile-brenn"}
    assert seen["stats"]["documents"] == 2 and seen["stats"]["namespace"] == "agent"
    names = {e["name"] for e in seen["subgraph"]["entities"]}
    assert any("Odile Brenn" in n for n in names) and seen["subgraph"]["facts"]
    assert seen["bad_top_k"].is_error and "top_k must be between 1 and" in seen["bad_top_k"].content[0].text
    assert seen["bad_ns"].is_error and "a namespace is" in seen["bad_ns"].content[0].text
    assert seen["forget"] == {"namespace": "agent", "deleted": 1, "not_found": 1}
    assert seen["after"]["documents"] == 1


MALFORMED = [
    ("{bad json", -32700),
    ("[]", -32600),
    ('{"jsonrpc": "2.0", "id": 1}', -32600),  # no method
    ('"a bare string"', -32600),
    ("[" * 100_000, -32700),
    ('{"jsonrpc": "2.0", "id": 2, "method": "ping", "params": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}", -32700),
]


def test_malformed_lines_get_json_rpc_errors_and_a_line_on_stderr(tmp_path: Path) -> None:
    lines = [line for line, _ in MALFORMED] + [json.dumps({"jsonrpc": "2.0", "id": 7, "method": "ping"})]
    proc = subprocess.Popen(
        [sys.executable, "-m", "hippo.interfaces.cli.main", "mcp", "--store", f"sqlite:///{tmp_path / 'm.db'}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("\n".join(lines) + "\n")
    proc.stdin.flush()
    # stdin stays open until every answer is in: closing it ends the session, in-flight requests too
    replies = [json.loads(proc.stdout.readline()) for _ in lines]
    proc.stdin.close()
    proc.wait(timeout=120)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert [(r["id"], r["error"]["code"]) for r in replies[:-1]] == [(None, code) for _, code in MALFORMED], replies
    assert replies[-1] == {"jsonrpc": "2.0", "id": 7, "result": {}}  # and the server went on serving
    warnings = [line for line in stderr.splitlines() if line.startswith("hippo: mcp: answered a malformed")]
    assert len(warnings) == len(MALFORMED), stderr
    assert "Traceback" not in stderr
