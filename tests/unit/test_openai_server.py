"""The test server itself speaks OpenAI's wire format: checked with raw HTTP and the openai package."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import openai
import pytest

from tests.support.openai_server import OpenAITestServer, Reply, Script


def post(server: OpenAITestServer, body: bytes) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(
        server.base_url + "/chat/completions", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.load(exc)


def chat_body(**extra: Any) -> bytes:
    return json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi"}], **extra}).encode()


def test_completion_shape_with_logprobs() -> None:
    reply = Reply("Yes", logprobs=[("Yes", [("Yes", -0.05), ("No", -3.2)]), ("!", -0.7, [("!", -0.7)])])
    with OpenAITestServer(lambda request: reply) as server:
        status, _, payload = post(server, chat_body(logprobs=True, top_logprobs=2))
    assert status == 200
    choice = payload["choices"][0]
    assert payload["object"] == "chat.completion" and payload["model"] == "m"
    assert choice["message"] == {"role": "assistant", "content": "Yes", "refusal": None}
    assert choice["finish_reason"] == "stop"
    first, second = choice["logprobs"]["content"]
    assert first["token"] == "Yes" and first["logprob"] == -0.05
    assert first["top_logprobs"] == [
        {"token": "Yes", "logprob": -0.05, "bytes": [89, 101, 115]},
        {"token": "No", "logprob": -3.2, "bytes": [78, 111]},
    ]
    assert second["logprob"] == -0.7


def test_the_openai_package_reads_it() -> None:
    reply = Reply("No", logprobs=[("No", [("No", -0.2), ("Yes", -1.8)])])
    with OpenAITestServer(lambda request: reply) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        completion = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "ok?"}], logprobs=True, top_logprobs=2
        )
    content = completion.choices[0].logprobs.content  # type: ignore[union-attr]
    assert completion.choices[0].message.content == "No"
    assert content is not None and [t.token for t in content[0].top_logprobs] == ["No", "Yes"]


def test_streamed_replies_are_server_sent_events_the_openai_package_reads() -> None:
    replies = Script([Reply("two words", finish_reason="length"), Reply(chunks=["a", "b"], cut_after=1)])
    with OpenAITestServer(replies) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        ask: list[Any] = [{"role": "user", "content": "x"}]
        chunks = list(client.chat.completions.create(model="m", messages=ask, stream=True))
        assert [c.choices[0].delta.content for c in chunks] == [None, "two ", "words", None]
        assert chunks[-1].choices[0].finish_reason == "length"
        with pytest.raises(openai.APIConnectionError):  # cut: the connection closes mid-reply
            list(client.chat.completions.create(model="m", messages=ask, stream=True))
        assert server.chunks_sent == [2, 1]


def test_error_statuses_have_openai_error_bodies() -> None:
    with OpenAITestServer(Script([429, Reply("slow down", status=429, headers={"Retry-After": "7"}), 500])) as server:
        first = post(server, chat_body())
        second = post(server, chat_body())
        third = post(server, chat_body())
    assert first[0] == 429 and first[1]["Retry-After"] == "0"
    assert first[2]["error"]["type"] == "rate_limit_exceeded"
    assert second[1]["Retry-After"] == "7" and second[2]["error"]["message"] == "slow down"
    assert third[0] == 500 and "error" in third[2]
    with OpenAITestServer() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        server.responder = lambda request: 429
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])


def test_records_requests_and_rejects_bad_ones() -> None:
    with OpenAITestServer() as server:  # default responder echoes the last user message
        assert post(server, chat_body(temperature=0.5))[2]["choices"][0]["message"]["content"] == "hi"
        assert post(server, b"{not json")[0] == 400
        assert server.request_count == 1 and server.requests[0]["temperature"] == 0.5
        def buggy(request: dict[str, Any]) -> str:
            raise ZeroDivisionError("responder bug")

        server.responder = buggy  # a responder bug is a visible 500, not a hang
        status, _, payload = post(server, chat_body())
        assert status == 500 and "ZeroDivisionError" in payload["error"]["message"]
        server.reset()
        assert server.requests == []
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.base_url + "/nowhere", timeout=5)


def test_script_repeats_its_last_reply() -> None:
    script = Script(["a", "b"])
    assert [script({}) for _ in range(4)] == ["a", "b", "b", "b"]
