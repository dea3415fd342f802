"""The four LLM modes and the LLM judge against the local test server: provenance, counted
rejections (judge, self-containedness), and reruns served from the reply cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hippo.memory import Memory
from hippo.synth.pipeline import Synthesizer, SynthOptions
from tests.support.openai_server import OpenAITestServer
from tests.support.synth_llm import run_synth


def synth_responder(request: dict[str, Any]) -> str:
    prompt = request["messages"][-1]["content"]
    if "Is every claim of the answer supported" in prompt:
        # the judge rejects answers that mention Pellin, accepts the rest
        answer = prompt.split("\nAnswer: ", 1)[1]
        return json.dumps({"grounded": "Pellin" not in answer, "reason": "test"})
    if "For each numbered fact" in prompt:
        return json.dumps({"pairs": [
            {"fact": 1, "question": "Who wrote The Glass Orchard, according to the passage?", "answer": "Maren Tolvik."},
            {"fact": 1, "question": "Which novel did Maren Tolvik write?", "answer": "Maren Tolvik wrote The Glass Orchard."},
        ]})
    if "Rewrite all of these" in prompt:
        first = prompt.split("Entities:\n- ", 1)[1].split(":")[0].split("\n")[0]
        return json.dumps({"text": f"{first} is part of a small knowledge graph about towns and novels."})
    if "Write the one question" in prompt:
        name = prompt.split("Text:\n", 1)[1].split(" is part of")[0]
        return json.dumps({"question": f"What is known about {name}?"})
    if "Write a question that starts from" in prompt:
        start = prompt.split("starts from ", 1)[1].split(",")[0]
        end = prompt.split("to reach the answer ", 1)[1].split(". Do not")[0]
        return json.dumps({"question": f"Starting from {start}, which entity lies two facts away?", "answer": f"{end}."})
    if "Design a question" in prompt:
        first = prompt.split("Entities:\n- ", 1)[1].split(":")[0].split("\n")[0]
        return json.dumps({"question": f"How is {first} connected to the rest?", "reasoning_path": ["Look up the first fact.", "Follow it."]})
    if "Reasoning plan" in prompt:
        name = prompt.split("Question: How is ", 1)[1].split(" connected")[0]
        return json.dumps({"answer": f"Step 1: look it up.\nStep 2: it leads to {name}.\nAnswer: {name}"})
    return "{}"


@pytest.mark.parametrize("mode", ["atomic", "aggregated", "multi_hop", "cot"])
def test_llm_modes_write_grounded_pairs_with_provenance(memory: Memory, tmp_path: Path, mode: str) -> None:
    with OpenAITestServer(synth_responder) as server:
        out = tmp_path / f"{mode}.jsonl"
        partitioner = "path2" if mode == "multi_hop" else "khop"
        result = run_synth(memory, server, out, mode=mode, partitioner=partitioner)
        records = [json.loads(line) for line in out.read_text().splitlines()]
        assert records, result.rejections
        for rec in records:
            meta = rec["meta"]
            assert meta["generator"] == "llm:test-model" and meta["mode"] == mode
            assert meta["provenance"]["passage_ids"] and meta["provenance"]["entity_ids"]
            assert "Pellin" not in rec["output"]  # the judge's verdict was applied
        if mode == "multi_hop":
            assert all(len(r["meta"]["path"]) == 3 for r in records)
        if mode == "cot":  # the reasoning stays in the record and in meta, the final answer last
            assert all(r["output"].startswith("Step 1: ") and "\nAnswer: " in r["output"] for r in records)
            assert all(r["meta"]["reasoning"] and r["meta"]["final_answer"] for r in records)
        if mode == "atomic":
            assert result.rejections["refers_to_source"] >= 1
        judged = sum("Is every claim" in r["messages"][-1]["content"] for r in server.requests)
        assert judged >= len(records)
        if mode in ("aggregated", "cot"):  # some subgraph opens with Pellin, which the judge refuses
            assert result.rejections["judge_rejected"] >= 1

        # a rerun into a fresh file pays for nothing: every reply comes from the cache
        before = server.request_count
        again = run_synth(memory, server, tmp_path / f"{mode}-2.jsonl", mode=mode, partitioner=partitioner)
        assert server.request_count == before and again.written == result.written


def test_modes_without_templates_refuse_to_run_offline(memory: Memory, tmp_path: Path) -> None:
    from hippo.errors import UserError

    with pytest.raises(UserError, match="no offline template"):
        Synthesizer(memory, SynthOptions(mode="cot", generator="template")).run(tmp_path / "x.jsonl")


def test_cot_pairs_whose_reasoning_only_restates_the_answer_are_rejected(memory: Memory, tmp_path: Path) -> None:
    def bare(request: dict[str, Any]) -> str:
        prompt = request["messages"][-1]["content"]
        if "Design a question" in prompt:
            return json.dumps({"question": "Which river is it?", "reasoning_path": ["The Skarn River"]})
        if "Reasoning plan" in prompt:
            return json.dumps({"answer": "The Skarn River"})  # what a real 0.5B model replied
        return synth_responder(request)

    with OpenAITestServer(bare) as server:
        result = run_synth(memory, server, tmp_path / "cot.jsonl", mode="cot", partitioner="khop")
    assert result.written == 0 and result.rejections["no_reasoning"] >= 1
