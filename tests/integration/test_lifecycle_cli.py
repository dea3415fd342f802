"""`hippo index --replace`, `hippo delete` and `hippo stats --fingerprint` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.lifecycle_corpus import document, write_corpus_jsonl, write_openie_file

REPO = Path(__file__).resolve().parents[2]
DOCS = ("orchard", "tolvik", "bergen", "petersburg")


def hippo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("HIPPO_STORE", None)
    env.pop("HIPPO_NAMESPACE", None)
    return subprocess.run([sys.executable, "-m", "hippo.interfaces.cli.main", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)


def fingerprint(store: list[str], cwd: Path) -> dict[str, object]:
    done = hippo("stats", "--fingerprint", "--json", *store, cwd=cwd)
    assert done.returncode == 0, done.stderr
    stats: dict[str, object] = json.loads(done.stdout)
    assert isinstance(stats["fingerprint"], str) and len(stats["fingerprint"]) == 64
    return stats


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")
    write_openie_file(d / "openie.json")
    write_corpus_jsonl(d / "v0.jsonl", [document(x, 0) for x in DOCS])
    write_corpus_jsonl(d / "again.jsonl", [document("orchard", 1), *(document(x, 0) for x in DOCS[1:])])
    write_corpus_jsonl(d / "v1.jsonl", [document("orchard", 1), document("bergen", 1)])
    write_corpus_jsonl(d / "final.jsonl", [document("orchard", 1), document("bergen", 1), document("tolvik", 0)])
    return d


@pytest.mark.slow
def test_replace_delete_and_reindex_from_the_command_line(workdir: Path) -> None:
    db = ["--store", f"sqlite:///{workdir / 'cli.db'}"]
    live, clean = [*db, "--namespace", "live"], [*db, "--namespace", "clean"]
    oie = ["--openie", str(workdir / "openie.json")]

    done = hippo("index", str(workdir / "v0.jsonl"), *oie, *live, cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "indexed 4 new" in done.stdout
    first = fingerprint(live, workdir)

    # the same documents again, one of them edited, no --replace: the three unchanged ones are
    # skipped, the edited one is refused with a warning naming the flag; the graph is untouched
    done = hippo("index", str(workdir / "again.jsonl"), *oie, "--json", *live, cwd=workdir)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["documents_unchanged"] == 3 and report["documents_conflicting"] == ["orchard"]
    assert "hippo: warning: document 'orchard' exists with different content; use --replace" in done.stderr
    assert fingerprint(live, workdir) == first

    done = hippo("index", str(workdir / "v1.jsonl"), "--replace", *oie, *live, cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "0 new and 2 replaced" in done.stdout

    done = hippo("delete", "petersburg", "no-such-doc", *live, cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "deleted 1 documents; 1 ids were not found"
    done = hippo("delete", "petersburg", *live, cwd=workdir)
    assert done.returncode == 1 and "deleted 0 documents" in done.stdout

    done = hippo("index", str(workdir / "final.jsonl"), *oie, *clean, cwd=workdir)
    assert done.returncode == 0, done.stderr
    after, fresh = fingerprint(live, workdir), fingerprint(clean, workdir)
    assert after["documents"] == 3
    assert after["fingerprint"] == fresh["fingerprint"] != first["fingerprint"]
