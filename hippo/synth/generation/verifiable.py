"""What the verifiable formats (cloze, mcq, true_false) share: the facts an offline record can
stand behind, with the end to ask for spelled as the source sentence spells it; same-kind
entities of the graph that are not linked to a given entity (distractors and false objects); and
the rule that an answer key exact-matches text in a cited passage."""

from __future__ import annotations

import random

from hippo.synth.filters.precision import as_written, fact_problem, literal_quantity, name_problem, whole_occurrence
from hippo.synth.generation.phrasing import AUX
from hippo.synth.kinds import EntityKinds
from hippo.synth.records import Candidate
from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit, SubgraphUnits
from hippo.text import normalize_phrase


def standing_end(f: FactUnit, context: str, titles: tuple[str, ...] = ()) -> tuple[FactUnit, str, str] | None:
    """(the fact as written, the id of the end to mask or ask, its text) — the object first —
    or None when neither end passes the precision rules."""
    w = as_written(f)
    for end_id, end, other in ((w.object_id, w.object, w.subject), (w.subject_id, w.subject, w.object)):
        if fact_problem(w, end, other, context, titles) is None:
            return w, end_id, end
    return None


def _bare_predicate(text: str) -> str:
    words = normalize_phrase(text).split()
    return " ".join(words[1:] if words[:1] and words[0] in AUX else words)


def role_peers(topo: Topology, fact_id: str, target: str) -> set[str]:
    """Entities at the same end of a fact with the same predicate as ``target`` in ``fact_id``
    (other objects of "published by" are publishers): the surest sign of one kind the graph has."""
    s, _ = topo.fact_ends[fact_id]
    end = 0 if target == s else 1
    predicate = _bare_predicate(topo.predicate(fact_id))
    if not predicate:
        return set()
    return {ends[end] for fid, ends in topo.fact_ends.items()
            if fid != fact_id and _bare_predicate(topo.predicate(fid)) == predicate}


def unlinked_same_kind(topo: Topology, kinds: EntityKinds, target: str, anchor: str, rng: random.Random,
                       n: int, exclude: set[str], fact_id: str | None = None) -> list[str]:
    """Up to ``n`` names of entities of ``target``'s kind that no fact links to ``anchor`` (so none
    is another true answer about it), written as names, none in ``exclude`` (normalised). Entities
    in the same role of the same predicate (``role_peers`` of ``fact_id``) come first, then those
    with the same head noun; an entity of the catch-all kind "thing" takes only those two."""
    kind = kinds.of(target)
    noun = kinds.noun(target)
    peers = role_peers(topo, fact_id, target) if fact_id in topo.fact_ends else set()
    linked = {target, anchor}
    for fid in topo.incident.get(anchor, []):
        linked.update(topo.fact_ends[fid])
    seen = {normalize_phrase(x) for x in exclude}
    tiers: tuple[list[str], list[str], list[str]] = ([], [], [])
    for eid in topo.entity_ids:
        name = topo.entity_names.get(eid, "")
        key = normalize_phrase(name)
        if eid in linked or kinds.of(eid) != kind or not key or key in seen:
            continue
        # a head noun ("town") is no option; the name is tried mid-sentence, where a capital counts
        if name_problem(name, f"It is {name}.") is not None:
            continue
        if kind in ("date", "number") and not literal_quantity(name):
            continue  # "Ibsen Year" is no date to choose from
        tier = 0 if eid in peers else 1 if kinds.noun(eid) == noun and noun != "thing" else 2
        if tier == 2 and kind == "thing":
            continue  # "thing" says nothing: a thing drawn at random is no plausible option
        seen.add(key)
        tiers[tier].append(name)
    out: list[str] = []
    for pool in tiers:
        pool.sort()
        rng.shuffle(pool)
        out.extend(pool[: n - len(out)])
    return out


def key_problem(cand: Candidate, units: SubgraphUnits) -> str | None:
    """The record's answer key (or its evidence, for a claim) is text of a cited passage."""
    key = str(cand.extra.get("evidence") or cand.extra.get("answer_key") or "")
    texts = [units.passages[p].text for p in cand.provenance.passage_ids if p in units.passages]
    return None if key and any(key in t for t in texts) else "key_not_in_passage"


def mask(sentence: str, span: str, blank: str = "____") -> str | None:
    """The sentence with the whole-name occurrence of ``span`` blanked; None when it has none or
    the span is written again elsewhere (the blank would be given away)."""
    at = whole_occurrence(sentence, span)
    if at is None:
        return None
    masked = sentence[: at[0]] + blank + sentence[at[1]:]
    return None if normalize_phrase(span) in normalize_phrase(masked).split(" ") or f" {normalize_phrase(span)} " in f" {normalize_phrase(masked)} " else masked
