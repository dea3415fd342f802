"""Offline multi-hop work: every two-fact chain of the whole graph whose two hops the template
can stand behind, found before the partitioner's subgraphs are walked.

A partitioner hands each fact to one subgraph (path2 pairs facts greedily by loss), so the few
facts that pass the atomic precision rules are mostly paired with facts that do not, and their
chain is never tried: on the first 400 MuSiQue passages path2's 645 subgraphs held one chain the
template could write. Here each fact is checked once in each role (the first hop describes the
bridge, the second asks the answer from it, with the rules of ``_facts_problem`` and
``_hops_problem``), and only facts that pass are paired, through a shared bridge entity, across
two passages, with ends the graph does not link directly."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from hippo.synth.partition import Subgraph
from hippo.synth.planning import PlanContext
from hippo.synth.recipes.multi_hop.chains import Chain
from hippo.synth.units import FactUnit, SubgraphUnits, UnitReader

__all__ = ["vetted_chains"]


HopCheck = Callable[[FactUnit, str, str, bool, SubgraphUnits], bool]  # fact, known, target, first hop?, units
ChainCheck = Callable[[Chain, SubgraphUnits], bool]


def vetted_chains(ctx: PlanContext, hop_stands: HopCheck, stands: ChainCheck) -> list[Subgraph]:
    """Subgraphs of one chain each (``chain`` = start, bridge, end) for every chain whose
    facts pass ``hop_stands`` in their roles and which ``stands`` accepts whole (the recipe's
    own offline checks)."""
    topo = ctx.topo
    units = UnitReader(ctx.store, ctx.ns).read([], topo.fact_ids)
    first: dict[str, list[tuple[FactUnit, str]]] = defaultdict(list)  # bridge -> (fact, start)
    second: dict[str, list[tuple[FactUnit, str]]] = defaultdict(list)  # bridge -> (fact, end)
    for f in units.facts.values():
        own = _part(units, f)
        for bridge, other in ((f.subject_id, f.object_id), (f.object_id, f.subject_id)):
            if bridge == other:
                continue
            if hop_stands(f, other, bridge, True, own):
                first[bridge].append((f, other))
            if hop_stands(f, bridge, other, False, own):
                second[bridge].append((f, other))
    out: list[Subgraph] = []
    used: set[str] = set()
    for bridge in sorted(set(first) & set(second)):
        for f1, start in first[bridge]:
            for f2, end in second[bridge]:
                if f2.id == f1.id or end == start or set(f1.passage_ids) & set(f2.passage_ids):
                    continue
                if topo.shortest_hops(start, end, limit=1) is not None or f1.id in used or f2.id in used:
                    continue
                chain = Chain(start, bridge, end, f1, f2)
                if not stands(chain, _part(units, f1, f2)):
                    continue
                # fact-disjoint, as a partitioner's are: a hub bridge's one second hop ("the largest
                # wind farm in the United States") is not asked again from every start
                used.update((f1.id, f2.id))
                out.append(Subgraph("path2", [start, bridge, end], [f1.id, f2.id], f1.id, chain=chain.path,
                                    attrs={"vetted_chain": True}))
    return out


def _part(units: SubgraphUnits, *facts: FactUnit) -> SubgraphUnits:
    """The units a subgraph of these facts would read: the facts and their passages."""
    pids = {p for f in facts for p in f.passage_ids}
    return SubgraphUnits(facts={f.id: f for f in facts},
                         passages={p: units.passages[p] for p in sorted(pids) if p in units.passages})
