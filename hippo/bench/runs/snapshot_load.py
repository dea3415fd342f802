"""Time to load a namespace's snapshot into igraph at growing synthetic sizes: Neo4jStore.export
(streamed, one read transaction) then hippo.retrieve.snapshot.GraphSnapshot.build — the work a retriever
does when the store's version changes. SQLite is timed on the same data for reference.

Graphs keep MuSiQue's proportions under HippoRAG 2 (per passage: ~7 entities, ~12 relation
edges, ~11 context edges, ~97 synonym edges), so synonym edges dominate as they do there.

    python -m hippo.bench.runs.snapshot_load [--passages 100 1000 8500] [--uri bolt://…]

Writes benchmarks/results/snapshot_load.json and .md; the namespaces are dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from hippo.retrieve.snapshot import GraphSnapshot
from hippo.store.base import GraphStore
from hippo.store.neo4j import Neo4jStore
from hippo.store.sqlite import SQLiteStore
from hippo.types import (
    Document,
    DocumentWrite,
    Entity,
    EntityRecord,
    Fact,
    FactRecord,
    Passage,
    PassageRecord,
    SynonymEdge,
)

RESULTS = Path("benchmarks/results")  # run from the repository root
DIM = 384
ENTITIES_PER_PASSAGE = 7.3
MENTIONS_PER_PASSAGE = 11
FACTS_PER_PASSAGE = 12
SYNONYMS_PER_PASSAGE = 97
PASSAGES_PER_DOC = 5
DOCS_PER_CALL = 200


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.standard_normal((n, DIM)).astype(np.float32)
    return np.asarray(m / np.linalg.norm(m, axis=1, keepdims=True))


def synthetic(n_passages: int, seed: int = 11) -> tuple[list[DocumentWrite], list[SynonymEdge]]:
    rng = np.random.default_rng(seed)
    n_entities = int(n_passages * ENTITIES_PER_PASSAGE)
    ent_ids = [f"ent-{i:08d}" for i in range(n_entities)]
    ent_emb = _unit(rng, n_entities)
    written: set[int] = set()
    writes: list[DocumentWrite] = []
    for d0 in range(0, n_passages, PASSAGES_PER_DOC):
        doc_id = f"doc-{d0 // PASSAGES_PER_DOC:06d}"
        n_here = min(PASSAGES_PER_DOC, n_passages - d0)
        p_emb = _unit(rng, n_here)
        passages, ents, facts, mentions, support = [], {}, {}, [], []
        for k in range(n_here):
            pid = f"psg-{d0 + k:08d}"
            passages.append(PassageRecord(Passage(pid, doc_id, doc_id, f"synthetic passage {d0 + k}", k), p_emb[k]))
            picks = rng.choice(n_entities, size=MENTIONS_PER_PASSAGE, replace=False)
            for j in picks:
                if j not in written:  # a real indexer sends embeddings only for new entities
                    written.add(int(j))
                    ents[ent_ids[j]] = EntityRecord(Entity(ent_ids[j], f"entity {j}"), ent_emb[j])
                elif ent_ids[j] not in ents:
                    ents[ent_ids[j]] = EntityRecord(Entity(ent_ids[j], f"entity {j}"), None)
                mentions.append((pid, ent_ids[j]))
            f_emb = _unit(rng, FACTS_PER_PASSAGE)
            for f in range(FACTS_PER_PASSAGE):
                a, b = rng.choice(picks, size=2, replace=False)
                fid = f"fact-{d0 + k:08d}-{f:02d}"
                facts[fid] = FactRecord(Fact(fid, ent_ids[a], "relates to", ent_ids[b], f"entity {a} relates to entity {b}"),
                                        f_emb[f])
                support.append((pid, fid))
        writes.append(DocumentWrite(Document(doc_id, doc_id, doc_id), doc_id, passages, list(ents.values()),
                                    list(facts.values()), mentions, support))
    n_syn = n_passages * SYNONYMS_PER_PASSAGE
    a = rng.integers(0, n_entities, size=n_syn)
    b = rng.integers(0, n_entities, size=n_syn)
    w = rng.uniform(0.8, 1.0, size=n_syn)
    pairs = {(min(x, y), max(x, y)): float(z) for x, y, z in zip(a.tolist(), b.tolist(), w.tolist(), strict=True) if x != y}
    synonyms = [SynonymEdge(ent_ids[x], ent_ids[y], z) for (x, y), z in pairs.items()]
    return writes, synonyms


def fill(store: GraphStore, ns: str, writes: list[DocumentWrite], synonyms: list[SynonymEdge]) -> float:
    t0 = time.perf_counter()
    for i in range(0, len(writes), DOCS_PER_CALL):
        store.write_documents(ns, writes[i : i + DOCS_PER_CALL])
    for i in range(0, len(synonyms), 50_000):
        store.add_synonyms(ns, synonyms[i : i + 50_000])
    return time.perf_counter() - t0


def load(store: GraphStore, ns: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    export = store.export(ns)
    t1 = time.perf_counter()
    snapshot = GraphSnapshot.build(export)
    t2 = time.perf_counter()
    # in-process linking cost at this size: one query against every entity embedding
    query = export.entity_emb[0]
    t3 = time.perf_counter()
    scores = export.entity_emb @ query
    np.argpartition(-scores, 5)[:5]
    t4 = time.perf_counter()
    return {
        "export_s": round(t1 - t0, 3),
        "build_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "link_query_ms": round((t4 - t3) * 1000, 2),
        "vertices": snapshot.graph.vcount(),
        "edges_in": sum(v for k, v in snapshot.edge_counts.items() if k != "merged"),
        "edges_merged": snapshot.graph.ecount(),
        "edge_counts": snapshot.edge_counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, nargs="+", default=[100, 1000, 8500])
    parser.add_argument("--uri", default=os.environ.get("HIPPO_TEST_NEO4J_URI", "bolt://127.0.0.1:7687"))
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    user = os.environ.get("HIPPO_NEO4J_USER", "neo4j")
    password = os.environ.get("HIPPO_NEO4J_PASSWORD", "hippo-test-password")

    neo4j = Neo4jStore(args.uri, user, password)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = SQLiteStore(Path(tmp) / "snapshot.db")
        for n in args.passages:
            writes, synonyms = synthetic(n)
            ns = f"bench-snapshot-{n}-{uuid.uuid4().hex[:6]}"
            row: dict[str, Any] = {"passages": n}
            try:
                row["neo4j_fill_s"] = round(fill(neo4j, ns, writes, synonyms), 1)
                row["neo4j"] = load(neo4j, ns)
                if not args.no_sqlite:
                    row["sqlite_fill_s"] = round(fill(sqlite, ns, writes, synonyms), 1)
                    row["sqlite"] = load(sqlite, ns)
            finally:
                neo4j.drop_namespace(ns)
                sqlite.drop_namespace(ns)
            rows.append(row)
            print(json.dumps(row), flush=True)
        sqlite.close()
    neo4j.close()

    machine = f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "snapshot_load.json").write_text(json.dumps({"machine": machine, "sizes": rows}, indent=2) + "\n")
    lines = [
        "# Snapshot load: store export + igraph build",
        "",
        f"Machine: {machine}. Embeddings {DIM}-d float32 (entities, facts, passages).",
        "",
        "| passages | entities+passages | edges (relation+synonym+context) | Neo4j export s | igraph build s | Neo4j total s | SQLite export s | in-process link query ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        n4, sq = r["neo4j"], r.get("sqlite", {})
        lines.append(
            f"| {r['passages']} | {n4['vertices']} | {n4['edges_in']} | {n4['export_s']} | {n4['build_s']} | "
            f"{n4['total_s']} | {sq.get('export_s', '-')} | {n4['link_query_ms']} |"
        )
    (RESULTS / "snapshot_load.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
