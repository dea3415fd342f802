"""Embedding speed, side by side in one run (issue 20).

Three parts, each a ratio measured within one run (the machine is shared: record the load):

* ``throughput`` — the same texts (musique passages and the entity/fact phrases of its OpenIE
  file) embedded by a plain sentence-transformers ``encode`` (library defaults), by hippo's torch
  backend and by its ONNX backend, each at 1 and 2 intra-op threads; the methods take turns
  round-robin so a burst of load from another process hits them alike; embedding caches off.
* ``index`` — a whole offline index (spaCy extraction) of the musique corpus plus the retrieval
  benchmark (Recall@k of every mode), by the code before this change (``--baseline-tree``, a
  checkout of it: torch, library threads) and by this tree (defaults), as two processes started
  together so both see the same load; caches off; ``timings.embed`` and wall time compared.
* ``cache`` — the corpus indexed into a fresh store with HippoRAG's OpenIE triples, then into
  another fresh store with the spaCy extractor (an extractor change), one persistent embedding
  cache shared: the second run's cache hit rate and the texts it had to compute.

    python -m hippo.bench.runs.embed_speed throughput index cache --baseline-tree /tmp/base
writes benchmarks/results/embed_speed.json (each part merged into it) and embed_speed.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path.cwd()  # the checkout measured: run from the repository root
DATA = Path("/work/shared/data/musique")
RESULTS = ROOT / "benchmarks" / "results"
OUT = RESULTS / "embed_speed.json"


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def sample_texts(n_passages: int, n_phrases: int) -> tuple[list[str], list[str]]:
    """Passages as indexing embeds them (title + text) and phrases (entity keys, fact texts) from
    HippoRAG's OpenIE output for the same corpus."""
    from hippo.text import entity_key

    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    passages = [f"{d['title']}\n{d['text']}" for d in corpus[:n_passages]]
    openie = json.loads(next(DATA.glob("openie_*.json")).read_text(encoding="utf-8"))
    phrases: dict[str, None] = {}
    for doc in openie.get("docs", []):
        for name in doc.get("extracted_entities", []):
            if isinstance(name, str) and name.strip():
                phrases.setdefault(entity_key(name), None)
        for triple in doc.get("extracted_triples", []):
            if isinstance(triple, list) and len(triple) == 3 and all(isinstance(t, str) for t in triple):
                phrases.setdefault(" ".join(triple), None)
        if len(phrases) >= n_phrases:
            break
    return passages, list(phrases)[:n_phrases]


def part_throughput(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np
    import torch

    from hippo.embed import Embedder, bundled_model_path

    passages, phrases = sample_texts(args.passages, args.phrases)
    texts = passages + phrases
    from sentence_transformers import SentenceTransformer

    plain = SentenceTransformer(bundled_model_path(), device="cpu")
    default_threads = torch.get_num_threads()

    def plain_encode() -> Any:
        torch.set_num_threads(default_threads)
        return plain.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)

    embedders = {f"hippo-{b}-{t}t": Embedder(disk_cache="off", backend=b, threads=t)
                 for b in ("torch", "onnx") for t in (1, 2)}
    methods: dict[str, Any] = {"sentence-transformers-encode": plain_encode}
    for name, emb in embedders.items():
        methods[name] = (lambda e: lambda: e._compute(texts, None, e.threads))(emb)
    for emb in embedders.values():  # warm-up: first calls allocate buffers and load kernels
        emb._compute(texts[:8], None, emb.threads)
    plain.encode(texts[:8])
    seconds: dict[str, list[float]] = {name: [] for name in methods}
    vectors: dict[str, Any] = {}
    loads = [load()]
    for _ in range(args.rounds):
        for name, fn in methods.items():
            t0 = time.perf_counter()
            vectors[name] = fn()
            seconds[name].append(time.perf_counter() - t0)
        loads.append(load())
    reference = vectors["sentence-transformers-encode"]
    rows = {}
    for name, secs in seconds.items():
        best = min(secs)
        cos = (np.asarray(vectors[name]) * reference).sum(axis=1)
        rows[name] = {
            "seconds": [round(s, 2) for s in secs], "best_s": round(best, 2),
            "texts_per_s": round(len(texts) / best, 1),
            "speedup_vs_plain_encode": round(min(seconds["sentence-transformers-encode"]) / best, 2),
            "cosine_vs_plain_min": round(float(cos.min()), 4), "cosine_vs_plain_mean": round(float(cos.mean()), 4),
        }
    onnx = embedders["hippo-onnx-1t"]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "load_during": loads,
        "texts": {"passages": len(passages), "phrases": len(phrases)}, "rounds": args.rounds,
        "plain_encode_threads": default_threads, "onnx_backend": onnx.backend, "methods": rows,
    }


