"""The offline generator: question templates over facts (atomic) and two-fact chains
(multi-hop). No LLM; every record it writes says ``"generator": "template"``. Answers quote the
source sentence so they stay grounded in the passage, not only in the triple."""

from __future__ import annotations

import random

from hippo.synth.generators.chains import Chain
from hippo.synth.records import Candidate, Provenance
from hippo.synth.units import FactUnit

GENERATOR = "template"

_ASK_OBJECT = (
    "Fill in the blank: {s} {p} ____.",
    "{s} {p} what?",
    'Which entity completes the statement "{s} {p} …"?',
)
_ASK_SUBJECT = (
    "Which entity {p} {o}?",
    "Who or what {p} {o}?",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _evidence(f: FactUnit) -> str:
    return f.sentence if f.sentence else _cap(f.triple_text) + "."


def atomic_pair(f: FactUnit, rng: random.Random) -> Candidate:
    if rng.random() < 0.5:
        question = rng.choice(_ASK_OBJECT).format(s=f.subject, p=f.predicate, o=f.object)
        answer_entity = f.object
    else:
        question = rng.choice(_ASK_SUBJECT).format(s=f.subject, p=f.predicate, o=f.object)
        answer_entity = f.subject
    answer = f"{answer_entity}. {_evidence(f)}"
    return Candidate(
        question=_cap(question),
        answer=answer,
        mode="atomic",
        generator=GENERATOR,
        provenance=Provenance(list(f.passage_ids), [f.id], [f.subject_id, f.object_id]),
    )


def _describe_bridge(first: FactUnit, start_name: str, bridge: str) -> str:
    """The bridge entity described through the first fact, without naming it."""
    if first.subject_id == bridge:
        return f"the entity that {first.predicate} {start_name}"
    return f"the entity that {start_name} {first.predicate}"


def multi_hop_pair(chain: Chain, names: dict[str, str], rng: random.Random) -> Candidate:
    start, bridge, end = (names[e] for e in chain.path)
    described = _describe_bridge(chain.first, start, chain.bridge)
    second = chain.second
    if second.subject_id == chain.bridge:
        question = rng.choice(
            (
                f"Fill in the blank: {described} {second.predicate} ____.",
                f'Which entity completes the statement "{_cap(described)} {second.predicate} …"?',
            )
        )
    else:
        question = rng.choice(
            (f"Which entity {second.predicate} {described}?", f"Who or what {second.predicate} {described}?")
        )
    answer = (
        f"{end}. First, {chain.first.triple_text}, so the entity in question is {bridge}. "
        f"Then, {second.triple_text}."
    )
    passages = list(dict.fromkeys([*chain.first.passage_ids, *chain.second.passage_ids]))
    return Candidate(
        question=_cap(question),
        answer=answer,
        mode="multi_hop",
        generator=GENERATOR,
        provenance=Provenance(passages, [chain.first.id, chain.second.id], chain.path),
        path=chain.path,
    )
