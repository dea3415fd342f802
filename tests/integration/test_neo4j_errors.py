"""Neo4j failures a user sees as one line naming the URI (never the password)."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from hippo.store.base import StoreError
from hippo.store.neo4j import Neo4jStore
from tests.conftest import Neo4jTarget
from tests.support.ports import free_port


def test_wrong_password_is_one_line_naming_the_uri(neo4j_target: Neo4jTarget) -> None:
    wrong = "not-the-password-" + "x" * 8
    with pytest.raises(StoreError) as err:
        Neo4jStore(neo4j_target.uri, neo4j_target.user, wrong)
    message = str(err.value)
    assert neo4j_target.uri in message and "credentials" in message
    assert wrong not in message and "\n" not in message


def test_server_down_is_one_line_naming_the_uri() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError) as err:
        Neo4jStore(uri, "neo4j", "secret-password")
    assert str(err.value) == f"Neo4j at {uri} is unreachable or the connection was lost: [Errno 111] Connection refused"
    assert "secret-password" not in str(err.value)


def test_cli_reports_an_unreachable_store_without_a_traceback() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    proc = subprocess.run(
        [sys.executable, "-m", "hippo.interfaces.cli.main", "stats", "--store", uri],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hippo: error:") and uri in lines[0]


def test_reading_a_property_key_the_database_lacks_logs_no_warning(
    neo4j_target: Neo4jTarget, caplog: pytest.LogCaptureFixture
) -> None:
    # what a fresh database does to every statement of an index run: its keys do not exist yet
    store = Neo4jStore(neo4j_target.uri, neo4j_target.user, neo4j_target.password)
    try:
        with caplog.at_level(logging.INFO, logger="neo4j"), store._driver.session(database=store.database) as session:
            record = session.run("MATCH (d:Document) WHERE d.hippo_key_never_written = 1 RETURN count(d) AS n").single()
        assert record is not None and record["n"] == 0
    finally:
        store.close()
    notices = [r.getMessage() for r in caplog.records if r.name.startswith("neo4j.notifications")]
    assert not notices, notices[0][:300]
