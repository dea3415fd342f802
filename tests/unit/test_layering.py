"""The layering the package promises, read from the imports: interfaces sit on the service layer,
not on each other, and only hippo/store talks to the database drivers."""

from __future__ import annotations

import ast
from pathlib import Path

import hippo

ROOT = Path(hippo.__file__).parent
DRIVERS = ("sqlite3", "neo4j")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_only_the_store_imports_database_drivers() -> None:
    # the LLM reply cache and the embedding cache are SQLite files of their own, not the graph store
    allowed = {ROOT / "llm" / "cache.py", ROOT / "embed_cache.py"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.split(".")[0] in DRIVERS)
        for path in ROOT.rglob("*.py")
        if "store" not in path.relative_to(ROOT).parts[:1] and path not in allowed
    }
    assert {p: n for p, n in offenders.items() if n} == {}


def test_the_mcp_server_and_the_service_do_not_import_the_http_api() -> None:
    paths = [ROOT / "interfaces" / "mcp.py", *_modules("service")]
    assert {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith("hippo.interfaces"))
            for p in paths if any(n.startswith("hippo.interfaces") for n in _imports(p))} == {}
