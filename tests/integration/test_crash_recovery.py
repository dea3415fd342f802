"""Crash safety: an indexing process SIGKILLed at random points, then restarted, ends in exactly
the graph a clean build gives — on SQLite and on Neo4j."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hippo.embed import Embedder
from hippo.index.extract.openie_import import ImportedExtractor
from hippo.memory import Memory
from hippo.store.base import GraphStore
from hippo.store.sqlite import SQLiteStore
from tests.conftest import neo4j_target_from_env
from tests.support.lifecycle_corpus import generated_document, generated_version, write_corpus_jsonl, write_openie_file
from tests.support.lifecycle_fixtures import embedder, open_neo4j_store  # noqa: F401

REPO = Path(__file__).resolve().parents[2]
INITIAL = [generated_document(i, 0) for i in range(16)]
DELETED = ["gen-000", "gen-001", "gen-002"]
# the job: documents 3..23, odd ones edited (replaced), 16..23 new, even ones below 16 unchanged
JOB = [generated_document(i, i % 2) for i in range(3, 24)]
KILLS = 5


@dataclass
class Target:
    store: GraphStore
    uri: str
    env: dict[str, str]


@pytest.fixture(params=["sqlite", "neo4j"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if request.param == "sqlite":
        path = tmp_path / "crash.db"
        store: GraphStore = SQLiteStore(path)
        yield Target(store, f"sqlite:///{path}", env)
    else:
        store = open_neo4j_store()
        t = neo4j_target_from_env()
        assert t is not None
        env.update(HIPPO_NEO4J_USER=t.user, HIPPO_NEO4J_PASSWORD=t.password)
        yield Target(store, t.uri, env)
    store.close()


def run_worker(target: Target, ns: str, files: Path, kill_after: int | None, delay: float) -> tuple[bool, int]:
    """Run the job; SIGKILL it ``delay`` seconds after its ``kill_after``-th progress line.
    Returns (finished, progress lines seen)."""
    cmd = [sys.executable, "-m", "tests.support.crash_worker", "--store", target.uri, "--namespace", ns,
           "--openie", str(files / "openie.json"), "--corpus", str(files / "job.jsonl"), "--delete", *DELETED]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=target.env,
                            cwd=REPO)
    assert proc.stdout is not None
    seen = 0
    try:
        for line in proc.stdout:
            if line.strip() == "ready":
                continue
            seen += 1
            if kill_after is not None and seen >= kill_after:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode == -signal.SIGKILL:
        return False, seen
    assert proc.returncode == 0, stderr
    return True, seen


def test_sigkill_at_random_points_then_restart_equals_a_clean_build(
    target: Target, embedder: Embedder, tmp_path: Path  # noqa: F811
) -> None:
    files = tmp_path
    write_openie_file(files / "openie.json",
                      [generated_version(i, v) for i in range(24) for v in (0, 1)])
    write_corpus_jsonl(files / "job.jsonl", JOB)
    store = target.store
    ns, clean_ns = f"crash-{uuid.uuid4().hex[:10]}", f"crash-clean-{uuid.uuid4().hex[:10]}"
    extractor = ImportedExtractor(str(files / "openie.json"))
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    try:
        live = Memory(store=store, namespace=ns, embedder=embedder, extractor=extractor)
        live.add_documents(INITIAL)
        clean = Memory(store=store, namespace=clean_ns, embedder=embedder, extractor=extractor)
        clean.add_documents(JOB)
        start, goal = live.fingerprint(), clean.fingerprint()
        assert start != goal

        # the job prints ~58 lines (8 batches x 7 events, "deleted", synonymy); each rerun has
        # less left to do, so aim the kills at the first half of what remains
        intermediate = 0
        for _attempt in range(KILLS):
            finished, _ = run_worker(target, ns, files, kill_after=rng.randint(1, 30), delay=rng.uniform(0, 0.05))
            if finished:
                break
            now = live.fingerprint()
            intermediate += now not in (start, goal)
        finished, _ = run_worker(target, ns, files, kill_after=None, delay=0)
        assert finished

        assert live.fingerprint() == goal, f"random seed {seed}"
        assert not store.pending_synonyms(ns)
        assert {d.id for d in store.list_documents(ns)} == {d.id for d in JOB}
        # the test must have killed mid-way at least once, or it proved nothing
        assert intermediate >= 1, f"no kill landed mid-job (random seed {seed})"
    finally:
        store.drop_namespace(ns)
        store.drop_namespace(clean_ns)


def test_a_crash_between_write_and_synonymy_is_resumed(target: Target, embedder: Embedder, tmp_path: Path) -> None:  # noqa: F811
    """Kill right after the first document batch is committed: the next run computes the synonym
    edges the dead one owed, even though it has no new documents to write."""
    files = tmp_path
    write_openie_file(files / "openie.json", [generated_version(i, v) for i in range(24) for v in (0, 1)])
    write_corpus_jsonl(files / "job.jsonl", JOB)
    ns, clean_ns = f"crash-{uuid.uuid4().hex[:10]}", f"crash-clean-{uuid.uuid4().hex[:10]}"
    try:
        clean = Memory(store=target.store, namespace=clean_ns, embedder=embedder,
                       extractor=ImportedExtractor(str(files / "openie.json")))
        clean.add_documents(JOB)
        # one batch: the worker kills itself right after the write committed, before synonymy
        died = subprocess.run(
            [sys.executable, "-m", "tests.support.crash_worker", "--store", target.uri, "--namespace", ns,
             "--openie", str(files / "openie.json"), "--corpus", str(files / "job.jsonl"), "--batch", "64",
             "--die-at", f"write {len(JOB)}/{len(JOB)}"],
            capture_output=True, text=True, env=target.env, cwd=REPO, timeout=600,
        )
        assert died.returncode == -signal.SIGKILL, died.stderr
        assert len(target.store.pending_synonyms(ns)) > 0
        assert len(target.store.list_documents(ns)) == len(JOB)

        live = Memory(store=target.store, namespace=ns, embedder=embedder,
                      extractor=ImportedExtractor(str(files / "openie.json")))
        report = live.add_documents(JOB)
        assert report.documents_unchanged == len(JOB) and report.synonyms_new > 0
        assert not target.store.pending_synonyms(ns)
        assert live.fingerprint() == clean.fingerprint()
    finally:
        target.store.drop_namespace(ns)
        target.store.drop_namespace(clean_ns)
