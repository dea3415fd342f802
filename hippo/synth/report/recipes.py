"""Report sections for the recipes beyond GraphGen's: EntiGraph pair coverage, WRAP styles and
real:synthetic ratio, TreeSynth leaf coverage and balance, deep-research path lengths checked
in the graph, SELF-QA/LongForm lengths, and Genie filter scores. Each section appears only when
the file holds records of that recipe."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import Any

from hippo.synth.partition.base import estimate_tokens
from hippo.synth.topology import Topology

Pairs = list[tuple[str, str, dict[str, Any]]]


def _of(pairs: Pairs, mode: str) -> Pairs:
    return [p for p in pairs if p[2].get("mode") == mode]


def entigraph(pairs: Pairs, plan: dict[str, Any]) -> dict[str, Any] | None:
    mine = _of(pairs, "entigraph")
    if not mine:
        return None
    covered: set[tuple[str, str]] = set()
    relations: Counter[str] = Counter()
    for _, _, meta in mine:
        ents = sorted(meta.get("entities") or [])
        relations[str(meta.get("relation"))] += 1
        covered.update(itertools.combinations(ents, 2))
    possible = plan.get("entity_pairs_possible")
    return {
        "records": len(mine),
        "by_relation": dict(relations),
        "entity_pairs_covered": len(covered),
        "entity_pairs_possible": possible,
        "pair_share": (len(covered) / possible) if possible else None,
        "tokens": sum(estimate_tokens(a) for _, a, _ in mine),
    }


def wrap(pairs: Pairs) -> dict[str, Any] | None:
    mine = _of(pairs, "wrap")
    if not mine:
        return None
    styles = Counter(str(m.get("style")) for _, _, m in mine)
    real = styles.get("original", 0)
    return {
        "records": len(mine),
        "by_style": dict(sorted(styles.items())),
        "real_to_synthetic": f"{real}:{len(mine) - real}",
        "max_segment_tokens": max(int(m.get("segment_tokens") or 0) for _, _, m in mine),
    }


def treesynth(pairs: Pairs, plan: dict[str, Any]) -> dict[str, Any] | None:
    mine = _of(pairs, "treesynth")
    if not mine:
        return None
    labels = list(plan.get("leaf_labels") or [])
    counts = Counter(str(m.get("leaf")) for _, _, m in mine)
    per_leaf = [counts.get(label, 0) for label in labels] if labels else list(counts.values())
    total = sum(per_leaf)
    # Pielou evenness of records over all leaves: 1 = perfectly balanced, 0 = one leaf has all
    entropy = -sum((c / total) * math.log(c / total) for c in per_leaf if c) if total else 0.0
    evenness = entropy / math.log(len(per_leaf)) if len(per_leaf) > 1 else 1.0
    return {
        "records": len(mine),
        "levels": plan.get("levels"),
        "leaves": len(per_leaf),
        "leaves_covered": sum(1 for c in per_leaf if c),
        "leaf_coverage": (sum(1 for c in per_leaf if c) / len(per_leaf)) if per_leaf else 0.0,
        "balance_evenness": evenness,
        "records_per_leaf_min": min(per_leaf) if per_leaf else 0,
        "records_per_leaf_max": max(per_leaf) if per_leaf else 0,
        "quota": plan.get("quota"),
    }


def deep_research(pairs: Pairs, topo: Topology | None) -> dict[str, Any] | None:
    mine = _of(pairs, "deep_research")
    if not mine:
        return None
    lengths: Counter[str] = Counter()
    exact = 0
    checked = 0
    for _, _, meta in mine:
        path = meta.get("path") or []
        hops = len(path) - 1
        lengths[str(hops)] += 1
        if topo is not None and hops >= 1:
            checked += 1
            exact += topo.shortest_hops(path[0], path[-1], limit=hops) == hops
    return {
        "records": len(mine),
        "path_lengths": dict(sorted(lengths.items())),
        "checked_in_graph": checked,
        "no_shortcut_share": (exact / checked) if checked else None,
    }


def instructions(pairs: Pairs, mode: str) -> dict[str, Any] | None:
    mine = _of(pairs, mode)
    if not mine:
        return None
    q_words = [len(q.split()) for q, _, _ in mine]
    a_words = [len(a.split()) for _, a, _ in mine]
    return {
        "records": len(mine),
        "mean_question_words": sum(q_words) / len(q_words),
        "mean_answer_words": sum(a_words) / len(a_words),
        "by_generator": dict(Counter(str(m.get("generator")) for _, _, m in mine)),
    }


def scores(pairs: Pairs) -> dict[str, Any] | None:
    values: dict[str, list[float]] = {}
    for _, _, meta in pairs:
        for name, v in (meta.get("scores") or {}).items():
            values.setdefault(name, []).append(float(v))
    if not values:
        return None
    return {name: {"mean": sum(v) / len(v), "min": min(v), "records": len(v)} for name, v in sorted(values.items())}


def recipe_sections(pairs: Pairs, run: dict[str, Any], topo: Topology | None) -> dict[str, Any]:
    plan = run.get("plan") or {}
    sections = {
        "entigraph": entigraph(pairs, plan),
        "wrap": wrap(pairs),
        "treesynth": treesynth(pairs, plan),
        "deep_research": deep_research(pairs, topo),
        "selfqa": instructions(pairs, "selfqa"),
        "longform": instructions(pairs, "longform"),
        "filter_scores": scores(pairs),
    }
    return {k: v for k, v in sections.items() if v is not None}


def render_sections(sections: dict[str, Any]) -> list[str]:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines: list[str] = []
    if e := sections.get("entigraph"):
        lines.append(
            f"  entigraph: {e['records']} texts ({', '.join(f'{k} {v}' for k, v in sorted(e['by_relation'].items()))}), "
            f"~{e['tokens']} tokens; entity pairs covered {e['entity_pairs_covered']}/{e['entity_pairs_possible']} "
            f"({pct(e['pair_share'])})"
        )
    if w := sections.get("wrap"):
        styles = ", ".join(f"{k} {v}" for k, v in w["by_style"].items())
        lines.append(f"  wrap: {w['records']} texts ({styles}); real:synthetic {w['real_to_synthetic']}; "
                     f"longest segment ~{w['max_segment_tokens']} tokens")
    if t := sections.get("treesynth"):
        lines.append(
            f"  treesynth: {t['leaves_covered']}/{t['leaves']} leaves covered ({pct(t['leaf_coverage'])}); balance "
            f"(evenness) {t['balance_evenness']:.3f}; records per leaf {t['records_per_leaf_min']}-{t['records_per_leaf_max']} "
            f"(quota {t['quota']}); levels {', '.join(t['levels'] or [])}"
        )
    if d := sections.get("deep_research"):
        dist = ", ".join(f"{k} hops: {v}" for k, v in d["path_lengths"].items())
        lines.append(f"  deep_research: {d['records']} questions ({dist}); ends exactly that far apart in the graph: "
                     f"{pct(d['no_shortcut_share'])}")
    for mode in ("selfqa", "longform"):
        if s := sections.get(mode):
            lines.append(f"  {mode}: {s['records']} pairs; mean question {s['mean_question_words']:.1f} words, "
                         f"mean answer {s['mean_answer_words']:.1f} words")
    if sc := sections.get("filter_scores"):
        lines.append("  filter scores: " + ", ".join(f"{k} mean {v['mean']:.2f} (min {v['min']:.2f})" for k, v in sc.items()))
    return lines
