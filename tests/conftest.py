"""Fixtures shared by every test folder. Keep this file small; put topic fixtures next to their tests."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str


def neo4j_target_from_env() -> Neo4jTarget | None:
    """The Neo4j server tests should use (HIPPO_TEST_NEO4J_*), or None when none is configured."""
    uri = os.environ.get("HIPPO_TEST_NEO4J_URI", "")
    if not uri:
        return None
    return Neo4jTarget(
        uri=uri,
        user=os.environ.get("HIPPO_TEST_NEO4J_USER", "neo4j"),
        password=os.environ.get("HIPPO_TEST_NEO4J_PASSWORD", ""),
    )


@pytest.fixture(scope="session")
def neo4j_target() -> Neo4jTarget:
    """Skips when HIPPO_TEST_NEO4J_URI is unset. When it is set, tests must reach the server:
    an unreachable server fails them (see the store fixtures), it never skips them."""
    target = neo4j_target_from_env()
    if target is None:
        pytest.skip("HIPPO_TEST_NEO4J_URI is not set (scripts/test.sh starts a local Neo4j)")
    return target
