"""`hippo bench scale`: a store filled with a synthetic graph shaped like a HippoRAG index, then
query processes started fresh against it — what a CLI call, an API worker or the MCP server pays.

Per size and store: write time, snapshot build time (once, by the writer, as ``hippo index`` does),
then for each PageRank mode a fresh process measures its first query (open the store, map the
snapshot, rank, read the passages) and warm latency over many queries, and reports its resident
memory. Queries are random unit vectors (no model): the model's share is measured apart, once,
by a real ``hippo query`` on the largest SQLite point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hippo.bench.synthetic import synthetic_export
from hippo.types import (
    Document,
    DocumentWrite,
    Entity,
    EntityRecord,
    Fact,
    FactRecord,
    GraphExport,
    Passage,
    PassageRecord,
)

PASSAGES_PER_DOC = 10
DOCS_PER_CALL = 100
NAMESPACE = "bench-scale"
RETRIEVAL_MODE = "hipporag2"  # the mode whose graph the synthetic export is shaped like


def document_writes(export: GraphExport) -> Iterator[list[DocumentWrite]]:
    """The synthetic export as batches of document writes (an entity's embedding goes with the first
    write that names it, as the indexer does)."""
    entity_row = {eid: i for i, eid in enumerate(export.entity_ids)}
    fact_row = {fid: i for i, fid in enumerate(export.fact_ids)}
    mentions: dict[str, list[str]] = {}
    for p, e in export.mentions:
        mentions.setdefault(p, []).append(e)
    supports: dict[str, list[str]] = {}
    for p, f in export.fact_support:
        supports.setdefault(p, []).append(f)
    written: set[str] = set()
    batch: list[DocumentWrite] = []
    for d0 in range(0, len(export.passage_ids), PASSAGES_PER_DOC):
        doc_id = f"doc-{d0 // PASSAGES_PER_DOC:08d}"
        passages: list[PassageRecord] = []
        entities: dict[str, EntityRecord] = {}
        facts: list[FactRecord] = []
        doc_mentions: list[tuple[str, str]] = []
        doc_support: list[tuple[str, str]] = []
        for k, pid in enumerate(export.passage_ids[d0 : d0 + PASSAGES_PER_DOC]):
            row = d0 + k
            passages.append(PassageRecord(Passage(pid, doc_id, doc_id, f"synthetic passage {row}", k),
                                          export.passage_emb[row]))
            fids = supports.get(pid, [])
            names = set(mentions.get(pid, []))
            for f in fids:
                i = fact_row[f]
                names.update((export.fact_subjects[i], export.fact_objects[i]))
                facts.append(FactRecord(Fact(f, export.fact_subjects[i], "relates to", export.fact_objects[i],
                                             export.fact_texts[i]), export.fact_emb[i]))
                doc_support.append((pid, f))
            for eid in names:
                if eid not in entities:
                    i = entity_row[eid]
                    entities[eid] = EntityRecord(Entity(eid, export.entity_names[i]),
                                                 None if eid in written else export.entity_emb[i])
            doc_mentions.extend((pid, e) for e in set(mentions.get(pid, [])))
        written.update(entities)
        batch.append(DocumentWrite(Document(doc_id, doc_id, doc_id), doc_id, passages, list(entities.values()),
                                   facts, doc_mentions, doc_support))
        if len(batch) == DOCS_PER_CALL:
            yield batch
            batch = []
    if batch:
        yield batch


def fill(store_uri: str, target_edges: int, snapshot_dir: str, log: Callable[[str], None]) -> dict[str, Any]:
    """Write the synthetic graph into the store, then build its snapshot once."""
    from hippo.config import Settings
    from hippo.retrieve.snapshot_cache import SnapshotCache
    from hippo.store import open_store

    settings = Settings.from_env(store=store_uri, snapshot_dir=snapshot_dir)
    export = synthetic_export(target_edges)
    with open_store(store_uri, settings) as store:
        store.drop_namespace(NAMESPACE)
        t0 = time.perf_counter()
        for writes in document_writes(export):
            store.write_documents(NAMESPACE, writes)
        for i in range(0, len(export.synonyms), 50_000):
            store.add_synonyms(NAMESPACE, export.synonyms[i : i + 50_000])
        write_s = time.perf_counter() - t0
        log(f"  wrote {len(export.passage_ids):,} passages in {write_s:.1f} s")
        t0 = time.perf_counter()
        snap = SnapshotCache.for_settings(settings).refresh(store, NAMESPACE)
        build_s = time.perf_counter() - t0
    return {"write_s": round(write_s, 2), "snapshot_build_s": round(build_s, 2), "edges": snap.n_edges,
            "vertices": snap.n_vertices, "entities": snap.n_entities, "passages": snap.n_passages,
            "facts": len(snap.fact_ids)}


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def query_process(store_uri: str, mode: str, queries: int, snapshot_dir: str) -> dict[str, Any]:
    """Run in a fresh interpreter: the first query's parts, then warm latency and memory."""
    started = time.perf_counter()
    from hippo.bench.metrics import percentile
    from hippo.bench.speed import RandomVectorEmbedder
    from hippo.config import Settings
    from hippo.retrieve.retriever import Retriever
    from hippo.retrieve.snapshot_cache import SnapshotCache
    from hippo.store import open_store

    # the synthetic graph is a triple graph with no retrieval layer: the bridge mode (the default)
    # would fall back to dense search and measure no PageRank at all
    settings = Settings.from_env(store=store_uri, ppr_mode=mode, snapshot_dir=snapshot_dir,
                                 retrieval_mode=RETRIEVAL_MODE)
    imported = time.perf_counter()
    store = open_store(store_uri, settings)
    cache = SnapshotCache.for_settings(settings)
    snap = cache.get(store, NAMESPACE)
    opened = time.perf_counter()
    embedder = RandomVectorEmbedder(snap.passage_emb.shape[1], 0)
    retriever = Retriever(store, embedder, settings, cache)  # type: ignore[arg-type]
    result = retriever.query(NAMESPACE, "first", top_k=5)
    first = time.perf_counter()
    if result.explanation.pagerank is None:
        raise RuntimeError(f"{RETRIEVAL_MODE} ran no PageRank on the synthetic graph: nothing to measure")
    times = []
    for i in range(queries):
        t0 = time.perf_counter()
        retriever.query(NAMESPACE, f"q{i}", top_k=5)
        times.append((time.perf_counter() - t0) * 1000)
    store.close()
    return {
        "import_s": round(imported - started, 3), "open_s": round(opened - imported, 3),
        "first_query_s": round(first - opened, 3), "snapshot_source": snap.source,
        "retrieval_mode": RETRIEVAL_MODE, "pagerank": result.explanation.pagerank.to_dict(),
        "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
        "rss_mb": round(_status_kb("VmRSS") / 1024, 1), "rss_anon_mb": round(_status_kb("RssAnon") / 1024, 1),
        "rss_file_mb": round(_status_kb("RssFile") / 1024, 1), "hits": len(result.hits),
    }


