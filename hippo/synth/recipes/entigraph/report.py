"""EntiGraph's report section: texts by relation, tokens, and entity pairs covered against all
pairs the documents hold."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from typing import Any

from hippo.synth.partition.base import estimate_tokens
from hippo.synth.recipes.base import Records
from hippo.synth.report.sections import pct


def section(records: Records, plan: Mapping[str, Any]) -> dict[str, Any]:
    covered: set[tuple[str, str]] = set()
    relations: Counter[str] = Counter()
    for _, _, meta in records:
        ents = sorted(meta.get("entities") or [])
        relations[str(meta.get("relation"))] += 1
        covered.update(itertools.combinations(ents, 2))
    possible = plan.get("entity_pairs_possible")
    return {
        "records": len(records),
        "by_relation": dict(relations),
        "entity_pairs_covered": len(covered),
        "entity_pairs_possible": possible,
        "pair_share": (len(covered) / possible) if possible else None,
        "tokens": sum(estimate_tokens(a) for _, a, _ in records),
    }


def render(e: Mapping[str, Any]) -> list[str]:
    return [
        f"  entigraph: {e['records']} texts ({', '.join(f'{k} {v}' for k, v in sorted(e['by_relation'].items()))}), "
        f"~{e['tokens']} tokens; entity pairs covered {e['entity_pairs_covered']}/{e['entity_pairs_possible']} "
        f"({pct(e['pair_share'])})"
    ]
