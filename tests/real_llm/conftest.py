"""The real-model tier: every LLM path against a real small instruct model behind an
OpenAI-compatible server (scripts/local-llm.sh starts one from the package registry). Skipped
unless HIPPO_TEST_LLM_BASE_URL is set; scripts/test.sh sets it when it starts the model.

A 0.5B model answers poorly: these tests assert that each path works against real replies, fails
clearly and costs what it should — not that the answers are good."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hippo.config import Settings
from hippo.memory import Memory
from hippo.types import Document

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample" / "corpus.jsonl"


@dataclass(frozen=True)
class RealLLM:
    base_url: str
    model: str

    def settings(self, tmp: Path, **kw: object) -> Settings:
        return Settings(
            store=f"sqlite:///{tmp / 'g.db'}", namespace="real", llm_base_url=self.base_url, llm_model=self.model,
            llm_api_key="none", cache_dir=str(tmp / "cache"), llm_max_retries=1, **kw,  # type: ignore[arg-type]
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.real_llm)


@pytest.fixture(scope="session")
def real_llm() -> RealLLM:
    url = os.environ.get("HIPPO_TEST_LLM_BASE_URL", "")
    if not url:
        pytest.skip("HIPPO_TEST_LLM_BASE_URL is not set (scripts/test.sh starts scripts/local-llm.sh)")
    return RealLLM(url, os.environ.get("HIPPO_TEST_LLM_MODEL", "qwen"))


def sample_documents(limit: int | None = None) -> list[Document]:
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    return [Document(r["id"], r.get("title", ""), r["text"]) for r in rows[:limit]]


@pytest.fixture(scope="session")
def indexed_sample(real_llm: RealLLM, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled sample indexed offline once (spaCy): the LLM paths read it; copies are used."""
    tmp = tmp_path_factory.mktemp("real-llm-sample")
    with Memory(real_llm.settings(tmp)) as memory:
        memory.add_documents(sample_documents())
    yield tmp / "g.db"


@pytest.fixture
def sample_memory(real_llm: RealLLM, indexed_sample: Path, tmp_path: Path) -> Iterator[Memory]:
    shutil.copy(indexed_sample, tmp_path / "g.db")
    with Memory(real_llm.settings(tmp_path)) as memory:
        yield memory
