"""The bridge mode on a shared set without the triple graph: retrieval-layer-only indexing.

    python -m hippo.bench.runs.bridge_layer --data /work/shared/data/musique [--grid '{"top_sentences":[3,5]}']

Chunks the corpus like the indexer, reads each passage's retrieval layer (hippo.index.sentence_layer),
embeds passages, sentences and layer entities with the indexer's texts (through the shared on-disk
embedding cache, so what `hippo index` embedded is reused and vice versa), builds the same
BridgeIndex the retriever builds and scores bridge and dense over every question with the
benchmark's gold matching. What it skips is the triple extraction and the triple graph's entity
and fact embeddings, which the bridge mode does not read: on a loaded 2-core machine that is
most of an index build. Writes benchmarks/results/bridge-layer/<set>.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hippo.bench.datasets import load_dataset
from hippo.bench.gold import GoldIndex
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, percentile, recall_at_k
from hippo.bench.report import machine_info, write_json
from hippo.config import Settings
from hippo.embed import shared_embedder
from hippo.index.chunk import chunk_document
from hippo.index.extract.spacy_extractor import load_spacy
from hippo.index.pipeline import passage_embedding_text
from hippo.index.sentence_layer import read_layers, sentence_embedding_text
from hippo.retrieve.bridge import BridgeIndex, BridgeParams
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.ranking import bounded_demotion, top_k_stable
from hippo.text import entity_id, entity_key
from hippo.types import Document, Passage


def build(data: str) -> tuple[Any, list[Passage], BridgeIndex, np.ndarray, dict[str, float]]:
    ds = load_dataset(data)
    settings = Settings.from_env()
    timings: dict[str, float] = {}
    passages: dict[str, Passage] = {}
    for e in ds.corpus:
        for p in chunk_document(Document(id=e.doc_id, title=e.title, text=e.text),
                                settings.chunk_tokens, settings.chunk_overlap):
            passages.setdefault(p.id, p)
    plist = list(passages.values())
    t0 = time.perf_counter()
    layers = list(read_layers(load_spacy(settings.spacy_model), plist))
    timings["layer_s"] = time.perf_counter() - t0
    emb = shared_embedder(settings.embedding_model, settings.embedding_batch_size, settings.embedding_cache)
    t0 = time.perf_counter()
    passage_emb = emb.embed([passage_embedding_text(p) for p in plist])
    names: dict[str, str] = {}
    rows: list[tuple[int, str]] = []
    texts: list[str] = []  # sentence texts as the store keeps them (no title): the lexical index reads these
    mention_s: list[int] = []
    mention_e: list[str] = []
    aliases: list[tuple[str, str]] = []
    for i, (p, layer) in enumerate(zip(plist, layers, strict=True)):
        for s in layer.sentences:
            for n in s.entities:
                names.setdefault(entity_id(n), n)
                mention_s.append(len(rows))
                mention_e.append(entity_id(n))
            rows.append((i, sentence_embedding_text(p.title, s.text)))
            texts.append(s.text)
        for a, c in layer.aliases:
            names.setdefault(entity_id(a), a)
            names.setdefault(entity_id(c), c)
            aliases.append((entity_id(a), entity_id(c)))
    sentence_emb = emb.embed([t for _, t in rows])
    ids = list(names)
    entity_emb = emb.embed([entity_key(names[e]) for e in ids])
    timings["embed_s"] = time.perf_counter() - t0
    row = {e: k for k, e in enumerate(ids)}
    t0 = time.perf_counter()
    index = BridgeIndex(
        1, ids, [names[e] for e in ids], entity_emb, [p.id for p in plist], passage_emb,
        np.array([i for i, _ in rows], dtype=np.int64), sentence_emb,
        np.array(mention_s, dtype=np.int64), np.array([row[e] for e in mention_e], dtype=np.int64),
        np.array([(row[a], row[c]) for a, c in aliases], dtype=np.int64).reshape(-1, 2),
    )
    index.set_texts(StringColumn.of(texts))
    timings["build_s"] = time.perf_counter() - t0
    return ds, plist, index, passage_emb, timings


def score(ds: Any, plist: list[Passage], index: BridgeIndex, passage_emb: np.ndarray, queries: np.ndarray,
          params: BridgeParams | None, guard: tuple[int, int] = (0, 0),
          baseline: list[dict[str, float]] | None = None) -> dict[str, Any]:
    """Recall of dense (``params`` None) or bridge; ``guard`` = (dense_guard, dense_guard_slack) as
    the retriever applies them; with ``baseline`` (dense's rows) also the questions worse / better."""
    gold = GoldIndex(ds.corpus)
    doc_of = [p.doc_id for p in plist]
    rows: list[dict[str, float]] = []
    seconds: list[float] = []
    for q, vec in zip(ds.questions, queries, strict=True):
        target = gold.target(q)
        t0 = time.perf_counter()
        dense = passage_emb @ vec
        scores = dense
        if params is not None:
            bm25 = index.lexical_scores(q.question)
            reset, linked = index.reset(q.question, vec, dense, params, bm25=bm25)
            if reset.any():
                mass = index.graph.ppr(reset, params.damping)[index.n_entities :]
                scores = index.final_scores(mass, linked["prior"], params)
        order = np.argsort(-scores, kind="stable")
        if guard[0] > 0 and params is not None:
            order = bounded_demotion(order, top_k_stable(dense, guard[0]), guard[1])
        order = order[:60]
        seconds.append(time.perf_counter() - t0)
        keys = dedupe(gold.ranked_keys(dedupe([doc_of[i] for i in order]), target.mode))
        rows.append({f"recall@{k}": recall_at_k(keys, target.keys, k) for k in (2, 5, 10)}
                    | {"all_evidence@5": float(all_evidence_at_k(keys, target.keys, 5))})
    out: dict[str, Any] = {k: round(100 * mean([r[k] for r in rows]), 2) for k in rows[0]}
    out["rows"] = rows
    if baseline is not None:
        for k in ("recall@2", "recall@5"):
            out[f"worse_than_dense_{k}"] = sum(r[k] < b[k] for r, b in zip(rows, baseline, strict=True))
            out[f"better_than_dense_{k}"] = sum(r[k] > b[k] for r, b in zip(rows, baseline, strict=True))
    out["latency_ms"] = {"p50": round(1000 * percentile(seconds, 50), 2), "p95": round(1000 * percentile(seconds, 95), 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--grid", default="{}", help="JSON: BridgeParams field -> values to try")
    parser.add_argument("--out", default="benchmarks/results/bridge-layer")
    parser.add_argument("--guards", default="0:0,3:1", help="dense_guard:dense_guard_slack pairs scored with the default params")
    args = parser.parse_args()
    ds, plist, index, passage_emb, timings = build(args.data)
    emb = shared_embedder()
    queries = np.stack([emb.embed_query(q.question) for q in ds.questions])
    grid: dict[str, list[Any]] = json.loads(args.grid)
    dense = score(ds, plist, index, passage_emb, queries, None)
    results: dict[str, Any] = {"dense": dense}
    runs = []
    for values in itertools.product(*grid.values()):
        params = replace(BridgeParams(), **dict(zip(grid, values, strict=True)))
        runs.append({"params": asdict(params), **score(ds, plist, index, passage_emb, queries, params,
                                                       baseline=dense["rows"])})
        runs[-1].pop("rows")
        print(json.dumps(runs[-1]), flush=True)
    for pair in args.guards.split(","):
        k, slack = (int(x) for x in pair.split(":"))
        name = "bridge_default" if k == 0 else f"bridge_guard_{k}_{slack}"
        results[name] = score(ds, plist, index, passage_emb, queries, BridgeParams(), (k, slack), dense["rows"])
    for system in results.values():
        system.pop("rows")
    report = {
        "dataset": ds.name, "questions": len(ds.questions), "passages": len(plist), "sentences": index.n_sentences,
        "entities": index.n_entities, "graph_edges": index.graph.n_edges, "systems": results,
        "default_params": asdict(BridgeParams()), "grid": runs, "timings": {k: round(v, 1) for k, v in timings.items()},
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine_info(),
    }
    write_json(Path(args.out) / f"{ds.name}.json", report)
    print(json.dumps({k: v for k, v in report.items() if k not in ("grid",)}, indent=1))


if __name__ == "__main__":
    main()
