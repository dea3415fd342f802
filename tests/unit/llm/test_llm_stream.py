"""JSON replies are streamed and the stream is closed once the top-level object is complete; servers
that cannot stream get plain requests. Against the local OpenAI-compatible test server (real HTTP)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hippo.llm.client import FINISH_OBJECT, LLMClient, LLMError
from hippo.llm.json_repair import ObjectEnd
from tests.support.fixtures import make_client
from tests.support.openai_server import OpenAITestServer, Reply, Script

MESSAGES = [{"role": "user", "content": "Give me JSON"}]
OBJECT = ['{"answer"', ': "Paris', ' \\"}\\" ', '", "n": [1, {"', 'm": 2}]', "}"]
PADDING = ["\n"] + [" "] * 150  # what a grammar-constrained model writes after the object


def wait_for_chunk_counts(server: OpenAITestServer, count: int) -> list[int]:
    deadline = time.monotonic() + 5
    while len(server.chunks_sent) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return list(server.chunks_sent)


def test_stream_is_closed_at_the_end_of_the_object(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    # 157 chunks 20 ms apart: ~3 s to max_tokens if the client read them all
    openai_server.responder = lambda request: Reply(chunks=OBJECT + PADDING, chunk_delay=0.02, finish_reason="length")
    started = time.monotonic()
    reply = llm_client.chat(MESSAGES, json_mode=True, max_tokens=1024)
    elapsed = time.monotonic() - started
    assert openai_server.requests[0]["stream"] is True
    assert reply.text == "".join(OBJECT) and reply.finish_reason == FINISH_OBJECT
    assert llm_client.finish_reasons == {FINISH_OBJECT: 1}
    assert elapsed < 1.5
    # the server saw the client leave: it stopped writing long before the padding ran out
    sent = wait_for_chunk_counts(openai_server, 1)
    assert len(OBJECT) <= sent[0] < len(OBJECT) + 20
    # and the parsed value is the object
    openai_server.responder = lambda request: Reply(chunks=OBJECT + PADDING, finish_reason="length")
    assert llm_client.chat_json(MESSAGES, use_cache=False) == {"answer": 'Paris "}" ', "n": [1, {"m": 2}]}


def test_a_streamed_reply_is_cached_like_any_other(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    openai_server.responder = lambda request: Reply(chunks=['{"a": 1}', "   "])
    assert llm_client.chat_json(MESSAGES) == {"a": 1}
    again = llm_client.chat(MESSAGES, json_mode=True)
    assert again.cached and again.text == '{"a": 1}' and again.finish_reason == FINISH_OBJECT
    assert openai_server.request_count == 1


def test_a_reply_that_opens_with_prose_is_read_to_its_end(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    # a brace in prose is not the answer: no early stop, the whole reply goes to the repairing parser
    openai_server.responder = lambda request: Reply(chunks=["Sure {see below}: ", '{"a": 1}', " done"])
    reply = llm_client.chat(MESSAGES, json_mode=True)
    assert reply.text == 'Sure {see below}: {"a": 1} done' and reply.finish_reason == "stop"


def test_a_truncated_stream_is_repaired(openai_server: OpenAITestServer, llm_client: LLMClient) -> None:
    chunks = ['{"triples": [["Ada", "born in", "London"]', ', ["Ada", "worked w']
    openai_server.responder = lambda request: Reply(chunks=chunks, finish_reason="length")
    assert llm_client.chat_json(MESSAGES) == {"triples": [["Ada", "born in", "London"]]}
    assert openai_server.request_count == 1


def test_only_json_replies_without_logprobs_are_streamed(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    openai_server.responder = lambda request: Reply("{}", logprobs=[("{}", [("{}", -0.1)])])
    llm_client.chat(MESSAGES)
    llm_client.chat(MESSAGES, json_mode=True, top_logprobs=1)
    assert ["stream" in r for r in openai_server.requests] == [False, False]


def test_a_server_that_ignores_stream_is_read_as_a_plain_completion(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    openai_server.responder = lambda request: Reply('{"a": 1}', streaming="plain")
    assert llm_client.chat_json(MESSAGES) == {"a": 1}
    assert llm_client.chat_json(MESSAGES, temperature=0.5) == {"a": 1}
    # one request each: the first was read whole, the second was not streamed at all
    assert [r.get("stream", False) for r in openai_server.requests] == [True, False]


def test_a_server_that_rejects_stream_gets_the_same_request_plain(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    openai_server.responder = lambda request: Reply('{"a": 1}', streaming="reject")
    assert llm_client.chat_json(MESSAGES) == {"a": 1}
    assert llm_client.chat_json(MESSAGES, temperature=0.5) == {"a": 1}
    assert [r.get("stream", False) for r in openai_server.requests] == [True, False, False]
    assert all(r["response_format"] == {"type": "json_object"} for r in openai_server.requests)


def test_a_bad_request_is_not_blamed_on_streaming_for_good(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    # the plain request fails the same way (and so does the one without JSON mode): streaming
    # stays on for the next request
    openai_server.responder = Script([Reply("context length exceeded", status=400)] * 3 + ['{"a": 1}'])
    client = make_client(openai_server, tmp_path)
    with pytest.raises(LLMError, match="context length exceeded"):
        client.chat_json(MESSAGES)
    assert client.chat_json(MESSAGES, temperature=0.5) == {"a": 1}
    assert [r.get("stream", False) for r in openai_server.requests] == [True, False, False, True]


def test_a_stream_cut_short_is_asked_again_without_streaming(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    # llama-cpp-python cuts a stream when another request arrives (interrupt_requests)
    openai_server.responder = lambda request: Reply(chunks=['{"a": ', "1, ", '"b": 2}'], cut_after=1)
    assert llm_client.chat_json(MESSAGES) == {"a": 1, "b": 2}
    assert [r.get("stream", False) for r in openai_server.requests] == [True, False]
    assert llm_client.stream_json  # a cut is about that request, not the server


def test_a_stream_that_ends_without_a_finish_reason_is_asked_again_without_streaming(
    openai_server: OpenAITestServer, llm_client: LLMClient
) -> None:
    openai_server.responder = Script([Reply(chunks=['{"a": ', "1"], finish_reason=None), '{"a": 1, "b": 2}'])
    assert llm_client.chat_json(MESSAGES) == {"a": 1, "b": 2}
    assert [r.get("stream", False) for r in openai_server.requests] == [True, False]


def test_the_timeout_bounds_the_whole_stream(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    # every chunk arrives within the read timeout, the reply as a whole does not
    slow = Reply(chunks=['{"a": "'] + ["x"] * 40 + ['"}'], chunk_delay=0.05)
    openai_server.responder = Script([slow, '{"a": "quick"}'])
    client = make_client(openai_server, tmp_path, timeout=0.5)
    started = time.monotonic()
    assert client.chat_json(MESSAGES) == {"a": "quick"}
    assert time.monotonic() - started < 1.8
    assert openai_server.request_count == 2


def test_streaming_can_be_turned_off(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    openai_server.responder = lambda request: '{"a": 1}'
    client = make_client(openai_server, tmp_path, stream_json=False)
    assert client.chat_json(MESSAGES) == {"a": 1}
    assert "stream" not in openai_server.requests[0]


@pytest.mark.parametrize(
    ("pieces", "kept"),
    [
        (['  {"a": "}"', "}", " tail"], '  {"a": "}"}'),
        (["```json\n", "[1, [2]", "]\n```"], "```json\n[1, [2]]"),
        (['{"a": "\\\\"', "}  "], '{"a": "\\\\"}'),
        (["Here: ", "{}"], None),
        (["``x {}"], None),
        (['{"a": [1', "2"], None),
    ],
)
def test_object_end(pieces: list[str], kept: str | None) -> None:
    watcher, seen = ObjectEnd(), ""
    for piece in pieces:
        end = watcher.feed(piece)
        if end is not None:
            assert seen + piece[:end] == kept and watcher.done
            return
        seen += piece
    assert kept is None and not watcher.done
