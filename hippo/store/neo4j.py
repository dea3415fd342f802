"""The Neo4j backend of the GraphStore contract (same semantics as :mod:`hippo.store.sqlite`).

Graph model, browsable in Neo4j Browser:
  (:Document {id,title})-[:HAS_PASSAGE {position}]->(:Passage {id,title,text})
  (:Passage)-[:MENTIONS]->(:Entity {id,name})      (:Passage)-[:SUPPORTS]->(:Fact {id,text,predicate})
  (:Fact)-[:SUBJECT]->(:Entity)  (:Fact)-[:OBJECT]->(:Entity)
  (:Entity)-[:RELATION {predicate,fact_id}]->(:Entity)   a mirror of each fact, for browsing
  (:Entity)-[:SYNONYM {weight}]->(:Entity)               stored once, a -> b with a < b
  (:Passage)-[:HAS_SENTENCE]->(:Sentence {id,passage_id,position,text})-[:NAMES]->(:Entity)
  (:Entity)-[:ALIAS_OF {passage_id}]->(:Entity)          an alias the passage attests
  (:Namespace {name,version})  (:UnitScore {kind,unit_id,value})
Every node but Namespace carries ``ns`` and a unique ``key`` = "<len(ns)>:<ns>:<id>".

Every statement comes from ``cypher/`` (see :mod:`hippo.store.cypher`). A ``write_documents`` call is
one transaction: a lost server rolls it back whole and re-running completes the work.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import numpy as np
from neo4j import Driver, GraphDatabase, ManagedTransaction, NotificationDisabledClassification
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from hippo.store import cypher
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

T = TypeVar("T")

EMBEDDING_DIMS = 384  # all-MiniLM-L6-v2; vectors of another size are stored but not indexed
_FETCH_SIZE = 5000  # records per network round trip when streaming large results
_BATCH = 2000  # rows per UNWIND statement
_EXPORT_ATTEMPTS = 5


def key_prefix(ns: str) -> str:
    """Prefix of the namespaced node key; the length makes it unambiguous for any namespace."""
    return f"{len(ns)}:{ns}:"


class _QuietBytes(bytes):
    """Bytes with a short repr. The driver (neo4j 6.4) formats a debug line with repr() of every
    parameter on each RUN even when debug logging is off; for a batch's megabytes of embeddings
    that formatting alone took a quarter of write_documents' time. Packed like any bytes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} bytes>"


class _QuietFloats(list[float]):
    """A float list with a short repr, for the same reason as :class:`_QuietBytes`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} floats>"


def _f32(vec: np.ndarray, as_list: bool) -> tuple[list[float] | None, bytes]:
    """(float list for the vector index or None, raw little-endian float32 bytes)."""
    arr = np.ascontiguousarray(vec, dtype=np.float32).ravel()
    floats = _QuietFloats(arr.astype(np.float64).tolist()) if as_list else None
    return floats, _QuietBytes(arr.astype("<f4").tobytes())


def _matrix(blobs: list[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).astype(np.float32)


def _batches(rows: list[T], size: int = _BATCH) -> Iterator[list[T]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


_REASON = re.compile(r"\(reason (.+)\)\s*$")


def _connection_reason(exc: Exception) -> str:
    """Why a connection failed, readably: the driver's innermost '(reason …)' ('[Errno 111]
    Connection refused'), else its first line without the dangling ':' it ends with."""
    for line in reversed(str(exc).strip().splitlines()):
        found = _REASON.search(line)
        if found:
            return found.group(1).strip()
    return _first_line(exc).rstrip(":").strip() or type(exc).__name__


