"""LLM OpenIE against the local OpenAI-compatible test server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hippo.index.extract.llm_extractor import LLMExtractor
from hippo.index.extract.prompts import NER_SYSTEM, TRIPLES_SYSTEM
from hippo.llm.client import LLMClient, LLMUnavailable
from hippo.types import Passage, Triple
from tests.support.fixtures import make_client
from tests.support.openai_server import OpenAITestServer, Reply
from tests.support.ports import free_port

ADA = Passage(
    id="p-ada",
    doc_id="d1",
    title="Ada Lovelace",
    text="Ada Lovelace was born in London. She worked with Charles Babbage on the Analytical Engine.",
)
KYOTO = Passage(id="p-kyoto", doc_id="d2", title="Kyōto", text="Kyōto was the capital of Japan until 1869.")
BROKEN = Passage(id="p-broken", doc_id="d3", title="Broken", text="This passage gets a useless reply.")

NER = {
    "Ada Lovelace": '{"named_entities": ["Ada Lovelace", "London", "Charles Babbage", "Analytical Engine", "Paris"]}',
    "Kyōto": '```json\n{"named_entities": ["KYŌTO", "Japan", 1869,]}\n```',
    "Broken": "Sorry, I can't do that.",
}
TRIPLES = {
    "Ada Lovelace": json.dumps(
        {
            "triples": [
                ["Ada Lovelace", "born in", "London"],
                ["Ada Lovelace", "worked with", "Charles Babbage"],
                ["Ada Lovelace", "worked with", "Charles Babbage"],  # duplicate
                ["Ada Lovelace", "worked on"],  # wrong arity
                ["", "is", "nothing"],  # empty part
                ["Charles Babbage", "designed", {"not": "a string"}],
            ]
        }
    ),
    # cut off by the token limit in the middle of the second triple
    "Kyōto": '{"triples": [["Kyōto", "capital of", "Japan"], ["Kyōto", "capital of Japan unt',
}


def _passage_title(request: dict[str, Any]) -> str:
    last = str(request["messages"][-1]["content"])
    body = last.split("```\n", 1)[1]
    return body.split("\n", 1)[0]


def openie_responder(
    ner: dict[str, str | Reply | int] | None = None, triples: dict[str, str | Reply | int] | None = None
) -> Callable[[dict[str, Any]], str | Reply | int]:
    ner_replies: dict[str, str | Reply | int] = {**NER, **(ner or {})}
    triple_replies: dict[str, str | Reply | int] = {**TRIPLES, **(triples or {})}

    def respond(request: dict[str, Any]) -> str | Reply | int:
        system = request["messages"][0]["content"]
        table = ner_replies if system == NER_SYSTEM else triple_replies
        assert system in (NER_SYSTEM, TRIPLES_SYSTEM)
        return table.get(_passage_title(request), '{"triples": []}')

    return respond


@pytest.fixture
def client(openai_server: OpenAITestServer, tmp_path: Path) -> LLMClient:
    return make_client(openai_server, tmp_path, max_retries=2)


def test_good_replies_become_entities_and_valid_triples(openai_server: OpenAITestServer, client: LLMClient) -> None:
    openai_server.responder = openie_responder()
    [ada] = LLMExtractor(client).extract([ADA])
    assert ada.error is None and ada.passage_id == "p-ada"
    # "Paris" is not in the passage: dropped as invented
    assert ada.entities == ["Ada Lovelace", "London", "Charles Babbage", "Analytical Engine"]
    assert ada.triples == [
        Triple("Ada Lovelace", "born in", "London"),
        Triple("Ada Lovelace", "worked with", "Charles Babbage"),
    ]
    # the triple step is conditioned on the named entities of the first step
    triple_request = next(r for r in openai_server.requests if r["messages"][0]["content"] == TRIPLES_SYSTEM)
    assert '"Charles Babbage"' in triple_request["messages"][-1]["content"]
    assert '"Paris"' not in triple_request["messages"][-1]["content"]
    assert all(r["response_format"] == {"type": "json_object"} for r in openai_server.requests)


def test_broken_and_truncated_json_is_repaired(openai_server: OpenAITestServer, client: LLMClient) -> None:
    openai_server.responder = openie_responder()
    [kyoto] = LLMExtractor(client).extract([KYOTO])
    assert kyoto.error is None
    # fenced JSON with a trailing comma; case-insensitive match of "KYŌTO"; the year given as a number
    assert kyoto.entities == ["KYŌTO", "Japan", "1869"]
    # the half-written second triple is dropped, the complete one kept
    assert kyoto.triples == [Triple("Kyōto", "capital of", "Japan")]


def test_one_failing_passage_does_not_affect_the_others(openai_server: OpenAITestServer, client: LLMClient) -> None:
    openai_server.responder = openie_responder(triples={"Kyōto": 500})
    progress: list[tuple[str, int, int]] = []
    ada, broken, kyoto = LLMExtractor(client).extract(
        [ADA, BROKEN, KYOTO], lambda stage, done, total: progress.append((stage, done, total))
    )
    assert ada.error is None and len(ada.triples) == 2
    assert broken.error is not None and broken.error.startswith("ner:") and "can't do that" in broken.error
    assert broken.entities == [] and broken.triples == []
    assert kyoto.error is not None and kyoto.error.startswith("triples:") and "HTTP 500" in kyoto.error
    assert [x.passage_id for x in (ada, broken, kyoto)] == ["p-ada", "p-broken", "p-kyoto"]
    assert progress[-1] == ("extract", 3, 3)


def test_wrong_shape_reply_fails_the_passage(openai_server: OpenAITestServer, client: LLMClient) -> None:
    openai_server.responder = openie_responder(ner={"Ada Lovelace": '{"people": "Ada", "places": "London"}'})
    [ada] = LLMExtractor(client).extract([ADA])
    assert ada.error is not None and "named_entities" in ada.error


def test_rate_limit_then_success(openai_server: OpenAITestServer, client: LLMClient) -> None:
    inner = openie_responder()
    limited = {"count": 0}

    def respond(request: dict[str, Any]) -> str | Reply | int:
        if limited["count"] < 2:
            limited["count"] += 1
            return 429
        return inner(request)

    openai_server.responder = respond
    [ada] = LLMExtractor(client).extract([ADA])
    assert ada.error is None and len(ada.triples) == 2
    assert openai_server.request_count == 4  # two refused, then NER and triples


def test_rerun_is_free_and_retries_only_failed_passages(openai_server: OpenAITestServer, tmp_path: Path) -> None:
    openai_server.responder = openie_responder()
    first = LLMExtractor(make_client(openai_server, tmp_path)).extract([ADA, BROKEN, KYOTO])
    assert [x.error is None for x in first] == [True, False, True]
    assert openai_server.request_count == 5  # 3 NER + 2 triple steps

    openai_server.reset()
    again = LLMExtractor(make_client(openai_server, tmp_path)).extract([ADA, KYOTO])  # a new process
    assert openai_server.request_count == 0
    assert [x.triples for x in again] == [first[0].triples, first[2].triples]

    # the failed passage's useless reply was not cached: a later run asks again, and only for it
    openai_server.responder = openie_responder(ner={"Broken": '{"named_entities": ["Broken"]}'})
    third = LLMExtractor(make_client(openai_server, tmp_path)).extract([ADA, BROKEN, KYOTO])
    assert [x.error for x in third] == [None, None, None]
    assert [_passage_title(r) for r in openai_server.requests] == ["Broken", "Broken"]


def test_unreachable_endpoint_stops_the_run(tmp_path: Path) -> None:
    client = LLMClient(f"http://127.0.0.1:{free_port()}/v1", "m", backoff_base=0.01, concurrency=2)
    with pytest.raises(LLMUnavailable, match="unreachable"):
        LLMExtractor(client).extract([ADA, KYOTO, BROKEN])


def test_no_passages_no_requests(openai_server: OpenAITestServer, client: LLMClient) -> None:
    assert LLMExtractor(client).extract([]) == []
    assert openai_server.request_count == 0