def _variants(args: argparse.Namespace) -> dict[str, tuple[Path, dict[str, str]]]:
    """name -> (code tree, environment): before = the code before the change (torch, library
    threads); torch = this tree's torch backend at its default thread count; onnx = this tree's
    defaults."""
    known: dict[str, tuple[Path | None, dict[str, str]]] = {
        "before": (Path(args.baseline_tree) if args.baseline_tree else None, {}),
        "torch": (ROOT, {"HIPPO_EMBEDDING_BACKEND": "torch"}),
        "onnx": (ROOT, {}),
    }
    out = {}
    for name in args.variants.split(","):
        tree, env = known[name]
        if tree is None:
            raise SystemExit(f"variant {name} needs --baseline-tree (a checkout of the code before the change)")
        out[name] = (tree, env)
    return out


def _start(tree: Path, env: dict[str, str], cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    full_env = {**os.environ, **env, "PYTHONPATH": str(tree), "HIPPO_EMBEDDING_CACHE": "off"}
    return subprocess.Popen([sys.executable, "-m", "hippo.interfaces.cli.main", *cmd], cwd=tree, env=full_env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


def part_index(args: argparse.Namespace) -> dict[str, Any]:
    """Whole offline index + retrieval benchmark per variant, all started together (or, with
    --collect, the results of such runs already in --work)."""
    work = Path(args.work or tempfile.mkdtemp(prefix="embed-speed-"))
    work.mkdir(parents=True, exist_ok=True)
    variants = _variants(args)
    start_load = load()
    procs = {}
    if not args.collect:
        for name, (tree, env) in variants.items():
            cmd = ["bench", "retrieval", "--data", str(DATA), "--extractor", "spacy", "--out", str(work / f"out-{name}"),
                   "--cache", str(work / f"cache-{name}")]
            procs[name] = _start(tree, env, cmd, work / f"{name}.log")
        for proc in procs.values():
            proc.wait()
    results: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                               "load_at_start": start_load, "load_at_end": load(), "runs": {}}
    for name in variants:
        res_file = work / f"out-{name}" / "results.json"
        if not res_file.exists():
            results["runs"][name] = {"failed": True, "log": str(work / f"{name}.log")}
            continue
        res = json.loads(res_file.read_text(encoding="utf-8"))
        results["runs"][name] = {
            "embedder": res["embedder"], "wall_s": res["indexing"]["wall_s"], "timings": res["indexing"]["timings"],
            "stats": res["indexing"]["stats"], "machine": res["machine"], "date": res["date"],
            "recall": {s: {k: v for k, v in m.items() if k != "n"} for s, m in res["systems"].items()},
        }
    return results


def part_subset(args: argparse.Namespace) -> dict[str, Any]:
    """``hippo index --json`` of the first --subset musique passages into a fresh store per
    variant, all started together: timings.embed and the whole command's wall time."""
    work = Path(args.work or tempfile.mkdtemp(prefix="embed-subset-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))[: args.subset]
    source = work / f"musique-{len(corpus)}.json"
    source.write_text(json.dumps(corpus), encoding="utf-8")
    variants = _variants(args)
    start_load = load()
    procs, started = {}, {}
    for name, (tree, env) in variants.items():
        db = work / f"subset-{name}.db"
        for old in work.glob(f"subset-{name}.db*"):
            old.unlink()
        started[name] = time.perf_counter()
        procs[name] = _start(tree, {**env, "HIPPO_STORE": f"sqlite:///{db}", "HIPPO_EXTRACTOR": "spacy",
                                    "HIPPO_SNAPSHOT_DIR": "off"},
                             ["index", str(source), "--json"], work / f"subset-{name}.log")
    walls: dict[str, float] = {}
    while len(walls) < len(procs):  # each command's own end, whichever finishes first
        for name, proc in procs.items():
            if name not in walls and proc.poll() is not None:
                walls[name] = time.perf_counter() - started[name]
        time.sleep(0.5)
    runs: dict[str, Any] = {}
    for name in variants:
        text = (work / f"subset-{name}.log").read_text(encoding="utf-8", errors="replace")
        try:
            report = json.loads(text[text.index("{"): text.rindex("}") + 1])
        except ValueError:
            runs[name] = {"failed": True, "log": str(work / f"subset-{name}.log")}
            continue
        runs[name] = {"command_wall_s": round(walls[name], 1), "timings": report["timings"],
                      "embedding": report.get("embedding"), "passages": report["passages"],
                      "entities_new": report["entities_new"], "facts_new": report["facts_new"]}
    out: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "passages": len(corpus),
                           "load_at_start": start_load, "load_at_end": load(), "runs": runs}
    base = runs.get("before") if "timings" in runs.get("before", {}) else None
    new = runs.get("onnx") if "timings" in runs.get("onnx", {}) else None
    if base and new:
        out["embed_speedup"] = round(base["timings"]["embed"] / new["timings"]["embed"], 2)
        out["index_speedup_command"] = round(base["command_wall_s"] / new["command_wall_s"], 2)
        out["index_speedup_stages"] = round(sum(base["timings"].values()) / sum(new["timings"].values()), 2)
    return out


def part_cache(args: argparse.Namespace) -> dict[str, Any]:
    from hippo.config import Settings
    from hippo.memory import Memory
    from hippo.types import Document

    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))[: args.subset]
    docs = [Document(id=f"musique-{i}", title=d["title"], text=d["text"]) for i, d in enumerate(corpus)]
    openie = str(next(DATA.glob("openie_*.json")))
    work = Path(tempfile.mkdtemp(prefix="embed-cache-"))
    cache = str(work / "vectors.sqlite")
    runs = {}
    for tag, extractor in (("openie", openie), ("spacy", None)):
        settings = Settings.from_env().replace(store=f"sqlite:///{work / tag}.db", namespace="cache",
                                               extractor="spacy", embedding_cache=cache)
        with Memory(settings) as memory:
            t0 = time.perf_counter()
            report = memory.add_documents(docs, openie=extractor)
            wall = time.perf_counter() - t0
        d = report.to_dict()
        runs[tag] = {"wall_s": round(wall, 1), "timings": d["timings"], "embedding": d.get("embedding"),
                     "entities_new": d["entities_new"], "facts_new": d["facts_new"], "load": load()}
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs,
            "note": "first run fills an empty cache with the OpenIE extractor; the second, into a fresh store, "
                    "uses spaCy (an extractor change): passages repeat, entities and facts mostly differ"}


