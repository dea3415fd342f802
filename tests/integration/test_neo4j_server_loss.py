"""A server killed in the middle of a write: the caller gets one clear error, the document is
written whole or not at all, and re-running the same write completes the work. Also drives
`hippo neo4j start|status|stop` on a private server (its own data directory and port)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from neo4j import GraphDatabase

from hippo.store.base import StoreError
from hippo.store.neo4j import Neo4jStore
from hippo.store.neo4j_local import LocalNeo4j
from hippo.store.sqlite import SQLiteStore
from hippo.types import DocumentWrite
from tests.conftest import Neo4jTarget
from tests.contract.builders import make_write
from tests.support.ports import free_port, hippo_neo4j

PASSWORD = "server-loss-password"


def _big_write(n_passages: int = 400) -> DocumentWrite:
    passages = [
        (f"Passage {i}: Person {i} met Person {i + 1} in City {i % 50}.",
         [(f"Person {i}", "met", f"Person {i + 1}"), (f"Person {i}", "visited", f"City {i % 50}")])
        for i in range(n_passages)
    ]
    return make_write("big", passages)


def _wait_for_open_write(uri: str) -> None:
    """Block until the server shows a running write transaction other than this query."""
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            records, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery, transactionId "
                "WHERE NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n"
            )
            if records[0]["n"] > 0:
                return
            time.sleep(0.02)
    raise AssertionError("the big write never showed up as a running transaction")


def test_killed_server_mid_write_then_rerun_completes(neo4j_target: Neo4jTarget, tmp_path: Path) -> None:
    # neo4j_target only gates the test: it runs where Neo4j tests are expected (Java + Maven)
    data, port = tmp_path / "neo4j", free_port()
    server = LocalNeo4j(data, port)
    args = ["--data-dir", str(data), "--port", str(port)]
    started = hippo_neo4j(PASSWORD, "start", *args)
    assert started.returncode == 0, started.stderr
    uri = started.stdout.strip().splitlines()[-1]
    assert uri == f"bolt://127.0.0.1:{port}"
    try:
        assert server.pid() is not None
        write = _big_write()
        store = Neo4jStore(uri, "neo4j", PASSWORD, retry_seconds=2.0)
        store.write_documents("loss", [make_write("small", [("A small first document.", [])])])
        errors: list[BaseException] = []

        def run() -> None:
            try:
                store.write_documents("loss", [write])
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                errors.append(exc)

        writer = threading.Thread(target=run)
        writer.start()
        _wait_for_open_write(uri)
        pid = server.pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        writer.join(timeout=120)
        store.close()
        assert len(errors) == 1 and isinstance(errors[0], StoreError), errors
        message = str(errors[0])
        assert uri in message and "\n" not in message and PASSWORD not in message
        assert server.pid() is None

        assert server.start(PASSWORD) == uri
        with Neo4jStore(uri, "neo4j", PASSWORD, retry_seconds=2.0) as store:
            assert store.get_document("loss", "big") is None  # nothing of the lost transaction
            assert store.stats("loss").passages == 1
            store.write_documents("loss", [write])  # re-running completes the work
            reference = SQLiteStore(tmp_path / "reference.db")
            reference.write_documents("loss", [make_write("small", [("A small first document.", [])]), write])
            assert store.fingerprint("loss") == reference.fingerprint("loss")
            reference.close()
        status = hippo_neo4j(PASSWORD, "status", *args)
        assert status.returncode == 0 and status.stdout.strip().splitlines()[-1] == uri
    finally:
        stopped = hippo_neo4j(PASSWORD, "stop", *args)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert server.pid() is None and not server.port_open()
