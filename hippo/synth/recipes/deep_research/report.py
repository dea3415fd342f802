"""Deep research's report section: path lengths, and whether each path's ends are still exactly
that far apart in the current graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from hippo.synth.recipes.base import Records
from hippo.synth.report.sections import pct
from hippo.synth.topology import Topology


def section(records: Records, topo: Topology | None) -> dict[str, Any]:
    lengths: Counter[str] = Counter()
    exact = 0
    checked = 0
    for _, _, meta in records:
        path = meta.get("path") or []
        hops = len(path) - 1
        lengths[str(hops)] += 1
        if topo is not None and hops >= 1:
            checked += 1
            exact += topo.shortest_hops(path[0], path[-1], limit=hops) == hops
    return {
        "records": len(records),
        "path_lengths": dict(sorted(lengths.items())),
        "checked_in_graph": checked,
        "no_shortcut_share": (exact / checked) if checked else None,
    }


def render(d: Mapping[str, Any]) -> list[str]:
    dist = ", ".join(f"{k} hops: {v}" for k, v in d["path_lengths"].items())
    return [f"  deep_research: {d['records']} questions ({dist}); ends exactly that far apart in the graph: "
            f"{pct(d['no_shortcut_share'])}"]
