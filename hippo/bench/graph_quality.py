"""The knowledge graph's shape (``hippo eval graph``): connected components, the degree
distribution, isolated and hub entities, entities and facts per passage, and — given a reference
OpenIE file — how far the stored entities and triples agree with it per passage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from hippo.bench.openie_agreement import Reference, load_reference, score
from hippo.store.base import GraphStore
from hippo.synth.topology import Topology
from hippo.text import normalize_passage
from hippo.types import Extraction, Triple

DEGREE_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100)
HUBS = 10


def _components(topo: Topology) -> list[int]:
    parent = {e: e for e in topo.entity_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s, o in topo.fact_ends.values():
        if s in parent and o in parent:
            parent[find(s)] = find(o)
    return sorted(Counter(find(e) for e in topo.entity_ids).values(), reverse=True)


def _bucket(degree: int) -> str:
    """"0", "1", "2", "3-4", … "100+": the bucket of DEGREE_BUCKETS the degree falls in."""
    edges = (*DEGREE_BUCKETS, None)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        if hi is None:
            return f"{lo}+"
        if degree < hi:
            return str(lo) if hi - lo == 1 else f"{lo}-{hi - 1}"
    return f"{DEGREE_BUCKETS[-1]}+"


def graph_figures(topo: Topology) -> dict[str, Any]:
    degrees = {e: topo.degree(e) for e in topo.entity_ids}
    sizes = _components(topo)
    per_passage_entities: Counter[str] = Counter()
    for pids in topo.entity_passages.values():
        per_passage_entities.update(set(pids))
    per_passage_facts: Counter[str] = Counter()
    for pids in topo.fact_passages.values():
        per_passage_facts.update(set(pids))
    passages = set(per_passage_entities) | set(per_passage_facts)
    n_ent = len(topo.entity_ids)
    hubs = sorted(degrees, key=lambda e: (-degrees[e], e))[:HUBS]
    return {
        "entities": n_ent,
        "facts": len(topo.fact_ends),
        "passages_with_entities": len(passages),
        "components": len(sizes),
        "largest_component": sizes[0] if sizes else 0,
        "largest_component_share": sizes[0] / n_ent if n_ent else 0.0,
        "component_sizes_top": sizes[:10],
        "isolated_entities": sum(1 for d in degrees.values() if d == 0),
        "degree_distribution": dict(Counter(_bucket(d) for d in degrees.values())),
        "mean_degree": sum(degrees.values()) / n_ent if n_ent else 0.0,
        "hubs": [{"entity": topo.entity_names.get(e, e), "degree": degrees[e]} for e in hubs],
        "entities_per_passage": sum(per_passage_entities.values()) / len(passages) if passages else 0.0,
        "facts_per_passage": sum(per_passage_facts.values()) / len(passages) if passages else 0.0,
    }


def agreement(store: GraphStore, ns: str, topo: Topology, reference_path: Path) -> dict[str, Any]:
    """The stored extraction of every passage the reference also covers, scored against it."""
    reference = load_reference(reference_path)
    ents_of: dict[str, list[str]] = {}
    for eid, pids in topo.entity_passages.items():
        for pid in pids:
            ents_of.setdefault(pid, []).append(topo.entity_names.get(eid, ""))
    facts_of: dict[str, list[str]] = {}
    for fid, pids in topo.fact_passages.items():
        for pid in pids:
            facts_of.setdefault(pid, []).append(fid)
    extractions: list[Extraction] = []
    refs: list[Reference] = []
    pids = sorted(set(ents_of) | set(facts_of))
    unmatched = 0
    for p in store.get_passages(ns, pids):
        ref = reference.get(normalize_passage(f"{p.title}\n{p.text}")) or reference.get(normalize_passage(p.text))
        if ref is None:
            unmatched += 1
            continue
        triples = [Triple(topo.entity_names.get(s, ""), topo.predicate(f), topo.entity_names.get(o, ""))
                   for f in facts_of.get(p.id, []) for s, o in (topo.fact_ends[f],)]
        extractions.append(Extraction(p.id, ents_of.get(p.id, []), triples))
        refs.append(ref)
    figures: dict[str, Any] = score(extractions, refs) if extractions else {}
    figures.update({"reference": str(reference_path), "passages_compared": len(extractions), "passages_unmatched": unmatched})
    return figures


def evaluate_graph(store: GraphStore, ns: str, reference: Path | None = None) -> dict[str, Any]:
    topo = Topology.from_store(store, ns)
    report: dict[str, Any] = {"namespace": ns, **graph_figures(topo)}
    report["reference_agreement"] = agreement(store, ns, topo, reference) if reference is not None else None
    return report


def render(report: dict[str, Any]) -> str:
    lines = [
        f"graph of namespace {report['namespace']}: {report['entities']} entities, {report['facts']} facts, "
        f"{report['passages_with_entities']} passages",
        f"  components: {report['components']} (largest {report['largest_component']}, "
        f"{100 * report['largest_component_share']:.1f}% of entities); isolated entities: {report['isolated_entities']}",
        f"  degree: mean {report['mean_degree']:.2f}; distribution "
        + ", ".join(f"{k}: {v}" for k, v in report["degree_distribution"].items()),
        "  hubs: " + ", ".join(f"{h['entity']} ({h['degree']})" for h in report["hubs"]),
        f"  per passage: {report['entities_per_passage']:.2f} entities, {report['facts_per_passage']:.2f} facts",
    ]
    agree = report.get("reference_agreement")
    if agree:
        lines.append(f"  agreement with {agree['reference']} over {agree['passages_compared']} passages "
                     f"({agree['passages_unmatched']} not in the reference):")
        for key in ("entity_recall", "entity_precision", "node_recall", "triple_pair_recall"):
            if key in agree:
                lines.append(f"    {key}: {agree[key]:.3f}")
    return "\n".join(lines)
