"""Deep research's work: walks of exactly ``walk_hops`` facts from each start entity along which
every entity is one step farther from the start, so no shortcut exists between the ends."""

from __future__ import annotations

from hippo.synth.kinds import EntityKinds
from hippo.synth.partition import Subgraph
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.deep_research.options import DeepResearchOptions
from hippo.synth.topology import Topology
from hippo.text import stable_id

# intermediate entities must be describable, not bare years or amounts
UNDESCRIBABLE = {"date", "number"}
MAX_WALK_EXPANSIONS = 5000  # per start entity, so a hub cannot stall planning


def _distances(topo: Topology, start: str, limit: int) -> dict[str, int]:
    dist = {start: 0}
    frontier = [start]
    for depth in range(1, limit + 1):
        nxt = []
        for e in frontier:
            for f in topo.incident.get(e, ()):
                n = topo.other_end(f, e)
                if n not in dist:
                    dist[n] = depth
                    nxt.append(n)
        frontier = nxt
    return dist


def geodesic_walks(topo: Topology, kinds: EntityKinds, start: str, hops: int, limit: int) -> list[tuple[list[str], list[str]]]:
    """Walks of exactly ``hops`` facts from ``start`` along which every entity is one step
    farther from the start than the one before: no shortcut exists, so answering takes every
    lookup. Returns (entity path, fact path) pairs, at most ``limit``, with distinct ends."""
    dist = _distances(topo, start, hops)
    out: list[tuple[list[str], list[str]]] = []
    ends: set[str] = set()
    expansions = 0

    def walk(path: list[str], facts: list[str]) -> None:
        nonlocal expansions
        if len(out) >= limit or expansions > MAX_WALK_EXPANSIONS:
            return
        here = path[-1]
        if len(facts) == hops:
            if here not in ends:
                ends.add(here)
                out.append((list(path), list(facts)))
            return
        for f in topo.incident.get(here, ()):
            expansions += 1
            n = topo.other_end(f, here)
            if dist.get(n) != len(facts) + 1:
                continue
            if len(facts) + 1 < hops and kinds.of(n) in UNDESCRIBABLE:
                continue
            path.append(n)
            facts.append(f)
            walk(path, facts)
            path.pop()
            facts.pop()

    walk([start], [])
    return out


def plan_walks(ctx: PlanContext) -> WorkPlan:
    o, knobs = ctx.options, ctx.knobs(DeepResearchOptions)
    starts = sorted(
        (e for e in ctx.topo.entity_ids if ctx.kinds.of(e) not in UNDESCRIBABLE),
        key=lambda e: (-ctx.priority.get(e, 0.0), -ctx.topo.degree(e), e),
    )
    items: list[Subgraph] = []
    seen: set[frozenset[str]] = set()
    cap = 2 * o.budget  # room for rejections without walking the whole graph
    for start in starts:
        if len(items) >= cap:
            break
        for path, facts in geodesic_walks(ctx.topo, ctx.kinds, start, knobs.walk_hops, knobs.walks_per_start):
            key = frozenset(facts)
            if key in seen:  # the same walk found from its other end
                continue
            seen.add(key)
            items.append(Subgraph("walk", path, facts, start, chain=path, id=stable_id("walk", "\t".join(facts))))
    return WorkPlan(items, {"work": "walk", "items": len(items), "hops": knobs.walk_hops})
