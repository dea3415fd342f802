"""Agreement of extracted entities and triples with a reference OpenIE (HippoRAG's format:
``docs[].passage`` = "title\\ntext", ``extracted_entities``, ``extracted_triples`` as lists or as
Python-literal strings). Everything is compared after ``hippo.text.normalize_phrase`` with a
leading "the" dropped. Used by ``hippo eval graph --reference`` and
``hippo/bench/runs/extractor_quality.py``.

Figures (micro-averaged over passages): entity recall / precision; node recall (reference triple
arguments found among ours) and node precision; triple argument coverage (reference triples whose
both ends are among our entities); triple pair recall (reference triples whose pair we also link,
either direction); triples and entities per passage on both sides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hippo.errors import UserError
from hippo.safe_ast import literal_eval
from hippo.text import normalize_passage, normalize_phrase
from hippo.types import Extraction

Reference = tuple[list[str], list[tuple[str, str, str]]]


def _literal(value: Any) -> Any:
    return literal_eval(value) if isinstance(value, str) else value


def load_reference(openie_path: Path) -> dict[str, Reference]:
    """normalised 'title\\ntext' -> (entities, triples) from a HippoRAG OpenIE file."""
    try:
        docs = json.loads(openie_path.read_text(encoding="utf-8"))["docs"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{openie_path}: not a HippoRAG OpenIE file with 'docs' ({exc})") from None
    out: dict[str, Reference] = {}
    for doc in docs:
        entities = [str(e) for e in _literal(doc.get("extracted_entities", []))]
        triples = [tuple(str(x) for x in t) for t in _literal(doc.get("extracted_triples", [])) if len(t) == 3]
        out[normalize_passage(doc["passage"])] = (entities, triples)  # type: ignore[assignment]
    return out


def match_key(phrase: str) -> str:
    """Normalised phrase without a leading article: GPT writes "The Beatles" in one passage and
    "the American Institute of Physics" -> "American Institute of Physics" in the next, and
    Hippo's synonymy edges join such pairs anyway, so the article is not held against either."""
    return normalize_phrase(phrase).removeprefix("the ")


def _norm_set(items: list[str]) -> set[str]:
    return {n for n in (match_key(x) for x in items) if n}


def score(extractions: list[Extraction], references: list[Reference]) -> dict[str, float]:
    ent_hit = ent_gold = ent_ours = 0
    node_hit = node_gold = node_ours_hit = 0
    trip_gold = trip_covered = pair_hit = n_triples = 0
    for ext, (gold_entities, gold_triples) in zip(extractions, references, strict=True):
        ours = _norm_set(ext.entities)
        gold = _norm_set(gold_entities)
        ent_hit += len(ours & gold)
        ent_gold += len(gold)
        ent_ours += len(ours)
        gold_nodes = _norm_set([x for t in gold_triples for x in (t[0], t[2])])
        node_hit += len(gold_nodes & ours)
        node_gold += len(gold_nodes)
        node_ours_hit += len(ours & (gold_nodes | gold))
        pairs = set()
        for t in ext.triples:
            s, o = match_key(t.subject), match_key(t.object)
            pairs.add((s, o))
            pairs.add((o, s))
        n_triples += len(ext.triples)
        for s, _, o in gold_triples:
            s_n, o_n = match_key(s), match_key(o)
            trip_gold += 1
            trip_covered += s_n in ours and o_n in ours
            pair_hit += (s_n, o_n) in pairs
    n = max(1, len(extractions))
    return {
        "entity_recall": ent_hit / max(1, ent_gold),
        "entity_precision": ent_hit / max(1, ent_ours),
        "node_recall": node_hit / max(1, node_gold),
        "node_precision": node_ours_hit / max(1, ent_ours),
        "triple_argument_coverage": trip_covered / max(1, trip_gold),
        "triple_pair_recall": pair_hit / max(1, trip_gold),
        "triples_per_passage": n_triples / n,
        "entities_per_passage": ent_ours / n,
        "gpt_triples_per_passage": trip_gold / n,
        "gpt_entities_per_passage": ent_gold / n,
    }
