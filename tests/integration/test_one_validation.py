"""One validation behind every interface: the same bad document or namespace is refused by the
CLI's readers, the Python API, the HTTP API (real HTTP) and the MCP tools, with the same reason —
and a namespace the CLI accepts (any script) is reachable over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from mcp.server.mcpserver.exceptions import ToolError

from hippo.errors import UserError
from hippo.interfaces.api import create_app
from hippo.interfaces.mcp import HippoTools
from hippo.memory import Memory
from hippo.types import Document
from tests.support.live_server import LiveServer

# (id, title, text, the reason every interface gives)
BAD_DOCUMENTS = [
    ("blank", "", " \n\t ", "empty document (no text after whitespace)"),
    ("nul-text", "", "before\x00after", "text contains NUL bytes"),
    ("nul-id\x00x", "", "Odo Brask sailed to Vell.", "the document id contains NUL bytes"),
    ("nul-title", "A\x00B", "Odo Brask sailed to Vell.", "the title contains NUL bytes"),
    ("   ", "", "Odo Brask sailed to Vell.", "the document id is empty or only whitespace"),
]
BAD_NAMESPACES = ["a b", "../x", "x'y", "a/b", "x" * 65, "u\u0308mlaut"]
GOOD_NAMESPACE = "默认"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd, env={**os.environ, "HF_HUB_OFFLINE": "1"})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Memory, Path]]:
    tmp = tmp_path_factory.mktemp("validation")
    memory = Memory(store=f"sqlite:///{tmp / 'v.db'}", cache_dir=str(tmp / "cache"))
    with LiveServer(create_app(memory=memory)) as server, httpx.Client(base_url=server.url, timeout=120) as client:
        yield client, memory, tmp
    memory.close()


@pytest.mark.parametrize(("doc_id", "title", "text", "reason"), BAD_DOCUMENTS)
def test_a_bad_document_is_refused_alike_everywhere(served: tuple[httpx.Client, Memory, Path], doc_id: str,
                                                     title: str, text: str, reason: str) -> None:
    client, memory, tmp = served
    # CLI: the reader skips it with the reason; with nothing else to index, that is the error
    corpus = tmp / f"bad-{abs(hash(doc_id))}.jsonl"
    corpus.write_text(json.dumps({"id": doc_id, "title": title, "text": text}) + "\n", encoding="utf-8")
    cli = _cli("index", str(corpus), "--store", memory.store.uri, cwd=tmp)
    assert cli.returncode == 1 and reason in cli.stderr, cli.stderr
    # Python API
    with pytest.raises(UserError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        memory.add_documents([Document(doc_id, title, text)])
    # HTTP API: refused before a job exists
    sent = client.post("/v1/namespaces/default/documents", json={"documents": [{"id": doc_id, "title": title, "text": text}]})
    assert sent.status_code == 422 and reason in sent.json()["detail"], sent.text
    # MCP tool
    with pytest.raises(ToolError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        HippoTools(memory).remember(text, title=title, doc_id=doc_id)
    assert memory.stats()["documents"] == 0


@pytest.mark.parametrize("ns", BAD_NAMESPACES)
def test_a_bad_namespace_is_refused_alike_everywhere(served: tuple[httpx.Client, Memory, Path], ns: str) -> None:
    client, memory, tmp = served
    cli = _cli("stats", "--store", memory.store.uri, "--namespace", ns, cwd=tmp)
    assert cli.returncode == 1 and "is not" in cli.stderr and "namespace" in cli.stderr, cli.stderr
    with pytest.raises(UserError, match="namespace"):
        memory.with_namespace(ns)
    answer = client.get(f"/v1/namespaces/{quote(ns, safe='')}/stats")
    assert answer.status_code in (404, 422), answer.text  # '/' in a name never reaches a route
    with pytest.raises(ToolError, match="namespace"):
        HippoTools(memory).inspect(namespace=ns)


def test_a_namespace_indexed_from_the_cli_is_reachable_over_http(served: tuple[httpx.Client, Memory, Path]) -> None:
    client, memory, tmp = served
    corpus = tmp / "good.jsonl"
    corpus.write_text(json.dumps({"id": "vell", "text": "Odo Brask sailed to Vell."}) + "\n", encoding="utf-8")
    cli = _cli("index", str(corpus), "--store", memory.store.uri, "--namespace", GOOD_NAMESPACE, cwd=tmp)
    assert cli.returncode == 0, cli.stderr
    stats = client.get(f"/v1/namespaces/{quote(GOOD_NAMESPACE)}/stats")
    assert stats.status_code == 200 and stats.json()["documents"] == 1, stats.text
    assert GOOD_NAMESPACE in client.get("/v1/namespaces").json()["namespaces"]
    assert HippoTools(memory).inspect(namespace=GOOD_NAMESPACE)["documents"] == 1
