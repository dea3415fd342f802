"""Nearest-neighbour linking (hippo.retrieve.ann) against exact search, on real embeddings.

    python -m hippo.bench.runs.ann_recall --data ../shared/data/musique \\
        --db benchmarks/cache/musique-spacy-<key>.db [--sizes 100000,1000000] [--out benchmarks/results/ann]

1. Recall of the HNSW index against an exact scan on the cached MuSiQue index's own fact, entity and
   passage embeddings, the MuSiQue questions as queries (recall@5/@10), plus the synonymy search
   (edges with cosine >= the threshold found for a sample of entities) and the error of the lowest
   fact score HippoRAG 2 min-max normalises with.
2. hipporag2 / hipporag1 Recall@5 on MuSiQue with the index forced on and off, same snapshot; and the
   bridge mode's top-sentence search (recall against the scan, bridge Recall@5 on and off);
   ``--bridge-only`` measures just that and adds it to an existing ``OUT/ann.json``.
3. Query time of HNSW against an exact scan at synthetic sizes made from the real vectors (each a
   real vector plus Gaussian noise, renormalised), and the cost of extending an index by 1 %.
Writes ``OUT/ann.json`` and ``OUT/ann.md``. HNSW builds run on one thread.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from hippo.bench.datasets import load_dataset
from hippo.bench.gold import GoldIndex
from hippo.bench.metrics import dedupe, mean, percentile, recall_at_k
from hippo.bench.report import machine_info
from hippo.bench.retrieval import NAMESPACE
from hippo.retrieve import ann
from hippo.retrieve.ann import AnnConfig, VectorIndex
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.snapshot import GraphSnapshot, one_thread


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def recall(approx: np.ndarray, exact: np.ndarray, k: int) -> float:
    hits = [len(set(a[:k].tolist()) & set(e[:k].tolist()) - {-1}) / max(1, int((e[:k] >= 0).sum()))
            for a, e in zip(approx, exact, strict=True)]
    return round(float(np.mean(hits)), 4)


def real_recall(snap: GraphSnapshot, queries: np.ndarray, threshold: float, top_k: int,
                sample: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("fact", "entity", "passage"):
        matrix = np.asarray(snap.embeddings[kind])
        t0 = time.perf_counter()
        hnsw = ann.build(matrix)
        built = time.perf_counter() - t0
        exact = VectorIndex(matrix)
        e_rows, _ = exact.search(queries, 10)
        a_rows, _ = hnsw.search(queries, 10)
        row: dict[str, Any] = {"rows": int(matrix.shape[0]), "build_s": round(built, 2),
                               "recall@5": recall(a_rows, e_rows, 5), "recall@10": recall(a_rows, e_rows, 10)}
        if kind == "fact":
            lo_exact = (matrix @ queries.T).min(axis=0)
            lo_ann = np.array([-hnsw.search(-q, 1)[1][0, 0] for q in queries])
            row["lowest_score_abs_error_mean"] = round(float(np.abs(lo_ann - lo_exact).mean()), 5)
            same = [np.array_equal(hnsw.top_min_max(q, 5)[0], exact.top_min_max(q, 5)[0]) for q in queries]
            row["top5_facts_identical"] = round(float(np.mean(same)), 4)
        if kind == "entity":
            rng = np.random.default_rng(0)
            probe = rng.choice(matrix.shape[0], size=min(sample, matrix.shape[0]), replace=False)
            e_rows, e_sims = exact.search(matrix[probe], top_k + 1)
            a_rows, a_sims = hnsw.search(matrix[probe], top_k + 1)
            wanted = {(int(p), int(c)) for p, rs, ss in zip(probe, e_rows, e_sims, strict=True)
                      for c, s in zip(rs, ss, strict=True) if s >= threshold and c != p}
            found = {(int(p), int(c)) for p, rs, ss in zip(probe, a_rows, a_sims, strict=True)
                     for c, s in zip(rs, ss, strict=True) if s >= threshold and c != p}
            row["synonymy"] = {"entities_probed": int(probe.size), "edges_exact": len(wanted),
                               "edges_found": len(found & wanted), "extra": len(found - wanted),
                               "edge_recall": round(len(found & wanted) / max(1, len(wanted)), 4)}
        out[kind] = row
        log(f"{kind}: {row}")
    return out


def retrieval_recall(memory: Any, snap: GraphSnapshot, data: str,
                     modes: tuple[str, ...] = ("hipporag2", "hipporag1")) -> dict[str, Any]:
    from hippo.retrieve.retriever import Retriever

    dataset = load_dataset(data)
    gold = GoldIndex(dataset.corpus)
    targets = [gold.target(q) for q in dataset.questions]
    passages = {p.id: p for p in memory.store.get_passages(memory.namespace, snap.export.passage_ids)}
    doc_of = [passages[pid].doc_id for pid in snap.export.passage_ids]
    retriever = Retriever(memory.store, memory.embedder, memory.settings, memory._snapshots)
    out: dict[str, Any] = {"questions": len(targets)}
    with tempfile.TemporaryDirectory() as tmp:
        for label, config, where in (("off", AnnConfig("off"), None), ("on", AnnConfig("on"), Path(tmp))):
            # the same arrays, another linking index (the files go to a scratch directory)
            view = dataclasses.replace(snap, ann_dir=where, ann_config=config, _vector_indexes={})
            for mode in modes:
                r5, tops, times = [], [], []
                for q, target in zip(dataset.questions, targets, strict=True):
                    t0 = time.perf_counter()
                    rows = retriever.rank(view, q.question, mode).rows
                    times.append(time.perf_counter() - t0)
                    keys = gold.ranked_keys(dedupe([doc_of[r] for r in rows[:60]]), target.mode)
                    r5.append(recall_at_k(keys, target.keys, 5))
                    tops.append(rows[:5].tolist())
                out.setdefault(mode, {})[label] = {"recall@5": round(100 * mean(r5), 2), "top5": tops,
                                                   "p50_ms": round(1000 * percentile(times, 50), 1)}
                log(f"{mode} ann={label}: R@5 {out[mode][label]['recall@5']}")
    for mode in modes:
        on, off = out[mode]["on"], out[mode]["off"]
        overlap = [len(set(a) & set(b)) / 5 for a, b in zip(on.pop("top5"), off.pop("top5"), strict=True)]
        out[mode]["top5_overlap"] = round(float(np.mean(overlap)), 4)
        out[mode]["recall@5_difference"] = round(on["recall@5"] - off["recall@5"], 2)
    return out


def bridge_recall(memory: Any, snap: GraphSnapshot, queries: np.ndarray, data: str) -> dict[str, Any]:
    """The bridge mode's top-sentence search: HNSW recall against the exact scan over the layout's
    sentences, and bridge Recall@5 with the index forced on and off (same snapshot)."""
    matrix = np.asarray(snap.bridge().sentence_emb)
    t0 = time.perf_counter()
    hnsw = ann.build(matrix)
    built = time.perf_counter() - t0
    e_rows, _ = VectorIndex(matrix).search(queries, 10)
    a_rows, _ = hnsw.search(queries, 10)
    out: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "uptime_start": uptime(),
                           "sentences": {"rows": int(matrix.shape[0]), "build_s": round(built, 2),
                                         "recall@3": recall(a_rows, e_rows, 3), "recall@5": recall(a_rows, e_rows, 5)}}
    log(f"sentence: {out['sentences']}")
    out["retrieval"] = retrieval_recall(memory, snap, data, ("bridge",))["bridge"]
    out["uptime_end"] = uptime()
    return out


def synthetic(pool: np.ndarray, n: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` vectors, each a real one plus isotropic noise of norm about ``noise``, renormalised."""
    out = np.empty((n, pool.shape[1]), dtype=np.float32)
    step = 100_000
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        base = pool[rng.integers(0, pool.shape[0], size=hi - lo)]
        jitter = rng.standard_normal(base.shape).astype(np.float32) * (noise / np.sqrt(pool.shape[1]))
        v = base + jitter
        out[lo:hi] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def timed(index: VectorIndex, queries: np.ndarray) -> tuple[float, float]:
    """p50 and p95 in ms of one top-5 search per query."""
    times = []
    with one_thread():
        for q in queries:
            t0 = time.perf_counter()
            index.search(q, 5)
            times.append(time.perf_counter() - t0)
    return 1000 * percentile(times, 50), 1000 * percentile(times, 95)


