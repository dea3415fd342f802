"""The retrieval benchmark runner: index a dataset's corpus once (cached by corpus, extractor and
embedder), run every system on every question side by side, score per ``gold_match``."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hippo.bench.baselines import BASELINES, BM25Index, dense_search, reciprocal_rank_fusion
from hippo.bench.datasets import Dataset
from hippo.bench.gold import GoldIndex, GoldTarget
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, percentile, recall_at_k
from hippo.bench.report import machine_info, write_json, write_retrieval_report
from hippo.errors import UserError
from hippo.retrieve.explanation import RetrievalExplanation
from hippo.retrieve.policies.registry import GRAPH_MODES
from hippo.types import Document

SYSTEMS = (*BASELINES, *GRAPH_MODES)
KS = (2, 5, 10)
# how deep each system ranks passages before chunks of one document collapse into one rank
PASSAGE_DEPTH = 50
GRAPH_FETCH = 30
NAMESPACE = "bench"

Log = Callable[[str], None]


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ExtractorSpec:
    kind: str  # spacy | llm | openie
    openie_file: Path | None = None

    @classmethod
    def parse(cls, spec: str) -> ExtractorSpec:
        if spec in ("spacy", "llm"):
            return cls(spec)
        if spec.startswith("openie:"):
            path = Path(spec.removeprefix("openie:")).expanduser()
            if not path.is_file():
                raise UserError(f"no such OpenIE file: {path}")
            return cls("openie", path)
        raise UserError(f"unknown extractor {spec!r}: use spacy, llm or openie:FILE")

    @property
    def label(self) -> str:
        return f"openie:{self.openie_file.name}" if self.openie_file else self.kind

    def cache_part(self) -> str:
        if self.openie_file is None:
            return self.kind
        return "openie:" + hashlib.sha256(self.openie_file.read_bytes()).hexdigest()


def indexing_code_hash() -> str:
    """A hash of the code that decides what an index holds (extractors, identity, indexing, the
    embedder's inference path), so a cached index built by older code is not reused after that
    code changes."""
    root = Path(__file__).resolve().parents[1]
    files = sorted([*(root / "index").rglob("*.py"), root / "text.py", *root.glob("embed*.py")])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(dataset: Dataset, extractor: ExtractorSpec, embedder: str, settings: Any) -> str:
    """Everything that changes what the index holds: corpus, triples source, embedder, chunking
    and synonymy settings, and the indexing code itself."""
    parts = [
        dataset.corpus_hash(), extractor.cache_part(), embedder, f"code={indexing_code_hash()}",
        f"chunk={settings.chunk_tokens}/{settings.chunk_overlap}",
        f"syn={settings.synonym_threshold}/{settings.synonym_top_k}",
        f"layer={settings.retrieval_layer}",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- indexing -------------------------------------------------------------------------------


def open_indexed_memory(
    dataset: Dataset, extractor: ExtractorSpec, cache_dir: Path, log: Log = stderr_log
) -> tuple[Any, dict[str, Any]]:
    """A Memory over the cached index of the corpus, indexing it first when the cache misses.
    An interrupted indexing run resumes: documents already written are skipped."""
    from hippo.config import Settings
    from hippo.memory import Memory

    base = Settings.from_env()
    settings = base.replace(extractor="llm" if extractor.kind == "llm" else "spacy")
    embedder_name = settings.embedding_model or "bundled:all-MiniLM-L6-v2"
    if settings.embedding_backend != "torch":  # other vectors, another index (torch keeps its old keys)
        embedder_name += f"@{settings.embedding_backend}"
    key = cache_key(dataset, extractor, embedder_name, settings)
    label = extractor.label.replace(":", "-").replace("/", "-")
    cache_dir.mkdir(parents=True, exist_ok=True)
    db = cache_dir / f"{dataset.name}-{label}-{key[:12]}.db"
    meta_path = db.with_suffix(".json")
    memory = Memory(settings.replace(store=f"sqlite:///{db}", namespace=NAMESPACE))
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("complete"):
            log(f"index cache hit: {db}")
            meta["cached"] = True
            return memory, meta

    log(f"indexing {len(dataset.corpus)} passages of {dataset.name} with {extractor.label} into {db}")
    docs = [Document(id=e.doc_id, title=e.title, text=e.text) for e in dataset.corpus]
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] > 10 or done == total:
            last[0] = now
            log(f"  {stage}: {done}/{total}")

    start = time.perf_counter()
    report = memory.add_documents(
        docs, openie=str(extractor.openie_file) if extractor.openie_file else None, progress=progress
    )
    wall = time.perf_counter() - start
    meta = {
        "complete": True,
        "cached": False,
        "dataset": dataset.name,
        "extractor": extractor.label,
        "embedder": embedder_name,
        "cache_key": key,
        "wall_s": round(wall, 2),
        "timings": {k: round(v, 2) for k, v in report.timings.items()},
        "report": {k: v for k, v in report.to_dict().items() if k not in ("failed_passages", "problems")},
        "failed_passages": len(report.failed_passages),
        "problems": report.problems[:20],
        "stats": memory.stats(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_json(meta_path, meta)
    log(f"indexed in {wall:.0f} s: {meta['timings']}")
    return memory, meta


# --- systems ------------------------------------------------------------------------------------


@dataclass
class Ranked:
    doc_ids: list[str]
    seconds: float
    detail: dict[str, Any] | None = None


class SystemRunner:
    """Ranks documents for a question with each system, over one indexed namespace."""

    def __init__(self, memory: Any, systems: Sequence[str], log: Log = stderr_log) -> None:
        self.memory = memory
        self.systems = list(systems)
        snap = memory.snapshot()
        self.passage_ids: list[str] = list(snap.export.passage_ids)
        self.passage_emb: np.ndarray = snap.export.passage_emb  # reused: never embedded twice
        passages = {p.id: p for p in memory.store.get_passages(memory.namespace, self.passage_ids)}
        self.doc_of = [passages[pid].doc_id if pid in passages else "" for pid in self.passage_ids]
        self.bm25: BM25Index | None = None
        if "bm25" in self.systems or "hybrid" in self.systems:
            t0 = time.perf_counter()
            from hippo.index.pipeline import passage_embedding_text

            texts = [passage_embedding_text(passages[pid]) if pid in passages else "" for pid in self.passage_ids]
            self.bm25 = BM25Index(texts)
            log(f"bm25 index over {len(texts)} passages in {time.perf_counter() - t0:.1f} s")

    def _docs(self, rows: Sequence[int]) -> list[str]:
        return dedupe([self.doc_of[r] for r in rows])

    def rank(self, question: str, query_vec: np.ndarray) -> dict[str, Ranked]:
        out: dict[str, Ranked] = {}
        if "bm25" in self.systems or "hybrid" in self.systems:
            assert self.bm25 is not None
            t0 = time.perf_counter()
            out["bm25"] = Ranked(self._docs([i for i, _ in self.bm25.search(question, PASSAGE_DEPTH)]),
                                 time.perf_counter() - t0)
        if "dense" in self.systems or "hybrid" in self.systems:
            t0 = time.perf_counter()
            out["dense"] = Ranked(self._docs([i for i, _ in dense_search(query_vec, self.passage_emb, PASSAGE_DEPTH)]),
                                  time.perf_counter() - t0)
        if "hybrid" in self.systems:
            out["hybrid"] = Ranked(reciprocal_rank_fusion([out["bm25"].doc_ids, out["dense"].doc_ids]),
                                   out["bm25"].seconds + out["dense"].seconds)
        for mode in GRAPH_MODES:
            if mode in self.systems:
                t0 = time.perf_counter()
                result = self.memory.query(question, top_k=GRAPH_FETCH, mode=mode)
                seconds = time.perf_counter() - t0
                out[mode] = Ranked(dedupe([h.doc_id for h in result.hits]), seconds, _brief(result.explanation))
        return {name: out[name] for name in self.systems}


def _brief(explanation: RetrievalExplanation) -> dict[str, Any]:
    """The parts of a graph explanation worth keeping per question for failure analysis."""
    brief: dict[str, Any] = {}
    if explanation.fallback is not None:
        brief["fallback"] = explanation.fallback
    if explanation.linked_facts is not None:
        brief["linked_facts"] = [f.text for f in explanation.linked_facts]
    if explanation.linked_entities is not None:
        brief["linked_entities"] = [f"{e.phrase} -> {e.entity}" for e in explanation.linked_entities]
    if explanation.seed_entities is not None:
        brief["seeds"] = [e.name for e in explanation.seed_entities]
    return brief


# --- scoring ------------------------------------------------------------------------------------


def score_question(ranked_keys: list[str], target: GoldTarget) -> dict[str, Any]:
    row: dict[str, Any] = {f"recall@{k}": recall_at_k(ranked_keys, target.keys, k) for k in KS}
    row["all_evidence@5"] = all_evidence_at_k(ranked_keys, target.keys, 5)
    row["gold_ranks"] = [ranked_keys.index(g) + 1 if g in ranked_keys else None for g in target.keys]
    return row


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {f"recall@{k}": round(100 * mean([r[f"recall@{k}"] for r in rows]), 2) for k in KS}
    out["all_evidence@5"] = round(100 * mean([float(r["all_evidence@5"]) for r in rows]), 2)
    out["n"] = len(rows)
    return out


def run_retrieval(
    dataset: Dataset,
    systems: Sequence[str],
    extractor: ExtractorSpec,
    out: Path,
    cache_dir: Path,
    log: Log = stderr_log,
) -> dict[str, Any]:
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        raise UserError(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    if not dataset.questions:
        raise UserError("the dataset has no questions")
    gold_index = GoldIndex(dataset.corpus)
    targets = [gold_index.target(q) for q in dataset.questions]

    memory, index_meta = open_indexed_memory(dataset, extractor, cache_dir, log)
    try:
        runner = SystemRunner(memory, systems, log)
        t0 = time.perf_counter()
        query_vecs = memory.embedder.embed([q.question for q in dataset.questions])
        embed_s = time.perf_counter() - t0

        per_system: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
        seconds: dict[str, list[float]] = {s: [] for s in systems}
        per_question: list[dict[str, Any]] = []
        title_of = {e.doc_id: e.title for e in dataset.corpus}
        last = time.monotonic()
        for i, (question, target) in enumerate(zip(dataset.questions, targets, strict=True)):
            rankings = runner.rank(question.question, query_vecs[i])
            row: dict[str, Any] = {
                "id": question.id, "question": question.question, "answers": question.answers,
                "gold_match": target.mode, "gold": [g.title for g in question.gold],
                "unmatched_gold": target.unmatched, "systems": {},
            }
            for name, ranked in rankings.items():
                keys = dedupe(gold_index.ranked_keys(ranked.doc_ids, target.mode))
                scored = score_question(keys, target)
                per_system[name].append(scored)
                seconds[name].append(ranked.seconds)
                entry = dict(scored)
                entry["top5"] = [title_of.get(d, d) for d in ranked.doc_ids[:5]]
                if ranked.detail:
                    entry["explanation"] = ranked.detail
                row["systems"][name] = entry
            per_question.append(row)
            if time.monotonic() - last > 15:
                last = time.monotonic()
                log(f"  questions: {i + 1}/{len(dataset.questions)}")
    finally:
        memory.close()

    levels: Counter[str] = Counter()
    for t in targets:
        levels.update(t.levels)
    results: dict[str, Any] = {
        "systems": {name: aggregate(rows) for name, rows in per_system.items()},
        "dataset": dataset.name,
        "corpus_size": len(dataset.corpus),
        "embedder": index_meta.get("embedder", "").removeprefix("bundled:"),
        "extractor": extractor.label,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "questions": len(dataset.questions),
        "source_format": dataset.source_format,
        "gold": {
            "total": sum(len(q.gold) for q in dataset.questions),
            "matched": sum(len(t.keys) for t in targets),
            "unmatched": sum(len(t.unmatched) for t in targets),
            "questions_without_gold": sum(1 for t in targets if not t.keys),
            "levels": dict(levels),
            "scoring": "recall over the golds found in the corpus; questions with none score 0",
        },
        "latency_ms": {
            name: {"p50": round(1000 * percentile(s, 50), 2), "p95": round(1000 * percentile(s, 95), 2)}
            for name, s in seconds.items()
        },
        "query_embedding_s": round(embed_s, 3),
        # the ranking settings the graph modes ran with (the environment can change them)
        "retrieval_settings": {k: getattr(memory.settings, k) for k in (
            "top_facts", "top_entities", "passage_weight", "damping", "entity_seed", "dense_guard",
            "dense_guard_slack", "dense_fusion", "ppr_mode")},
        "indexing": {k: index_meta.get(k) for k in ("cached", "wall_s", "timings", "report", "stats",
                                                    "failed_passages", "date")},
        "machine": machine_info(),
    }
    write_retrieval_report(out, results, per_question)
    log(f"wrote {out}/results.json, results.md, results.png, per_question.jsonl")
    return results
