"""The quality report of a synthesis output file: what is in it, how diverse it is, how much
of the graph it covers, whether multi-hop pairs really take two hops, and what was rejected."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from hippo.embed import Embedder
from hippo.errors import UserError
from hippo.synth.formats import decode
from hippo.synth.output import read_state, sidecar_path
from hippo.synth.report.metrics import dispersion, distinct_n, mtld
from hippo.synth.report.recipes import recipe_sections, render_sections
from hippo.synth.topology import Topology
from hippo.text import normalize_phrase

DISPERSION_SAMPLE = 1000
LONG_TAIL_QUANTILE = 0.25


def load_pairs(path: Path) -> list[tuple[str, str, dict[str, Any]]]:
    if not path.exists():
        raise UserError(f"no such file: {path}")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    side = sidecar_path(path)
    side_metas = [json.loads(x) for x in side.read_text(encoding="utf-8").splitlines() if x.strip()] if side.exists() else []
    out: list[tuple[str, str, dict[str, Any]]] = []
    for i, line in enumerate(lines):
        try:
            record = json.loads(line)
            q, a = decode(record)
        except (ValueError, StopIteration, KeyError) as exc:
            raise UserError(f"{path}:{i + 1}: not an alpaca, sharegpt or chatml record ({exc})") from None
        meta = record.get("meta") or (side_metas[i] if i < len(side_metas) else {})
        out.append((q, a, meta))
    return out


def _has_provenance(meta: dict[str, Any]) -> bool:
    prov = meta.get("provenance") or {}
    return bool(prov.get("passage_ids")) and bool(prov.get("fact_ids") or prov.get("entity_ids"))


def coverage(pairs: list[tuple[str, str, dict[str, Any]]], topo: Topology) -> dict[str, Any]:
    ents: set[str] = set()
    facts: set[str] = set()
    for _, _, meta in pairs:
        prov = meta.get("provenance") or {}
        ents.update(prov.get("entity_ids") or [])
        facts.update(prov.get("fact_ids") or [])
    all_units = len(topo.entity_ids) + len(topo.fact_ends)
    covered = len(ents & set(topo.entity_ids)) + len(facts & set(topo.fact_ends))
    degrees = np.array([topo.degree(e) for e in topo.entity_ids]) if topo.entity_ids else np.zeros(0)
    cut = float(np.quantile(degrees, LONG_TAIL_QUANTILE)) if degrees.size else 0.0
    tail = [e for e in topo.entity_ids if topo.degree(e) <= cut]
    return {
        "units": all_units,
        "units_covered": covered,
        "unit_share": covered / all_units if all_units else 0.0,
        "long_tail_degree_max": cut,
        "long_tail_entities": len(tail),
        "long_tail_share": (len(ents & set(tail)) / len(tail)) if tail else 0.0,
    }


def question_hops(question: str, meta: dict[str, Any], topo: Topology) -> int:
    """Hops the question needs: 2 only when the generator checked that no single cited passage
    answers it (meta "hops") and the question does not name its bridge; else 1 (the graph path
    may be longer, but a question that names its bridge is two one-hop questions)."""
    path = meta.get("path") or []
    if meta.get("hops") != 2 or len(path) < 3:
        return 1
    q = f" {normalize_phrase(question)} "
    bridges = [normalize_phrase(topo.entity_names.get(e, "")) for e in path[1:-1]]
    return 1 if any(b and f" {b} " in q for b in bridges) else 2


def hop_counts(pairs: list[tuple[str, str, dict[str, Any]]], topo: Topology) -> dict[str, Any]:
    """For every pair with a path: the hops its question needs (``question_hops``: the figure
    that says whether multi-hop pairs are multi-hop), the fewest facts between its ends in the
    graph now, and whether the facts it cites still exist."""
    dist: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    missing_facts = 0
    checked = 0
    for question, _, meta in pairs:
        path = meta.get("path")
        if meta.get("mode") != "multi_hop" and not path:
            continue
        checked += 1
        asked[str(question_hops(question, meta, topo))] += 1
        facts = (meta.get("provenance") or {}).get("fact_ids") or []
        if any(f not in topo.fact_ends for f in facts):
            missing_facts += 1
        if not path or len(path) < 2:
            dist["no_path"] += 1
            continue
        hops = topo.shortest_hops(path[0], path[-1])
        dist["unreachable" if hops is None else str(hops)] += 1
    at_least_2 = sum(n for k, n in dist.items() if k.isdigit() and int(k) >= 2)
    return {
        "pairs": checked,
        "distribution": dict(sorted(dist.items())),
        "share_at_least_2": at_least_2 / checked if checked else None,
        "question_hops": dict(sorted(asked.items())),
        "share_two_hop_questions": asked["2"] / checked if checked else None,
        "citing_missing_facts": missing_facts,
    }


def build_report(path: str | Path, topo: Topology | None = None, embedder: Embedder | None = None, seed: int = 0) -> dict[str, Any]:
    path = Path(path)
    pairs = load_pairs(path)
    state = read_state(path) or {}
    texts = [f"{q}\n{a}" for q, a, _ in pairs]
    report: dict[str, Any] = {
        "file": str(path),
        "pairs": len(pairs),
        "by_mode": dict(Counter(str(m.get("mode")) for _, _, m in pairs)),
        "by_difficulty": dict(Counter(str(m.get("difficulty")) for _, _, m in pairs)),
        "by_generator": dict(Counter(str(m.get("generator")) for _, _, m in pairs)),
        "text_records": sum(1 for q, _, _ in pairs if not q),
        "provenance_share": (sum(_has_provenance(m) for _, _, m in pairs) / len(pairs)) if pairs else 0.0,
        "distinct_1": distinct_n(texts, 1),
        "distinct_2": distinct_n(texts, 2),
        "mtld": mtld(texts),
        "embedding_dispersion": None,
        "coverage": None,
        "multi_hop": None,
        "rejections": state.get("rejections", {}),
        "run": state.get("extra", {}),
    }
    if embedder is not None and pairs:
        questions = [q or a for q, a, _ in pairs]  # a corpus record has its text instead
        if len(questions) > DISPERSION_SAMPLE:
            questions = random.Random(seed).sample(questions, DISPERSION_SAMPLE)
        report["embedding_dispersion"] = dispersion(embedder.embed(questions))
    if topo is not None:
        report["coverage"] = coverage(pairs, topo)
        report["multi_hop"] = hop_counts(pairs, topo)
    report["recipes"] = recipe_sections(pairs, state.get("extra", {}), topo)
    return report


def render(report: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [f"{report['file']}: {report['pairs']} pairs"]
    lines.append("  by mode:       " + ", ".join(f"{k} {v}" for k, v in sorted(report["by_mode"].items())))
    lines.append("  by difficulty: " + ", ".join(f"{k} {v}" for k, v in sorted(report["by_difficulty"].items())))
    lines.append("  by generator:  " + ", ".join(f"{k} {v}" for k, v in sorted(report["by_generator"].items())))
    lines.append(f"  provenance:    {pct(report['provenance_share'])} of pairs")
    lines.append(f"  distinct-1 {report['distinct_1']:.3f}  distinct-2 {report['distinct_2']:.3f}  MTLD {report['mtld']:.1f}")
    if report["embedding_dispersion"] is not None:
        lines.append(f"  embedding dispersion {report['embedding_dispersion']:.3f} (mean pairwise cosine distance of questions)")
    cov = report.get("coverage")
    if cov:
        lines.append(
            f"  coverage: {cov['units_covered']}/{cov['units']} KG units ({pct(cov['unit_share'])}); "
            f"long-tail entities (degree <= {cov['long_tail_degree_max']:g}): {pct(cov['long_tail_share'])}"
        )
    hops = report.get("multi_hop")
    if hops and hops["pairs"]:
        dist = ", ".join(f"{k} hops: {v}" if k.isdigit() else f"{k}: {v}" for k, v in hops["distribution"].items())
        lines.append(f"  multi-hop pairs whose question needs two hops (bridge unnamed, no single passage answers): "
                     f"{pct(hops['share_two_hop_questions'])} of {hops['pairs']}")
        lines.append(f"  graph distance between their ends: {dist}; >= 2 hops: {pct(hops['share_at_least_2'])}")
        if hops["citing_missing_facts"]:
            lines.append(f"  pairs citing facts no longer in the graph: {hops['citing_missing_facts']}")
    lines.extend(render_sections(report.get("recipes") or {}))
    rej = report.get("rejections") or {}
    total_rej = sum(rej.values())
    lines.append(f"  rejected: {total_rej}" + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(rej.items())) + ")" if rej else ""))
    ordering = (report.get("run") or {}).get("ordering")
    if ordering:
        lines.append(f"  ordering: {ordering.get('note')}")
        for w in ordering.get("warnings") or []:
            lines.append(f"  warning: {w}")
    return "\n".join(lines)
