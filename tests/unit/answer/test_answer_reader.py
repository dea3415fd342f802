"""The LLM reader against the local OpenAI-compatible test server: good answers, invented
citations, refusals, plain-text replies."""

import json
from pathlib import Path
from typing import Any

from hippo.answer.reader import LLMReader, parse_reply, resolve_citations
from hippo.types import Hit
from tests.support.fixtures import llm_client, openai_server  # noqa: F401
from tests.support.openai_server import OpenAITestServer

HITS = [
    Hit("psg-aaa", "doc-1", "The Glass Orchard", "The Glass Orchard is a 1974 novel by Maren Tolvik.", 0.9),
    Hit("psg-bbb", "doc-2", "Maren Tolvik", "Tolvik was born in Ostravel, a harbour town.", 0.5),
]
QUESTION = "In which town was the author of The Glass Orchard born?"


def test_good_answer_cites_context_passages(openai_server: OpenAITestServer, llm_client: Any) -> None:  # noqa: F811
    openai_server.responder = lambda req: json.dumps({"answer": "Ostravel", "citations": ["P1", "P2"]})
    reply = LLMReader(llm_client).read(QUESTION, HITS)
    assert reply.answer == "Ostravel"
    assert reply.citations == ["psg-aaa", "psg-bbb"]
    assert not reply.rejected and not reply.refused
    sent = openai_server.requests[0]
    user = sent["messages"][-1]["content"]
    assert "[P1] The Glass Orchard" in user and "[P2] Maren Tolvik" in user and QUESTION in user
    assert sent["response_format"] == {"type": "json_object"}


def test_fabricated_citations_are_rejected_not_passed_on(openai_server: OpenAITestServer, llm_client: Any) -> None:  # noqa: F811
    openai_server.responder = lambda req: json.dumps(
        {"answer": "Ostravel", "citations": ["P2", "P7", "psg-invented", "psg-aaa"]}
    )
    reply = LLMReader(llm_client).read(QUESTION, HITS)
    assert reply.citations == ["psg-bbb", "psg-aaa"]
    assert reply.rejected == ["P7", "psg-invented"]


def test_refusals_are_empty_answers_with_a_reason(openai_server: OpenAITestServer, llm_client: Any) -> None:  # noqa: F811
    openai_server.responder = lambda req: json.dumps(
        {"answer": None, "citations": [], "reason": "the passages do not name a town"}
    )
    reply = LLMReader(llm_client).read(QUESTION, HITS)
    assert reply.refused and reply.answer == "" and reply.citations == []
    assert "do not name" in reply.reason


def test_refusal_phrases_in_the_answer_field_count_as_refusals() -> None:
    for text in ("I don't know", "Not enough information.", "The passages do not say", "unknown"):
        reply = parse_reply(json.dumps({"answer": text, "citations": ["P1"]}), HITS)
        assert reply.refused and reply.answer == "", text
    assert not parse_reply(json.dumps({"answer": "Knowle", "citations": []}), HITS).refused


def test_plain_text_reply_with_bracket_citations() -> None:
    reply = parse_reply("Ostravel [P2] [P9]", HITS)
    assert reply.answer == "Ostravel"
    assert reply.citations == ["psg-bbb"] and reply.rejected == ["P9"]
    refusal = parse_reply("I'm sorry, I cannot answer that from these passages.", HITS)
    assert refusal.refused and refusal.answer == ""


def test_resolve_citations_accepts_labels_and_ids_once_each() -> None:
    ok, rejected = resolve_citations(["p1", "[P1]", "PSG-BBB", " ", "P3"], HITS)
    assert ok == ["psg-aaa", "psg-bbb"] and rejected == ["P3"]


def test_replies_are_cached_per_request(openai_server: OpenAITestServer, llm_client: Any, tmp_path: Path) -> None:  # noqa: F811
    openai_server.responder = lambda req: json.dumps({"answer": "Ostravel", "citations": ["P2"]})
    reader = LLMReader(llm_client)
    reader.read(QUESTION, HITS)
    reader.read(QUESTION, HITS)
    assert openai_server.request_count == 1
