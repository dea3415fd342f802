"""Lookups over a graph snapshot that the extractive reader needs, built once per snapshot:
entity rows by normalised name, entities mentioned by each passage, fact rows by id."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from hippo.answer.entity_kinds import kinds_of
from hippo.retrieve.snapshot import GraphSnapshot, SnapshotExport
from hippo.text import normalize_phrase


@dataclass
class GraphLookups:
    entity_keys: list[str]  # normalised name per entity row
    entity_of_key: dict[str, int]
    entities_of_passage: dict[str, list[int]]
    fact_row: dict[str, int]
    entity_row: dict[str, int]
    facts_of_entity: dict[int, list[int]]
    export: SnapshotExport
    _kinds: dict[int, set[str]] = field(default_factory=dict)

    def kinds(self, row: int) -> set[str]:
        """Kinds (as representative NER labels) the graph's facts give an entity; memoised."""
        found = self._kinds.get(row)
        if found is None:
            found = kinds_of(row, self.facts_of_entity.get(row, []), self.export, self.entity_row)
            self._kinds[row] = found
        return found

    @classmethod
    def build(cls, snap: GraphSnapshot) -> GraphLookups:
        exp = snap.export
        keys = [normalize_phrase(name) for name in exp.entity_names]
        entity_of_key: dict[str, int] = {}
        for entity_row, key in enumerate(keys):
            entity_of_key.setdefault(key, entity_row)
        row_of_id = {eid: i for i, eid in enumerate(exp.entity_ids)}
        by_passage: dict[str, list[int]] = {}
        for pid, eid in exp.mentions:
            row = row_of_id.get(eid)
            if row is not None:
                by_passage.setdefault(pid, []).append(row)
        facts_of_entity: dict[int, list[int]] = {}
        for f, (s_id, o_id) in enumerate(zip(exp.fact_subjects, exp.fact_objects, strict=True)):
            for eid in {s_id, o_id}:
                row = row_of_id.get(eid)
                if row is not None:
                    facts_of_entity.setdefault(row, []).append(f)
        return cls(keys, entity_of_key, by_passage, {fid: i for i, fid in enumerate(exp.fact_ids)},
                   row_of_id, facts_of_entity, exp)


class LookupCache:
    """One GraphLookups per snapshot object (a new store version brings a new snapshot)."""

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._value: GraphLookups | None = None
        self._lock = threading.Lock()

    def get(self, snap: GraphSnapshot) -> GraphLookups:
        key = (id(snap.export), snap.version)
        with self._lock:
            if self._value is None or self._key != key:
                self._value = GraphLookups.build(snap)
                self._key = key
            return self._value
