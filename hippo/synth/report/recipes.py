"""The report's per-recipe sections: each recipe in the registry reports on its own records
(EntiGraph pair coverage, WRAP styles and real:synthetic ratio, TreeSynth leaf coverage and
balance, deep-research path lengths checked in the graph, SELF-QA/LongForm lengths), then the
Genie filter scores of any recipe. A section appears only when the file holds such records."""

from __future__ import annotations

from typing import Any

from hippo.synth.recipes.registry import RECIPES
from hippo.synth.report.sections import Records, render_scores, scores
from hippo.synth.topology import Topology

SCORES = "filter_scores"


def recipe_sections(records: Records, run: dict[str, Any], topo: Topology | None) -> dict[str, Any]:
    plan = run.get("plan") or {}
    sections: dict[str, Any] = {}
    for name, recipe in RECIPES.items():
        mine = [r for r in records if r[2].get("mode") == name]
        section = recipe.report(mine, plan, topo) if mine else None
        if section is not None:
            sections[name] = section
    filter_scores = scores(records)
    if filter_scores is not None:
        sections[SCORES] = filter_scores
    return sections


def render_sections(sections: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, recipe in RECIPES.items():
        if name in sections:
            lines.extend(recipe.render_report(sections[name]))
    if SCORES in sections:
        lines.extend(render_scores(sections[SCORES]))
    return lines
