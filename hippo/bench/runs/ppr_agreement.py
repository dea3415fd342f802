"""Agreement of two `hippo bench retrieval` runs on the same index (e.g. HIPPO_PPR_MODE=exact vs local):
per system, mean top-5 overlap of the ranked titles, and Recall@5 of each run and their difference.

    python -m hippo.bench.runs.ppr_agreement benchmarks/results/ppr-agreement/musique-exact \\
        benchmarks/results/ppr-agreement/musique-local [more local runs…]

Writes benchmarks/results/ppr-agreement/agreement.json (one row per compared pair, merged by pair).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _rows(run: Path) -> dict[str, dict[str, Any]]:
    with (run / "per_question.jsonl").open(encoding="utf-8") as fh:
        return {row["id"]: row["systems"] for row in map(json.loads, fh)}


def compare(reference: Path, other: Path) -> dict[str, Any]:
    ref, oth = _rows(reference), _rows(other)
    shared = sorted(set(ref) & set(oth))
    out: dict[str, Any] = {"reference": reference.name, "other": other.name, "questions": len(shared), "systems": {}}
    for system in ref[shared[0]] if shared else []:
        overlaps = [len(set(ref[q][system]["top5"]) & set(oth[q][system]["top5"])) / 5 for q in shared]
        r5_ref = 100 * sum(ref[q][system]["recall@5"] for q in shared) / len(shared)
        r5_oth = 100 * sum(oth[q][system]["recall@5"] for q in shared) / len(shared)
        out["systems"][system] = {"top5_overlap": round(sum(overlaps) / len(overlaps), 4),
                                  "recall@5_reference": round(r5_ref, 2), "recall@5_other": round(r5_oth, 2),
                                  "recall@5_difference": round(r5_oth - r5_ref, 2)}
    return out


def main() -> None:
    reference, *others = (Path(a) for a in sys.argv[1:])
    rows = [compare(reference, o) for o in others]
    out = reference.parent / "agreement.json"
    previous = json.loads(out.read_text())["pairs"] if out.is_file() else []
    pairs = {(p["reference"], p["other"]) for p in rows}
    out.write_text(json.dumps({"pairs": [p for p in previous if (p["reference"], p["other"]) not in pairs] + rows},
                              indent=2) + "\n")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
