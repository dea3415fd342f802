"""Named Cypher statements from the repository's ``cypher/`` folder.

Every statement the Neo4j backend runs lives in ``cypher/NAME.cypher`` so it can be read,
reviewed and tried in Neo4j Browser as is. Statements take parameters only; labels and
relationship types are fixed in the files, never filled in from user input.

A built wheel carries the folder as ``hippo/store/_cypher/`` (setup.py copies it); a source
checkout or an editable install reads ``cypher/`` beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hippo.errors import CypherFileMissing as CypherFileMissing  # importable from here too

PACKAGED_DIR = Path(__file__).resolve().parent / "_cypher"
CHECKOUT_DIR = Path(__file__).resolve().parents[2] / "cypher"


@cache
def cypher_dir() -> Path:
    """Where the statements are: the wheel's package data first, then the source checkout."""
    for folder in (PACKAGED_DIR, CHECKOUT_DIR):
        if any(folder.glob("*.cypher")):
            return folder
    raise CypherFileMissing(
        f"the Neo4j backend's Cypher statements are missing: neither {PACKAGED_DIR} (a built wheel) nor "
        f"{CHECKOUT_DIR} (a source checkout) holds *.cypher files; reinstall Hippo from a wheel or a checkout"
    )


@cache
def load(name: str) -> str:
    """The single statement in ``cypher/<name>.cypher`` (``//`` comment lines dropped)."""
    statements = load_all(name)
    if len(statements) != 1:
        raise CypherFileMissing(f"{cypher_dir() / (name + '.cypher')} holds {len(statements)} statements, expected 1")
    return statements[0]


@cache
def load_all(name: str) -> tuple[str, ...]:
    """Every statement of ``cypher/<name>.cypher``; statements end with ``;`` at a line end."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a statement name: {name!r}")
    path = cypher_dir() / f"{name}.cypher"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CypherFileMissing(f"Cypher statement {name!r} not found at {path}") from exc
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
