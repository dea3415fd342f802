"""The kinds the graph's facts give an entity, as representative spaCy labels, so the extractive
reader can compare them with NER labels. The guessing itself is ``hippo.kinds`` (shared with
synthesis); only facts count here, not the name's head noun, because entities are often
descriptions ("American author") that name a kind without being one."""

from __future__ import annotations

from hippo.kinds import LABEL, fact_votes
from hippo.retrieve.snapshot import SnapshotExport
from hippo.types import GraphExport


def kinds_of(row: int, facts: list[int], exp: GraphExport | SnapshotExport, entity_row: dict[str, int]) -> set[str]:
    """Representative labels of the kinds the facts give entity ``row``."""
    labels: set[str] = set()
    for f in facts:
        s_row, o_row = entity_row.get(exp.fact_subjects[f], -1), entity_row.get(exp.fact_objects[f], -1)
        subject = exp.entity_names[s_row] if s_row >= 0 else ""
        obj = exp.entity_names[o_row] if o_row >= 0 else ""
        for end, kind, _ in fact_votes(exp.fact_texts[f], subject, obj):
            if (s_row if end == "subject" else o_row) == row and kind in LABEL:
                labels.add(LABEL[kind])
    return labels
