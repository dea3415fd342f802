"""Pytest fixtures around the local OpenAI-compatible test server.

Import them into a conftest: ``from tests.support.fixtures import llm_client, openai_server  # noqa: F401``
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.llm.client import LLMClient
from tests.support.openai_server import OpenAITestServer


@pytest.fixture
def openai_server() -> Iterator[OpenAITestServer]:
    """A running server; set ``openai_server.responder`` in the test (default: echo)."""
    with OpenAITestServer() as server:
        yield server


def make_client(server: OpenAITestServer, cache_dir: Path | None = None, **kw: object) -> LLMClient:
    """A client for the test server with fast retries (tests should not sleep for seconds)."""
    options: dict[str, object] = {"timeout": 5.0, "max_retries": 3, "concurrency": 4, "backoff_base": 0.01}
    options.update(kw)
    cache_path = str(cache_dir / "llm-cache.sqlite") if cache_dir is not None else None
    return LLMClient(
        server.base_url, "test-model", "sk-test-secret", cache_path=cache_path, **options  # type: ignore[arg-type]
    )


@pytest.fixture
def llm_client(openai_server: OpenAITestServer, tmp_path: Path) -> Iterator[LLMClient]:
    """An LLMClient talking to ``openai_server`` with a cache in the test's tmp_path."""
    client = make_client(openai_server, tmp_path)
    yield client
    client.close()
