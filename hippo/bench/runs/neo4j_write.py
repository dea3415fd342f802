"""Write throughput into Neo4j: the store's batched path (Neo4jStore.write_documents: one
existence read, then UNWIND $rows batches that CREATE what is new and MERGE what exists, one
transaction per call) against a naive path (the idempotent MERGE statements of cypher/, one row per
statement, each in its own auto-commit transaction), on the same synthetic data in the same run.
Also times the batched path with the vector indexes filled (Neo4jStore(vector_index=True)).

    python -m hippo.bench.runs.neo4j_write [--passages 300] [--repeats 3] [--uri bolt://127.0.0.1:7687]

On a shared machine one naive run can take twice as long as the next, so both paths run
--repeats times, alternating (batched, naive, batched, naive, …) into fresh namespaces; the
speedup is median(naive) / median(batched), and every run's pair ratio is recorded as its spread.

Credentials: HIPPO_NEO4J_USER / HIPPO_NEO4J_PASSWORD (default neo4j / hippo-test-password).
Writes benchmarks/results/neo4j_write.json. Both namespaces are dropped at the end; the two paths
must end in the same graph (equal fingerprints), or the comparison is void.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from hippo.store import cypher
from hippo.store.neo4j import Neo4jStore, key_prefix
from hippo.text import content_hash, entity_id, fact_id, passage_id
from hippo.types import (
    Document,
    DocumentWrite,
    Entity,
    EntityRecord,
    Fact,
    FactRecord,
    Passage,
    PassageRecord,
)

RESULTS = Path("benchmarks/results")  # run from the repository root
DIM = 384


def _unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.standard_normal((n, DIM)).astype(np.float32)
    return np.asarray(m / np.linalg.norm(m, axis=1, keepdims=True))


def synthetic_writes(
    n_passages: int, passages_per_doc: int = 5, n_entities: int | None = None, seed: int = 7
) -> list[DocumentWrite]:
    """Documents whose passages each mention 3 entities (drawn from a shared pool, so entities
    repeat across documents) and state 2 facts between them; random unit embeddings."""
    rng = np.random.default_rng(seed)
    n_entities = n_entities or max(10, n_passages)
    names = [f"entity {i}" for i in range(n_entities)]
    entity_emb = _unit_rows(rng, n_entities)
    passage_emb = _unit_rows(rng, n_passages)
    fact_emb_cache: dict[str, np.ndarray] = {}
    writes: list[DocumentWrite] = []
    for d0 in range(0, n_passages, passages_per_doc):
        doc_id = f"doc-{d0 // passages_per_doc}"
        passages: list[Any] = []
        ents: dict[str, Any] = {}
        facts: dict[str, Any] = {}
        mentions: list[Any] = []
        support: list[Any] = []
        texts = []
        for i in range(d0, min(d0 + passages_per_doc, n_passages)):
            picks = rng.choice(n_entities, size=3, replace=False)
            text = f"Passage {i} about {', '.join(names[j] for j in picks)}."
            texts.append(text)
            pid = passage_id(doc_id, text)
            passages.append(PassageRecord(Passage(pid, doc_id, doc_id, text, i - d0), passage_emb[i]))
            for j in picks:
                eid = entity_id(names[j])
                ents.setdefault(eid, EntityRecord(Entity(eid, names[j]), entity_emb[j]))
                mentions.append((pid, eid))
            for a, b in ((picks[0], picks[1]), (picks[1], picks[2])):
                s, o = entity_id(names[a]), entity_id(names[b])
                fid = fact_id(s, "relates to", o)
                emb = fact_emb_cache.setdefault(fid, _unit_rows(rng, 1)[0])
                facts.setdefault(fid, FactRecord(Fact(fid, s, "relates to", o, f"{names[a]} relates to {names[b]}"), emb))
                if (pid, fid) not in support:
                    support.append((pid, fid))
        full = "\n".join(texts)
        writes.append(DocumentWrite(Document(doc_id, doc_id, full), content_hash(full), passages,
                                    list(ents.values()), list(facts.values()), mentions, support))
    return writes


def naive_write(store: Neo4jStore, ns: str, writes: list[DocumentWrite]) -> int:
    """The same statements as the store, one row per statement, one auto-commit transaction each."""
    rows = Neo4jStore._rows(writes, store.vector_index)  # noqa: SLF001 - same rows as the batched path
    names = ("documents_upsert", "passages_upsert", "entities_upsert", "facts_upsert", "mentions_upsert",
             "supports_upsert")
    prefix = key_prefix(ns)
    count = 0
    with store._driver.session(database=store.database) as session:  # noqa: SLF001
        for name, table in zip(names, rows, strict=True):
            statement = cypher.load(name)
            for row in table:
                session.run(statement, ns=ns, prefix=prefix, rows=[row]).consume()
                count += 1
        session.run(cypher.load("namespace_bump"), ns=ns).consume()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--batch-docs", type=int, default=100, help="documents per write_documents call")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each path (median taken)")
    parser.add_argument("--uri", default=os.environ.get("HIPPO_TEST_NEO4J_URI", "bolt://127.0.0.1:7687"))
    args = parser.parse_args()
    user = os.environ.get("HIPPO_NEO4J_USER", "neo4j")
    password = os.environ.get("HIPPO_NEO4J_PASSWORD", "hippo-test-password")

    writes = synthetic_writes(args.passages)
    store = Neo4jStore(args.uri, user, password)
    run = uuid.uuid4().hex[:8]
    ns_batched, ns_naive, ns_vector = f"bench-batched-{run}", f"bench-naive-{run}", f"bench-vector-{run}"
    vector_store = Neo4jStore(args.uri, user, password, vector_index=True)
    try:
        # warm-up: statement compilation and page cache, off the clock
        warm = f"bench-warm-{run}"
        store.write_documents(warm, synthetic_writes(20, seed=1))
        naive_write(store, warm, synthetic_writes(20, seed=2))
        store.drop_namespace(warm)

        def batched() -> float:
            t0 = time.perf_counter()
            for i in range(0, len(writes), args.batch_docs):
                store.write_documents(ns_batched, writes[i : i + args.batch_docs])
            return time.perf_counter() - t0

        def naive() -> tuple[float, int]:
            t0 = time.perf_counter()
            count = naive_write(store, ns_naive, writes)
            return time.perf_counter() - t0, count

        # alternating runs into fresh namespaces, so both paths see the same machine load; the
        # last run's namespaces are kept for the same-graph check
        runs: list[float] = []
        naive_runs: list[float] = []
        for rep in range(args.repeats):
            if rep:
                store.drop_namespace(ns_batched)
                store.drop_namespace(ns_naive)
            runs.append(batched())
            seconds, n_rows = naive()
            naive_runs.append(seconds)
        batched_s = statistics.median(runs)
        naive_s = statistics.median(naive_runs)

        # the price of keeping Neo4j's HNSW vector indexes filled (vector_index=True)
        vector_store.write_documents(warm, synthetic_writes(20, seed=1))
        vector_store.drop_namespace(warm)
        t0 = time.perf_counter()
        for i in range(0, len(writes), args.batch_docs):
            vector_store.write_documents(ns_vector, writes[i : i + args.batch_docs])
        vector_s = time.perf_counter() - t0

        same = store.fingerprint(ns_batched) == store.fingerprint(ns_naive) == store.fingerprint(ns_vector)
        stats = store.stats(ns_batched)
    finally:
        for ns in (ns_batched, ns_naive, ns_vector):
            store.drop_namespace(ns)
        store.close()
        vector_store.close()

    result: dict[str, Any] = {
        "passages": args.passages,
        "documents": len(writes),
        "rows": n_rows,
        "graph": {"entities": stats.entities, "facts": stats.facts, "mentions": stats.mentions},
        "embedding_dim": DIM,
        "batched_seconds": round(batched_s, 3),
        "batched_runs_seconds": [round(r, 3) for r in runs],
        "naive_seconds": round(naive_s, 3),
        "naive_runs_seconds": [round(r, 3) for r in naive_runs],
        "speedup_per_run": [round(n / b, 1) for b, n in zip(runs, naive_runs, strict=True)],
        "batched_rows_per_s": round(n_rows / batched_s, 1),
        "naive_rows_per_s": round(n_rows / naive_s, 1),
        "speedup": round(naive_s / batched_s, 1),
        "batched_with_vector_index_seconds": round(vector_s, 3),
        "vector_index_slowdown": round(vector_s / batched_s, 1),
        "same_graph": same,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "neo4j_write.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not same:
        raise SystemExit("the batched and naive paths produced different graphs")


if __name__ == "__main__":
    main()
