"""The offline multi-hop question over a two-fact chain: the bridge described through the first
fact, the answer asked through the second ("Where was the author of The Glass Orchard born?"),
or a plain template when the predicates have no natural form."""

from __future__ import annotations

import random

from hippo.synth.generation import phrasing
from hippo.synth.generation.template import GENERATOR, ask_through, describe_through
from hippo.synth.kinds import EntityKinds
from hippo.synth.recipes.multi_hop.chains import Chain
from hippo.synth.records import Candidate, Provenance
from hippo.synth.units import FactUnit


def _describe_bridge(first: FactUnit, start_name: str, bridge: str) -> str:
    """The bridge entity described through the first fact, without naming it."""
    if first.subject_id == bridge:
        return f"the entity that {first.predicate} {start_name}"
    return f"the entity that {start_name} {first.predicate}"


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
    extra: dict[str, object] = {"answer_key": end}
    if natural is not None:
        question = natural
        assert kinds is not None
        asked = ask_through(second, chain.bridge, bridge, kinds)
        if asked:  # the second hop with its bridge named: the round trip's second step
            extra.update(bridge_key=bridge, bridge_question=phrasing.question(asked))
    elif second.subject_id == chain.bridge:
        question = rng.choice(
            (
                f"Fill in the blank: {described} {second.predicate} ____.",
                f'Which entity completes the statement "{phrasing.cap(described)} {second.predicate} …"?',
            )
        )
    else:
        question = rng.choice(
            (f"Which entity {second.predicate} {described}?", f"Who or what {second.predicate} {described}?")
        )
    # the two source sentences, quoted, carry the reasoning (triples reworded would name words
    # the passages do not hold together)
    if chain.first.sentence and second.sentence:
        answer = f"{end}. {chain.first.sentence} {second.sentence}"
    else:
        answer = (
            f"{end}. First, {chain.first.triple_text}, so the entity in question is {bridge}. "
            f"Then, {second.triple_text}."
        )
    passages = list(dict.fromkeys([*chain.first.passage_ids, *chain.second.passage_ids]))
    return Candidate(
        question=phrasing.cap(question),
        answer=answer,
        mode="multi_hop",
        generator=GENERATOR,
        provenance=Provenance(passages, [chain.first.id, chain.second.id], chain.path),
        path=chain.path,
        extra=extra,
    )
