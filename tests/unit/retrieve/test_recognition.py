"""HippoRAG 2's recognition filter against a real OpenAI-compatible test server: what the model
keeps seeds PageRank, nothing kept falls back to dense, a broken reply keeps every fact."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hippo.memory import Memory
from hippo.retrieve.recognition import parse_kept
from hippo.types import Document
from tests.support.openai_server import OpenAITestServer

DOCS = [
    Document("d1", "Glass Orchard", "The Glass Orchard is a novel by Maren Tolvik."),
    Document("d2", "Maren Tolvik", "Maren Tolvik was born in Ostravel, a harbour town."),
    Document("d3", "Ostravel", "Ostravel lies on the northern coast of Veldmark."),
    Document("d4", "Pellin", "Pellin is a river town known for barley stews."),
]
FACT_LINE = re.compile(r"^(\d+)\. (.*)$", re.MULTILINE)


def test_parse_kept_takes_numbers_in_range_in_rank_order() -> None:
    assert parse_kept({"relevant": [3, 1, "2", 9]}, 5, 4) == [0, 1, 2]
    assert parse_kept({"relevant": [5, 4, 3, 2, 1]}, 5, 4) == [0, 1, 2, 3]
    assert parse_kept({"relevant": []}, 5, 4) == []
    assert parse_kept({"relevant": "1"}, 5, 4) is None
    assert parse_kept({"other": [1]}, 5, 4) is None
    assert parse_kept({"relevant": [True]}, 5, 4) is None


def _keeping_tolvik(shown: list[list[str]]) -> Callable[[dict[str, Any]], str]:
    """A fake LLM that keeps the numbered candidates mentioning Tolvik and records what it was shown."""

    def reply(request: dict[str, Any]) -> str:
        candidates = FACT_LINE.findall(request["messages"][-1]["content"])
        shown.append([text for _, text in candidates])
        return json.dumps({"relevant": [int(n) for n, text in candidates if "tolvik" in text.lower()]})

    return reply


def _memory(tmp_path: Path, server: OpenAITestServer, **kw: Any) -> Memory:
    return Memory(store=f"sqlite:///{tmp_path / 'g.db'}", namespace="rf", llm_base_url=server.base_url,
                  llm_model="test-model", cache_dir=str(tmp_path / "cache"), llm_max_retries=0,
                  embedding_cache="off", **kw)


@pytest.mark.slow
def test_the_filter_decides_which_linked_facts_seed(tmp_path: Path) -> None:
    shown: list[list[str]] = []
    with OpenAITestServer(_keeping_tolvik(shown)) as server, _memory(tmp_path, server) as memory:
        memory.add_documents(DOCS)
        question = "Where was the author of The Glass Orchard born?"
        unfiltered = memory.query(question, top_k=4, mode="hipporag2")
        assert server.request_count == 0  # off unless asked
        filtered = memory.query(question, top_k=4, mode="hipporag2", recognition_filter=True)
        assert server.request_count == 1 and shown[0]
        linked = [f.text for f in filtered.explanation.linked_facts or []]
        assert linked and all("tolvik" in t.lower() for t in linked)
        assert len(linked) <= 4 and set(linked) <= set(shown[0])
        assert len(unfiltered.explanation.linked_facts or []) >= len(linked)
        memory.query(question, top_k=4, mode="hipporag2", recognition_filter=True)
        assert server.request_count == 1  # the reply is cached


@pytest.mark.slow
def test_nothing_kept_falls_back_to_dense_and_a_broken_reply_keeps_all(tmp_path: Path) -> None:
    replies = iter(['{"relevant": []}', "not json at all", "not json at all"])
    with OpenAITestServer(lambda request: next(replies)) as server, \
            _memory(tmp_path, server, recognition_filter=True) as memory:
        memory.add_documents(DOCS)
        none_kept = memory.query("Which river town is known for barley stews?", top_k=2, mode="hipporag2")
        assert "dense" in (none_kept.explanation.fallback or "")
        broken = memory.query("Where does Ostravel lie?", top_k=2, mode="hipporag2")
        assert broken.explanation.linked_facts  # unfiltered, the query is still answered
        assert memory.recognition_filter.counts.failed == 1
        assert memory.recognition_filter.counts.kept_none == 1


@pytest.mark.slow
def test_in_bridge_mode_the_filter_decides_which_linked_sentences_seed(tmp_path: Path) -> None:
    shown: list[list[str]] = []
    with OpenAITestServer(_keeping_tolvik(shown)) as server, _memory(tmp_path, server) as memory:
        memory.add_documents(DOCS)
        question = "Where was the author of The Glass Orchard born?"
        unfiltered = memory.query(question, top_k=4, mode="bridge")
        filtered = memory.query(question, top_k=4, mode="bridge", recognition_filter=True)
        assert server.request_count == 1 and shown[0] == unfiltered.explanation.top_sentences
        kept = filtered.explanation.top_sentences or []
        assert kept and all("tolvik" in t.lower() for t in kept) and set(kept) < set(shown[0])


@pytest.mark.slow
def test_in_bridge_mode_no_sentence_kept_falls_back_to_dense(tmp_path: Path) -> None:
    with OpenAITestServer(lambda request: '{"relevant": []}') as server, \
            _memory(tmp_path, server, recognition_filter=True) as memory:
        memory.add_documents(DOCS)
        result = memory.query("Which river town is known for barley stews?", top_k=2, mode="bridge")
    assert "no sentence passed the filter" in (result.explanation.fallback or "")
