"""Pieces of the report's per-recipe sections that more than one recipe uses, and the Genie
filter scores every recipe's records may carry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

# records of an output file as the report reads them: (question, answer, meta)
Records = list[tuple[str, str, dict[str, Any]]]


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def instructions(records: Records) -> dict[str, Any]:
    """Lengths of instruction-style pairs (SELF-QA, LongForm)."""
    q_words = [len(q.split()) for q, _, _ in records]
    a_words = [len(a.split()) for _, a, _ in records]
    return {
        "records": len(records),
        "mean_question_words": sum(q_words) / len(q_words),
        "mean_answer_words": sum(a_words) / len(a_words),
        "by_generator": dict(Counter(str(m.get("generator")) for _, _, m in records)),
    }


def render_instructions(mode: str, s: Mapping[str, Any]) -> list[str]:
    return [f"  {mode}: {s['records']} pairs; mean question {s['mean_question_words']:.1f} words, "
            f"mean answer {s['mean_answer_words']:.1f} words"]


def scores(records: Records) -> dict[str, Any] | None:
    values: dict[str, list[float]] = {}
    for _, _, meta in records:
        for name, v in (meta.get("scores") or {}).items():
            values.setdefault(name, []).append(float(v))
    if not values:
        return None
    return {name: {"mean": sum(v) / len(v), "min": min(v), "records": len(v)} for name, v in sorted(values.items())}


def render_scores(sc: Mapping[str, Any]) -> list[str]:
    return ["  filter scores: " + ", ".join(f"{k} mean {v['mean']:.2f} (min {v['min']:.2f})" for k, v in sc.items())]
