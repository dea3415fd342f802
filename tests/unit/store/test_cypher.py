"""The named-statement loader and the statements themselves (static checks, no server)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.store import cypher


def test_every_file_loads_and_uses_parameters_only() -> None:
    names = sorted(p.stem for p in cypher.cypher_dir().glob("*.cypher"))
    assert "schema" in names and "export_passages" in names
    for name in names:
        for statement in cypher.load_all(name):
            assert statement and not statement.endswith(";")
            # values enter through $parameters; no Python-style placeholders to format into
            assert not re.search(r"\{\s*\w*\s*\}|%s|%\(", statement), name


def test_schema_has_constraints_and_vector_indexes_per_label() -> None:
    schema = cypher.load_all("schema")
    for label in ("Namespace", "Document", "Passage", "Entity", "Fact"):
        assert any(s.startswith("CREATE CONSTRAINT") and f"(n:{label})" in s for s in schema), label
    vectors = [s for s in schema if s.startswith("CREATE VECTOR INDEX")]
    assert {re.search(r"\(n:(\w+)\)", s).group(1) for s in vectors} == {"Passage", "Entity", "Fact"}  # type: ignore[union-attr]


def test_load_wants_exactly_one_statement() -> None:
    assert cypher.load("namespace_version").startswith("MATCH (n:Namespace")
    with pytest.raises(cypher.CypherFileMissing, match="statements, expected 1"):
        cypher.load("schema")


def test_missing_and_malformed_names_fail_clearly() -> None:
    with pytest.raises(cypher.CypherFileMissing, match="no_such_statement"):
        cypher.load_all("no_such_statement")
    with pytest.raises(ValueError):
        cypher.load_all("../pyproject")


@pytest.fixture
def uncached() -> Iterator[None]:
    """The folder lookup is cached per process; tests that move it start and end uncached."""
    cypher.cypher_dir.cache_clear()
    yield
    cypher.cypher_dir.cache_clear()


def test_a_wheels_package_data_comes_before_the_checkout(
    uncached: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = tmp_path / "_cypher"
    assert cypher.cypher_dir() == cypher.CHECKOUT_DIR  # this test runs from a checkout
    monkeypatch.setattr(cypher, "PACKAGED_DIR", packaged)
    packaged.mkdir()
    cypher.cypher_dir.cache_clear()
    assert cypher.cypher_dir() == cypher.CHECKOUT_DIR  # an empty folder does not count
    (packaged / "stats.cypher").write_text("RETURN 1;\n")
    cypher.cypher_dir.cache_clear()
    assert cypher.cypher_dir() == packaged


def test_statements_missing_everywhere_name_both_places(
    uncached: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cypher, "PACKAGED_DIR", tmp_path / "wheel")
    monkeypatch.setattr(cypher, "CHECKOUT_DIR", tmp_path / "checkout")
    with pytest.raises(cypher.CypherFileMissing) as missing:
        cypher.cypher_dir()
    assert str(tmp_path / "wheel") in str(missing.value) and str(tmp_path / "checkout") in str(missing.value)
