"""A snapshot on disk: one directory of ``.npy`` arrays plus ``meta.json``, opened memory-mapped.

Layout: ``<root>/<key>/v<version>/`` where ``key`` names the store and namespace. A directory is
written under a temporary name and renamed into place, so a reader sees a whole snapshot or none;
several processes (CLI, API workers, the MCP server) map the same files and share one copy in the
page cache. Older versions are removed once a newer one is in place (processes that still map them
keep their pages: POSIX unlinks do not pull mapped files away).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from hippo.safe_ast import AST_LOCK

FORMAT = 1
_VERSION_DIR = re.compile(r"^v(\d+)$")


def snapshot_key(store_uri: str, ns: str) -> str:
    """A directory name for (store, namespace): readable prefix, hash for uniqueness."""
    digest = hashlib.sha256(f"{store_uri}\x00{ns}".encode()).hexdigest()[:16]
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", ns)[:40]
    return f"{readable}-{digest}"


def version_dir(root: Path, key: str, version: int) -> Path:
    return root / key / f"v{version}"


def versions_on_disk(root: Path, key: str) -> list[int]:
    base = root / key
    if not base.is_dir():
        return []
    found = []
    for child in base.iterdir():
        match = _VERSION_DIR.match(child.name)
        if match and (child / "meta.json").is_file():
            found.append(int(match.group(1)))
    return sorted(found)


def write(root: Path, key: str, version: int, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """Write the arrays as version ``version`` of ``key``; returns the directory. If another
    process put the same version in place first, theirs is kept (same store version, same data)."""
    final = _write_whole(version_dir(root, key, version), root / key, arrays, {**meta, "version": version})
    prune(root, key, keep=version)
    return final


def write_part(version_path: Path, part: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """Add a named part (a layout built later from the same store version, e.g. the bridge mode's)
    inside a version directory, as atomically as the version itself; a part already there is kept."""
    return _write_whole(version_path / part, version_path, arrays, meta)


def _write_whole(final: Path, parent: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path:
    """The arrays and meta.json into ``final`` through a temporary sibling renamed into place, so a
    reader sees the whole directory or none; one already in place is kept."""
    if (final / "meta.json").is_file():
        return final
    tmp = parent / f".tmp-{final.name}-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    try:
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        # meta.json last: its presence marks a complete directory
        (tmp / "meta.json").write_text(json.dumps({**meta, "format": FORMAT, "arrays": sorted(arrays)}))
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / "meta.json").is_file():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final


def prune(root: Path, key: str, keep: int) -> None:
    """Remove versions older than ``keep`` and abandoned temporary directories."""
    base = root / key
    for child in base.iterdir() if base.is_dir() else []:
        match = _VERSION_DIR.match(child.name)
        if match and int(match.group(1)) < keep:
            shutil.rmtree(child, ignore_errors=True)


def read(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays of a snapshot directory, memory-mapped read-only, and its meta."""
    meta = json.loads((path / "meta.json").read_text())
    if meta.get("format") != FORMAT:
        raise ValueError(f"snapshot format {meta.get('format')} at {path}; expected {FORMAT}")
    # numpy parses each header with ast.literal_eval; see hippo.safe_ast.
    with AST_LOCK:
        arrays = {name: np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in meta["arrays"]}
    return arrays, meta
