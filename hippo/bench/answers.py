"""The answers benchmark: EM and token F1 of the extractive graph answer and, when an LLM endpoint is
configured, of the LLM reader, over a QA set. Indexing and dataset loading are the retrieval
benchmark's (same cache, same loader); the `--out` folder has the same layout: results.json,
results.md and per_question.jsonl."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hippo.answer.answer_type import answer_type
from hippo.answer.api import llm_configured
from hippo.answer.evaluate import best_scores
from hippo.answer.offline import GraphReader
from hippo.answer.reader import LLMReader
from hippo.answer.result import GRAPH_READER
from hippo.answer.retrieval import retrieve
from hippo.bench.datasets import Dataset
from hippo.bench.metrics import mean
from hippo.bench.report import machine_info, write_json, write_jsonl
from hippo.bench.retrieval import ExtractorSpec, Log, open_indexed_memory, stderr_log
from hippo.errors import UserError
from hippo.llm.client import LLMClient
from hippo.llm.errors import LLMError, LLMUnavailable

LLM_SYSTEM = "llm-reader"


def run_answers(
    dataset: Dataset, extractor: ExtractorSpec, out: Path, cache_dir: Path, *, top_k: int = 5,
    use_llm: bool | None = None, log: Log = stderr_log, llm_client: LLMClient | None = None,
) -> dict[str, Any]:
    """``use_llm`` None: the LLM reader runs when an endpoint is configured. ``llm_client``: the
    reader's client instead of the settings' (one without a reply cache, to time real calls)."""
    questions = [q for q in dataset.questions if q.answers]
    if not questions:
        raise UserError(f"{dataset.name} has no questions with answers: it measures retrieval only")
    memory, index_meta = open_indexed_memory(dataset, extractor, cache_dir, log)
    try:
        if use_llm is None:
            use_llm = llm_configured(memory.settings)
        llm_reader = None
        if use_llm:
            llm_reader = LLMReader(llm_client or LLMClient.from_settings(memory.settings, role="llm"))
        graph_reader = GraphReader(memory.settings.spacy_model, max_passages=top_k)
        rows = _answer_all(memory, questions, graph_reader, llm_reader, top_k, log)
    finally:
        memory.close()
    systems = [GRAPH_READER] + ([LLM_SYSTEM] if use_llm else [])
    results: dict[str, Any] = {
        "systems": {s: _aggregate([r["systems"][s] for r in rows]) for s in systems},
        "by_answer_type": {
            s: {kind: _aggregate([r["systems"][s] for r in rows if r["answer_type"] == kind])
                for kind in sorted({r["answer_type"] for r in rows})}
            for s in systems
        },
        "dataset": dataset.name,
        "questions": len(dataset.questions),
        "questions_with_answers": len(questions),
        "top_k": top_k,
        "retrieval_mode": GraphReader.retrieval_mode,
        "extractor": extractor.label,
        "embedder": index_meta.get("embedder", "").removeprefix("bundled:"),
        "llm_model": llm_reader.client.model if llm_reader else None,
        "scoring": "SQuAD normalisation (lowercase, no punctuation or articles); max over gold answers; x100",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
    }
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", results)
    write_jsonl(out / "per_question.jsonl", rows)
    (out / "results.md").write_text(answers_markdown(results), encoding="utf-8")
    log(f"wrote {out}/results.json, results.md, per_question.jsonl")
    return results


def _answer_all(memory: Any, questions: list[Any], graph_reader: GraphReader, llm_reader: LLMReader | None,
                top_k: int, log: Log) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    last = time.monotonic()
    # both readers read the passages the graph reader would retrieve in `hippo ask`
    mode = graph_reader.retrieval_mode
    for i, q in enumerate(questions):
        retrieval = retrieve(memory, q.question, top_k, mode)
        t0 = time.perf_counter()
        graph = graph_reader.read(q.question, retrieval, lambda query: retrieve(memory, query, top_k, mode))
        entry = _score(graph.answer, q.answers, time.perf_counter() - t0)
        entry.update(citations=graph.citations, evidence=graph.evidence[0]["sentence"] if graph.evidence else "")
        row: dict[str, Any] = {
            "id": q.id, "question": q.question, "answers": q.answers,
            "answer_type": answer_type(q.question).kind,
            "retrieved": [h.title for h in retrieval.hits], "systems": {GRAPH_READER: entry},
            "bridge": graph.explanation.get("bridge", {}).get("text", ""),
        }
        if llm_reader is not None:
            t0 = time.perf_counter()
            try:
                reply = llm_reader.read(q.question, retrieval.hits)
                llm_entry = _score(reply.answer, q.answers, time.perf_counter() - t0)
                llm_entry.update(citations=reply.citations, rejected_citations=reply.rejected, refused=reply.refused)
            except LLMUnavailable:
                raise
            except LLMError as exc:
                llm_entry = _score("", q.answers, time.perf_counter() - t0)
                llm_entry["error"] = str(exc)
            row["systems"][LLM_SYSTEM] = llm_entry
        rows.append(row)
        if time.monotonic() - last > 15:
            last = time.monotonic()
            log(f"  questions: {i + 1}/{len(questions)}")
    return rows


def _score(prediction: str, golds: list[str], seconds: float) -> dict[str, Any]:
    em, f1 = best_scores(prediction, golds)
    return {"answer": prediction, "em": em, "f1": round(f1, 4), "seconds": round(seconds, 3)}


def _aggregate(entries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "em": round(100 * mean([e["em"] for e in entries]), 2),
        "f1": round(100 * mean([e["f1"] for e in entries]), 2),
        "n": len(entries),
        "answered": sum(1 for e in entries if e["answer"]),
    }
    refused = [e for e in entries if e.get("refused")]
    if refused:
        out["refused"] = len(refused)
    rejected = sum(len(e.get("rejected_citations", [])) for e in entries)
    if any("rejected_citations" in e for e in entries):
        out["rejected_citations"] = rejected
    return out


def answers_markdown(results: dict[str, Any]) -> str:
    lines = [
        f"# Answers: {results['dataset']} ({results['extractor']})",
        "",
        f"{results['date']} · {results['questions_with_answers']} questions with answers · top {results['top_k']} "
        f"passages ({results['retrieval_mode']}) · embedder {results['embedder']} · extractor {results['extractor']}"
        + (f" · LLM {results['llm_model']}" if results.get("llm_model") else " · no LLM configured"),
        "",
        "| system | EM | F1 | answered | n |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in results["systems"].items():
        lines.append(f"| {name} | {row['em']:.1f} | {row['f1']:.1f} | {row['answered']} | {row['n']} |")
    lines += ["", "By the answer type the question asks for:", "", "| system | type | EM | F1 | n |",
              "|---|---|---:|---:|---:|"]
    for name, kinds in results["by_answer_type"].items():
        for kind, row in kinds.items():
            lines.append(f"| {name} | {kind} | {row['em']:.1f} | {row['f1']:.1f} | {row['n']} |")
    lines += ["", f"Scoring: {results['scoring']}. `{GRAPH_READER}` is the offline extractive answer "
              "(a phrase from the retrieved passages chosen by the graph; no language model)."]
    return "\n".join(lines) + "\n"