def _split_passages(
    passages: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    supports: list[dict[str, Any]],
    existing: set[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows for passages_create, rows for passages_upsert, mention rows, support rows to MERGE).

    A passage absent before this call is created once, by its first row, carrying every
    mention and support of the call (deduplicated: CREATE must not make parallel edges); a
    further row of the same passage (two documents sharing it) only MERGEs its HAS_PASSAGE edge.
    Existing passages keep the MERGE statements, which leave what is there alone."""
    created: dict[str, dict[str, Any]] = {}
    merged: list[dict[str, Any]] = []
    for row in passages:
        if row["id"] in existing or row["id"] in created:
            merged.append(row)
        else:
            created[row["id"]] = {**row, "entity_ids": [], "fact_ids": []}
    merged_mentions = _carry_edges(mentions, "entity_id", created, "entity_ids")
    merged_supports = _carry_edges(supports, "fact_id", created, "fact_ids")
    return list(created.values()), merged, merged_mentions, merged_supports


def _carry_edges(
    edges: list[dict[str, Any]], target_key: str, created: dict[str, dict[str, Any]], field: str
) -> list[dict[str, Any]]:
    """Deduplicated passage edges: those of a created passage go into its row's ``field`` list,
    the rest are returned to be MERGEd."""
    rest: list[dict[str, Any]] = []
    for edge in {(e["passage_id"], e[target_key]): e for e in edges}.values():
        row = created.get(edge["passage_id"])
        if row is None:
            rest.append(edge)
        else:
            row[field].append(edge[target_key])
    return rest


class Neo4jStore(GraphStore):
    """A GraphStore on a Neo4j 5 server (Community is enough). Thread-safe: the driver pools
    connections and every call opens its own session."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        retry_seconds: float = 15.0,
        vector_index: bool = False,
    ) -> None:
        """``retry_seconds``: how long a transaction is retried on transient failures (a
        restarting server, a lost connection) before the call fails.

        ``vector_index``: also write each embedding as a float list into the ``embedding``
        property that the vector indexes of cypher/schema.cypher cover. Off by default, by
        measurement (hippo/bench/runs/neo4j_write.py): maintaining the HNSW indexes makes writes about
        10x slower, while retrieval links queries in process against the snapshot it needs for
        PageRank anyway. Turn it on to query the graph by vector from Cypher / Neo4j Browser."""
        self.uri = uri
        self.vector_index = vector_index
        self.user = user
        self.database = database
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=(user, password) if password else None,
                connection_timeout=10.0,
                max_transaction_retry_time=retry_seconds,
                # a fresh database has none of our property keys yet, and the server warns once per
                # statement that reads one ("property key does not exist"): 13 multi-kilobyte log
                # lines per index run that mean nothing; our statements are fixed and tested
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
            )
        except (DriverError, ValueError) as exc:
            raise StoreError(f"cannot use Neo4j URI {uri}: {_first_line(exc)}") from exc
        self.ping()
        self._apply_schema()
        self._instance = self._write(
            lambda tx: str(tx.run(cypher.load("store_instance"), id=uuid.uuid4().hex).single(strict=True)["id"])
        )

    def instance_id(self) -> str:
        return f"{self.uri}/{self.database}#{self._instance}"

    # --- plumbing ----------------------------------------------------------------------------
    def _fail(self, exc: Exception) -> StoreError:
        """One line naming the URI (never the password) for any driver or server failure."""
        if isinstance(exc, AuthError):
            return StoreError(f"Neo4j at {self.uri} rejected the credentials of user {self.user!r}")
        if isinstance(exc, (ServiceUnavailable, SessionExpired)):
            return StoreError(f"Neo4j at {self.uri} is unreachable or the connection was lost: {_connection_reason(exc)}")
        if isinstance(exc, Neo4jError):
            return StoreError(f"Neo4j at {self.uri}: {exc.code}: {_first_line(exc.message)}")
        return StoreError(f"Neo4j at {self.uri}: {type(exc).__name__}: {_first_line(exc)}")

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._driver.session(database=self.database) as session:
                return session.execute_write(work)
        except StoreError:
            raise
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._driver.session(database=self.database, fetch_size=_FETCH_SIZE) as session:
                return session.execute_read(work)
        except StoreError:
            raise
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def _query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read statement and return its records as dicts."""
        statement = cypher.load(name)

        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [r.data() for r in tx.run(statement, params)]

        return self._read(work)

    def _apply_schema(self) -> None:
        try:
            with self._driver.session(database=self.database) as session:
                for statement in cypher.load_all("schema"):
                    session.run(statement, dims=EMBEDDING_DIMS).consume()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def close(self) -> None:
        try:
            self._driver.close()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def ping(self) -> None:
        try:
            self._driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    # --- writes ------------------------------------------------------------------------------
    @staticmethod
    def _run_rows(tx: ManagedTransaction, name: str, rows: list[dict[str, Any]], **params: Any) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        statement = cypher.load(name)
        for batch in _batches(rows):
            out.extend(r.data() for r in tx.run(statement, {**params, "rows": batch}))
        return out

    @staticmethod
    def _bump(tx: ManagedTransaction, ns: str) -> None:
        tx.run(cypher.load("namespace_bump"), ns=ns).consume()

    def _unlink(self, tx: ManagedTransaction, ns: str, doc_ids: list[str]) -> tuple[set[str], set[str], int]:
        """Delete documents and the passages only they had; return (fact candidates, entity
        candidates, documents that existed) for orphan collection after any new content is in."""
        prefix = key_prefix(ns)
        existed = 0
        passage_ids: set[str] = set()
        for batch in _batches(doc_ids):
            for record in tx.run(cypher.load("documents_unlink"), prefix=prefix, doc_ids=batch):
                existed += 1
                passage_ids.update(record["passage_ids"])
        facts: set[str] = set()
        entities: set[str] = set()
        for batch in _batches(sorted(passage_ids)):
            for record in tx.run(cypher.load("passages_delete_orphans"), prefix=prefix, passage_ids=batch):
                entities.update(record["entity_ids"])
                facts.update(record["fact_ids"])
        return facts, entities, existed

    def _collect_orphans(self, tx: ManagedTransaction, ns: str, facts: set[str], entities: set[str]) -> None:
        prefix = key_prefix(ns)
        for batch in _batches(sorted(facts)):
            for record in tx.run(cypher.load("facts_delete_orphans"), ns=ns, prefix=prefix, fact_ids=batch):
                entities.update((record["subject_id"], record["object_id"]))
        for batch in _batches(sorted(entities)):
            tx.run(cypher.load("entities_delete_orphans"), ns=ns, prefix=prefix, entity_ids=batch).consume()

    @staticmethod
    def _existing_in(tx: ManagedTransaction, ns: str, label: str, ids: Iterable[str]) -> set[str]:
        statement = cypher.load(f"{label}_existing")
        found: set[str] = set()
        for batch in _batches(list(dict.fromkeys(ids))):
            found.update(r["id"] for r in tx.run(statement, prefix=key_prefix(ns), ids=batch))
        return found

    def _gone(self, what: str) -> StoreError:
        return StoreError(f"{self.uri}: {what} expected to exist are gone (deleted concurrently); re-run the indexing")

    def write_documents(self, ns: str, writes: list[DocumentWrite]) -> None:
        """One read first tells which documents, passages, entities and facts exist: brand-new
        documents skip the unlink and orphan-collection statements, new nodes are CREATEd (no
        MERGE lookups), a new passage gets all its edges in the statement that creates it, and
        existing entities and facts are not sent again. Documents that existed go through the
        idempotent MERGE statements as before, so re-runs and replacements behave the same."""
        if not writes:
            return
        prefix = key_prefix(ns)
        docs, passages, entities, facts, mentions, supports = self._rows(writes, self.vector_index)
        sentences, aliases = self._layer_rows(writes)
        doc_ids = list(dict.fromkeys(row["id"] for row in docs))
        passage_ids = list(dict.fromkeys(row["id"] for row in passages))
        entity_ids = list(dict.fromkeys(e.entity.id for w in writes for e in w.entities))
        fact_ids = list(dict.fromkeys(f.fact.id for w in writes for f in w.facts))
        # records without embedding must exist already, unless another write of this call adds them
        new_entities = {row["id"] for row in entities}
        new_facts = {row["id"] for row in facts}
        known_entities = {e.entity.id for w in writes for e in w.entities
                          if e.embedding is None and e.entity.id not in new_entities}
        known_facts = {f.fact.id for w in writes for f in w.facts if f.embedding is None and f.fact.id not in new_facts}

        def work(tx: ManagedTransaction) -> None:
            found = tx.run(cypher.load("write_existing"), prefix=prefix, doc_ids=doc_ids, passage_ids=passage_ids,
                           entity_ids=entity_ids, fact_ids=fact_ids).single(strict=True)
            fact_candidates: set[str] = set()
            entity_candidates: set[str] = set()
            existing_passages = set(found["passages"])
            if found["documents"]:
                fact_candidates, entity_candidates, _ = self._unlink(tx, ns, found["documents"])
                # the unlink deletes passages no other document has: ask again
                existing_passages = self._existing_in(tx, ns, "passages", existing_passages)
            existing_entities, existing_facts = set(found["entities"]), set(found["facts"])
            if known_entities - existing_entities:
                raise self._gone(f"{len(known_entities - existing_entities)} entities")
            if known_facts - existing_facts:
                raise self._gone(f"{len(known_facts - existing_facts)} facts")
            self._run_rows(tx, "documents_upsert", docs, ns=ns, prefix=prefix)
            self._run_rows(tx, "entities_create", [r for r in entities if r["id"] not in existing_entities],
                           ns=ns, prefix=prefix)
            new_fact_rows = [r for r in facts if r["id"] not in existing_facts]
            written = self._run_rows(tx, "facts_create", new_fact_rows, ns=ns, prefix=prefix)
            if sum(r["written"] for r in written) != len(new_fact_rows):
                raise self._gone("entities of new facts")
            created, merged, merged_mentions, merged_supports = _split_passages(
                passages, mentions, supports, existing_passages)
            counts = self._run_rows(tx, "passages_create", created, ns=ns, prefix=prefix)
            expected = (len(created), sum(len(r["entity_ids"]) for r in created),
                        sum(len(r["fact_ids"]) for r in created))
            if tuple(sum(r[k] for r in counts) for k in ("passages", "mentions", "supports")) != expected:
                raise self._gone("documents, entities or facts of new passages")
            self._run_rows(tx, "passages_upsert", merged, ns=ns, prefix=prefix)
            self._run_rows(tx, "mentions_upsert", merged_mentions, prefix=prefix)
            self._run_rows(tx, "supports_upsert", merged_supports, prefix=prefix)
            new_passages = {r["id"] for r in created}
            fresh = [r for r in sentences if r["passage_id"] in new_passages]
            counts = self._run_rows(tx, "sentences_create", fresh, ns=ns, prefix=prefix)
            if (sum(r["sentences"] for r in counts), sum(r["names"] for r in counts)) != (
                    len(fresh), sum(len(r["entity_ids"]) for r in fresh)):
                raise self._gone("passages or entities of new sentences")
            self._run_rows(tx, "sentences_upsert", [r for r in sentences if r["passage_id"] not in new_passages],
                           ns=ns, prefix=prefix)
            self._run_rows(tx, "aliases_upsert", aliases, prefix=prefix)
            if fact_candidates or entity_candidates:
                self._collect_orphans(tx, ns, fact_candidates, entity_candidates)
            self._bump(tx, ns)

        self._write(work)

    @staticmethod
    def _rows(writes: list[DocumentWrite], vector_index: bool) -> tuple[list[dict[str, Any]], ...]:
        """Flatten the writes into parameter rows, one list per statement."""
        docs: list[dict[str, Any]] = []
        passages: list[dict[str, Any]] = []
        entities: list[dict[str, Any]] = []
        facts: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        supports: list[dict[str, Any]] = []
        seen_entities: set[str] = set()
        seen_facts: set[str] = set()
        for w in writes:
            doc = w.document
            docs.append({
                "id": doc.id, "title": doc.title, "content_hash": w.content_hash,
                "metadata": json.dumps(doc.metadata, ensure_ascii=False),
                "failures": json.dumps(w.failures, ensure_ascii=False), "n_failures": len(w.failures),
            })
            for p in w.passages:
                emb, blob = _f32(p.embedding, vector_index)
                passages.append({
                    "id": p.passage.id, "doc_id": doc.id, "title": p.passage.title, "text": p.passage.text,
                    "position": p.passage.position, "embedding": emb, "embedding_f32": blob,
                })
            for e in w.entities:
                if e.embedding is not None and e.entity.id not in seen_entities:
                    seen_entities.add(e.entity.id)
                    emb, blob = _f32(e.embedding, vector_index)
                    entities.append({"id": e.entity.id, "name": e.entity.name, "embedding": emb, "embedding_f32": blob})
            for f in w.facts:
                if f.embedding is not None and f.fact.id not in seen_facts:
                    seen_facts.add(f.fact.id)
                    emb, blob = _f32(f.embedding, vector_index)
                    fact = f.fact
                    facts.append({
                        "id": fact.id, "subject_id": fact.subject_id, "predicate": fact.predicate,
                        "object_id": fact.object_id, "text": fact.text, "embedding": emb, "embedding_f32": blob,
                    })
            mentions.extend({"passage_id": p, "entity_id": e} for p, e in w.mentions)
            supports.extend({"passage_id": p, "fact_id": f} for p, f in w.fact_support)
        return docs, passages, entities, facts, mentions, supports

    @staticmethod
    def _layer_rows(writes: list[DocumentWrite]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Sentence rows (each with the ids of the entities it names) and alias rows, deduplicated."""
        names: dict[str, list[str]] = {}
        for w in writes:
            for sid, eid in dict.fromkeys(w.sentence_mentions):
                names.setdefault(sid, []).append(eid)
        sentences: dict[str, dict[str, Any]] = {}
        for w in writes:
            for r in w.sentences:
                sent = r.sentence
                if sent.id not in sentences:
                    _, blob = _f32(r.embedding, False)
                    sentences[sent.id] = {"id": sent.id, "passage_id": sent.passage_id, "position": sent.position,
                                          "text": sent.text, "embedding_f32": blob,
                                          "entity_ids": list(dict.fromkeys(names.get(sent.id, [])))}
        aliases = {a: {"passage_id": a[0], "alias_id": a[1], "entity_id": a[2]} for w in writes for a in w.aliases}
        return list(sentences.values()), list(aliases.values())

    def delete_documents(self, ns: str, doc_ids: list[str]) -> int:
        if not doc_ids:
            return 0

        def work(tx: ManagedTransaction) -> int:
            facts, entities, existed = self._unlink(tx, ns, list(dict.fromkeys(doc_ids)))
            self._collect_orphans(tx, ns, facts, entities)
            if existed:
                self._bump(tx, ns)
            return existed

        return self._write(work)

    def add_synonyms(self, ns: str, edges: list[SynonymEdge], resolved: Iterable[str] = ()) -> int:
        resolved_ids = list(dict.fromkeys(resolved))
        if not edges and not resolved_ids:
            return 0
        prefix = key_prefix(ns)
        rows = [
            {"a": min(e.a, e.b), "b": max(e.a, e.b), "weight": float(e.weight)} for e in edges if e.a != e.b
        ]

        def work(tx: ManagedTransaction) -> int:
            added = 0
            for batch in _batches(rows):
                summary = tx.run(cypher.load("synonyms_add"), prefix=prefix, rows=batch).consume()
                added += summary.counters.relationships_created
            for id_batch in _batches(resolved_ids):
                tx.run(cypher.load("synonyms_resolve"), prefix=prefix, ids=id_batch).consume()
            if added:
                self._bump(tx, ns)
            return added

        return self._write(work)

    def drop_namespace(self, ns: str) -> None:
        # CALL … IN TRANSACTIONS needs auto-commit transactions (session.run), not execute_write
        try:
            with self._driver.session(database=self.database) as session:
                for statement in cypher.load_all("namespace_drop"):
                    session.run(statement, ns=ns).consume()
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc

    def set_unit_scores(self, ns: str, kind: str, scores: dict[str, float]) -> None:
        if not scores:
            return
        prefix = key_prefix(ns) + f"{len(kind)}:{kind}:"
        rows = [{"key": prefix + unit_id, "unit_id": unit_id, "value": float(v)} for unit_id, v in scores.items()]

        def work(tx: ManagedTransaction) -> None:
            self._run_rows(tx, "unit_scores_set", rows, ns=ns, kind=kind)

        self._write(work)

    def save_job(self, job_id: str, ns: str, record: str) -> None:
        self._write(lambda tx: tx.run(cypher.load("job_save"), id=job_id, ns=ns, record=record).consume())

    def get_job(self, job_id: str) -> tuple[str, str] | None:
        rows = self._query("job_get", id=job_id)
        return (str(rows[0]["ns"]), str(rows[0]["record"])) if rows else None

    # --- reads -------------------------------------------------------------------------------
    def version(self, ns: str) -> int:
        rows = self._query("namespace_version", ns=ns)
        return int(rows[0]["version"]) if rows else 0

    def namespaces(self) -> list[str]:
        return sorted({r["ns"] for r in self._query("namespaces_list") if r["ns"] is not None})

    def pending_synonyms(self, ns: str) -> list[str]:
        return [r["id"] for r in self._query("synonyms_pending", ns=ns)]

    def _documents(self, ns: str, doc_id: str | None) -> list[DocumentInfo]:
        return [
            DocumentInfo(
                id=r["id"], title=r["title"], content_hash=r["content_hash"], n_passages=int(r["n_passages"]),
                failures=json.loads(r["failures"] or "{}"), metadata=json.loads(r["metadata"] or "{}"),
            )
            for r in self._query("documents_get", ns=ns, doc_id=doc_id)
        ]

    def get_document(self, ns: str, doc_id: str) -> DocumentInfo | None:
        infos = self._documents(ns, doc_id)
        return infos[0] if infos else None

    def list_documents(self, ns: str) -> list[DocumentInfo]:
        return self._documents(ns, None)

    def _existing(self, ns: str, label: str, ids: Iterable[str]) -> set[str]:
        id_list = list(ids)
        if not id_list:
            return set()
        return self._read(lambda tx: self._existing_in(tx, ns, label, id_list))

    def existing_entity_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        return self._existing(ns, "entities", ids)

    def existing_fact_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        return self._existing(ns, "facts", ids)

    def existing_passage_ids(self, ns: str, ids: Iterable[str]) -> set[str]:
        return self._existing(ns, "passages", ids)

    def export(self, ns: str) -> GraphExport:
        """Streams each part record by record (the driver pulls _FETCH_SIZE at a time), all in one
        read transaction. Neo4j reads are read-committed, not snapshots, so the namespace
        version is read before and after: a write that committed in between means a retry."""
        for _ in range(_EXPORT_ATTEMPTS):
            result = self._read(lambda tx: _export_tx(tx, ns))
            if result is not None:
                return result
        raise StoreError(f"Neo4j at {self.uri}: namespace {ns!r} kept changing during export; try again")

    def export_sentences(self, ns: str) -> SentenceExport:
        """Like :meth:`export`: one read transaction, retried when the namespace moved meanwhile."""
        for _ in range(_EXPORT_ATTEMPTS):
            result = self._read(lambda tx: _export_sentences_tx(tx, ns))
            if result is not None:
                return result
        raise StoreError(f"Neo4j at {self.uri}: namespace {ns!r} kept changing during export; try again")

    def get_passages(self, ns: str, ids: list[str]) -> list[Passage]:
        found = self._passages_by_id(ns, ids)
        return [found[i] for i in ids if i in found]

    def _passages_by_id(self, ns: str, ids: list[str]) -> dict[str, Passage]:
        unique = list(dict.fromkeys(ids))
        if not unique:
            return {}
        rows = self._query("passages_get", prefix=key_prefix(ns), ids=unique)
        return {
            r["id"]: Passage(id=r["id"], doc_id=r["doc_id"] or "", title=r["title"], text=r["text"],
                             position=int(r["position"] or 0))
            for r in rows
        }

    def iter_passages(self, ns: str, batch_size: int = 1000) -> Iterator[list[Passage]]:
        after = ""
        while True:
            ids = [r["id"] for r in self._query("passages_page", ns=ns, after=after, limit=batch_size)]
            if not ids:
                return
            found = self._passages_by_id(ns, ids)
            yield [found[i] for i in ids if i in found]
            after = ids[-1]

    def get_entities(self, ns: str, ids: list[str]) -> list[Entity]:
        unique = list(dict.fromkeys(ids))
        rows = self._query("entities_get", prefix=key_prefix(ns), ids=unique) if unique else []
        found = {r["id"]: Entity(id=r["id"], name=r["name"]) for r in rows}
        return [found[i] for i in ids if i in found]

    @staticmethod
    def _fact(r: dict[str, Any]) -> Fact:
        return Fact(id=r["id"], subject_id=r["subject_id"], predicate=r["predicate"], object_id=r["object_id"],
                    text=r["text"])

    def get_facts(self, ns: str, ids: list[str]) -> list[Fact]:
        unique = list(dict.fromkeys(ids))
        rows = self._query("facts_get", prefix=key_prefix(ns), ids=unique) if unique else []
        found = {r["id"]: self._fact(r) for r in rows}
        return [found[i] for i in ids if i in found]

    def facts_of_entities(self, ns: str, entity_ids: list[str]) -> list[Fact]:
        unique = list(dict.fromkeys(entity_ids))
        rows = self._query("facts_of_entities", prefix=key_prefix(ns), ids=unique) if unique else []
        found = {r["id"]: self._fact(r) for r in rows}
        return [found[k] for k in sorted(found)]

    def entity_neighbourhood(self, ns: str, entity_ids: list[str], hops: int = 1) -> dict[str, int]:
        """Entity id -> RELATION hops from the nearest seed (seeds at 0), up to ``hops`` (1..4).
        Not part of the store contract: a Neo4j-side subgraph read for synthesis."""
        if not 1 <= hops <= 4:
            raise ValueError("hops must be between 1 and 4")
        unique = list(dict.fromkeys(entity_ids))
        rows = self._query("entity_neighbourhood", prefix=key_prefix(ns), ids=unique, hops=hops) if unique else []
        return {r["id"]: int(r["distance"]) for r in rows}

    def nearest_entities(self, ns: str, vector: np.ndarray, k: int = 10) -> list[tuple[str, float]]:
        """(entity id, cosine score) of the k nearest entities by the Neo4j vector index; needs a
        store opened with vector_index=True. Not part of the store contract."""
        query = np.ascontiguousarray(vector, dtype=np.float32).astype(np.float64).tolist()
        # the index spans every namespace: over-fetch, then keep this namespace's hits
        rows = self._query("entity_vector_search", ns=ns, vector=query, fetch=max(k * 10, 100), k=k)
        return [(r["id"], float(r["score"])) for r in rows]

    def _grouped(self, name: str, ns: str, key_ids: list[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in key_ids}
        unique = list(dict.fromkeys(key_ids))
        if unique:
            for r in self._query(name, prefix=key_prefix(ns), ids=unique):
                out[r["key"]].append(r["passage_id"])
        for values in out.values():
            values.sort()
        return out

    def passages_of_entities(self, ns: str, entity_ids: list[str]) -> dict[str, list[str]]:
        return self._grouped("passages_of_entities", ns, entity_ids)

    def passages_of_facts(self, ns: str, fact_ids: list[str]) -> dict[str, list[str]]:
        return self._grouped("passages_of_facts", ns, fact_ids)

    def get_unit_scores(self, ns: str, kind: str) -> dict[str, float]:
        return {r["unit_id"]: float(r["value"]) for r in self._query("unit_scores_get", ns=ns, kind=kind)}

    def stats(self, ns: str) -> StoreStats:
        r = self._query("stats", ns=ns)[0]
        return StoreStats(
            documents=int(r["documents"]), passages=int(r["passages"]), entities=int(r["entities"]),
            facts=int(r["facts"]), mentions=int(r["mentions"]), synonyms=int(r["synonyms"]),
            failed_passages=int(r["failed"]), sentences=int(r["sentences"]),
        )


def _namespace_version(tx: ManagedTransaction, ns: str) -> int:
    """The namespace's version inside ``tx``: read before and after an export, so a write that
    landed while it streamed is noticed."""
    record = tx.run(cypher.load("namespace_version"), ns=ns).single()
    return int(record["version"]) if record else 0


def _export_tx(tx: ManagedTransaction, ns: str) -> GraphExport | None:
    """The export inside one read transaction; None when the namespace changed meanwhile."""
    before = _namespace_version(tx, ns)
    # reads are not snapshots: a row deleted while the export streams comes back with nulls,
    # which means "retry", never a crash in the sort below
    passages = [(r["id"], r["emb"]) for r in tx.run(cypher.load("export_passages"), ns=ns)]
    entities = [(r["id"], r["name"], r["emb"]) for r in tx.run(cypher.load("export_entities"), ns=ns)]
    facts = [(r["id"], r["subject_id"], r["object_id"], r["text"], r["emb"])
             for r in tx.run(cypher.load("export_facts"), ns=ns)]
    support = [(r["passage_id"], f) for r in tx.run(cypher.load("export_supports"), ns=ns) for f in r["fact_ids"]]
    mentions = [(r["passage_id"], e) for r in tx.run(cypher.load("export_mentions"), ns=ns) for e in r["entity_ids"]]
    synonyms = [(r["a"], b, w) for r in tx.run(cypher.load("export_synonyms"), ns=ns)
                for b, w in zip(r["bs"], r["weights"], strict=True)]
    if any(None in row for rows in (passages, entities, facts, support, mentions, synonyms) for row in rows):
        return None
    passages.sort()
    entities.sort()
    facts.sort(key=lambda row: row[0])
    support.sort()
    mentions.sort()
    synonyms = sorted((a, b, float(w)) for a, b, w in synonyms)
    if _namespace_version(tx, ns) != before:
        return None
    return GraphExport(
        version=before,
        passage_ids=[p[0] for p in passages],
        passage_emb=_matrix([bytes(p[1]) for p in passages]),
        entity_ids=[e[0] for e in entities],
        entity_names=[e[1] for e in entities],
        entity_emb=_matrix([bytes(e[2]) for e in entities]),
        fact_ids=[f[0] for f in facts],
        fact_subjects=[f[1] for f in facts],
        fact_objects=[f[2] for f in facts],
        fact_texts=[f[3] for f in facts],
        fact_emb=_matrix([bytes(f[4]) for f in facts]),
        fact_support=support,
        mentions=mentions,
        synonyms=[SynonymEdge(a, b, w) for a, b, w in synonyms],
    )


def _export_sentences_tx(tx: ManagedTransaction, ns: str) -> SentenceExport | None:
    """The retrieval layer inside one read transaction; None when the namespace changed meanwhile."""
    before = _namespace_version(tx, ns)
    rows = [(r["id"], r["passage_id"], r["position"], r["text"], r["emb"], r["entity_ids"])
            for r in tx.run(cypher.load("export_sentences"), ns=ns)]
    aliases = [(r["passage_id"], r["alias_id"], r["entity_id"]) for r in tx.run(cypher.load("export_aliases"), ns=ns)]
    if any(None in row for row in rows) or any(None in row for row in aliases) or _namespace_version(tx, ns) != before:
        return None
    rows.sort(key=lambda row: row[0])
    return SentenceExport(
        version=before,
        sentence_ids=[r[0] for r in rows],
        sentence_passages=[r[1] for r in rows],
        sentence_positions=[int(r[2]) for r in rows],
        sentence_texts=[r[3] for r in rows],
        sentence_emb=_matrix([bytes(r[4]) for r in rows]),
        mentions=sorted((r[0], e) for r in rows for e in r[5]),
        aliases=sorted(aliases),
    )
