"""Failures below the API become 503 with a reason — never a traceback: a store that is gone, and
an LLM endpoint that keeps failing (the local OpenAI-compatible test server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from hippo.interfaces.api import create_app
from hippo.llm.client import LLMClient
from hippo.memory import Memory
from hippo.types import Document
from tests.support.fixtures import make_client
from tests.support.live_server import LiveServer
from tests.support.openai_server import OpenAITestServer, Reply


def test_a_vanished_store_gives_503_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    memory = Memory(store=f"sqlite:///{folder / 'hippo.db'}")
    shutil.rmtree(folder)  # server threads open their own connections: to a file that no longer can be
    with LiveServer(create_app(memory=memory)) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        assert client.get("/health").status_code == 200
        for response in (client.get("/ready"), client.post("/v1/namespaces/default/query", json={"query": "who?"}),
                         client.get("/v1/namespaces")):
            assert response.status_code == 503, response.text
            assert response.json()["detail"].startswith("store unavailable:")
            assert "Traceback" not in response.text and response.headers["retry-after"]
    memory.close()


def test_a_failing_llm_gives_503_with_the_reason(tmp_path: Path) -> None:
    with OpenAITestServer(lambda request: Reply(status=500, text="boom")) as llm:
        client: LLMClient = make_client(llm, max_retries=1)

        def recognition_filter(query: str, facts: list[str]) -> list[int]:
            # HippoRAG 2's recognition memory: the LLM picks the relevant facts
            reply = client.chat_json([{"role": "user", "content": f"{query}\n" + "\n".join(facts)}])
            return [int(i) for i in reply]

        memory = Memory(store=f"sqlite:///{tmp_path / 'hippo.db'}", fact_filter=recognition_filter)
        memory.add_documents([Document("a", "Harbour", "Ilsa Varn painted the Harbour Gate mural in Quellport.")])
        with LiveServer(create_app(memory=memory)) as server, httpx.Client(base_url=server.url, timeout=60) as http:
            response = http.post("/v1/namespaces/default/query", json={"query": "Who painted the Harbour Gate mural?"})
        assert response.status_code == 503, response.text
        assert response.json()["detail"].startswith("LLM unavailable:") and "Traceback" not in response.text
        assert llm.requests  # the failure came from the endpoint, through the real client
        memory.close()
        client.close()


def test_asking_for_the_llm_filter_without_an_llm_is_refused_as_a_setting_not_an_outage(tmp_path: Path) -> None:
    memory = Memory(store=f"sqlite:///{tmp_path / 'hippo.db'}", llm_base_url="", llm_api_key="")
    memory.add_documents([Document("a", "Harbour", "Ilsa Varn painted the Harbour Gate mural in Quellport.")])
    with LiveServer(create_app(memory=memory)) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        response = http.post("/v1/namespaces/default/query", json={"query": "Who painted it?", "recognition_filter": True})
    assert response.status_code == 422, response.text
    assert response.json()["kind"] == "llm_not_configured" and "HIPPO_LLM_BASE_URL" in response.json()["detail"]
    assert "retry-after" not in response.headers
    memory.close()
