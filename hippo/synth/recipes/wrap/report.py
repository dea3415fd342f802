"""WRAP's report section: texts by style, the real:synthetic ratio, the longest segment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from hippo.synth.recipes.base import Records


def section(records: Records) -> dict[str, Any]:
    styles = Counter(str(m.get("style")) for _, _, m in records)
    real = styles.get("original", 0)
    return {
        "records": len(records),
        "by_style": dict(sorted(styles.items())),
        "real_to_synthetic": f"{real}:{len(records) - real}",
        "max_segment_tokens": max(int(m.get("segment_tokens") or 0) for _, _, m in records),
    }


def render(w: Mapping[str, Any]) -> list[str]:
    styles = ", ".join(f"{k} {v}" for k, v in w["by_style"].items())
    return [f"  wrap: {w['records']} texts ({styles}); real:synthetic {w['real_to_synthetic']}; "
            f"longest segment ~{w['max_segment_tokens']} tokens"]
