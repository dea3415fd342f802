"""`hippo llm check` against the fake OpenAI-compatible server: what works, which shape, the advice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hippo.config import Settings
from hippo.interfaces.cli.main import main
from hippo.llm.check import check_endpoint
from hippo.llm.client import LLMClient, endpoint_defaults, is_local
from tests.support.openai_server import OpenAITestServer, Reply
from tests.support.ports import free_port


def responder(shape: str | None, streaming: str = "sse") -> Any:
    def reply(request: dict[str, Any]) -> str | Reply:
        if request.get("logprobs"):
            if shape is None:
                return "yes"
            return Reply("yes", logprobs=[("yes", [("yes", -0.1), ("no", -2.4)])], logprobs_shape=shape)
        if request.get("response_format"):
            return Reply('{"ok": true, "n": 3}', streaming=streaming)
        return "ready"
    return reply


@pytest.mark.parametrize(("streaming", "said"), [("sse", "closed at the end of the object"),
                                                 ("plain", "read whole"), ("reject", "read whole")])
def test_check_says_whether_json_replies_stream(streaming: str, said: str, tmp_path: Path) -> None:
    with OpenAITestServer(responder("chat", streaming)) as server:
        client = LLMClient(server.base_url, "test-model", cache_path=str(tmp_path / "c.sqlite"))
        try:
            probes = {p.name: p for p in check_endpoint(client).probes}
        finally:
            client.close()
    assert probes["json mode"].ok and said in probes["json mode"].detail


@pytest.mark.parametrize("shape", ["chat", "completions", None])
def test_check_reports_each_capability(shape: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with OpenAITestServer(responder(shape)) as server:
        monkeypatch.setenv("HIPPO_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("HIPPO_LLM_MODEL", "test-model")
        monkeypatch.setenv("HIPPO_CACHE_DIR", str(tmp_path))
        assert main(["llm", "check", "--json"]) == 0
        assert main(["llm", "check", "--json"]) == 0  # probes are never answered from the cache
        assert server.request_count == 6
    report = json.loads(capsys.readouterr().out.split("\n}\n")[0] + "\n}")
    probes = {p["name"]: p for p in report["probes"]}
    assert probes["chat"]["ok"] and probes["json mode"]["ok"]
    assert report["local"] is True
    assert any("HIPPO_LLM_CONCURRENCY=1" in line for line in report["advice"])
    if shape is None:
        assert not probes["logprobs"]["ok"] and any("log-probabilities" in a for a in report["advice"])
    else:
        assert probes["logprobs"]["ok"] and probes["logprobs"]["detail"].startswith(shape)


def test_an_unreachable_endpoint_fails_with_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HIPPO_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("HIPPO_CACHE_DIR", str(tmp_path))
    assert main(["llm", "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "unreachable" in out


def test_local_servers_get_one_request_at_a_time_and_a_long_timeout() -> None:
    assert is_local("http://127.0.0.1:8081/v1") and is_local("http://localhost:11434/v1")
    assert is_local("http://[::1]:8000/v1") and not is_local("https://api.openai.com/v1")
    assert endpoint_defaults("http://127.0.0.1:8081/v1") == (1, 300.0)
    assert endpoint_defaults("https://api.openai.com/v1") == (8, 60.0)
    assert endpoint_defaults("http://127.0.0.1:8081/v1", concurrency=4, timeout=30) == (4, 30)
    client = LLMClient.from_settings(Settings(llm_base_url="http://127.0.0.1:9/v1", cache_dir="/tmp/x"))
    assert (client.concurrency, client.timeout) == (1, 300.0)
    client.close()
