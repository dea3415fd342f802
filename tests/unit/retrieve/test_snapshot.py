import numpy as np

from hippo.retrieve.snapshot import GraphSnapshot
from hippo.types import GraphExport, SynonymEdge


def _export() -> GraphExport:
    rng = np.random.default_rng(0)
    return GraphExport(
        version=3,
        passage_ids=["p1", "p2"],
        passage_emb=rng.normal(size=(2, 4)).astype(np.float32),
        entity_ids=["a", "b", "c"],
        entity_names=["A", "B", "C"],
        entity_emb=rng.normal(size=(3, 4)).astype(np.float32),
        fact_ids=["f1", "f2", "f3"],
        fact_subjects=["a", "a", "b"],
        fact_objects=["b", "b", "c"],
        fact_texts=["A r B", "A s B", "B t C"],
        fact_emb=rng.normal(size=(3, 4)).astype(np.float32),
        fact_support=[("p1", "f1"), ("p1", "f2"), ("p2", "f3")],
        mentions=[("p1", "a"), ("p1", "b"), ("p2", "b"), ("p2", "c")],
        synonyms=[SynonymEdge("a", "c", 0.9)],
    )


def test_edges_are_merged_with_summed_weights() -> None:
    snap = GraphSnapshot.build(_export())
    g = snap.graph
    assert g.vcount() == 5 and not g.is_directed()
    a, b, c = snap.vertex_of["a"], snap.vertex_of["b"], snap.vertex_of["c"]
    assert g.es[g.get_eid(a, b)]["weight"] == 2.0  # two facts join A and B: one edge, weight 2
    assert abs(g.es[g.get_eid(a, c)]["weight"] - 0.9) < 1e-9
    assert g.es[g.get_eid(snap.vertex_of["p2"], c)]["weight"] == 1.0
    assert not g.has_multiple()
    assert list(snap.entity_passage_count) == [1, 2, 1]


def test_ppr_spreads_from_seed_and_sums_to_one() -> None:
    snap = GraphSnapshot.build(_export())
    reset = np.zeros(5)
    reset[snap.vertex_of["c"]] = 1.0
    mass = snap.ppr(reset, 0.5)
    assert abs(mass.sum() - 1.0) < 1e-6
    assert mass[snap.vertex_of["p2"]] > mass[snap.vertex_of["p1"]]  # p2 mentions C


def test_empty_graph() -> None:
    empty = GraphExport(0, [], np.zeros((0, 4), np.float32), [], [], np.zeros((0, 4), np.float32),
                        [], [], [], [], np.zeros((0, 4), np.float32), [], [], [])
    snap = GraphSnapshot.build(empty)
    assert snap.graph.vcount() == 0 and snap.ppr(np.zeros(0), 0.5).size == 0
