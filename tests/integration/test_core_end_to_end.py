"""End to end on the bundled sample corpus: real spaCy OpenIE, real embeddings, SQLite store."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.memory import Memory

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample"
QUESTION = "In which town was the author of The Glass Orchard born?"
FINAL_HOP_DOC = "maren-tolvik"


@pytest.fixture(scope="module")
def memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
    db = tmp_path_factory.mktemp("e2e") / "hippo.db"
    with Memory(store=f"sqlite:///{db}", namespace="sample") as m:
        report = m.index([SAMPLE / "corpus.jsonl"])
        assert report.documents_added == 16 and not report.failed_passages
        yield m


def _doc_ids(memory: Memory, mode: str, k: int = 5) -> list[str]:
    return [h.doc_id for h in memory.query(QUESTION, top_k=k, mode=mode).hits]


def test_graph_finds_the_final_hop_that_dense_misses(memory: Memory) -> None:
    assert FINAL_HOP_DOC not in _doc_ids(memory, "dense")
    assert FINAL_HOP_DOC in _doc_ids(memory, "hipporag2")


def test_explanation_names_linked_facts_seeds_and_ppr_mass(memory: Memory) -> None:
    result = memory.query(QUESTION, top_k=5)
    exp = result.explanation
    assert exp.linked_facts and any("Maren Tolvik" in f.text for f in exp.linked_facts)
    assert exp.seed_entities and all(e.weight > 0 for e in exp.seed_entities)
    assert exp.top_entities_by_ppr and exp.top_entities_by_ppr[0].mass >= exp.top_entities_by_ppr[-1].mass
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_hipporag1_mode_links_query_entities(memory: Memory) -> None:
    result = memory.query("Where was Maren Tolvik born?", top_k=3, mode="hipporag1")
    assert result.explanation.linked_entities
    assert FINAL_HOP_DOC in [h.doc_id for h in result.hits]


def test_reindexing_is_a_no_op(memory: Memory) -> None:
    before = (memory.stats(), memory.fingerprint())
    report = memory.index([SAMPLE / "corpus.jsonl"])
    assert report.documents_unchanged == 16 and report.documents_added == 0
    after = (memory.stats(), memory.fingerprint())
    assert before == after


def test_synonymy_edges_are_never_duplicated(memory: Memory) -> None:
    edges = memory.snapshot().export.synonyms
    assert len({(e.a, e.b) for e in edges}) == len(edges)
    assert all(e.a < e.b and e.weight >= memory.settings.synonym_threshold for e in edges)


def _hippo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_cli_index_query_stats_json(tmp_path: Path) -> None:
    store = ["--store", f"sqlite:///{tmp_path / 'cli.db'}"]
    done = _hippo("index", str(SAMPLE / "corpus.jsonl"), *store, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = _hippo("query", QUESTION, "--json", "--top-k", "3", *store, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert len(payload["hits"]) == 3
    assert set(payload["hits"][0]) >= {"passage_id", "title", "text", "score"}
    assert {"linked_facts", "seed_entities", "top_entities_by_ppr"} <= set(payload["explanation"])
    stats = json.loads(_hippo("stats", "--json", "--fingerprint", *store, cwd=tmp_path).stdout)
    assert stats["documents"] == 16 and stats["pending_synonymy"] == 0 and len(stats["fingerprint"]) == 64


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["index", "does-not-exist"], "no such file or folder"),
        (["index", "empty"], "no documents to index"),
        (["query", "x", "--store", "mysql://db"], "unknown store URI"),
        (["query", "x", "--top-k", "0"], "--top-k must be"),
    ],
)
def test_cli_user_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    done = _hippo(*args, "--store", f"sqlite:///{tmp_path / 'x.db'}", cwd=tmp_path) if "--store" not in args \
        else _hippo(*args, cwd=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hippo: error:") and message in lines[0], done.stderr
