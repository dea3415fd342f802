"""How much Personalized PageRank mass lies beyond a few hops of the seeds, and how the seed-local
PageRank agrees with the exact one, on synthetic HippoRAG-shaped graphs (or a real index).

For random queries shaped like hipporag2's reset vector (5 entity seeds + every passage weighted
0.05 x a dense-like score), exact PPR (igraph) mass is summed by hop distance from the entity seeds
and from all seeds; local PPR (hippo.retrieve.local_ppr, default budget and a tight one) is
compared with it: top-5 passage overlap, L1 distance, leaked mass, time.

    python -m hippo.bench.runs.ppr_locality --edges 100000 1000000 [--db benchmarks/cache/X.db --ns NS]

Writes benchmarks/results/ppr_locality.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from hippo.bench.synthetic import synthetic_export
from hippo.retrieve.local_ppr import LocalBudget, local_ppr
from hippo.retrieve.snapshot import GraphSnapshot, one_thread

RESULTS = Path("benchmarks/results")  # run from the repository root
BUDGETS = {"default (20k nodes, 200 seed passages)": LocalBudget(),
           "tight (2k nodes, 50 seed passages)": LocalBudget(max_nodes=2000, seed_passages=50)}


def hop_distance(snap: GraphSnapshot, sources: np.ndarray, limit: int = 6) -> np.ndarray:
    """Hops from the nearest source (breadth-first over the CSR); inf beyond ``limit``."""
    dist = np.full(snap.n_vertices, np.inf)
    frontier = np.unique(sources)
    dist[frontier] = 0
    for hop in range(1, limit + 1):
        if frontier.size == 0:
            break
        nbrs = np.concatenate([np.asarray(snap.indices[snap.indptr[v] : snap.indptr[v + 1]]) for v in frontier])
        nbrs = np.unique(nbrs)
        nbrs = nbrs[~np.isfinite(dist[nbrs])]
        dist[nbrs] = hop
        frontier = nbrs
    return dist


def measure(snap: GraphSnapshot, label: str, queries: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    n_e, n = snap.n_entities, snap.n_vertices
    by_hop_entities: list[np.ndarray] = []
    by_hop_all: list[np.ndarray] = []
    budgets: dict[str, dict[str, list[float]]] = {k: {"overlap": [], "l1": [], "leaked": [], "ms": [], "nodes": []}
                                                  for k in BUDGETS}
    exact_ms = []
    for _ in range(queries):
        entities = rng.choice(n_e, 5, replace=False)
        reset = np.zeros(n)
        reset[entities] = rng.random(5) / 5
        # dense-like passage scores: a few near the query, most far (min-max normalised)
        dense = rng.beta(2, 8, snap.n_passages)
        reset[n_e:] = (dense - dense.min()) / (dense.max() - dense.min()) * 0.05
        t0 = time.perf_counter()
        exact = snap.ppr(reset, 0.5)
        exact_ms.append((time.perf_counter() - t0) * 1000)
        top_seeds = np.argsort(-reset[n_e:])[:200] + n_e
        for target, sources in ((by_hop_entities, entities), (by_hop_all, np.union1d(entities, top_seeds))):
            dist = hop_distance(snap, sources)
            dist[~np.isfinite(dist)] = 99
            target.append(np.array([exact[dist == h].sum() for h in range(5)] + [exact[dist >= 5].sum()]))
        top_exact = set(np.argsort(-exact[n_e:], kind="stable")[:5])
        for name, budget in BUDGETS.items():
            t0 = time.perf_counter()
            with one_thread():
                local = local_ppr(snap, reset, 0.5, budget)
            ms = (time.perf_counter() - t0) * 1000
            top_local = set(np.argsort(-local.mass[n_e:], kind="stable")[:5])
            b = budgets[name]
            b["overlap"].append(len(top_exact & top_local) / 5)
            b["l1"].append(float(np.abs(local.mass - exact).sum()))
            b["leaked"].append(local.leaked)
            b["ms"].append(ms)
            b["nodes"].append(float(local.vertices.size))

    def share(rows: list[np.ndarray]) -> dict[str, float]:
        mean = np.mean(rows, axis=0)
        return {**{f"hop {h}": round(float(mean[h]), 5) for h in range(5)}, "5+ hops or unreachable": round(float(mean[5]), 5)}

    return {
        "graph": label, "edges": snap.n_edges, "vertices": n, "queries": queries,
        "exact_ppr_ms_median": round(float(np.median(exact_ms)), 2),
        "exact_mass_by_hops_from_entity_seeds": share(by_hop_entities),
        "exact_mass_by_hops_from_entity_and_top200_passage_seeds": share(by_hop_all),
        "local": {name: {"top5_overlap": round(float(np.mean(v["overlap"])), 4), "l1_mean": round(float(np.mean(v["l1"])), 5),
                         "leaked_mean": round(float(np.mean(v["leaked"])), 5), "ms_median": round(float(np.median(v["ms"])), 2),
                         "nodes_mean": round(float(np.mean(v["nodes"])), 1)}
                  for name, v in budgets.items()},
        "load_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", type=int, nargs="*", default=[100_000])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--db", help="a SQLite store to measure instead (with --ns)")
    parser.add_argument("--ns", default="bench")
    args = parser.parse_args()
    rows = []
    if args.db:
        from hippo.store.sqlite import SQLiteStore

        with SQLiteStore(args.db) as store:
            rows.append(measure(GraphSnapshot.build(store.export(args.ns)), f"{Path(args.db).name}:{args.ns}", args.queries))
        print(json.dumps(rows[-1], indent=1), flush=True)
    for edges in args.edges:
        rows.append(measure(GraphSnapshot.build(synthetic_export(edges)), f"synthetic {edges:,}", args.queries))
        print(json.dumps(rows[-1], indent=1), flush=True)
    out = RESULTS / "ppr_locality.json"
    previous = json.loads(out.read_text())["rows"] if out.is_file() else []
    labels = {r["graph"] for r in rows}
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "rows": [r for r in previous if r["graph"] not in labels] + rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
