"""Every synthesis mode and recipe with --budget 2 against a real model, on a three-document slice
of the sample. A 0.5B model writes poor pairs; what is asserted is that each run completes, every
record it keeps carries provenance, and whatever it drops is counted under a reason."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.interfaces.cli.main import main
from hippo.memory import Memory
from hippo.synth.recipes.registry import BUILT_IN
from tests.real_llm.conftest import RealLLM, sample_documents

# CI runs one mode per kind of path (a judged QA pair, a two-hop question, a reasoning chain, corpus
# text): with a 0.5B model on 2 cores each mode takes minutes. HIPPO_TEST_REAL_LLM_ALL=1 runs every
# mode and recipe (README, "Tests against a real model").
CI_SLICE = ("atomic", "multi_hop", "cot", "entigraph")
MODES = BUILT_IN if os.environ.get("HIPPO_TEST_REAL_LLM_ALL") == "1" else CI_SLICE


@pytest.fixture(scope="module")
def small_store(real_llm: RealLLM, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("real-llm-synth")
    with Memory(real_llm.settings(tmp)) as memory:
        memory.add_documents(sample_documents(3))
    yield tmp / "g.db"


def test_the_ci_slice_names_real_modes() -> None:
    assert set(CI_SLICE) <= set(BUILT_IN)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_runs_with_a_real_model(mode: str, real_llm: RealLLM, small_store: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in {"HIPPO_LLM_BASE_URL": real_llm.base_url, "HIPPO_LLM_MODEL": real_llm.model,
                        "HIPPO_LLM_API_KEY": "none", "HIPPO_CACHE_DIR": str(tmp_path / "cache"),
                        "HIPPO_LLM_MAX_RETRIES": "1"}.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / f"{mode}.jsonl"
    args = ["synth", "--mode", mode, "--budget", "2", "--generator", "llm", "--no-score", "--json",
            "--store", f"sqlite:///{small_store}", "--namespace", "real", "-o", str(out), "--max-units", "6"]
    if mode != "atomic":
        args.append("--no-judge")  # the judge is exercised once, on atomic; it doubles every call
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    records = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    assert summary["written"] == len(records) <= 2
    assert summary["generator"] == f"llm:{real_llm.model}"
    assert records or sum(summary["rejections"].values()) > 0, summary  # nothing kept: each drop has a reason
    for record in records:
        provenance = record["meta"]["provenance"]
        assert provenance["passage_ids"], record
