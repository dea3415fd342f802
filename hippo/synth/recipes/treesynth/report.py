"""TreeSynth's report section: leaf coverage and balance (Pielou evenness of records over the
leaves), the records-per-leaf range against the quota."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from hippo.synth.recipes.base import Records
from hippo.synth.report.sections import pct


def section(records: Records, plan: Mapping[str, Any]) -> dict[str, Any]:
    labels = list(plan.get("leaf_labels") or [])
    counts = Counter(str(m.get("leaf")) for _, _, m in records)
    per_leaf = [counts.get(label, 0) for label in labels] if labels else list(counts.values())
    total = sum(per_leaf)
    # Pielou evenness of records over all leaves: 1 = perfectly balanced, 0 = one leaf has all
    entropy = -sum((c / total) * math.log(c / total) for c in per_leaf if c) if total else 0.0
    evenness = entropy / math.log(len(per_leaf)) if len(per_leaf) > 1 else 1.0
    return {
        "records": len(records),
        "levels": plan.get("levels"),
        "leaves": len(per_leaf),
        "leaves_covered": sum(1 for c in per_leaf if c),
        "leaf_coverage": (sum(1 for c in per_leaf if c) / len(per_leaf)) if per_leaf else 0.0,
        "balance_evenness": evenness,
        "records_per_leaf_min": min(per_leaf) if per_leaf else 0,
        "records_per_leaf_max": max(per_leaf) if per_leaf else 0,
        "quota": plan.get("quota"),
    }


def render(t: Mapping[str, Any]) -> list[str]:
    return [
        f"  treesynth: {t['leaves_covered']}/{t['leaves']} leaves covered ({pct(t['leaf_coverage'])}); balance "
        f"(evenness) {t['balance_evenness']:.3f}; records per leaf {t['records_per_leaf_min']}-{t['records_per_leaf_max']} "
        f"(quota {t['quota']}); levels {', '.join(t['levels'] or [])}"
    ]
