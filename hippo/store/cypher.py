"""Named Cypher statements from the repository's ``cypher/`` folder.

Every statement the Neo4j backend runs lives in ``cypher/NAME.cypher`` so it can be read,
reviewed and tried in Neo4j Browser as is. Statements take parameters only; labels and
relationship types are fixed in the files, never filled in from user input.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hippo.errors import CypherFileMissing as CypherFileMissing  # importable from here too

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"


@cache
def load(name: str) -> str:
    """The single statement in ``cypher/<name>.cypher`` (``//`` comment lines dropped)."""
    statements = load_all(name)
    if len(statements) != 1:
        raise CypherFileMissing(f"{CYPHER_DIR / (name + '.cypher')} holds {len(statements)} statements, expected 1")
    return statements[0]


@cache
def load_all(name: str) -> tuple[str, ...]:
    """Every statement of ``cypher/<name>.cypher``; statements end with ``;`` at a line end."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a statement name: {name!r}")
    path = CYPHER_DIR / f"{name}.cypher"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CypherFileMissing(
            f"Cypher statement {name!r} not found at {path}; the neo4j backend needs the repository's "
            "cypher/ folder next to the hippo package (install Hippo from its source checkout)"
        ) from exc
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    statements: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip().rstrip(";").strip())
            current = []
    tail = "\n".join(current).strip()
    if tail:
        statements.append(tail)
    return tuple(s for s in statements if s)
