"""The verifiable formats offline (cloze, mcq, true_false) and the rl record format: every answer
key exact-matches its cited passage, mcq distractors and false claims' objects are never linked
to the entity asked about in the graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.memory import Memory
from hippo.synth.formats import decode, encode
from hippo.synth.pipeline import Synthesizer, SynthOptions
from hippo.synth.topology import Topology


def _run(memory: Memory, tmp_path: Path, mode: str, fmt: str = "rl") -> list[dict]:
    out = tmp_path / f"{mode}.jsonl"
    options = SynthOptions(mode=mode, generator="template", fmt=fmt, embedding_dedupe=False, round_trip=False)
    Synthesizer(memory, options).run(out)
    return [json.loads(line) for line in out.read_text().splitlines()]


def _cited_text(memory: Memory, rec: dict) -> list[str]:
    return [p.text for p in memory.store.get_passages(memory.namespace, rec["meta"]["provenance"]["passage_ids"])]


@pytest.mark.parametrize("mode", ["cloze", "mcq", "true_false"])
def test_verifiable_keys_are_text_of_the_cited_passages(memory: Memory, tmp_path: Path, mode: str) -> None:
    records = _run(memory, tmp_path, mode)
    assert records
    for rec in records:
        assert set(rec) >= {"prompt", "answer", "meta"} and rec["meta"]["mode"] == mode
        texts = _cited_text(memory, rec)
        evidence = rec["meta"].get("evidence") or rec["answer"]
        assert any(evidence in t for t in texts), rec
        if mode == "cloze":
            assert "____" in rec["prompt"] and rec["answer"] not in rec["prompt"]
        if mode == "true_false":
            assert rec["answer"] in ("true", "false") and rec["choices"] == ["true", "false"]


def test_mcq_distractors_are_never_linked_to_the_asked_entity(memory: Memory, tmp_path: Path) -> None:
    topo = Topology.from_store(memory.store, memory.namespace)
    by_name = {n.casefold(): e for e, n in topo.entity_names.items()}
    for rec in _run(memory, tmp_path, "mcq"):
        assert rec["answer"] in rec["choices"] and len(rec["choices"]) >= 3
        (fid,) = rec["meta"]["provenance"]["fact_ids"]
        asked = [e for e in topo.fact_ends[fid] if topo.entity_names[e].casefold() != rec["answer"].casefold()]
        assert len(asked) == 1
        linked = {x for f in topo.incident.get(asked[0], []) for x in topo.fact_ends[f]}
        for wrong in (c for c in rec["choices"] if c != rec["answer"]):
            assert by_name[wrong.casefold()] not in linked, (rec["prompt"], wrong)  # never another true answer


def test_rl_format_round_trips_and_keeps_choices() -> None:
    rec = encode("rl", "Q?\nA. x\nB. y", "B. y", "y", ["x", "y"])
    assert rec == {"prompt": "Q?\nA. x\nB. y", "answer": "y", "choices": ["x", "y"]}
    assert decode(rec) == ("Q?\nA. x\nB. y", "y")
    assert encode("rl", "Q?", "long answer") == {"prompt": "Q?", "answer": "long answer"}
