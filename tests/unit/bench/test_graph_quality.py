"""`hippo eval graph` figures on a small hand-built graph, and agreement with a reference OpenIE file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.bench.graph_quality import _bucket, evaluate_graph
from hippo.interfaces.cli.main import main
from hippo.store.sqlite import SQLiteStore
from hippo.synth.topology import Topology
from hippo.types import Passage
from tests.unit.synth.test_synth_topology import DOCS, build_graph


def test_components_degrees_hubs_and_per_passage_counts(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    build_graph(store, "ns")
    report = evaluate_graph(store, "ns")
    assert report["facts"] == 9 and report["passages_with_entities"] == 5
    # Tolvik/Ostravel/Veldmark/Lighthouse/Brannock form one component; Roe/Daughter/Pellin/Skarn River another
    assert report["components"] == 2 and report["largest_component"] == 7
    assert report["hubs"][0] == {"entity": "Ostravel", "degree": 3}
    assert sum(report["degree_distribution"].values()) == report["entities"]
    assert report["isolated_entities"] == 0 and report["reference_agreement"] is None
    assert report["facts_per_passage"] == 9 / 5


def test_agreement_with_a_reference_counts_matching_passages(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "g.db")
    build_graph(store, "ns")
    text, triples = DOCS[0][1][0]
    ref = tmp_path / "openie.json"
    passage = next(p for p in _passages(store) if p.text == text)
    gold = {"passage": f"{passage.title}\n{passage.text}" if passage.title else passage.text,
            "extracted_entities": ["Maren Tolvik", "The Glass Orchard", "Ostravel", "1974"],
            "extracted_triples": [list(t) for t in triples] + [["The Glass Orchard", "published in", "1974"]]}
    ref.write_text(json.dumps({"docs": [gold]}))
    agree = evaluate_graph(store, "ns", ref)["reference_agreement"]
    assert agree["passages_compared"] == 1 and agree["passages_unmatched"] == 4
    assert agree["triple_pair_recall"] == 2 / 3  # the two stored triples, not the reference's third
    assert 0 < agree["entity_recall"] < 1


def _passages(store: SQLiteStore) -> list[Passage]:
    topo = Topology.from_store(store, "ns")
    return store.get_passages("ns", sorted({p for ps in topo.entity_passages.values() for p in ps}))


def test_degree_buckets() -> None:
    assert [_bucket(d) for d in (0, 1, 2, 4, 9, 150)] == ["0", "1", "2", "3-4", "5-9", "100+"]


def test_cli_prints_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "g.db"
    build_graph(SQLiteStore(db), "default")
    assert main(["eval", "graph", "--store", f"sqlite:///{db}", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["components"] == 2
    assert main(["eval", "graph", "--store", f"sqlite:///{db}", "--reference", str(tmp_path / "missing.json")]) == 1