def speed(pool: np.ndarray, queries: np.ndarray, sizes: list[int], noise: float, work: Path) -> list[dict[str, Any]]:
    rng = np.random.default_rng(1)
    rows = []
    for n in sizes:
        matrix = synthetic(pool, n, noise, rng)
        ids = StringColumn.of(f"x{i}" for i in range(n))
        exact = VectorIndex(matrix)
        # 99 % first, then the last 1 % through open_index's extension path, as an indexing run does
        head = int(n * 0.99)
        directory = work / f"n{n}"
        t0 = time.perf_counter()
        ann.open_index(matrix[:head], ids.rows(0, head), AnnConfig("on"), directory, "bench")
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ann.open_index(matrix, ids, AnnConfig("on"), directory, "bench")
        extend_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        hnsw = ann.open_index(matrix, ids, AnnConfig("on"), directory, "bench")
        open_s = time.perf_counter() - t0
        added = matrix[head:][:512]
        t0 = time.perf_counter()
        with one_thread():
            exact.search(added, 101)
        syn_exact = time.perf_counter() - t0
        t0 = time.perf_counter()
        hnsw.search(added, 101)
        syn_ann = time.perf_counter() - t0
        e_p50, e_p95 = timed(exact, queries)
        a_p50, a_p95 = timed(hnsw, queries)
        e_rows, e_scores = exact.search(queries, 10)
        a_rows, _ = hnsw.search(queries, 10)
        ready_ef = int(hnsw.hnsw.hnsw.efSearch)
        sweep = []
        for ef in (128, 256, 512, 1024):
            hnsw.hnsw.hnsw.efSearch = ef
            s_rows, s_scores = hnsw.search(queries, 5)
            p50, _ = timed(hnsw, queries)
            # near-copies make many near-ties: also how close the scores found are to the best ones
            sweep.append({"ef_search": ef, "p50_ms": round(p50, 3), "recall@5": recall(s_rows, e_rows, 5),
                          "score_ratio@5": round(float(s_scores.sum() / e_scores[:, :5].sum()), 5)})
        hnsw.hnsw.hnsw.efSearch = ready_ef
        row = {"vectors": n, "noise": noise, "ef_search": ready_ef, "build_99pct_s": round(build_s, 1), "extend_1pct_s": round(extend_s, 2),
               "open_mapped_s": round(open_s, 4),
               "index_mb": round((directory / "bench.faiss").stat().st_size / 2**20, 1),
               "exact_p50_ms": round(e_p50, 3), "exact_p95_ms": round(e_p95, 3),
               "ann_p50_ms": round(a_p50, 3), "ann_p95_ms": round(a_p95, 3),
               "speedup_p50": round(e_p50 / a_p50, 1),
               "recall@5": recall(a_rows, e_rows, 5), "recall@10": recall(a_rows, e_rows, 10),
               "synonymy_512_new_exact_s": round(syn_exact, 3), "synonymy_512_new_ann_s": round(syn_ann, 3),
               "ef_sweep": sweep, "uptime": uptime()}
        log(f"speed {row}")
        rows.append(row)
    return rows