def write_markdown(data: dict[str, Any]) -> None:
    lines = ["# Embedding speed (issue 20)", "", "Ratios within one run on a shared 2-core machine; load averages as "
             "recorded (1, 5, 15 min).", ""]
    lines += [*data.get("notes", []), ""] if data.get("notes") else []
    t = data.get("throughput")
    if t:
        lines += [f"## Throughput — {t['texts']['passages']} passages + {t['texts']['phrases']} phrases, "
                  f"best of {t['rounds']} rounds, {t['date']}, load {t['load_during'][0]} → {t['load_during'][-1]}", "",
                  "| method | best s | texts/s | × plain encode | cosine vs plain (min / mean) |", "|---|---:|---:|---:|---:|"]
        for name, row in t["methods"].items():
            lines.append(f"| {name} | {row['best_s']} | {row['texts_per_s']} | {row['speedup_vs_plain_encode']} | "
                         f"{row['cosine_vs_plain_min']} / {row['cosine_vs_plain_mean']} |")
        lines.append("")
    sub = data.get("subset")
    if sub:
        lines += [f"## `hippo index --json` of the first {sub['passages']} musique passages (spaCy), variants started "
                  f"together — {sub['date']}, load {sub['load_at_start']} → {sub['load_at_end']}", "",
                  "| variant | timings.embed s | sum of stages s | command wall s | texts | computed |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, run in sub["runs"].items():
            if "timings" not in run:
                lines.append(f"| {name} | failed | | | | |")
                continue
            emb = run.get("embedding") or {}
            lines.append(f"| {name} | {run['timings']['embed']} | {round(sum(run['timings'].values()), 1)} | "
                         f"{run['command_wall_s']} | {emb.get('texts', '')} | {emb.get('computed', '')} |")
        if "embed_speedup" in sub:
            lines += ["", f"embed stage {sub['embed_speedup']}× faster; stages {sub['index_speedup_stages']}×, "
                          f"whole command {sub['index_speedup_command']}× (with model load and start-up)"]
        lines.append("")
    x = data.get("index")
    if x:
        lines += [f"## Whole offline index of musique (spaCy) + retrieval — {x['date']}", ""]
        if x.get("note"):
            lines += [x["note"], ""]
        for name, run in x["runs"].items():
            if "timings" not in run:
                lines.append(f"- {name}: failed ({run})")
                continue
            r5 = ", ".join(f"{s} {m['recall@5']}" for s, m in run["recall"].items())
            load_1m = (run.get("machine") or {}).get("load_average_1m")
            lines.append(f"- {name} [{run['embedder']}]: wall {run['wall_s']} s, embed {run['timings']['embed']} s, "
                         f"load {load_1m}; R@5: {r5}")
        base, new = x["runs"].get("before", {}), x["runs"].get("onnx", {})
        if "timings" in base and "timings" in new:
            lines += ["", f"onnx against before, same run: embed stage {base['timings']['embed'] / new['timings']['embed']:.2f}× "
                          f"faster, whole index {base['wall_s'] / new['wall_s']:.2f}× (targets 4× and 2.5×)"]
        lines.append("")
    c = data.get("cache")
    if c:
        lines += [f"## Re-index after an extractor change, shared cache — {c['date']}", ""]
        for tag, run in c["runs"].items():
            lines.append(f"- {tag}: wall {run['wall_s']} s, embed {run['timings'].get('embed')} s, embedding "
                         f"{run['embedding']}, load {run['load']}")
        lines.append("")
    OUT.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", choices=["throughput", "subset", "index", "cache", "report"])
    parser.add_argument("--variants", default="before,onnx", help="comma-separated: before, torch, onnx")
    parser.add_argument("--subset", type=int, default=256, help="passages for the subset part")
    parser.add_argument("--collect", action="store_true", help="index: read the runs already in --work")
    parser.add_argument("--baseline-tree", help="checkout of the code before the change (for index)")
    parser.add_argument("--work", help="folder for the index runs' stores and logs")
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--phrases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    for part in args.parts:
        if part == "report":  # only rewrite embed_speed.md from the JSON
            write_markdown(data)
            continue
        result = {"throughput": part_throughput, "subset": part_subset, "index": part_index,
                  "cache": part_cache}[part](args)
        # read again: another part may have been written by another process meanwhile
        data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        data[part] = result
        RESULTS.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(data, indent=2), encoding="utf-8")
        write_markdown(data)
        print(json.dumps({part: data[part]}, indent=2)[:3000])


if __name__ == "__main__":
    main()