def fresh_query_process(store_uri: str, mode: str, queries: int, snapshot_dir: str) -> dict[str, Any]:
    """``query_process`` in a new interpreter; ``cold_query_s`` is wall time from spawn to the
    first answer (interpreter start and imports included)."""
    code = ("import json, sys; from hippo.bench.scale import query_process; "
            "print(json.dumps(query_process(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])))")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, store_uri, mode, str(queries), snapshot_dir],
                         capture_output=True, text=True, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    wall = time.perf_counter() - t0
    row: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    warm_s = row["p50_ms"] * queries / 1000  # approximate share of the wall spent on warm queries
    row["cold_query_s"] = round(row["import_s"] + row["open_s"] + row["first_query_s"], 3)
    row["process_wall_s"] = round(wall, 2)
    row["process_start_s"] = round(max(wall - warm_s - row["cold_query_s"], 0.0), 3)
    return row


def cli_query_seconds(store_uri: str, snapshot_dir: str) -> float:
    """Wall time of a real ``hippo query`` (model load included) in a fresh process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HIPPO_STORE": store_uri, "HIPPO_NAMESPACE": NAMESPACE,
           "HIPPO_SNAPSHOT_DIR": snapshot_dir}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", "query", "Who founded the city?", "--json"],
                   capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - t0


def store_uri_for(store: str, work: Path, size: int) -> str:
    if store == "sqlite":
        return f"sqlite:///{work / f'scale-{size}.db'}"
    return os.environ.get("HIPPO_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")


def run_scale(sizes: list[int], store: str, out: Path, work: Path, queries: int = 50,
              modes: tuple[str, ...] = ("exact", "local"), log: Callable[[str], None] = print) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    points: list[dict[str, Any]] = []
    builds: list[dict[str, Any]] = []
    for size in sizes:
        uri = store_uri_for(store, work, size)
        snapshot_dir = str(work / f"snapshots-{store}-{size}-{uuid.uuid4().hex[:6]}")
        log(f"{store} {size:,} edges: filling (load {os.getloadavg()[0]:.1f})")
        built = {"target_edges": size, "store": store, **fill(uri, size, snapshot_dir, log)}
        builds.append(built)
        for mode in modes:
            row = fresh_query_process(uri, mode, queries, snapshot_dir)
            point = {"edges": built["edges"], "store": store, "mode": mode, "p50_ms": row["p50_ms"],
                     "p95_ms": row["p95_ms"], "cold_query_s": row["cold_query_s"], "rss_mb": row["rss_mb"],
                     "entities": built["entities"], "load_1m": round(os.getloadavg()[0], 2), "detail": row}
            log(f"  {mode}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, cold {row['cold_query_s']} s, "
                f"rss {row['rss_mb']} MB ({row['pagerank']})")
            points.append(point)
        if store == "sqlite" and size == max(sizes):
            built["cli_query_s"] = round(cli_query_seconds(uri, snapshot_dir), 2)
            log(f"  hippo query (model included): {built['cli_query_s']} s")
        if store == "sqlite":
            for leftover in work.glob(f"scale-{size}.db*"):
                if leftover.is_file():
                    leftover.unlink()
        else:  # a shared server: leave nothing behind
            from hippo.config import Settings
            from hippo.store import open_store

            with open_store(uri, Settings.from_env(store=uri)) as server:
                server.drop_namespace(NAMESPACE)
    result = {"points": points, "builds": builds, "queries": queries,
              "machine": f"{os.cpu_count()} cores, load average at end {os.getloadavg()[0]:.1f}",
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    existing = out / "scale.json"
    if existing.is_file():  # keep the points of other stores measured earlier into the same folder
        previous = json.loads(existing.read_text())
        keep = [p for p in previous.get("points", []) if p["store"] != store]
        result["points"] = keep + points
        result["builds"] = [b for b in previous.get("builds", []) if b["store"] != store] + builds
    existing.write_text(json.dumps(result, indent=2) + "\n")
    plot(result, out / "scale.png")
    return result


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for p in result["points"]:
        series.setdefault((p["store"], p["mode"]), []).append(p)
    for (store, mode), rows in sorted(series.items()):
        rows.sort(key=lambda r: r["edges"])
        x = [r["edges"] for r in rows]
        axes[0].plot(x, [r["p50_ms"] for r in rows], "o-", label=f"{store} {mode} p50")
        axes[0].plot(x, [r["p95_ms"] for r in rows], "x--", label=f"{store} {mode} p95")
        axes[1].plot(x, [r["cold_query_s"] for r in rows], "o-", label=f"{store} {mode}")
        axes[2].plot(x, [r["rss_mb"] for r in rows], "o-", label=f"{store} {mode}")
    for ax, title in zip(axes, ("warm query ms", "cold process: first query s", "query process RSS MB"), strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("edges")
        ax.set_title(title)
        ax.legend(fontsize=7)
    fig.suptitle(f"hippo bench scale — {result['date']}, {result['machine']}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
