import json
from pathlib import Path

from hippo.bench.gold import GoldTarget
from hippo.bench.report import retrieval_markdown, write_retrieval_report, write_speed_report
from hippo.bench.retrieval import aggregate, score_question


def _results() -> dict:
    return {
        "systems": {
            "bm25": {"recall@2": 40.0, "recall@5": 50.5, "recall@10": 60.0, "all_evidence@5": 20.0, "n": 3},
            "hipporag2": {"recall@2": 45.25, "recall@5": 66.0, "recall@10": 70.0, "all_evidence@5": 33.3, "n": 3},
        },
        "dataset": "tiny", "corpus_size": 4, "embedder": "all-MiniLM-L6-v2", "extractor": "spacy",
        "date": "2025-01-01T00:00:00+00:00", "questions": 3,
        "gold": {"total": 5, "unmatched": 1, "questions_without_gold": 0, "levels": {"exact": 4}},
    }


def test_retrieval_report_files(tmp_path: Path) -> None:
    rows = [{"id": "q1", "systems": {"bm25": {"recall@2": 0.5}}}, {"id": "q2", "systems": {}}]
    write_retrieval_report(tmp_path, _results(), rows)
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert set(data) >= {"systems", "dataset", "corpus_size", "embedder", "extractor", "date"}
    assert set(data["systems"]["bm25"]) == {"recall@2", "recall@5", "recall@10", "all_evidence@5", "n"}
    lines = (tmp_path / "per_question.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["q1", "q2"]
    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| hipporag2 | 45.2 | 66.0 | 70.0 | 33.3 | 3 |" in md
    assert "unmatched in the corpus: 1" in md


def test_markdown_lists_every_system_once() -> None:
    md = retrieval_markdown(_results())
    assert md.count("| bm25 |") == 1 and md.count("| hipporag2 |") == 1


def test_score_and_aggregate_in_percent() -> None:
    target = GoldTarget(keys=["a", "b"], mode="passage")
    good = score_question(["a", "x", "b"], target)
    bad = score_question(["x", "y", "z", "w", "v", "a"], target)
    assert good["gold_ranks"] == [1, 3] and bad["gold_ranks"] == [6, None]
    agg = aggregate([good, bad])
    assert agg == {"recall@2": 25.0, "recall@5": 50.0, "recall@10": 75.0, "all_evidence@5": 50.0, "n": 2}


def test_speed_report_files(tmp_path: Path) -> None:
    results = {
        "date": "2025-01-01",
        "scale": [
            {"edges": 1000, "nodes": 300, "entities": 200, "ppr_ms": {"igraph-prpack": 1.0, "scipy-power": 0.5,
             "networkx": 40.0, "networkx-python": None}, "query_ms": {"p50": 2.0, "p95": 3.0}, "bytes_per_edge": 900.0},
            {"edges": 10000, "nodes": 3000, "entities": 2000, "ppr_ms": {"igraph-prpack": 5.0, "scipy-power": 2.0,
             "networkx": 300.0, "networkx-python": None}, "query_ms": {"p50": 6.0, "p95": 9.0}, "bytes_per_edge": 800.0},
        ],
        "targets": [{"target": "t", "figure": "f", "met": False}],
    }
    write_speed_report(tmp_path, results)
    md = (tmp_path / "speed.md").read_text(encoding="utf-8")
    assert "| 10,000 | 3,000 | 2,000 | 6.0 | 9.0 | 5.0 | 2.0 | 300.0 | – | 800 |" in md
    assert "| t | f | no |" in md
    assert (tmp_path / "speed.png").stat().st_size > 1000
    assert json.loads((tmp_path / "speed.json").read_text())["scale"][1]["edges"] == 10000
