"""The audit sheet: sampled per mode with the cited passages, verdicts read back as precision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.errors import UserError
from hippo.synth.report.audit import read_verdicts, sample_pairs, write_sheet


def _output(tmp_path: Path) -> Path:
    out = tmp_path / "o.jsonl"
    rows = []
    for i in range(6):
        mode = "atomic" if i < 4 else "cloze"
        meta = {"mode": mode, "provenance": {"passage_ids": [f"p{i}"], "fact_ids": ["f"]}, "answer_key": f"K{i}"}
        rows.append(json.dumps({"instruction": f"Q{i}?", "input": "", "output": f"A{i}", "meta": meta}))
    out.write_text("\n".join(rows) + "\n")
    return out


def test_sheet_samples_per_mode_and_quotes_passages(tmp_path: Path) -> None:
    out = _output(tmp_path)
    sheet = tmp_path / "s.md"
    n = write_sheet(out, sheet, 2, lambda ids: {p: f"text of {p}" for p in ids}, seed=1)
    text = sheet.read_text()
    assert n == 4 and sum(line.startswith("verdict:") for line in text.splitlines()) == 4
    assert text.count("· atomic") == 2 and text.count("· cloze") == 2
    assert "> [p4] text of p4" in text and "**key:** K4" in text


def test_verdicts_give_precision_per_mode(tmp_path: Path) -> None:
    out = _output(tmp_path)
    sheet = tmp_path / "s.md"
    write_sheet(out, sheet, 10, lambda ids: {})
    filled = iter(["correct", "wrong", "correct", "ill-formed", "correct", ""])
    lines = [f"verdict: {next(filled)}" if line.startswith("verdict:") else line for line in sheet.read_text().splitlines()]
    sheet.write_text("\n".join(lines))
    report = read_verdicts(sheet)
    assert report["by_mode"]["atomic"]["precision"] == 0.5 and report["by_mode"]["atomic"]["ill-formed"] == 1
    assert report["by_mode"]["cloze"] == {"correct": 1, "wrong": 0, "ill-formed": 0, "unmarked": 1, "judged": 1, "precision": 1.0}
    assert report["all"]["judged"] == 5


def test_unknown_verdict_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "s.md"
    sheet.write_text("## 1 · atomic\n\nverdict: maybe\n")
    with pytest.raises(UserError, match="not one of"):
        read_verdicts(sheet)


def test_sample_is_seeded() -> None:
    pairs = [("q", "a", {"mode": "atomic"}) for _ in range(20)]
    assert sample_pairs(pairs, 5, 3) == sample_pairs(pairs, 5, 3) != sample_pairs(pairs, 5, 4)