def write_md(path: Path, result: dict[str, Any]) -> None:
    lines = [f"# ANN linking against exact search ({result['date']})", "",
             f"`{result['command']}`", "", f"Load: start `{result['uptime_start']}`, end `{result['uptime_end']}`.",
             f"HNSW: faiss IndexHNSWFlat, M={ann.CONNECTIVITY}, efConstruction={ann.EXPANSION_ADD}, efSearch={ann.EXPANSION_SEARCH} "
             f"({ann.EXPANSION_SEARCH_LARGE} from {ann.LARGE_ROWS:,} rows), "
             "one thread; scores of the rows found are exact dot products.", "",
             "## Recall on MuSiQue's own embeddings (100 questions as queries)", "",
             "| kind | rows | build s | recall@5 | recall@10 |", "|---|---:|---:|---:|---:|"]
    for kind, row in result["real"].items():
        lines.append(f"| {kind} | {row['rows']:,} | {row['build_s']} | {row['recall@5']} | {row['recall@10']} |")
    fact, syn = result["real"]["fact"], result["real"]["entity"]["synonymy"]
    lines += ["", f"Top-5 facts identical to exact (after min-max): {fact['top5_facts_identical']}; mean error of the "
              f"lowest fact score (negated-query search): {fact['lowest_score_abs_error_mean']}.",
              f"Synonymy (cosine >= {result['synonym_threshold']}, top {result['synonym_top_k']}): "
              f"{syn['edges_found']} of {syn['edges_exact']} exact edges found for {syn['entities_probed']} entities "
              f"(recall {syn['edge_recall']}), {syn['extra']} extra.", ""]
    if result.get("retrieval"):
        head = "## Retrieval on MuSiQue, same snapshot, ANN forced on vs off"
        note = result["retrieval"].get("note")
        lines += [f"{head} ({result['retrieval']['date']})" if "date" in result["retrieval"] else head, "",
                  *([note, ""] if note else []),
                  "| mode | R@5 off | R@5 on | difference | top-5 overlap | p50 ms off | p50 ms on |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for mode in [m for m in result["retrieval"] if isinstance(result["retrieval"][m], dict)]:
            r = result["retrieval"][mode]
            lines.append(f"| {mode} | {r['off']['recall@5']} | {r['on']['recall@5']} | {r['recall@5_difference']} | "
                         f"{r['top5_overlap']} | {r['off']['p50_ms']} | {r['on']['p50_ms']} |")
        lines.append("")
    if result.get("bridge"):
        b = result["bridge"]
        r, sent = b["retrieval"], b["sentences"]
        lines += [f"## Bridge mode's top sentences through the index ({b['date']})", "",
                  *([f"`{b['command']}`", ""] if b.get("command") else []),
                  f"Load: start `{b['uptime_start']}`, end `{b['uptime_end']}`.", "",
                  f"HNSW over the layout's {sent['rows']:,} sentences (built in {sent['build_s']} s): recall@3 "
                  f"{sent['recall@3']}, recall@5 {sent['recall@5']} against the exact scan (the mode links through "
                  "the top 3).", "",
                  "| mode | R@5 off | R@5 on | difference | top-5 overlap | p50 ms off | p50 ms on |",
                  "|---|---:|---:|---:|---:|---:|---:|",
                  f"| bridge | {r['off']['recall@5']} | {r['on']['recall@5']} | {r['recall@5_difference']} | "
                  f"{r['top5_overlap']} | {r['off']['p50_ms']} | {r['on']['p50_ms']} |", ""]
    lines += ["## Speed at synthetic sizes (real vectors + noise), top-5 of one query", "",
              "| vectors | exact p50 ms | ANN p50 ms | speed-up | recall@5 | recall@10 | build 99 % s | extend 1 % s | "
              "open s | synonymy of 512 new: exact s / ANN s |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in result["speed"]:
        lines.append(f"| {r['vectors']:,} | {r['exact_p50_ms']} | {r['ann_p50_ms']} | {r['speedup_p50']}x | "
                     f"{r['recall@5']} | {r['recall@10']} | {r['build_99pct_s']} | {r['extend_1pct_s']} | "
                     f"{r['open_mapped_s']} | {r['synonymy_512_new_exact_s']} / {r['synonymy_512_new_ann_s']} |")
    lines += ["", "efSearch against recall (same indexes; score ratio = sum of the top-5 scores found over the exact "
              "top-5's):", "", "| vectors | efSearch | p50 ms | recall@5 | score ratio@5 |", "|---:|---:|---:|---:|---:|"]
    for r in result["speed"]:
        for e in r["ef_sweep"]:
            lines.append(f"| {r['vectors']:,} | {e['ef_search']} | {e['p50_ms']} | {e['recall@5']} | {e['score_ratio@5']} |")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--db", required=True, help="the cached index of `hippo bench retrieval` (a SQLite file)")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--noise", type=float, default=0.5)
    parser.add_argument("--sample", type=int, default=2000, help="entities probed for the synonymy recall")
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--out", default="benchmarks/results/ann")
    parser.add_argument("--retrieval-only", action="store_true",
                        help="re-measure only Recall@5 with every index on vs off and replace it in OUT/ann.json")
    parser.add_argument("--bridge-only", action="store_true",
                        help="measure only the bridge mode's sentence index and add it to OUT/ann.json")
    args = parser.parse_args()
    from hippo.config import Settings
    from hippo.memory import Memory

    start = uptime()
    memory = Memory(Settings.from_env().replace(store=f"sqlite:///{Path(args.db).resolve()}", namespace=NAMESPACE))
    snap = memory.snapshot()
    dataset = load_dataset(args.data)
    queries = np.stack([memory.embedder.embed_query(q.question) for q in dataset.questions]).astype(np.float32)
    log(f"snapshot v{snap.version}: {snap.n_entities} entities, {len(snap.fact_ids)} facts, {snap.n_passages} passages")
    out = Path(args.out)
    if args.bridge_only:
        earlier: dict[str, Any] = json.loads((out / "ann.json").read_text())
        earlier["bridge"] = bridge_recall(memory, snap, queries, args.data)
        earlier["bridge"]["command"] = (f"python -m hippo.bench.runs.ann_recall --data {args.data} --db {args.db} "
                                        f"--out {args.out} --bridge-only")
        (out / "ann.json").write_text(json.dumps(earlier, indent=2) + "\n")
        write_md(out / "ann.md", earlier)
        log(f"added the bridge figures to {out}/ann.json and ann.md")
        return
    if args.retrieval_only:
        earlier = json.loads((out / "ann.json").read_text())
        retrieval = retrieval_recall(memory, snap, args.data, modes=("hipporag2", "hipporag1", "bridge"))
        retrieval.update(date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), uptime=[start, uptime()],
                         note=f"Facts, entities and passages through HNSW; a query scores its "
                              f"{ann.PASSAGE_CANDIDATES} nearest passages exactly and the rest at the lowest score.")
        earlier["retrieval"] = retrieval
        (out / "ann.json").write_text(json.dumps(earlier, indent=2) + "\n")
        write_md(out / "ann.md", earlier)
        log(f"replaced the retrieval figures in {out}/ann.json and ann.md")
        return
    s = memory.settings
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python -m hippo.bench.runs.ann_recall " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v not in (False, None)),
        "machine": machine_info(), "uptime_start": start, "library": "faiss-cpu (IndexHNSWFlat, inner product)",
        "synonym_threshold": s.synonym_threshold, "synonym_top_k": s.synonym_top_k,
        "real": real_recall(snap, queries, s.synonym_threshold, s.synonym_top_k, args.sample),
    }
    if not args.skip_retrieval:
        result["retrieval"] = retrieval_recall(memory, snap, args.data)
        result["bridge"] = bridge_recall(memory, snap, queries, args.data)
    pool = np.concatenate([np.asarray(snap.embeddings[k]) for k in ("fact", "entity", "passage")])
    with tempfile.TemporaryDirectory() as work:
        result["speed"] = speed(pool, queries, [int(x) for x in args.sizes.split(",") if x], args.noise, Path(work))
    result["uptime_end"] = uptime()
    out.mkdir(parents=True, exist_ok=True)
    (out / "ann.json").write_text(json.dumps(result, indent=2) + "\n")
    write_md(out / "ann.md", result)
    log(f"wrote {out}/ann.json and ann.md")


if __name__ == "__main__":
    main()
