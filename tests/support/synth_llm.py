"""Shared set-up of the synthesis tests that run LLM generators against the local test server:
a memory over the small topology graph (no endpoint configured) and one synthesis run through
the client a user's run builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hippo.llm.client import LLMClient
from hippo.memory import Memory
from hippo.store.sqlite import SQLiteStore
from hippo.synth.pipeline import Synthesizer, SynthOptions
from tests.support.openai_server import OpenAITestServer
from tests.unit.synth.test_synth_topology import build_graph


@pytest.fixture
def memory(tmp_path: Path) -> Memory:
    store = SQLiteStore(tmp_path / "g.db")
    build_graph(store, "ns")
    return Memory(store=store, namespace="ns", cache_dir=str(tmp_path / "cache"), llm_max_retries=1,
                  trainee_base_url="", llm_base_url="")


def run_synth(memory: Memory, server: OpenAITestServer, out: Path, **kw: Any) -> Any:
    """One run writing ``out``; replies cached next to it, scoring and embedding dedupe off.
    ``kw`` are options by their public names, a recipe's knobs included (``wrap_interleave``)."""
    client = LLMClient(server.base_url, "test-model", cache_path=str(out.parent / "cache" / "replies.sqlite"), max_retries=1)
    options = SynthOptions.from_values({"embedding_dedupe": False, "score": False, **kw})
    return Synthesizer(memory, options, synth_client=client).run(out)
