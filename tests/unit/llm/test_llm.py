"""The LLM client against the local OpenAI-compatible test server (real HTTP on loopback)."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from hippo.config import Settings
from hippo.errors import HippoError
from hippo.llm.client import DEFAULT_OPENAI_URL, LLMClient, LLMError, LLMJSONError, LLMUnavailable
from tests.support.fixtures import make_client
from tests.support.openai_server import OpenAITestServer, Reply, Script
from tests.support.ports import free_port

MESSAGES = [{"role": "user", "content": "Give me JSON"}]


def test_plain_chat_sends_model_messages_and_key(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: "hello there"
    reply = llm_client.chat(MESSAGES, temperature=0.3, max_tokens=50)
    assert reply.text == "hello there"
    assert reply.cached is False and reply.logprobs is None
    sent = openai_server.requests[0]
    assert sent["model"] == "test-model"
    assert sent["messages"] == MESSAGES
    assert sent["temperature"] == 0.3 and sent["max_tokens"] == 50
    assert "response_format" not in sent and "logprobs" not in sent
    assert openai_server.request_headers[0]["authorization"] == "Bearer sk-test-secret"


def test_json_reply_uses_json_mode(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: '{"named_entities": ["Ada Lovelace", "London"]}'
    assert llm_client.chat_json(MESSAGES) == {"named_entities": ["Ada Lovelace", "London"]}
    assert openai_server.requests[0]["response_format"] == {"type": "json_object"}


def test_malformed_json_reply_is_repaired(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: 'Sure!\n```json\n{"triples": [["a", "b", "c"],]}\n```\nAnything else?'
    assert llm_client.chat_json(MESSAGES) == {"triples": [["a", "b", "c"]]}


def test_truncated_json_reply_keeps_complete_elements(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    truncated = '{"triples": [["Ada", "born in", "London"], ["Ada", "worked w'
    openai_server.responder = lambda request: Reply(truncated, finish_reason="length")
    assert llm_client.chat_json(MESSAGES) == {"triples": [["Ada", "born in", "London"]]}


def test_unreadable_reply_raises_and_is_not_replayed_from_cache(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    openai_server.responder = Script(["I cannot help with that.", '{"ok": true}'])
    with pytest.raises(LLMJSONError) as info:
        llm_client.chat_json(MESSAGES)
    assert "cannot help" in info.value.excerpt
    # the broken reply was dropped from the cache: the second call asks the server again
    assert llm_client.chat_json(MESSAGES) == {"ok": True}
    assert openai_server.request_count == 2


def test_429_then_success_honours_retry_after(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = Script([Reply(status=429, headers={"Retry-After": "0.3"}), 429, "finally"])
    started = time.monotonic()
    assert llm_client.chat(MESSAGES).text == "finally"
    assert openai_server.request_count == 3
    assert time.monotonic() - started >= 0.3  # the server's Retry-After, not the 10 ms backoff


def test_server_errors_exhaust_retries(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    openai_server.responder = lambda request: 503
    client = make_client(openai_server, tmp_path, max_retries=2)
    with pytest.raises(LLMError, match="3 attempts: HTTP 503"):
        client.chat(MESSAGES)
    assert openai_server.request_count == 3


def test_timeout_then_success(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    openai_server.responder = Script([Reply("too late", delay=1.5), "in time"])
    client = make_client(openai_server, tmp_path, timeout=0.4)
    assert client.chat(MESSAGES).text == "in time"
    assert openai_server.request_count == 2


def test_malformed_body_then_success(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = Script([Reply(body="{not a completion"), Reply(body='{"choices": []}'), "fine"])
    assert llm_client.chat(MESSAGES).text == "fine"
    assert openai_server.request_count == 3


def test_bad_request_is_not_retried(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: Reply("context length exceeded", status=400)
    with pytest.raises(LLMError, match="HTTP 400: context length exceeded"):
        llm_client.chat(MESSAGES)
    assert openai_server.request_count == 1


def test_server_without_json_mode_gets_the_request_again_without_it(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    def responder(request: dict[str, Any]) -> str | Reply:
        if "response_format" in request:
            return Reply("response_format is not supported", status=400)
        return '{"a": 1}'

    openai_server.responder = responder
    assert llm_client.chat_json(MESSAGES) == {"a": 1}
    assert ["response_format" in r for r in openai_server.requests] == [True, False]


def test_rejected_key_is_unavailable_and_never_quoted(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: Reply("Incorrect API key provided: sk-test-secret", status=401)
    with pytest.raises(LLMUnavailable) as info:
        llm_client.chat(MESSAGES)
    assert "sk-test-secret" not in str(info.value)
    assert openai_server.base_url in str(info.value)


def test_key_never_logged_or_in_repr(
    openai_server: OpenAITestServer, llm_client: LLMClient, caplog: pytest.LogCaptureFixture
) -> None:
    openai_server.responder = Script([Reply("echoing sk-test-secret", status=500), "ok"])
    with caplog.at_level(logging.DEBUG):
        assert llm_client.chat(MESSAGES).text == "ok"
    assert "sk-test-secret" not in caplog.text
    assert "sk-test-secret" not in repr(llm_client)


def test_unreachable_endpoint_fails_fast(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    # a retry waits 0.5-1 s here; five of them would take several seconds
    client = LLMClient(url, "m", "sk-secret", max_retries=5, backoff_base=1.0)
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as info:
        client.chat(MESSAGES)
    assert time.monotonic() - started < 2.5  # one quick second try, not the whole retry budget
    assert url in str(info.value) and "sk-secret" not in str(info.value)
    assert isinstance(info.value, HippoError)  # the CLI prints it as one line
    # further calls fail at once instead of dialling (and backing off) again per item
    started = time.monotonic()
    with pytest.raises(LLMUnavailable):
        client.chat([{"role": "user", "content": "another"}])
    assert time.monotonic() - started < 0.4


def test_cache_hit_on_second_call_and_across_clients(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    openai_server.responder = Script(["first answer", "second answer"])
    client = make_client(openai_server, tmp_path)
    assert client.chat(MESSAGES).text == "first answer"
    again = client.chat(MESSAGES)
    assert (again.text, again.cached) == ("first answer", True)
    client.close()
    rerun = make_client(openai_server, tmp_path)  # a new process would open the same file
    assert rerun.chat(MESSAGES).text == "first answer"
    assert openai_server.request_count == 1
    # anything that changes the reply is part of the key; use_cache=False asks again
    assert rerun.chat(MESSAGES, temperature=0.7).text == "second answer"
    assert rerun.chat(MESSAGES, use_cache=False).text == "second answer"
    assert openai_server.request_count == 3


def test_logprobs_requested_and_parsed(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: Reply(
        "Yes", logprobs=[("Yes", [("Yes", -0.1), ("yes", -2.5), ("No", -3.0)])]
    )
    reply = llm_client.chat(MESSAGES, top_logprobs=3, max_tokens=1)
    sent = openai_server.requests[0]
    assert sent["logprobs"] is True and sent["top_logprobs"] == 3
    assert reply.logprobs is not None and len(reply.logprobs) == 1
    token = reply.logprobs[0]
    assert token.token == "Yes" and token.logprob == pytest.approx(-0.1)
    assert token.top == [("Yes", -0.1), ("yes", -2.5), ("No", -3.0)]
    cached = llm_client.chat(MESSAGES, top_logprobs=3, max_tokens=1)
    assert cached.cached and cached.logprobs == reply.logprobs


@pytest.mark.parametrize("shape", ["chat", "completions"])
def test_logprobs_read_in_both_shapes_servers_send(
    openai_server: OpenAITestServer, llm_client: LLMClient, shape: str
) -> None:
    # llama-cpp-python's server answers chat requests with the legacy completions shape
    openai_server.responder = lambda request: Reply(
        "No", logprobs=[("No", [("No", -0.2), ("Yes", -1.9)])], logprobs_shape=shape
    )
    reply = llm_client.chat(MESSAGES, top_logprobs=2, max_tokens=1)
    assert reply.logprobs_shape == shape
    assert reply.logprobs is not None
    assert reply.logprobs[0].token == "No" and reply.logprobs[0].logprob == pytest.approx(-0.2)
    assert reply.logprobs[0].top == [("No", -0.2), ("Yes", -1.9)]
    assert llm_client.chat(MESSAGES, top_logprobs=2, max_tokens=1).logprobs_shape == shape  # cached


def test_missing_logprobs_are_none_not_invented(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: "No"
    assert llm_client.chat(MESSAGES, top_logprobs=5).logprobs is None


def test_map_bounds_concurrency_keeps_order_and_isolates_failures(
    openai_server: OpenAITestServer, tmp_path: Path
) -> None:
    in_flight = 0
    peak = 0
    lock = threading.Lock()

    def responder(request: dict[str, Any]) -> str | int:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        text = request["messages"][0]["content"]
        return 400 if text == "item 3" else text.upper()

    openai_server.responder = responder
    client = make_client(openai_server, tmp_path, concurrency=3)
    seen: list[tuple[str, int, int]] = []
    items = [f"item {i}" for i in range(10)]
    results = client.map(
        lambda text: client.chat([{"role": "user", "content": text}]).text,
        items,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        stage="test",
    )
    assert [r for i, r in enumerate(results) if i != 3] == [f"ITEM {i}" for i in range(10) if i != 3]
    assert isinstance(results[3], LLMError)
    assert peak <= 3 and peak >= 2
    assert seen[0] == ("test", 0, 10) and seen[-1] == ("test", 10, 10)


def test_from_settings(tmp_path: Path, openai_server: OpenAITestServer) -> None:
    settings = Settings(llm_base_url=openai_server.base_url, llm_model="test-model", cache_dir=str(tmp_path / "c"))
    client = LLMClient.from_settings(settings)
    assert client.base_url == openai_server.base_url and client.model == "test-model"
    assert client.chat(MESSAGES).text == "Give me JSON"
    assert list((tmp_path / "c").iterdir())  # the cache lives under cache_dir
    trainee = LLMClient.from_settings(settings.replace(trainee_model="small"), role="trainee")
    assert (trainee.base_url, trainee.model) == (openai_server.base_url, "small")


def test_from_settings_without_endpoint(tmp_path: Path) -> None:
    with pytest.raises(LLMUnavailable, match="HIPPO_LLM_BASE_URL"):
        LLMClient.from_settings(Settings.from_env({}))
    with pytest.raises(LLMUnavailable, match="HIPPO_SYNTH_BASE_URL"):
        LLMClient.from_settings(Settings.from_env({}), role="synth")
    # an OpenAI key alone means the OpenAI API (no request is made here)
    client = LLMClient.from_settings(Settings.from_env({"OPENAI_API_KEY": "sk-x"}, cache_dir=str(tmp_path)))
    assert client.base_url == DEFAULT_OPENAI_URL


def test_models_route_lists_models(openai_server: OpenAITestServer) -> None:
    import urllib.request

    with urllib.request.urlopen(openai_server.base_url + "/models", timeout=5) as response:
        payload = json.load(response)
    assert [m["id"] for m in payload["data"]] == ["test-model"]
