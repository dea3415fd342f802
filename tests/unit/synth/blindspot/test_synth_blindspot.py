"""Blind-spot scoring against the local OpenAI-compatible test server: every statement is judged,
yes/no synonyms are pooled, high-loss units seed first, losses are stored and reused, and a
trainee without logprobs is reported with its fallback."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hippo.memory import Memory
from hippo.store.sqlite import SQLiteStore
from hippo.synth.blindspot.scorer import FALLBACK_KIND, LOSS_KIND
from hippo.synth.blindspot.trainee import Verdict, pooled_p_yes, statement_loss
from hippo.synth.pipeline import Synthesizer, SynthOptions
from tests.support.openai_server import OpenAITestServer, Reply
from tests.unit.synth.test_synth_topology import build_graph

KNOWN = ("Anselm Roe", "Pellin", "Skarn River", "Orchard Keeper")  # the trainee knows these
STATEMENT_RE = re.compile(r"Statement: (.*?)\n\nWrite", re.DOTALL)
TRAINEE_RE = re.compile(r"Statement: (.*)$", re.DOTALL)


def synth_responder(request: dict[str, Any]) -> str:
    prompt = request["messages"][-1]["content"]
    statement = STATEMENT_RE.search(prompt).group(1)  # type: ignore[union-attr]
    return json.dumps(
        {"paraphrases": [f"In other words, {statement}", f"Put simply, {statement}"],
         "negations": [f"It is false that {statement}", f"Never was it so that {statement}"]}
    )


def truth(statement: str) -> bool:
    return not statement.startswith(("It is false", "Never was"))


def trainee_responder(request: dict[str, Any]) -> Reply:
    statement = TRAINEE_RE.search(request["messages"][-1]["content"]).group(1)  # type: ignore[union-attr]
    knows = any(k in statement for k in KNOWN)
    says_yes = truth(statement) if knows else not truth(statement)
    # synonyms and case variants on purpose: their mass must be pooled
    if says_yes:
        top = [("Yes", -0.05), (" yes", -3.5), ("No", -4.0), ("maybe", -5.0)]
    else:
        top = [("No", -0.05), (" no", -3.5), ("Yes", -4.0), ("maybe", -5.0)]
    return Reply(text=top[0][0], logprobs=[(top[0][0], top)])


def no_logprob_trainee(request: dict[str, Any]) -> str:
    return "yes"


@pytest.fixture
def servers() -> Iterator[tuple[OpenAITestServer, OpenAITestServer]]:
    with OpenAITestServer(synth_responder) as synth, OpenAITestServer(trainee_responder) as trainee:
        yield synth, trainee


def make_memory(tmp_path: Path, synth: OpenAITestServer, trainee: OpenAITestServer) -> Memory:
    store = SQLiteStore(tmp_path / "g.db")
    build_graph(store, "ns")
    return Memory(
        store=store,
        namespace="ns",
        synth_base_url=synth.base_url,
        synth_model="test-model",
        trainee_base_url=trainee.base_url,
        trainee_model="test-model",
        cache_dir=str(tmp_path / "cache"),
        llm_max_retries=1,
    )


def test_pooling_sums_synonyms_then_normalises() -> None:
    p = pooled_p_yes([("Yes", math.log(0.5)), (" yes", math.log(0.2)), ("NO", math.log(0.1)), ("x", math.log(0.2))])
    assert p == pytest.approx(0.7 / 0.8)
    assert pooled_p_yes([("maybe", -0.1)]) is None
    assert statement_loss(Verdict(0.8, "yes"), True) == pytest.approx(-math.log(0.8))
    assert statement_loss(Verdict(0.8, "yes"), False) == pytest.approx(-math.log(0.2))
    assert statement_loss(Verdict(None, "yes"), True) is None


def test_every_statement_is_judged_and_high_loss_units_seed_first(tmp_path: Path, servers: tuple[OpenAITestServer, OpenAITestServer]) -> None:
    synth, trainee = servers
    with make_memory(tmp_path, synth, trainee) as memory:
        options = SynthOptions(mode="atomic", generator="template", partitioner="khop", max_units=4, budget=100, embedding_dedupe=False)
        result = Synthesizer(memory, options).run(tmp_path / "out.jsonl")
        losses = memory.store.get_unit_scores("ns", LOSS_KIND)

    units = 11 + 9  # entities + facts of the test graph
    assert result.scoring is not None and result.scoring["scored"] == units
    # original + 2 paraphrases + 2 negations, each asked of the trainee, one token, with logprobs
    trainee_prompts = [r["messages"][-1]["content"] for r in trainee.requests]
    assert result.scoring["statements_judged"] == units * 5
    # identical statements (an entity description equal to a fact's sentence) are answered from
    # the client's cache: never asked twice, never skipped
    assert len(trainee_prompts) == len(set(trainee_prompts))
    assert all(r["max_tokens"] == 1 and r["logprobs"] and r["top_logprobs"] for r in trainee.requests)
    judged = {TRAINEE_RE.search(p).group(1) for p in trainee_prompts}  # type: ignore[union-attr]
    expected: set[str] = set()
    for req in synth.requests:
        s = STATEMENT_RE.search(req["messages"][-1]["content"]).group(1)  # type: ignore[union-attr]
        expected |= {s, f"In other words, {s}", f"Put simply, {s}", f"It is false that {s}", f"Never was it so that {s}"}
    assert judged == expected

    assert len(losses) == units
    known_loss = max(v for k, v in losses.items() if k in _known_units(tmp_path))
    unknown_loss = min(v for k, v in losses.items() if k not in _known_units(tmp_path))
    assert known_loss < 0.2 < 2.0 < unknown_loss

    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    first_known = next(i for i, r in enumerate(records) if any(k in r["output"] for k in KNOWN))
    # every pair about a unit the trainee gets wrong comes before the first it gets right
    assert all(not any(k in r["output"] for k in KNOWN) for r in records[:first_known])
    assert any(not any(k in r["output"] for k in KNOWN) for r in records)
    assert records[0]["meta"]["difficulty"] == "hard" and records[-1]["meta"]["difficulty"] == "easy"
    assert records[0]["meta"]["loss"] > records[-1]["meta"]["loss"]
    assert result.ordering["source"] == "loss"


def _known_units(tmp_path: Path) -> set[str]:
    store = SQLiteStore(tmp_path / "g.db")
    try:
        g = store.export("ns")
        ents = {e for e, n in zip(g.entity_ids, g.entity_names, strict=True) if any(k in n for k in KNOWN)}
        facts = {f for f, t in zip(g.fact_ids, g.fact_texts, strict=True) if any(k in t for k in KNOWN)}
        return ents | facts
    finally:
        store.close()


def test_stored_losses_are_reused(tmp_path: Path, servers: tuple[OpenAITestServer, OpenAITestServer]) -> None:
    synth, trainee = servers
    with make_memory(tmp_path, synth, trainee) as memory:
        Synthesizer(memory, SynthOptions(generator="template", embedding_dedupe=False)).run(tmp_path / "a.jsonl")
        asked = trainee.request_count
        again = Synthesizer(memory, SynthOptions(generator="template", embedding_dedupe=False)).run(tmp_path / "b.jsonl")
    assert asked > 0 and trainee.request_count == asked
    assert again.scoring is not None and again.scoring["scored"] == 0 and again.scoring["reused"] == 20


def test_trainee_without_logprobs_is_reported_with_its_fallback(tmp_path: Path) -> None:
    with OpenAITestServer(synth_responder) as synth, OpenAITestServer(no_logprob_trainee) as trainee:
        with make_memory(tmp_path, synth, trainee) as memory:
            result = Synthesizer(memory, SynthOptions(generator="template", embedding_dedupe=False)).run(tmp_path / "out.jsonl")
            stored = memory.store.get_unit_scores("ns", LOSS_KIND)
            fallback = memory.store.get_unit_scores("ns", FALLBACK_KIND)
    assert result.scoring is not None and result.scoring["units_without_logprobs"] == 20
    assert result.ordering["source"] == "accuracy_fallback"
    assert "no logprobs" in result.ordering["note"]
    assert any("no logprobs" in w for w in result.warnings)
    assert stored == {} and len(fallback) == 20
    # always "yes": right on the original and 2 paraphrases, wrong on the 2 negations — the
    # negations were judged too, or the loss would be -log 0.99
    expected = (3 * -math.log(0.99) + 2 * -math.log(0.01)) / 5
    assert all(v == pytest.approx(expected) for v in fallback.values())


def completions_shape_trainee(request: dict[str, Any]) -> Reply:
    reply = trainee_responder(request)
    reply.logprobs_shape = "completions"  # what llama-cpp-python's server sends for chat
    return reply


def test_logprobs_in_the_completions_shape_give_real_losses(tmp_path: Path) -> None:
    with OpenAITestServer(synth_responder) as synth, OpenAITestServer(completions_shape_trainee) as trainee:
        with make_memory(tmp_path, synth, trainee) as memory:
            options = SynthOptions(generator="template", max_units=4, embedding_dedupe=False)
            result = Synthesizer(memory, options).run(tmp_path / "out.jsonl")
            losses = memory.store.get_unit_scores("ns", LOSS_KIND)
    assert result.scoring is not None and result.scoring["units_without_logprobs"] == 0
    assert set(result.scoring["logprobs_shapes"]) == {"completions"}
    assert result.ordering["source"] == "loss"
    assert min(losses.values()) < 0.2 < 2.0 < max(losses.values())


def test_empty_paraphrases_and_negations_are_retried_then_marked_unreliable(tmp_path: Path) -> None:
    asked: dict[str, int] = {}

    def stingy(request: dict[str, Any]) -> str:
        statement = STATEMENT_RE.search(request["messages"][-1]["content"]).group(1)  # type: ignore[union-attr]
        asked[statement] = asked.get(statement, 0) + 1
        if "Pellin" in statement:  # never helps with these
            return json.dumps({"paraphrases": [], "negations": []})
        if asked[statement] == 1:  # empty the first time, fine when asked again
            return json.dumps({"paraphrases": ["p"], "negations": []})
        return synth_responder(request)

    with OpenAITestServer(stingy) as synth, OpenAITestServer(trainee_responder) as trainee:
        with make_memory(tmp_path, synth, trainee) as memory:
            result = Synthesizer(memory, SynthOptions(generator="template", embedding_dedupe=False)).run(tmp_path / "o.jsonl")
    scoring = result.scoring
    assert scoring is not None
    assert all(n == 2 for n in asked.values())  # every incomplete reply was asked once more, no more
    pellin = [s for s in asked if "Pellin" in s]
    assert pellin and scoring["incomplete_statements"] == len(pellin)
    assert scoring["retried_statements"] == len(asked)
    assert scoring["unreliable_units"]


def test_scoring_judges_only_what_the_budget_can_use(tmp_path: Path, servers: tuple[OpenAITestServer, OpenAITestServer]) -> None:
    synth, trainee = servers
    with make_memory(tmp_path, synth, trainee) as memory:
        options = SynthOptions(generator="template", budget=1, embedding_dedupe=False, score=True)
        first = Synthesizer(memory, options).run(tmp_path / "a.jsonl")
        assert first.scoring is not None
        # 20 units in the graph; a budget of 1 pair plans max(10, 4 x 1) of them, not all 20
        assert first.scoring["planned"] == 10 and first.scoring["scored"] == 10
        assert first.scoring["left_unscored"] == 10
        assert len(synth.requests) <= 10  # units sharing a statement are judged once
        capped = Synthesizer(memory, SynthOptions(generator="template", budget=1, embedding_dedupe=False,
                                                  score=True, score_units=3)).run(tmp_path / "b.jsonl")
        assert capped.scoring is not None and capped.scoring["scored"] == 3 and capped.scoring["reused"] == 10


def test_scoring_is_on_by_default_only_when_a_trainee_is_named(tmp_path: Path) -> None:
    with OpenAITestServer(synth_responder) as llm:
        store = SQLiteStore(tmp_path / "g.db")
        build_graph(store, "ns")
        # only HIPPO_LLM_*: the trainee would fall back to the same endpoint — not asked for
        with Memory(store=store, namespace="ns", llm_base_url=llm.base_url, llm_model="m",
                    cache_dir=str(tmp_path / "c"), llm_max_retries=1) as memory:
            result = Synthesizer(memory, SynthOptions(generator="template", embedding_dedupe=False)).run(tmp_path / "o.jsonl")
    assert result.scoring is None
    assert not any("Statement:" in r["messages"][-1]["content"] for r in llm.requests)
