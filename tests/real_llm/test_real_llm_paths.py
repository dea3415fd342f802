"""LLM extraction, the LLM reader with citations, the recognition filter and blind-spot scoring
with real log-probabilities, against a real model."""

from __future__ import annotations

from pathlib import Path

from hippo.answer import ask
from hippo.memory import Memory
from hippo.synth.options import SynthOptions
from hippo.synth.pipeline import Synthesizer
from tests.real_llm.conftest import RealLLM, sample_documents


def test_llm_extraction_gives_triples_for_every_passage(real_llm: RealLLM, tmp_path: Path) -> None:
    with Memory(real_llm.settings(tmp_path, extractor="llm")) as memory:
        report = memory.add_documents(sample_documents(2))
        stats = memory.stats()
    assert report.failed_passages == {}, report.failed_passages
    assert report.passages == 2 and stats["facts"] >= 2 and stats["entities"] >= 2


def test_the_llm_reader_cites_only_passages_it_was_shown(sample_memory: Memory) -> None:
    answer = ask(sample_memory, "In which town was the author of The Glass Orchard born?", top_k=3)
    assert answer.reader == "llm"
    shown = {h.passage_id for h in answer.hits}
    assert set(answer.citations) <= shown
    assert answer.answer or answer.refused  # an answer, or a refusal that says so


def test_the_recognition_filter_keeps_a_subset_of_the_linked_facts(sample_memory: Memory) -> None:
    question = "Where was the author of The Glass Orchard born?"
    plain = sample_memory.query(question, top_k=5, mode="hipporag2")
    filtered = sample_memory.query(question, top_k=5, mode="hipporag2", recognition_filter=True)
    counts = sample_memory.recognition_filter.counts
    assert counts.calls == 1
    plain_facts = {f.fact_id for f in plain.explanation.linked_facts or []}
    kept = {f.fact_id for f in filtered.explanation.linked_facts or []}
    assert kept <= plain_facts and len(kept) <= 4
    assert filtered.hits  # answered whatever the model kept (dense fallback when nothing)


def test_the_recognition_filter_keeps_a_subset_of_the_linking_sentences(sample_memory: Memory) -> None:
    # in the bridge mode the model reads the sentences that link the query, not triples
    question = "Where was the author of The Glass Orchard born?"
    plain = sample_memory.query(question, top_k=5, mode="bridge")
    calls = sample_memory.recognition_filter.counts.calls
    filtered = sample_memory.query(question, top_k=5, mode="bridge", recognition_filter=True)
    assert sample_memory.recognition_filter.counts.calls == calls + 1
    kept = filtered.explanation.top_sentences or []
    assert set(kept) <= set(plain.explanation.top_sentences or []) and len(kept) <= 4
    assert filtered.hits


def test_blind_spot_scoring_uses_real_logprobs(sample_memory: Memory, tmp_path: Path) -> None:
    options = SynthOptions(mode="atomic", generator="template", budget=2, score=True, score_units=2,
                           embedding_dedupe=False)
    result = Synthesizer(sample_memory, options).run(tmp_path / "out.jsonl")
    scoring = result.scoring
    assert scoring is not None and scoring["scored"] >= 1
    assert scoring["units_without_logprobs"] == 0  # the completions shape is read
    assert scoring["logprobs_shapes"]
