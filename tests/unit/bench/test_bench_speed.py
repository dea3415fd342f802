import numpy as np

from hippo.bench import ppr_impls
from hippo.bench.speed import speed_targets
from hippo.bench.synthetic import synthetic_export
from hippo.retrieve.snapshot import GraphSnapshot


def test_synthetic_graph_has_requested_scale_and_valid_references() -> None:
    export = synthetic_export(5_000, dim=8, seed=3)
    snap = GraphSnapshot.build(export)
    assert 3_500 < snap.graph.ecount() <= 5_000  # parallel edges merge, self-loops drop
    assert export.entity_emb.shape == (len(export.entity_ids), 8)
    assert np.allclose(np.linalg.norm(export.fact_emb, axis=1), 1.0, atol=1e-5)
    known = set(export.entity_ids)
    assert set(export.fact_subjects) <= known and {e for _, e in export.mentions} <= known


def test_ppr_implementations_agree() -> None:
    snap = GraphSnapshot.build(synthetic_export(3_000, dim=8, seed=1))
    reset = np.zeros(snap.graph.vcount())
    reset[[0, 5, 9]] = [1.0, 0.5, 0.25]
    reset[snap.n_entities:] = 0.01
    reference = snap.ppr(reset, 0.5)
    power = ppr_impls.SparsePowerIteration(snap.graph).run(reset, 0.5)
    nx_scores = ppr_impls.networkx_ppr(ppr_impls.networkx_graph(snap.graph), reset, 0.5)
    assert abs(reference.sum() - 1.0) < 1e-6
    assert np.abs(power - reference).sum() < 1e-6
    assert np.abs(nx_scores - reference).sum() < 1e-4
    assert list(np.argsort(-power)[:10]) == list(np.argsort(-reference)[:10])


def test_speed_targets_report_met_and_missed() -> None:
    scale = [{"entities": 120_000, "query_ms": {"p50": 15.0, "p95": 30.0},
              "ppr_ms": {"igraph-prpack": 10.0, "scipy-power": 2.0, "networkx": 500.0}}]
    incremental = {"ratio": 0.05, "add_s": 5.0, "full_s": 100.0, "ratio_with_first_query": 0.06}
    targets = {t["target"].split()[0] + str(i): t["met"] for i, t in enumerate(speed_targets(scale, incremental, 4.0))}
    assert list(targets.values()) == [True, True, False, False]
