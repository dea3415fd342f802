"""SQLite's own exceptions never leave the store: every sqlite3.Error becomes a StoreError that
names the file, so the interfaces map one store error and never see a driver's."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from hippo.errors import StoreError
from hippo.store.sqlite import SQLiteStore


def _in_thread(fn: object) -> BaseException | None:
    """Run on a new thread (so the store opens a new connection); the exception it raised."""
    caught: list[BaseException] = []

    def body() -> None:
        try:
            fn()  # type: ignore[operator]
        except BaseException as exc:
            caught.append(exc)

    t = threading.Thread(target=body)
    t.start()
    t.join()
    return caught[0] if caught else None


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "hippo.db"
    path.write_bytes(b"this is not an SQLite file" * 100)
    with pytest.raises(StoreError, match=str(path)) as info:
        SQLiteStore(path)
    assert isinstance(info.value.__cause__, sqlite3.Error)


def test_a_vanished_folder_fails_reads_as_store_errors(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "gone" / "hippo.db")
    shutil.rmtree(tmp_path / "gone")
    for read in (lambda: store.stats("ns"), lambda: store.namespaces(), lambda: store.ping()):
        exc = _in_thread(read)
        assert isinstance(exc, StoreError) and "SQLite" in str(exc), exc
        assert not isinstance(exc, sqlite3.Error)
    store.close()


def test_a_read_only_file_fails_writes_as_store_errors_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "hippo.db"
    SQLiteStore(path).set_unit_scores("ns", "loss", {"e1": 0.5})
    readonly = SQLiteStore(path)
    readonly._local.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                           check_same_thread=False)
    with pytest.raises(StoreError, match="cannot write to") as info:
        readonly.set_unit_scores("ns", "loss", {"e1": 0.9, "e2": 0.1})
    assert isinstance(info.value.__cause__, sqlite3.Error)
    assert readonly.get_unit_scores("ns", "loss") == {"e1": 0.5}
    readonly.close()
