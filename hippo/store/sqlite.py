"""The embedded default store: one SQLite file, WAL, one transaction per write call.

Every table carries the namespace as the first key column, so namespaces share a file without
seeing each other. Embeddings are float32 blobs.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from hippo.store.base import GraphStore, StoreError
from hippo.types import (
    DocumentInfo,
    DocumentWrite,
    Entity,
    Fact,
    GraphExport,
    Passage,
    SentenceExport,
    StoreStats,
    SynonymEdge,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS namespaces (ns TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents (
  ns TEXT, id TEXT, title TEXT, content_hash TEXT, metadata TEXT, failures TEXT,
  PRIMARY KEY (ns, id));
CREATE TABLE IF NOT EXISTS passages (
  ns TEXT, id TEXT, title TEXT, text TEXT, embedding BLOB, PRIMARY KEY (ns, id));
CREATE TABLE IF NOT EXISTS doc_passages (
  ns TEXT, doc_id TEXT, passage_id TEXT, position INTEGER, PRIMARY KEY (ns, doc_id, passage_id));
CREATE INDEX IF NOT EXISTS doc_passages_by_passage ON doc_passages (ns, passage_id);
CREATE TABLE IF NOT EXISTS entities (
  ns TEXT, id TEXT, name TEXT, embedding BLOB, PRIMARY KEY (ns, id));
CREATE TABLE IF NOT EXISTS facts (
  ns TEXT, id TEXT, subject_id TEXT, predicate TEXT, object_id TEXT, text TEXT, embedding BLOB,
  PRIMARY KEY (ns, id));
CREATE INDEX IF NOT EXISTS facts_by_subject ON facts (ns, subject_id);
CREATE INDEX IF NOT EXISTS facts_by_object ON facts (ns, object_id);
CREATE TABLE IF NOT EXISTS mentions (
  ns TEXT, passage_id TEXT, entity_id TEXT, PRIMARY KEY (ns, passage_id, entity_id));
CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions (ns, entity_id);
CREATE TABLE IF NOT EXISTS fact_support (
  ns TEXT, passage_id TEXT, fact_id TEXT, PRIMARY KEY (ns, passage_id, fact_id));
CREATE INDEX IF NOT EXISTS fact_support_by_fact ON fact_support (ns, fact_id);
CREATE TABLE IF NOT EXISTS synonyms (
  ns TEXT, a TEXT, b TEXT, weight REAL, PRIMARY KEY (ns, a, b));
CREATE INDEX IF NOT EXISTS synonyms_by_b ON synonyms (ns, b);
CREATE TABLE IF NOT EXISTS pending_synonyms (ns TEXT, entity_id TEXT, PRIMARY KEY (ns, entity_id));
CREATE TABLE IF NOT EXISTS sentences (
  ns TEXT, id TEXT, passage_id TEXT, position INTEGER, text TEXT, embedding BLOB, PRIMARY KEY (ns, id));
CREATE INDEX IF NOT EXISTS sentences_by_passage ON sentences (ns, passage_id);
CREATE TABLE IF NOT EXISTS sentence_mentions (
  ns TEXT, sentence_id TEXT, entity_id TEXT, PRIMARY KEY (ns, sentence_id, entity_id));
CREATE INDEX IF NOT EXISTS sentence_mentions_by_entity ON sentence_mentions (ns, entity_id);
CREATE TABLE IF NOT EXISTS aliases (
  ns TEXT, passage_id TEXT, alias_id TEXT, entity_id TEXT, PRIMARY KEY (ns, passage_id, alias_id, entity_id));
CREATE INDEX IF NOT EXISTS aliases_by_alias ON aliases (ns, alias_id);
CREATE INDEX IF NOT EXISTS aliases_by_entity ON aliases (ns, entity_id);
CREATE TABLE IF NOT EXISTS unit_scores (
  ns TEXT, kind TEXT, unit_id TEXT, value REAL, PRIMARY KEY (ns, kind, unit_id));
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, ns TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_by_ns ON jobs (ns);
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS retired_versions (ns TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ns_deletes (ns TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""

# tables a snapshot is built from, in the order GraphSnapshot extension reads them
_SNAPSHOT_TABLES = ("passages", "entities", "facts", "fact_support", "mentions", "synonyms")

# SQLite limits host parameters per statement; chunk IN (...) lists below it
_CHUNK = 500


def _blob(vec: np.ndarray) -> bytes:
    return np.ascontiguousarray(vec, dtype=np.float32).tobytes()


def _matrix(blobs: list[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1).copy()


def _chunks(items: list[str], size: int = _CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class SQLiteStore(GraphStore):
    """A GraphStore in one SQLite file. Safe to share between threads of one process; several
    processes may open the same file (WAL serialises writers, readers never block)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.uri = f"sqlite:///{self.path}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {self.uri}: {exc}") from exc
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with self._driver_errors("open"):
            conn = self._connection()
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO store_meta (key, value) VALUES ('instance', ?)", (uuid.uuid4().hex,))
            self._instance = str(conn.execute("SELECT value FROM store_meta WHERE key = 'instance'").fetchone()[0])

    def instance_id(self) -> str:
        return f"{self.uri}#{self._instance}"

    def default_snapshot_dir(self) -> Path | None:
        return self.path.with_name(self.path.name + ".snapshots")

    # --- connections -------------------------------------------------------------------------
    @contextmanager
    def _driver_errors(self, doing: str = "use") -> Iterator[None]:
        """Every sqlite3 failure leaves the store as a StoreError naming the file, so nothing above
        ``hippo.store`` ever handles a driver's exception."""
        try:
            yield
        except sqlite3.Error as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"cannot {doing} {self.uri}: SQLite: {detail}") from exc

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with self._driver_errors("open"):
                conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=OFF")
            self._local.conn = conn
        return conn

    @contextmanager
    def _conn(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        with self._driver_errors("read"):
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: all of it commits or none of it does."""
        conn = self._connection()
        with self._write_lock, self._driver_errors("write to"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every SELECT inside sees the same committed state."""
        conn = self._connection()
        with self._driver_errors("read"):
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            with self._driver_errors("close"):
                conn.close()

    def ping(self) -> None:
        with self._conn() as conn:
            conn.execute("SELECT 1").fetchone()

    # --- writes ------------------------------------------------------------------------------
    @staticmethod
    def _bump(conn: sqlite3.Connection, ns: str) -> None:
        # a dropped namespace's versions are never handed out again: a snapshot on disk named by
        # version must not be mistaken for a later namespace of the same name
        conn.execute(
            "INSERT INTO namespaces (ns, version) "
            "VALUES (?, 1 + COALESCE((SELECT version FROM retired_versions WHERE ns = ?), 0)) "
            "ON CONFLICT (ns) DO UPDATE SET version = version + 1",
            (ns, ns),
        )

    @staticmethod
    def _note_delete(conn: sqlite3.Connection, ns: str) -> None:
        """Rows of the namespace were deleted: a snapshot can no longer be extended by appends."""
        conn.execute(
            "INSERT INTO ns_deletes (ns, n) VALUES (?, 1) ON CONFLICT (ns) DO UPDATE SET n = n + 1", (ns,)
        )

    def write_documents(self, ns: str, writes: list[DocumentWrite]) -> None:
        if not writes:
            return
        with self._write() as conn:
            candidates = self._unlink_documents(conn, ns, [w.document.id for w in writes])
            for w in writes:
                self._insert(conn, ns, w)
            self._collect_orphans(conn, ns, *candidates)
            self._bump(conn, ns)

    def _insert(self, conn: sqlite3.Connection, ns: str, w: DocumentWrite) -> None:
        doc = w.document
        conn.execute(
            "INSERT INTO documents (ns, id, title, content_hash, metadata, failures) VALUES (?,?,?,?,?,?)",
            (ns, doc.id, doc.title, w.content_hash, json.dumps(doc.metadata, ensure_ascii=False),
             json.dumps(w.failures, ensure_ascii=False)),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO passages (ns, id, title, text, embedding) VALUES (?,?,?,?,?)",
            [(ns, p.passage.id, p.passage.title, p.passage.text, _blob(p.embedding)) for p in w.passages],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO doc_passages (ns, doc_id, passage_id, position) VALUES (?,?,?,?)",
            [(ns, doc.id, p.passage.id, p.passage.position) for p in w.passages],
        )
        new_entities = [e for e in w.entities if e.embedding is not None]
        known = [e.entity.id for e in w.entities if e.embedding is None]
        self._require(conn, ns, "entities", known)
        for e in new_entities:
            cur = conn.execute(
                "INSERT OR IGNORE INTO entities (ns, id, name, embedding) VALUES (?,?,?,?)",
                (ns, e.entity.id, e.entity.name, _blob(e.embedding)),  # type: ignore[arg-type]
            )
            if cur.rowcount:
                conn.execute("INSERT OR IGNORE INTO pending_synonyms (ns, entity_id) VALUES (?,?)", (ns, e.entity.id))
        self._require(conn, ns, "facts", [f.fact.id for f in w.facts if f.embedding is None])
        conn.executemany(
            "INSERT OR IGNORE INTO facts (ns, id, subject_id, predicate, object_id, text, embedding) "
            "VALUES (?,?,?,?,?,?,?)",
            [(ns, f.fact.id, f.fact.subject_id, f.fact.predicate, f.fact.object_id, f.fact.text, _blob(f.embedding))
             for f in w.facts if f.embedding is not None],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO mentions (ns, passage_id, entity_id) VALUES (?,?,?)",
            [(ns, p, e) for p, e in w.mentions],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO fact_support (ns, passage_id, fact_id) VALUES (?,?,?)",
            [(ns, p, f) for p, f in w.fact_support],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO sentences (ns, id, passage_id, position, text, embedding) VALUES (?,?,?,?,?,?)",
            [(ns, r.sentence.id, r.sentence.passage_id, r.sentence.position, r.sentence.text, _blob(r.embedding))
             for r in w.sentences],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO sentence_mentions (ns, sentence_id, entity_id) VALUES (?,?,?)",
            [(ns, sid, e) for sid, e in w.sentence_mentions],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO aliases (ns, passage_id, alias_id, entity_id) VALUES (?,?,?,?)",
            [(ns, p, a, e) for p, a, e in w.aliases],
        )

    def _require(self, conn: sqlite3.Connection, ns: str, table: str, ids: list[str]) -> None:
        if not ids:
            return
        found = self._existing(conn, ns, table, ids)
        missing = set(ids) - found
        if missing:
            raise StoreError(
                f"{self.uri}: {len(missing)} {table} expected to exist are gone "
                "(deleted concurrently); re-run the indexing"
            )

    @staticmethod
    def _existing(conn: sqlite3.Connection, ns: str, table: str, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        unique = list(dict.fromkeys(ids))
        for chunk in _chunks(unique):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT id FROM {table} WHERE ns = ? AND id IN ({marks})", (ns, *chunk))
            found.update(r[0] for r in rows)
        return found

    def _unlink_documents(
        self, conn: sqlite3.Connection, ns: str, doc_ids: list[str]
    ) -> tuple[set[str], set[str], int]:
        """Remove the documents and the passages only they had; return the facts and entities
        that may now be orphans (checked after any new content is in) and how many docs existed."""
        existed = 0
        passage_ids: set[str] = set()
        for chunk in _chunks(doc_ids):
            marks = ",".join("?" * len(chunk))
            existed += conn.execute(
                f"SELECT COUNT(*) FROM documents WHERE ns = ? AND id IN ({marks})", (ns, *chunk)
            ).fetchone()[0]
            passage_ids.update(
                r[0] for r in conn.execute(
                    f"SELECT passage_id FROM doc_passages WHERE ns = ? AND doc_id IN ({marks})", (ns, *chunk)
                )
            )
            conn.execute(f"DELETE FROM doc_passages WHERE ns = ? AND doc_id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM documents WHERE ns = ? AND id IN ({marks})", (ns, *chunk))
        if existed:
            self._note_delete(conn, ns)
        orphan_passages = self._unused(
            conn, ns, sorted(passage_ids), "passages",
            "SELECT 1 FROM doc_passages u WHERE u.ns = t.ns AND u.passage_id = t.id",
        )
        fact_candidates: set[str] = set()
        entity_candidates: set[str] = set()
        for chunk in _chunks(orphan_passages):
            marks = ",".join("?" * len(chunk))
            entity_candidates.update(
                r[0] for r in conn.execute(
                    f"SELECT entity_id FROM mentions WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk)
                )
            )
            fact_candidates.update(
                r[0] for r in conn.execute(
                    f"SELECT fact_id FROM fact_support WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk)
                )
            )
            conn.execute(f"DELETE FROM mentions WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM fact_support WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk))
            conn.execute(
                "DELETE FROM sentence_mentions WHERE ns = ? AND sentence_id IN "
                f"(SELECT id FROM sentences WHERE ns = ? AND passage_id IN ({marks}))", (ns, ns, *chunk),
            )
            conn.execute(f"DELETE FROM sentences WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM aliases WHERE ns = ? AND passage_id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM passages WHERE ns = ? AND id IN ({marks})", (ns, *chunk))
        return fact_candidates, entity_candidates, existed

    @staticmethod
    def _unused(conn: sqlite3.Connection, ns: str, ids: list[str], table: str, use: str) -> list[str]:
        """The ids of ``table`` rows among ``ids`` for which the correlated ``use`` query (over
        alias ``t``) finds nothing — one statement per chunk, not one per id."""
        unused: list[str] = []
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            unused.extend(r[0] for r in conn.execute(
                f"SELECT t.id FROM {table} t WHERE t.ns = ? AND t.id IN ({marks}) AND NOT EXISTS ({use})",
                (ns, *chunk),
            ))
        return unused

    def _collect_orphans(
        self, conn: sqlite3.Connection, ns: str, fact_candidates: set[str], entity_candidates: set[str],
        _existed: int = 0,
    ) -> None:
        dead_facts = self._unused(
            conn, ns, sorted(fact_candidates), "facts",
            "SELECT 1 FROM fact_support u WHERE u.ns = t.ns AND u.fact_id = t.id",
        )
        for chunk in _chunks(dead_facts):
            marks = ",".join("?" * len(chunk))
            for subject_id, object_id in conn.execute(
                f"SELECT subject_id, object_id FROM facts WHERE ns = ? AND id IN ({marks})", (ns, *chunk)
            ):
                entity_candidates.update((subject_id, object_id))
            conn.execute(f"DELETE FROM facts WHERE ns = ? AND id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM unit_scores WHERE ns = ? AND unit_id IN ({marks})", (ns, *chunk))
        dead_entities = self._unused(
            conn, ns, sorted(entity_candidates), "entities",
            "SELECT 1 FROM mentions u WHERE u.ns = t.ns AND u.entity_id = t.id "
            "UNION ALL SELECT 1 FROM facts u WHERE u.ns = t.ns AND (u.subject_id = t.id OR u.object_id = t.id)",
        )
        for chunk in _chunks(dead_entities, _CHUNK // 2):
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM entities WHERE ns = ? AND id IN ({marks})", (ns, *chunk))
            conn.execute(
                f"DELETE FROM synonyms WHERE ns = ? AND (a IN ({marks}) OR b IN ({marks}))", (ns, *chunk, *chunk)
            )
            conn.execute(f"DELETE FROM pending_synonyms WHERE ns = ? AND entity_id IN ({marks})", (ns, *chunk))
            conn.execute(f"DELETE FROM unit_scores WHERE ns = ? AND unit_id IN ({marks})", (ns, *chunk))
            # a writer that broke the rule "a passage mentions what its sentences name" must not
            # leave edges to a deleted entity behind
            conn.execute(f"DELETE FROM sentence_mentions WHERE ns = ? AND entity_id IN ({marks})", (ns, *chunk))
            conn.execute(
                f"DELETE FROM aliases WHERE ns = ? AND (alias_id IN ({marks}) OR entity_id IN ({marks}))",
                (ns, *chunk, *chunk),
            )

    def delete_documents(self, ns: str, doc_ids: list[str]) -> int:
        if not doc_ids:
            return 0
        with self._write() as conn:
            facts, entities, existed = self._unlink_documents(conn, ns, list(dict.fromkeys(doc_ids)))
            self._collect_orphans(conn, ns, facts, entities)
            if existed:
                self._bump(conn, ns)
        return existed

    def add_synonyms(self, ns: str, edges: list[SynonymEdge], resolved: Iterable[str] = ()) -> int:
        resolved = list(resolved)
        if not edges and not resolved:
            return 0
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO synonyms (ns, a, b, weight) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM entities WHERE ns = ? AND id = ?) "
                "AND EXISTS (SELECT 1 FROM entities WHERE ns = ? AND id = ?)",
                [(ns, min(e.a, e.b), max(e.a, e.b), float(e.weight), ns, e.a, ns, e.b) for e in edges if e.a != e.b],
            )
            added = conn.total_changes - before
            conn.executemany(
                "DELETE FROM pending_synonyms WHERE ns = ? AND entity_id = ?", [(ns, e) for e in resolved]
            )
            if added:
                self._bump(conn, ns)
        return added

    def drop_namespace(self, ns: str) -> None:
        with self._write() as conn:
            for table in ("documents", "passages", "doc_passages", "entities", "facts", "mentions",
                          "fact_support", "synonyms", "pending_synonyms", "unit_scores", "sentences",
                          "sentence_mentions", "aliases", "jobs"):
                conn.execute(f"DELETE FROM {table} WHERE ns = ?", (ns,))
            conn.execute(
                "INSERT OR REPLACE INTO retired_versions (ns, version) SELECT ns, version FROM namespaces WHERE ns = ?",
                (ns,),
            )
            self._note_delete(conn, ns)
            conn.execute("DELETE FROM namespaces WHERE ns = ?", (ns,))

    def set_unit_scores(self, ns: str, kind: str, scores: dict[str, float]) -> None:
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO unit_scores (ns, kind, unit_id, value) VALUES (?,?,?,?) "
                "ON CONFLICT (ns, kind, unit_id) DO UPDATE SET value = excluded.value",
                [(ns, kind, k, float(v)) for k, v in scores.items()],
            )

    def save_job(self, job_id: str, ns: str, record: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO jobs (id, ns, record) VALUES (?,?,?) "
                "ON CONFLICT (id) DO UPDATE SET ns = excluded.ns, record = excluded.record",
                (job_id, ns, record),
            )

    def get_job(self, job_id: str) -> tuple[str, str] | None:
        with self._conn() as conn:
            row = conn.execute("SELECT ns, record FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    # --- reads -------------------------------------------------------------------------------
    def version(self, ns: str) -> int:
        with self._conn() as conn:
            row = conn.execute("SELECT version FROM namespaces WHERE ns = ?", (ns,)).fetchone()
        return int(row[0]) if row else 0

    def namespaces(self) -> list[str]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT ns FROM namespaces UNION SELECT DISTINCT ns FROM documents ORDER BY 1"
            ).fetchall()
        return [r[0] for r in rows]

    def pending_synonyms(self, ns: str) -> list[str]:
        with self._conn() as conn:
            return [r[0] for r in conn.execute(
                "SELECT entity_id FROM pending_synonyms WHERE ns = ? ORDER BY entity_id", (ns,)
            )]

    def _doc_infos(self, conn: sqlite3.Connection, ns: str, where: str = "", args: tuple[str, ...] = ()) -> list[DocumentInfo]:
        rows = conn.execute(
            "SELECT d.id, d.title, d.content_hash, d.metadata, d.failures, "
            "(SELECT COUNT(*) FROM doc_passages dp WHERE dp.ns = d.ns AND dp.doc_id = d.id) "
            f"FROM documents d WHERE d.ns = ? {where} ORDER BY d.id",
            (ns, *args),
        ).fetchall()
        return [
            DocumentInfo(id=r[0], title=r[1], content_hash=r[2], n_passages=int(r[5]),
                         failures=json.loads(r[4] or "{}"), metadata=json.loads(r[3] or "{}"))
            for r in rows
        ]

    def get_document(self, ns: str, doc_id: str) -> DocumentInfo | None:
        with self._conn() as conn:
            infos = self._doc_infos(conn, ns, "AND d.id = ?", (doc_id,))
        return infos[0] if infos else None

    def list_documents(self, ns: str) -> list[DocumentInfo]:
        with self._conn() as conn:
            return self._doc_infos(conn, ns)

    def existing_entity_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        with self._conn() as conn:
            return self._existing(conn, ns, "entities", ids)

    def existing_fact_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        with self._conn() as conn:
            return self._existing(conn, ns, "facts", ids)

    def existing_passage_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        with self._conn() as conn:
            return self._existing(conn, ns, "passages", ids)

    def export(self, ns: str) -> GraphExport:
        return self.export_with_cursor(ns)[0]

    @staticmethod
    def _cursor(conn: sqlite3.Connection, ns: str) -> dict[str, Any]:
        row = conn.execute("SELECT n FROM ns_deletes WHERE ns = ?", (ns,)).fetchone()
        return {
            "deletes": int(row[0]) if row else 0,
            # rowids are per table, shared by namespaces; rows written later get larger ones
            "rowid": {t: int(conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {t}").fetchone()[0])
                      for t in _SNAPSHOT_TABLES},
        }

    def export_with_cursor(self, ns: str) -> tuple[GraphExport, dict[str, Any] | None]:
        with self._read() as conn:
            return self._export_rows(conn, ns, None), self._cursor(conn, ns)

    def export_appended(self, ns: str, cursor: dict[str, Any] | None) -> tuple[GraphExport, dict[str, Any]] | None:
        if not cursor or "rowid" not in cursor:
            return None
        with self._read() as conn:
            now = self._cursor(conn, ns)
            if now["deletes"] != cursor["deletes"] or set(now["rowid"]) != set(cursor["rowid"]):
                return None
            return self._export_rows(conn, ns, cursor["rowid"]), now

    @staticmethod
    def _export_rows(conn: sqlite3.Connection, ns: str, after: dict[str, int] | None) -> GraphExport:
        """Every row of the namespace (ordered by id), or only those written after the rowids in
        ``after`` (in write order)."""

        def rows(table: str, columns: str, order: str) -> list[Any]:
            if after is None:
                return conn.execute(f"SELECT {columns} FROM {table} WHERE ns = ? ORDER BY {order}", (ns,)).fetchall()
            return conn.execute(
                f"SELECT {columns} FROM {table} WHERE rowid > ? AND ns = ? ORDER BY rowid", (after[table], ns)
            ).fetchall()

        version_row = conn.execute("SELECT version FROM namespaces WHERE ns = ?", (ns,)).fetchone()
        passages = rows("passages", "id, embedding", "id")
        entities = rows("entities", "id, name, embedding", "id")
        facts = rows("facts", "id, subject_id, object_id, text, embedding", "id")
        support = rows("fact_support", "passage_id, fact_id", "1, 2")
        mentions = rows("mentions", "passage_id, entity_id", "1, 2")
        synonyms = rows("synonyms", "a, b, weight", "1, 2")
        return GraphExport(
            version=int(version_row[0]) if version_row else 0,
            passage_ids=[r[0] for r in passages],
            passage_emb=_matrix([r[1] for r in passages]),
            entity_ids=[r[0] for r in entities],
            entity_names=[r[1] for r in entities],
            entity_emb=_matrix([r[2] for r in entities]),
            fact_ids=[r[0] for r in facts],
            fact_subjects=[r[1] for r in facts],
            fact_objects=[r[2] for r in facts],
            fact_texts=[r[3] for r in facts],
            fact_emb=_matrix([r[4] for r in facts]),
            fact_support=[(r[0], r[1]) for r in support],
            mentions=[(r[0], r[1]) for r in mentions],
            synonyms=[SynonymEdge(r[0], r[1], float(r[2])) for r in synonyms],
        )

    def export_sentences(self, ns: str) -> SentenceExport:
        with self._read() as conn:
            version_row = conn.execute("SELECT version FROM namespaces WHERE ns = ?", (ns,)).fetchone()
            rows = conn.execute(
                "SELECT id, passage_id, position, text, embedding FROM sentences WHERE ns = ? ORDER BY id", (ns,)
            ).fetchall()
            mentions = conn.execute(
                "SELECT sentence_id, entity_id FROM sentence_mentions WHERE ns = ? ORDER BY 1, 2", (ns,)
            ).fetchall()
            aliases = conn.execute(
                "SELECT passage_id, alias_id, entity_id FROM aliases WHERE ns = ? ORDER BY 1, 2, 3", (ns,)
            ).fetchall()
        return SentenceExport(
            version=int(version_row[0]) if version_row else 0,
            sentence_ids=[r[0] for r in rows],
            sentence_passages=[r[1] for r in rows],
            sentence_positions=[int(r[2]) for r in rows],
            sentence_texts=[r[3] for r in rows],
            sentence_emb=_matrix([r[4] for r in rows]),
            mentions=[(r[0], r[1]) for r in mentions],
            aliases=[(r[0], r[1], r[2]) for r in aliases],
        )

    def _passages_where(self, conn: sqlite3.Connection, ns: str, ids: list[str]) -> dict[str, Passage]:
        found: dict[str, Passage] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT p.id, p.title, p.text, "
                "(SELECT dp.doc_id FROM doc_passages dp WHERE dp.ns = p.ns AND dp.passage_id = p.id ORDER BY dp.doc_id LIMIT 1), "
                "(SELECT dp.position FROM doc_passages dp WHERE dp.ns = p.ns AND dp.passage_id = p.id ORDER BY dp.doc_id LIMIT 1) "
                f"FROM passages p WHERE p.ns = ? AND p.id IN ({marks})",
                (ns, *chunk),
            )
            for r in rows:
                found[r[0]] = Passage(id=r[0], doc_id=r[3] or "", title=r[1], text=r[2], position=int(r[4] or 0))
        return found

    def get_passages(self, ns: str, ids: list[str]) -> list[Passage]:
        with self._conn() as conn:
            found = self._passages_where(conn, ns, ids)
        return [found[i] for i in ids if i in found]

    def iter_passages(self, ns: str, batch_size: int = 1000) -> Iterator[list[Passage]]:
        after = ""
        while True:
            with self._conn() as conn:
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM passages WHERE ns = ? AND id > ? ORDER BY id LIMIT ?", (ns, after, batch_size)
                )]
                if not ids:
                    return
                found = self._passages_where(conn, ns, ids)
            yield [found[i] for i in ids if i in found]
            after = ids[-1]

    def get_entities(self, ns: str, ids: list[str]) -> list[Entity]:
        found: dict[str, Entity] = {}
        with self._conn() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(f"SELECT id, name FROM entities WHERE ns = ? AND id IN ({marks})", (ns, *chunk)):
                    found[r[0]] = Entity(id=r[0], name=r[1])
        return [found[i] for i in ids if i in found]

    _FACT_COLUMNS = "id, subject_id, predicate, object_id, text"

    def get_facts(self, ns: str, ids: list[str]) -> list[Fact]:
        found: dict[str, Fact] = {}
        with self._conn() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(
                    f"SELECT {self._FACT_COLUMNS} FROM facts WHERE ns = ? AND id IN ({marks})", (ns, *chunk)
                ):
                    found[r[0]] = Fact(*r)
        return [found[i] for i in ids if i in found]

    def facts_of_entities(self, ns: str, entity_ids: list[str]) -> list[Fact]:
        found: dict[str, Fact] = {}
        with self._conn() as conn:
            for chunk in _chunks(list(dict.fromkeys(entity_ids)), _CHUNK // 2):
                marks = ",".join("?" * len(chunk))
                for r in conn.execute(
                    f"SELECT {self._FACT_COLUMNS} FROM facts WHERE ns = ? "
                    f"AND (subject_id IN ({marks}) OR object_id IN ({marks}))",
                    (ns, *chunk, *chunk),
                ):
                    found[r[0]] = Fact(*r)
        return [found[k] for k in sorted(found)]

    def _grouped(self, ns: str, sql: str, key_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in key_ids}
        with self._conn() as conn:
            for chunk in _chunks(list(dict.fromkeys(key_ids))):
                marks = ",".join("?" * len(chunk))
                for key, value in conn.execute(sql.format(marks=marks), (ns, *chunk)):
                    out[key].append(value)
        return out

    def passages_of_entities(self, ns: str, entity_ids: list[str]) -> dict[str, list[str]]:
        return self._grouped(
            ns, "SELECT entity_id, passage_id FROM mentions WHERE ns = ? AND entity_id IN ({marks}) ORDER BY 1, 2",
            entity_ids,
        )

    def passages_of_facts(self, ns: str, fact_ids: list[str]) -> dict[str, list[str]]:
        return self._grouped(
            ns, "SELECT fact_id, passage_id FROM fact_support WHERE ns = ? AND fact_id IN ({marks}) ORDER BY 1, 2",
            fact_ids,
        )

    def get_unit_scores(self, ns: str, kind: str) -> dict[str, float]:
        with self._conn() as conn:
            return {r[0]: float(r[1]) for r in conn.execute(
                "SELECT unit_id, value FROM unit_scores WHERE ns = ? AND kind = ?", (ns, kind)
            )}

    def stats(self, ns: str) -> StoreStats:
        with self._read() as conn:
            def count(table: str) -> int:
                return int(conn.execute(f"SELECT COUNT(*) FROM {table} WHERE ns = ?", (ns,)).fetchone()[0])

            failed = 0
            for (failures,) in conn.execute("SELECT failures FROM documents WHERE ns = ?", (ns,)):
                failed += len(json.loads(failures or "{}"))
            return StoreStats(
                documents=count("documents"), passages=count("passages"), entities=count("entities"),
                facts=count("facts"), mentions=count("mentions"), synonyms=count("synonyms"),
                failed_passages=failed, sentences=count("sentences"),
            )
