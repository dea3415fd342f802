"""A human audit of a synthesis output: a markdown review sheet of sampled pairs (per mode) with
their source passages, and the precision per mode read back from the verdicts a reviewer wrote
into it (correct / wrong / ill-formed)."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hippo.errors import UserError
from hippo.synth.report.quality import load_pairs

VERDICTS = ("correct", "wrong", "ill-formed")
_PAIR = re.compile(r"^## (\d+) · (\S+)\s*$")
_VERDICT = re.compile(r"^verdict:\s*(\S*)", re.IGNORECASE)


def sample_pairs(pairs: list[tuple[str, str, dict[str, Any]]], per_mode: int, seed: int) -> list[int]:
    """Indices of up to ``per_mode`` pairs of each mode, drawn with ``seed``, in file order."""
    by_mode: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, meta) in enumerate(pairs):
        by_mode[str(meta.get("mode"))].append(i)
    rng = random.Random(seed)
    picked: list[int] = []
    for mode in sorted(by_mode):
        idx = by_mode[mode]
        picked += idx if len(idx) <= per_mode else rng.sample(idx, per_mode)
    return sorted(picked)


def write_sheet(file: str | Path, sheet: str | Path, per_mode: int, passages: Callable[[list[str]], dict[str, str]],
                seed: int = 0) -> int:
    """Write the review sheet; ``passages`` maps passage ids to their text. Returns pairs written."""
    pairs = load_pairs(Path(file))
    picked = sample_pairs(pairs, per_mode, seed)
    lines = [
        f"# Audit of {Path(file).name}",
        "",
        f"{len(picked)} pairs sampled (up to {per_mode} per mode, seed {seed}). Under each pair write one verdict: "
        "`correct` (well-formed, and the cited passages support the answer), `wrong` (they do not), or "
        "`ill-formed` (the question is not one a person would ask, or gives its answer away). "
        "Then run `hippo synth audit THIS_FILE`.",
        "",
    ]
    for i in picked:
        q, a, meta = pairs[i]
        ids = list((meta.get("provenance") or {}).get("passage_ids") or [])
        texts = passages(ids)
        lines += [f"## {i + 1} · {meta.get('mode')}", "", f"**Q:** {q}", "", f"**A:** {a}", ""]
        if meta.get("answer_key"):
            lines += [f"**key:** {meta['answer_key']}", ""]
        for pid in ids:
            lines += [f"> [{pid}] {texts.get(pid, '(passage not in the store)')}", ""]
        lines += ["verdict: ", ""]
    Path(sheet).write_text("\n".join(lines), encoding="utf-8")
    return len(picked)


def read_verdicts(sheet: str | Path) -> dict[str, Any]:
    """Verdict counts and precision (correct / judged) per mode and overall."""
    path = Path(sheet)
    if not path.exists():
        raise UserError(f"no such file: {path}")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    mode: str | None = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        head = _PAIR.match(line)
        if head:
            mode = head.group(2)
            continue
        verdict = _VERDICT.match(line)
        if verdict and mode is not None:
            word = verdict.group(1).lower()
            if word and word not in VERDICTS:
                raise UserError(f"{path}:{n}: verdict {word!r} is not one of {', '.join(VERDICTS)}")
            counts[mode][word or "unmarked"] += 1
            mode = None
    def summary(c: Counter[str]) -> dict[str, Any]:
        judged = sum(c[v] for v in VERDICTS)
        return {**{v: c[v] for v in VERDICTS}, "unmarked": c["unmarked"], "judged": judged,
                "precision": c["correct"] / judged if judged else None}

    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    return {"sheet": str(path), "by_mode": {m: summary(c) for m, c in sorted(counts.items())}, "all": summary(total)}


def render_verdicts(report: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [f"audit of {report['sheet']}"]
    for mode, s in [*report["by_mode"].items(), ("all", report["all"])]:
        lines.append(f"  {mode}: {pct(s['precision'])} correct of {s['judged']} judged "
                     f"(wrong {s['wrong']}, ill-formed {s['ill-formed']}, unmarked {s['unmarked']})")
    return "\n".join(lines)
