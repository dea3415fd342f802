"""Where one warm hipporag2 query spends its time on a synthetic graph (no model: the query is a
random unit vector). Prints the median of each stage of the query path and of the whole
``Retriever.rank`` call, so a change to the hot path can be measured before and after.

    python -m hippo.bench.runs.query_profile --edges 370000 --queries 30
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

from hippo.bench.speed import RandomVectorEmbedder
from hippo.bench.synthetic import synthetic_export
from hippo.config import Settings
from hippo.retrieve.ranking import top_k_stable
from hippo.retrieve.retriever import Retriever
from hippo.retrieve.snapshot import GraphSnapshot


def _median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats + 2):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times[2:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", type=int, default=370_000)
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()

    export = synthetic_export(args.edges)
    start = time.perf_counter()
    snap = GraphSnapshot.build(export)
    print(f"load {os.getloadavg()[0]:.2f}; snapshot build {time.perf_counter() - start:.2f} s; "
          f"{snap.n_entities:,} entities, {snap.n_passages:,} passages, {len(export.fact_ids):,} facts, "
          f"{snap.graph.ecount():,} edges")
    settings = Settings()
    embedder = RandomVectorEmbedder(export.passage_emb.shape[1], seed=0)
    retriever = Retriever(store=None, embedder=embedder, settings=settings)  # type: ignore[arg-type]
    query = embedder.embed_one("q")
    fact_scores = export.fact_emb @ query
    entity_mass = np.random.default_rng(1).random(snap.n_entities)
    reset = np.zeros(snap.graph.vcount())
    reset[np.random.default_rng(2).choice(snap.n_entities, 5, replace=False)] = 1.0
    reset[snap.n_entities :] = np.random.default_rng(3).random(snap.n_passages) * 0.05

    stages: dict[str, Callable[[], object]] = {
        "fact matmul": lambda: export.fact_emb @ query,
        "passage matmul": lambda: export.passage_emb @ query,
        "argsort facts (stable)": lambda: np.argsort(-fact_scores, kind="stable"),
        "argsort entities (stable)": lambda: np.argsort(-entity_mass, kind="stable"),
        "top-5 facts (top_k_stable)": lambda: top_k_stable(fact_scores, 5),
        "top-10 entities (top_k_stable)": lambda: top_k_stable(entity_mass, 10),
        "reset.tolist()": lambda: reset.tolist(),
        "snapshot.ppr": lambda: snap.ppr(reset, settings.damping),
        # with the walk almost never following an edge prpack converges at once: what is left is
        # igraph rebuilding prpack's graph and preprocessing it, on every call
        "snapshot.ppr setup only": lambda: snap.ppr(reset, 1e-6),
        "whole rank(hipporag2)": lambda: retriever.rank(snap, "q", "hipporag2"),
    }
    for name, fn in stages.items():
        print(f"{name:28s} {_median_ms(fn, args.queries):8.2f} ms")


if __name__ == "__main__":
    main()
