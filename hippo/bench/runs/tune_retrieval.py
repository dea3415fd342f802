"""Grid search of the graph retrieval weights on a dataset, over the benchmark's cached index.

    python -m hippo.bench.runs.tune_retrieval --data DATA/musique [--extractor openie:FILE]

Prints Recall@2/5 and all-evidence@5 of dense and of the graph mode (``--mode``, default hipporag2)
for each setting; the index is the one `hippo bench retrieval` builds (same cache), so run that first.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from hippo.bench.datasets import load_dataset
from hippo.bench.gold import GoldIndex
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, recall_at_k
from hippo.bench.retrieval import ExtractorSpec, open_indexed_memory
from hippo.retrieve.retriever import Retriever


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--extractor", default="spacy")
    parser.add_argument("--cache", default="benchmarks/cache")
    parser.add_argument("--mode", default="hipporag2")
    parser.add_argument("--grid", default='{"passage_weight":[0.05,0.2,0.5],"damping":[0.5,0.7],"top_facts":[5],"top_entities":[5]}')
    args = parser.parse_args()
    dataset = load_dataset(args.data)
    gold = GoldIndex(dataset.corpus)
    targets = [gold.target(q) for q in dataset.questions]
    memory, _ = open_indexed_memory(dataset, ExtractorSpec.parse(args.extractor), Path(args.cache))
    snap = memory.snapshot()
    passages = {p.id: p for p in memory.store.get_passages(memory.namespace, snap.export.passage_ids)}
    doc_of = [passages[pid].doc_id for pid in snap.export.passage_ids]

    def per_question(rank_rows: list[np.ndarray]) -> list[tuple[float, float, float]]:
        out = []
        for rows, target in zip(rank_rows, targets, strict=True):
            keys = gold.ranked_keys(dedupe([doc_of[r] for r in rows[:60]]), target.mode)
            out.append((recall_at_k(keys, target.keys, 2), recall_at_k(keys, target.keys, 5),
                        float(all_evidence_at_k(keys, target.keys, 5))))
        return out

    def summary(rows: list[tuple[float, float, float]], base: list[tuple[float, float, float]] | None) -> dict[str, float]:
        out = {name: round(100 * mean([r[i] for r in rows]), 1) for i, name in enumerate(("R@2", "R@5", "AE@5"))}
        if base is not None:
            # questions where the mode ranks worse than dense: what "never worse than dense" counts
            out["worse@2"] = sum(r[0] < b[0] for r, b in zip(rows, base, strict=True))
            out["better@2"] = sum(r[0] > b[0] for r, b in zip(rows, base, strict=True))
            out["worse@5"] = sum(r[1] < b[1] for r, b in zip(rows, base, strict=True))
            out["better@5"] = sum(r[1] > b[1] for r, b in zip(rows, base, strict=True))
        return out

    base = Retriever(memory.store, memory.embedder, memory.settings, memory._snapshots)
    dense = per_question([base.rank(snap, q.question, "dense").rows for q in dataset.questions])
    print("dense", summary(dense, None), flush=True)
    grid = json.loads(args.grid)
    names = list(grid)
    for values in itertools.product(*(grid[n] for n in names)):
        settings = memory.settings.replace(**dict(zip(names, values, strict=True)))
        retriever = Retriever(memory.store, memory.embedder, settings, memory._snapshots)
        result = per_question([retriever.rank(snap, q.question, args.mode).rows for q in dataset.questions])
        print(dict(zip(names, values, strict=True)), summary(result, dense), flush=True)


if __name__ == "__main__":
    main()
