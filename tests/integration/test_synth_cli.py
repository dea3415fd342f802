"""`hippo synth` as a new user runs it: index a few hand-written documents (real spaCy OpenIE,
real embeddings, SQLite), synthesise offline in every format, read the quality report, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.interfaces.cli.main import main
from hippo.synth.output import sidecar_path, state_path

DOCS = {
    "tolvik.txt": "Maren Tolvik wrote The Glass Orchard. Maren Tolvik was born in Ostravel.",
    "ostravel.txt": "Ostravel is a harbour town in Veldmark. Brannock and Sons built the Ostravel Lighthouse in 1889.",
    "brannock.txt": "Edda Brannock founded Brannock and Sons in 1861. Edda Brannock studied mathematics at the University of Hask.",
    "roe.txt": "Anselm Roe wrote The Orchard Keeper's Daughter. Anselm Roe was born in Pellin.",
    "pellin.txt": "Pellin is a mill town on the Skarn River. The Skarn River flows into the Northern Sea.",
    # two-hop chains across passages (Maren Tolvik -> Ostravel -> Veldmark, The Glass Orchard ->
    # Hollen Prize -> Kessary): the only multi-hop questions an offline template can stand behind
    "orchard.txt": "The Glass Orchard won the Hollen Prize in 1975.",
    "prize.txt": "The Hollen Prize is awarded in Kessary.",
    "veldmark.txt": "Ostravel lies in Veldmark.",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("synth-cli")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    uri = f"sqlite:///{root / 'hippo.db'}"
    with pytest.MonkeyPatch.context() as mp:
        _offline(mp, root)
        assert main(["index", str(docs), "--store", uri]) == 0
    return root, uri


def _offline(mp: pytest.MonkeyPatch, root: Path) -> None:
    for var in ("HIPPO_LLM_BASE_URL", "HIPPO_SYNTH_BASE_URL", "HIPPO_TRAINEE_BASE_URL", "OPENAI_API_KEY", "HIPPO_LLM_API_KEY"):
        mp.delenv(var, raising=False)
    mp.setenv("HIPPO_CACHE_DIR", str(root / "cache"))


@pytest.fixture(autouse=True)
def offline_env(monkeypatch: pytest.MonkeyPatch, corpus: tuple[Path, str]) -> None:
    _offline(monkeypatch, corpus[0])


def _synth(capsys: pytest.CaptureFixture[str], uri: str, *args: str) -> dict:
    capsys.readouterr()
    assert main(["synth", *args, "--store", uri, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _report(capsys: pytest.CaptureFixture[str], uri: str, path: Path) -> dict:
    capsys.readouterr()
    assert main(["synth", "report", str(path), "--store", uri, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fmt,keys", [("alpaca", {"instruction", "input", "output"}), ("sharegpt", {"conversations"}), ("chatml", {"messages"})])
def test_offline_atomic_in_each_format(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str], fmt: str, keys: set[str]) -> None:
    root, uri = corpus
    out = root / f"atomic-{fmt}.jsonl"
    summary = _synth(capsys, uri, "--mode", "atomic", "--format", fmt, "-o", str(out), "--overwrite")
    assert summary["generator"] == "template" and summary["written"] > 0
    assert "no trainee configured" in summary["ordering"]["note"]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == summary["written"]
    for rec in records:
        assert set(rec) == keys | {"meta"}
        assert rec["meta"]["generator"] == "template" and rec["meta"]["mode"] == "atomic"
        assert rec["meta"]["provenance"]["passage_ids"] and rec["meta"]["provenance"]["fact_ids"]
    report = _report(capsys, uri, out)
    assert report["pairs"] == len(records) and report["provenance_share"] == 1.0
    assert 0 < report["distinct_1"] <= 1 and report["mtld"] > 0 and report["embedding_dispersion"] > 0
    assert report["coverage"]["units_covered"] > 0


def test_offline_multi_hop_pairs_take_two_hops_in_the_graph(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    out = root / "mh.jsonl"
    # the offline reader rarely reads a two-hop answer back, so the round trip is left out here
    summary = _synth(capsys, uri, "--mode", "multi_hop", "--partition", "path2", "-o", str(out), "--overwrite",
                     "--no-round-trip")
    assert summary["written"] >= 1
    report = _report(capsys, uri, out)
    assert report["provenance_share"] == 1.0
    assert report["multi_hop"]["pairs"] == summary["written"]
    assert report["multi_hop"]["share_at_least_2"] == 1.0
    assert report["multi_hop"]["share_two_hop_questions"] == 1.0
    # every question names neither its bridge nor its answer; the answer key is copied from a cited passage
    for line in out.read_text().splitlines():
        rec = json.loads(line)
        assert rec["meta"]["hops"] == 2 and rec["meta"]["answer_key"] not in rec["instruction"]
    assert report["by_mode"] == {"multi_hop": summary["written"]}


def test_budget_resume_and_sidecar(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    out = root / "resume.jsonl"
    args = ("--mode", "atomic", "--no-meta", "-o", str(out))
    first = _synth(capsys, uri, *args, "--budget", "3", "--overwrite")
    assert first["written"] == 3 and len(out.read_text().splitlines()) == 3
    assert all("meta" not in json.loads(line) for line in out.read_text().splitlines())
    assert len(sidecar_path(out).read_text().splitlines()) == 3

    # a crash mid-write: a torn last record; the rerun keeps the finished pairs and goes on
    with out.open("a") as fh:
        fh.write('{"instruction": "torn')
    second = _synth(capsys, uri, *args, "--budget", "1000")
    lines = out.read_text().splitlines()
    assert second["total"] == len(lines) == 3 + second["written"] and second["written"] > 0
    assert len(sidecar_path(out).read_text().splitlines()) == len(lines)

    # finished: a rerun writes nothing and asks for nothing
    third = _synth(capsys, uri, *args, "--budget", "1000")
    assert third["written"] == 0 and third["skipped_done"] == third["subgraphs"]
    assert out.read_text().splitlines() == lines
    state = json.loads(state_path(out).read_text())
    report = _report(capsys, uri, out)
    assert report["provenance_share"] == 1.0 and report["rejections"] == state["rejections"]


def test_user_mistakes_are_one_line(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    assert main(["synth", "--mode", "cot", "-o", str(root / "x.jsonl"), "--store", uri]) == 1
    assert "needs a synthesiser" in capsys.readouterr().err
    assert main(["synth", "--mode", "atomic", "--store", uri]) == 1
    assert "-o FILE" in capsys.readouterr().err


def test_audit_sheet_and_verdicts(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    out = root / "audit.jsonl"
    summary = _synth(capsys, uri, "--mode", "cloze", "-o", str(out), "--overwrite", "--format", "rl")
    assert summary["written"] >= 1
    sheet = root / "audit.md"
    assert main(["synth", "audit", str(out), "--sample", "3", "-o", str(sheet), "--store", uri]) == 0
    lines = sheet.read_text().splitlines()
    assert any(line.startswith("> [psg-") for line in lines)  # the cited passages are on the sheet
    sheet.write_text("\n".join("verdict: correct" if line.startswith("verdict:") else line for line in lines))
    capsys.readouterr()
    assert main(["synth", "audit", str(sheet), "--json"]) == 0
    verdicts = json.loads(capsys.readouterr().out)
    assert verdicts["by_mode"]["cloze"]["precision"] == 1.0
    assert verdicts["by_mode"]["cloze"]["judged"] == min(3, summary["written"])
