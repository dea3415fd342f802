"""The offline generator: question templates over facts (atomic) and two-fact chains
(multi-hop). No LLM; every record it writes says ``"generator": "template"``. Answers quote the
source sentence so they stay grounded in the passage, not only in the triple."""

from __future__ import annotations

import random

from hippo.synth.generators import phrasing
from hippo.synth.generators.chains import Chain
from hippo.synth.kinds import EntityKinds
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


def natural_fact_question(f: FactUnit, kinds: EntityKinds, ask_subject: bool) -> str | None:
    """A question a person would write about one end of the fact, or None when the predicate
    has no natural form."""
    if ask_subject:
        return phrasing.ask_subject(f.object, f.predicate, kinds.of(f.subject_id))
    return phrasing.ask_object(f.subject, f.predicate, kinds.of(f.object_id), f.object)


def atomic_pair(f: FactUnit, rng: random.Random, kinds: EntityKinds | None = None) -> Candidate:
    ask_subject = rng.random() < 0.5
    natural = None
    if kinds is not None:
        # prefer the natural form of either end before a fill-in-the-blank template
        natural = natural_fact_question(f, kinds, ask_subject)
        if natural is None:
            ask_subject = not ask_subject
            natural = natural_fact_question(f, kinds, ask_subject)
    if natural is not None:
        question = natural
        answer_entity = f.subject if ask_subject else f.object
    elif not ask_subject:
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


def describe_through(f: FactUnit, known: str, known_text: str, kinds: EntityKinds) -> str | None:
    """The other end of fact ``f`` described through ``f`` from its known end (an id), whose
    text (a name or a description) is ``known_text``."""
    if f.subject_id == known:
        target = f.object_id
        return phrasing.describe_object(known_text, f.predicate, kinds.of(target), kinds.noun(target))
    target = f.subject_id
    return phrasing.describe_subject(known_text, f.predicate, kinds.of(target), kinds.noun(target))


def ask_through(f: FactUnit, known: str, known_text: str, kinds: EntityKinds) -> str | None:
    """A natural question for the other end of ``f`` given its known end."""
    if f.subject_id == known:
        return phrasing.ask_object(known_text, f.predicate, kinds.of(f.object_id), f.object)
    return phrasing.ask_subject(known_text, f.predicate, kinds.of(f.subject_id))


def natural_chain_question(chain: Chain, names: dict[str, str], kinds: EntityKinds) -> str | None:
    """"Where was the author of The Glass Orchard born?": the bridge described through the first
    fact, the answer asked through the second."""
    described = describe_through(chain.first, chain.start, names[chain.start], kinds)
    if described is None:
        return None
    asked = ask_through(chain.second, chain.bridge, described, kinds)
    return phrasing.question(asked) if asked else None


def multi_hop_pair(chain: Chain, names: dict[str, str], rng: random.Random, kinds: EntityKinds | None = None) -> Candidate:
    start, bridge, end = (names[e] for e in chain.path)
    described = _describe_bridge(chain.first, start, chain.bridge)
    second = chain.second
    natural = natural_chain_question(chain, names, kinds) if kinds is not None else None
    if natural is not None:
        question = natural
    elif second.subject_id == chain.bridge:
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
