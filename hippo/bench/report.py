"""Writing benchmark results: JSON for machines, a markdown table for people, a PNG chart."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hippo.bench.anchors import anchors_for

RETRIEVAL_METRICS = ("recall@2", "recall@5", "recall@10", "all_evidence@5")


def machine_info() -> dict[str, Any]:
    """Where a figure was measured: timings mean nothing without it."""
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    try:  # a shared machine under load slows every timing: record how loaded it was
        info["load_average_1m"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as fh:
            info["memory_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def retrieval_markdown(results: dict[str, Any]) -> str:
    lines = [
        f"# Retrieval: {results['dataset']} ({results['extractor']})",
        "",
        f"{results['date']} · corpus {results['corpus_size']} passages · "
        f"{results.get('questions', '?')} questions · embedder {results['embedder']} · "
        f"extractor {results['extractor']}",
        "",
        "| system | R@2 | R@5 | R@10 | all-evidence@5 | n |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in results["systems"].items():
        lines.append(
            f"| {name} | {row['recall@2']:.1f} | {row['recall@5']:.1f} | {row['recall@10']:.1f} "
            f"| {row['all_evidence@5']:.1f} | {row['n']} |"
        )
    anchors = anchors_for(results.get("dataset", ""), results.get("extractor", ""))
    if anchors:
        lines += ["", "Anchors — **not measured in this run**; fixed figures on the same inputs, cited:", "",
                  "| anchor (not measured here) | R@2 | R@5 | R@10 | all-evidence@5 | source |",
                  "|---|---:|---:|---:|---:|---|"]
        for a in anchors:
            lines.append(f"| {a.system} | {a.recall[2]:.1f} | {a.recall[5]:.1f} | {a.recall[10]:.1f} "
                         f"| {a.all_evidence_at_5:.1f} | {a.source} |")
    gold = results.get("gold", {})
    if gold:
        lines += [
            "",
            f"Gold passages: {gold.get('total', 0)}, unmatched in the corpus: {gold.get('unmatched', 0)}"
            f" (questions left with no matched gold: {gold.get('questions_without_gold', 0)}, "
            "scored 0). Match levels: "
            + ", ".join(f"{k} {v}" for k, v in sorted(gold.get("levels", {}).items())),
        ]
    indexing = results.get("indexing")
    if indexing:
        timings = indexing.get("timings", {})
        lines += [
            "",
            "Indexing"
            + (" (reused from cache; timings of the original run)" if indexing.get("cached") else "")
            + ": "
            + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items() if isinstance(v, (int, float))),
        ]
    machine = results.get("machine", {})
    if machine:
        lines += ["", f"Machine: {machine.get('cpu', '?')}, {machine.get('cpus', '?')} CPUs, "
                  f"{machine.get('memory_gb', '?')} GB, Python {machine.get('python', '?')}, "
                  f"load average {machine.get('load_average_1m', '?')} when written."]
    return "\n".join(lines) + "\n"


def retrieval_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(results["systems"])
    width = 0.8 / max(1, len(systems))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, name in enumerate(systems):
        values = [results["systems"][name][m] for m in RETRIEVAL_METRICS]
        xs = [j + (i - (len(systems) - 1) / 2) * width for j in range(len(RETRIEVAL_METRICS))]
        bars = ax.bar(xs, values, width, label=name)
        ax.bar_label(bars, fmt="%.0f", fontsize=7)
    ax.set_xticks(range(len(RETRIEVAL_METRICS)), list(RETRIEVAL_METRICS))
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.set_title(f"{results['dataset']} · {results['extractor']} · {results['embedder']}")
    ax.legend(fontsize=8, ncols=min(5, len(systems)))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_retrieval_report(out: Path, results: dict[str, Any], per_question: list[dict[str, Any]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "results.json", results)
    write_jsonl(out / "per_question.jsonl", per_question)
    (out / "results.md").write_text(retrieval_markdown(results), encoding="utf-8")
    retrieval_chart(results, out / "results.png")


def speed_markdown(results: dict[str, Any]) -> str:
    lines = [f"# Speed and scale ({results['date']})", ""]
    indexing = results.get("indexing")
    if indexing:
        lines += [
            f"## Indexing throughput ({indexing['documents']} documents, {indexing['passages']} passages "
            f"of {indexing['source']}, total {indexing['total_s']:.1f} s)",
            "",
            "| stage | seconds | share | passages/s |",
            "|---|---:|---:|---:|",
        ]
        for stage, row in indexing["stages"].items():
            lines.append(f"| {stage} | {row['seconds']:.2f} | {row['share']:.0%} | {row['passages_per_s']:.1f} |")
        lines.append("")
    incremental = results.get("incremental")
    if incremental:
        lines += [
            "## Adding 1 % more documents",
            "",
            f"Full index of {incremental['full_documents']} documents: {incremental['full_s']:.1f} s; "
            f"adding {incremental['added_documents']} more to an index of the rest: "
            f"{incremental['add_s']:.2f} s ({incremental['ratio']:.1%} of the full index); "
            f"first query after the addition (snapshot rebuild): {incremental['first_query_s']:.2f} s.",
            "",
        ]
    scale = results.get("scale", [])
    if scale:
        impls = list(scale[0]["ppr_ms"])
        lines += [
            "## Query latency and PPR at growing graph sizes (synthetic graphs)",
            "",
            "| edges | nodes | entities | query p50 ms | query p95 ms | "
            + " | ".join(f"PPR {i} ms" for i in impls)
            + " | bytes/edge |",
            "|" + "---:|" * (6 + len(impls)),
        ]
        for row in scale:
            ppr = " | ".join(
                f"{row['ppr_ms'][i]:.1f}" if row["ppr_ms"].get(i) is not None else "–" for i in impls
            )
            lat = row.get("query_ms") or {}
            p50 = f"{lat['p50']:.1f}" if lat else "–"
            p95 = f"{lat['p95']:.1f}" if lat else "–"
            lines.append(
                f"| {row['edges']:,} | {row['nodes']:,} | {row.get('entities', 0):,} | {p50} | {p95} | {ppr} "
                f"| {row['bytes_per_edge']:.0f} |"
            )
        lines.append("")
    targets = results.get("targets", [])
    if targets:
        lines += ["## Targets", "", "| target | figure | met |", "|---|---|---|"]
        for t in targets:
            lines.append(f"| {t['target']} | {t['figure']} | {'yes' if t['met'] else 'no'} |")
        lines.append("")
    machine = results.get("machine", {})
    if machine:
        lines.append(f"Machine: {machine.get('cpu', '?')}, {machine.get('cpus', '?')} CPUs, "
                     f"{machine.get('memory_gb', '?')} GB, Python {machine.get('python', '?')}, "
                     f"load average {machine.get('load_average_1m', '?')} at the start.")
    return "\n".join(lines) + "\n"


def speed_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = results.get("scale", [])
    if not scale:
        return
    edges = [row["edges"] for row in scale]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for impl in scale[0]["ppr_ms"]:
        points = [(e, row["ppr_ms"].get(impl)) for e, row in zip(edges, scale, strict=True)]
        points = [(e, v) for e, v in points if v is not None]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=impl)
    left.set(xscale="log", yscale="log", xlabel="edges", ylabel="ms per PPR", title="Personalized PageRank")
    left.legend(fontsize=8)
    for q in ("p50", "p95"):
        points = [(e, row["query_ms"][q]) for e, row in zip(edges, scale, strict=True) if row.get("query_ms")]
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=f"query {q}")
    right.set(xscale="log", yscale="log", xlabel="edges", ylabel="ms", title="Query latency (no LLM, warm)")
    right.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_speed_report(out: Path, results: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "speed.json", results)
    (out / "speed.md").write_text(speed_markdown(results), encoding="utf-8")
    speed_chart(results, out / "speed.png")
