"""TreeSynth's task-space tree, derived from the graph: each level splits the facts by one
attribute into mutually exclusive values (the subject's entity type, the relation kind, the
Leiden community), so every fact lands in exactly one leaf. Generation then happens per leaf,
with an equal quota each, for coverage and balance."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from hippo.synth.generation.phrasing import parse_predicate
from hippo.synth.kinds import EntityKinds
from hippo.synth.topology import Topology

LEVELS = ("entity_type", "relation", "community")
MIN_RELATION_FACTS = 2  # relation kinds rarer than this share the value "other"


def relation_kind(predicate: str) -> str:
    """A coarse relation kind: the verb's base form, or the head of a nominal predicate
    ("novel by" -> "novel by", "was born in" -> "bear in")."""
    p = parse_predicate(predicate)
    if p is None:
        return "other"
    if p.form == "copula":
        return "is"
    prep = p.last if p.last in ("in", "at", "by", "of", "into", "for", "from", "on", "to") else ""
    if p.form == "nominal":
        return " ".join(w for w in (p.rest[0] if p.rest else "", prep) if w)
    return " ".join(w for w in (p.base, prep) if w)


@dataclass
class TaskTree:
    levels: tuple[str, ...]
    leaves: dict[tuple[str, ...], list[str]]  # leaf path -> fact ids

    def leaf_label(self, path: tuple[str, ...]) -> str:
        return " / ".join(f"{lv}={v}" for lv, v in zip(self.levels, path, strict=False))

    def to_dict(self) -> dict[str, object]:
        """The tree as nested counts (for the run state and the report)."""
        root: dict[str, object] = {}
        for path, facts in sorted(self.leaves.items()):
            node = root
            for value in path[:-1]:
                node = node.setdefault(value, {})  # type: ignore[assignment]
            node[path[-1]] = len(facts)
        return root


def build_tree(topo: Topology, kinds: EntityKinds, levels: tuple[str, ...], seed: int = 0) -> TaskTree:
    from hippo.synth.partition.leiden import communities

    attribute: dict[str, Callable[[str], str]] = {}
    if "entity_type" in levels:
        attribute["entity_type"] = lambda f: kinds.of(topo.fact_ends[f][0])
    if "relation" in levels:
        raw = {f: relation_kind(topo.predicate(f)) for f in topo.fact_ends}
        counts = Counter(raw.values())
        attribute["relation"] = lambda f: raw[f] if counts[raw[f]] >= MIN_RELATION_FACTS else "other"
    if "community" in levels:
        member = {e: f"c{i}" for i, group in enumerate(communities(topo, seed)) for e in group}
        attribute["community"] = lambda f: member.get(topo.fact_ends[f][0], "c?")
    leaves: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for f in sorted(topo.fact_ends):
        leaves[tuple(attribute[lv](f) for lv in levels)].append(f)
    return TaskTree(tuple(levels), dict(leaves))
