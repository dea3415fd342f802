"""What the verifiable formats (cloze, mcq, true_false) share: the facts an offline record can
stand behind, with the end to ask for spelled as the source sentence spells it; same-kind
entities of the graph that are not linked to a given entity (distractors and false objects); and
the rule that an answer key exact-matches text in a cited passage."""

from __future__ import annotations

import random
import re

from hippo.kinds import MONTHS, NOUN_OF_KIND, NUMBER_WORDS
from hippo.synth.filters.precision import (
    as_written,
    fact_problem,
    literal_quantity,
    name_problem,
    names_by_surname,
    whole_occurrence,
)
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
    if names_by_surname(w.sentence, context, titles):
        return None  # "Snide is a graduate of …": which Snide, the sentence does not say
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


def quantity_shape(text: str) -> tuple[str, str]:
    """How a date or number is written: a year, a month, a day's date, a decade, a century, or a
    count and its unit ("nine games" -> ("count", "games")). A swap or a distractor keeps the
    shape: "1754" is no "December", "1281 goals" no "the nine games"."""
    low = normalize_phrase(text)
    words = low.split()
    if re.fullmatch(r"\d{3,4}", low):
        return ("year", "")
    if re.fullmatch(r"\d{3,4}s", low):
        return ("decade", "")
    if "century" in words:
        return ("century", "")
    if words and words[0] in MONTHS or (len(words) > 1 and words[1] in MONTHS):
        return ("date", str(sum(w.isdigit() for w in words)))
    unit = words[-1] if len(words) > 1 and words[-1].isalpha() and words[-1] not in NUMBER_WORDS else ""
    return ("count", unit)


def _named_in(key: str, texts: list[str]) -> bool:
    return any(f" {key} " in f" {t} " for t in texts)


def unlinked_same_kind(topo: Topology, kinds: EntityKinds, target: str, anchor: str, rng: random.Random,
                       n: int, exclude: set[str], fact_id: str | None = None, context: str = "",
                       close_only: bool = False) -> list[str]:
    """Up to ``n`` names of entities of ``target``'s kind that no fact links to ``anchor`` or to
    ``target`` (so none is another true answer about it, nor a place that holds the target),
    written as names, none in ``exclude`` (normalised), none named in ``context`` (the cited
    passages: "Scotland" of "Bellshill, North Lanarkshire, Scotland"), none inside the target's
    name or holding it ("Russian Constituent Assembly" for "Constituent Assembly"), and a date or
    number of the target's ``quantity_shape``. Entities in the same role of the same predicate
    (``role_peers`` of ``fact_id``) come first, then those with the same head noun; an entity of
    the catch-all kind "thing" takes only those two, and so does any kind with ``close_only``."""
    kind = kinds.of(target)
    noun = kinds.noun(target)
    peers = role_peers(topo, fact_id, target) if fact_id in topo.fact_ends else set()
    linked = {target, anchor}
    for end in (anchor, target):
        for fid in topo.incident.get(end, []):
            linked.update(topo.fact_ends[fid])
    seen = {normalize_phrase(x) for x in exclude}
    target_key = normalize_phrase(topo.entity_names.get(target, ""))
    shape = quantity_shape(target_key) if kind in ("date", "number") else None
    passages = [normalize_phrase(line) for line in context.splitlines() if line.strip()]
    tiers: tuple[list[str], list[str], list[str]] = ([], [], [])
    for eid in topo.entity_ids:
        name = topo.entity_names.get(eid, "")
        key = normalize_phrase(name)
        if eid in linked or kinds.of(eid) != kind or not key or key in seen:
            continue
        # a head noun ("town") is no option; the name is tried mid-sentence, where a capital counts
        if name_problem(name, f"It is {name}.") is not None:
            continue
        if kind in ("date", "number") and (not literal_quantity(name) or quantity_shape(key) != shape):
            continue  # "Ibsen Year" is no date to choose from, "December" no year
        if target_key and (_named_in(key, [target_key]) or _named_in(target_key, [key])):
            continue  # "1917" beside "October 1917": one inside the other
        if _named_in(key, passages):
            continue  # the cited passage names it: it may well be true too
        tier = 0 if eid in peers else 1 if kinds.noun(eid) == noun and noun != "thing" else 2
        if tier == 2 and kind == "thing":
            continue  # "thing" says nothing: a thing drawn at random is no plausible option
        if close_only and tier > 0 and kind not in ("person", "date", "number") and noun == NOUN_OF_KIND.get(kind):
            continue  # a "place" by its facts' votes may be a station or a language: only a peer or a namesake noun
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
