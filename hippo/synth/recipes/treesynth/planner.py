"""TreeSynth's work: one item per leaf of the task tree, visited round-robin over the top-level
branches so a small budget still spreads over the tree; each leaf gets the same quota."""

from __future__ import annotations

import math
from collections import defaultdict

from hippo.synth.partition import Subgraph
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.treesynth.options import TreeSynthOptions
from hippo.synth.recipes.treesynth.tree import build_tree
from hippo.text import stable_id


def plan_tree(ctx: PlanContext) -> WorkPlan:
    o = ctx.options
    tree = build_tree(ctx.topo, ctx.kinds, ctx.knobs(TreeSynthOptions).tree_levels, o.seed)
    quota = max(1, math.ceil(o.budget / max(1, len(tree.leaves))))
    by_top: dict[str, list[tuple[tuple[str, ...], list[str]]]] = defaultdict(list)
    for path, facts in sorted(tree.leaves.items()):
        by_top[path[0]].append((path, facts))
    # round-robin over the top-level branches, so a small budget still spreads over the tree
    order: list[tuple[tuple[str, ...], list[str]]] = []
    branches = [by_top[k] for k in sorted(by_top)]
    while any(branches):
        for branch in branches:
            if branch:
                order.append(branch.pop(0))
    items: list[Subgraph] = []
    for path, facts in order:
        ranked = sorted(facts, key=lambda f: (-ctx.priority.get(f, 0.0), f))[: max(quota * 2, 2)]
        ents = sorted({e for f in ranked for e in ctx.topo.fact_ends[f]})
        label = tree.leaf_label(path)
        items.append(Subgraph("tree", ents, ranked, ranked[0], id=stable_id("leaf", label),
                              attrs={"leaf": label, "quota": quota, "leaf_facts": len(facts)}))
    stats = {"work": "tree", "items": len(items), "levels": list(tree.levels), "leaves": len(tree.leaves),
             "quota": quota, "tree": tree.to_dict(), "leaf_labels": [tree.leaf_label(p) for p in sorted(tree.leaves)]}
    return WorkPlan(items, stats)
