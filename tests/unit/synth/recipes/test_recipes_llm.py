"""The new recipes' LLM paths against the local OpenAI-compatible test server, through the same
client and pipeline a user runs: provenance, counted rule rejections, Genie LLM scorers, the
quality report's recipe sections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hippo.memory import Memory
from hippo.synth.recipes.wrap.options import STYLES
from hippo.synth.report.quality import build_report
from hippo.synth.topology import Topology
from tests.support.openai_server import OpenAITestServer
from tests.support.synth_llm import run_synth


def _name(text: str) -> str:
    words = text.split()
    return " ".join(words[:2]) if len(words) > 1 and words[1][:1].isupper() else words[0]


def responder(request: dict[str, Any]) -> str:
    prompt = request["messages"][-1]["content"]
    if "Is every claim of the answer supported" in prompt:
        return json.dumps({"grounded": True, "reason": "test"})
    if "natural language inference" in prompt:
        return json.dumps({"entailment": 0.9})
    if "Rate how useful" in prompt:
        return json.dumps({"score": 8})
    if "explains how these entities are related" in prompt:
        names = prompt.split("\nEntities: ", 1)[1].split(".\n", 1)[0]
        return json.dumps({"text": f"{names.replace(', ', ' and ')} appear together in one account."})
    if "Write up to 5 questions" in prompt:
        passage = prompt.split("Passage:\n", 1)[1].split("\n\nWrite up to", 1)[0]
        return json.dumps({"pairs": [
            {"question": f"What is recorded about {_name(passage)}?", "answer": passage},
            {"question": "What does this passage describe?", "answer": passage},
        ]})
    if "Write the instruction or question" in prompt:
        text = prompt.split("Text written by a person:\n", 1)[1]
        return json.dumps({"instruction": f"Tell me about {_name(text)}."})
    if "Rephrase this text" in prompt:
        text = prompt.split("Text:\n", 1)[1].split("\n\nRephrase", 1)[0]
        style = next(k for k, v in STYLES.items() if v in prompt)
        return json.dumps({"text": f"{text} ({style})"})
    if "one branch of a task tree" in prompt:
        triple = prompt.split("Facts:\n1. ", 1)[1].split(" (source", 1)[0].split("\n", 1)[0]
        return json.dumps({"pairs": [{"fact": 1, "question": f"Which fact links {triple}?", "answer": f"{triple}."}]})
    if "Write one question that starts" in prompt:
        start = prompt.split("starts from ", 1)[1].split(" and whose", 1)[0]
        end = prompt.split("whose answer is ", 1)[1].split(", following", 1)[0]
        return json.dumps({"question": f"Starting from {start} and following three facts, which entity is reached?",
                           "answer": f"{end}."})
    return "{}"


@pytest.fixture(scope="module")
def server() -> Any:
    with OpenAITestServer(responder) as srv:
        yield srv


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.mark.parametrize("mode", ["entigraph", "selfqa", "longform", "wrap", "treesynth", "deep_research"])
def test_llm_recipes_write_records_with_provenance(memory: Memory, server: OpenAITestServer, tmp_path: Path, mode: str) -> None:
    out = tmp_path / f"{mode}.jsonl"
    result = run_synth(memory, server, out, mode=mode)
    records = _records(out)
    assert records, result.rejections
    for rec in records:
        meta = rec["meta"]
        assert meta["mode"] == mode and meta["generator"] in ("llm:test-model", "original")
        assert meta["provenance"]["passage_ids"] and meta["provenance"]["entity_ids"]
    if mode in ("entigraph", "wrap"):
        assert all(set(r) == {"text", "provenance", "meta"} for r in records)
    if mode == "entigraph":
        assert {len(r["meta"]["entities"]) for r in records} <= {2, 3}
    if mode == "selfqa":  # the "this passage" question of every reply was caught by a rule
        assert result.rejections["selfqa_demonstrative"] >= 1
        assert all("this" not in r["instruction"].lower() for r in records)
    if mode == "longform":
        texts = {p.text for p in memory.store.iter_passages("ns").__next__()}
        assert all(r["output"] in texts for r in records)
    if mode == "wrap":
        assert {r["meta"]["style"] for r in records} == {"easy", "wikipedia", "hard", "qa"}
    if mode == "treesynth":
        assert all(r["meta"]["leaf"].startswith("entity_type=") for r in records)
    if mode == "deep_research":
        assert all(len(r["meta"]["path"]) == 4 for r in records)
        topo = Topology.from_store(memory.store, "ns")
        assert all(topo.shortest_hops(r["meta"]["path"][0], r["meta"]["path"][-1]) == 3 for r in records)
    report = build_report(out, Topology.from_store(memory.store, "ns"))
    assert report["provenance_share"] == 1.0
    section = {"selfqa": "selfqa", "longform": "longform"}.get(mode, mode)
    assert report["recipes"][section]["records"] == len(records)


def test_wrap_interleaves_real_text_one_to_one(memory: Memory, server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "wrap-mix.jsonl"
    run_synth(memory, server, out, mode="wrap", wrap_interleave=True)
    styles = [r["meta"]["style"] for r in _records(out)]
    assert styles.count("original") == len(styles) - styles.count("original") > 0
    assert build_report(out)["recipes"]["wrap"]["real_to_synthetic"] == f"{len(styles) // 2}:{len(styles) // 2}"


def test_genie_llm_scorers_score_every_kept_record(memory: Memory, server: OpenAITestServer, tmp_path: Path) -> None:
    out = tmp_path / "scored.jsonl"
    before = server.request_count
    run_synth(memory, server, out, mode="longform", filters=("format", "faithfulness", "quality"))
    records = _records(out)
    assert records
    for rec in records:
        assert rec["meta"]["scores"]["faithfulness"] == 0.9
        assert rec["meta"]["scores"]["quality"] == pytest.approx(7 / 9, abs=1e-3)
    asked = [r["messages"][-1]["content"] for r in server.requests[before:]]
    assert sum("natural language inference" in p for p in asked) >= len(records)
    assert build_report(out)["recipes"]["filter_scores"]["quality"]["records"] == len(records)


def test_quality_threshold_rejects_and_counts(memory: Memory, server: OpenAITestServer, tmp_path: Path) -> None:
    strict = Memory(store=memory.store, namespace="ns", cache_dir=str(tmp_path / "cache"), llm_base_url="",
                    trainee_base_url="", synth_quality_threshold=0.9)
    result = run_synth(strict, server, tmp_path / "strict.jsonl", mode="longform", filters=("quality",))
    assert result.written == 0 and result.rejections["quality_below_threshold"] >= 1


def test_an_atomic_reply_without_usable_pairs_is_a_counted_failure(
    memory: Memory, server: OpenAITestServer, tmp_path: Path
) -> None:
    # the responder answers the atomic prompt with "{}": no pairs, which must not vanish uncounted
    out = tmp_path / "atomic.jsonl"
    result = run_synth(memory, server, out, mode="atomic", generator="llm", judge=False, budget=3)
    assert result.written == 0
    assert result.rejections["llm_bad_json"] >= 1, result.rejections
