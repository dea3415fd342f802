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

    def evaluate(rank_rows: list[np.ndarray]) -> dict[str, float]:
        r2, r5, ae = [], [], []
        for rows, target in zip(rank_rows, targets, strict=True):
            keys = gold.ranked_keys(dedupe([doc_of[r] for r in rows[:60]]), target.mode)
            r2.append(recall_at_k(keys, target.keys, 2))
            r5.append(recall_at_k(keys, target.keys, 5))
            ae.append(float(all_evidence_at_k(keys, target.keys, 5)))
        return {"R@2": round(100 * mean(r2), 1), "R@5": round(100 * mean(r5), 1), "AE@5": round(100 * mean(ae), 1)}

    base = Retriever(memory.store, memory.embedder, memory.settings, memory._snapshots)
    print("dense", evaluate([base.rank(snap, q.question, "dense").rows for q in dataset.questions]), flush=True)
    grid = json.loads(args.grid)
    names = list(grid)
    for values in itertools.product(*(grid[n] for n in names)):
        settings = memory.settings.replace(**dict(zip(names, values, strict=True)))
        retriever = Retriever(memory.store, memory.embedder, settings, memory._snapshots)
        result = evaluate([retriever.rank(snap, q.question, args.mode).rows for q in dataset.questions])
        print(dict(zip(names, values, strict=True)), result, flush=True)


if __name__ == "__main__":
    main()
