"""Offline questions over facts, shared by the recipes' template paths: one fact's question
(atomic, TreeSynth, SELF-QA, WRAP) and an entity described or asked through a fact (multi-hop,
deep research). No LLM; every record they make says ``"generator": "template"``. Answers quote
the source sentence so they stay grounded in the passage, not only in the triple."""

from __future__ import annotations

import random

from hippo.synth.filters.precision import (
    as_written,
    fact_problem,
    named_in_full,
    other_end,
    question_problem,
    question_shape_problem,
    question_word_problem,
)
from hippo.synth.generation import phrasing
from hippo.synth.generation.provenance import of_fact
from hippo.synth.kinds import EntityKinds
from hippo.synth.records import Candidate
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


def _evidence(f: FactUnit) -> str:
    return f.sentence if f.sentence else phrasing.cap(f.triple_text) + "."


def natural_fact_question(f: FactUnit, kinds: EntityKinds, ask_subject: bool) -> str | None:
    """A question a person would write about one end of the fact, or None when the predicate
    has no natural form."""
    if ask_subject:
        if kinds.of(f.subject_id) == "thing":
            return None  # "What came to Cheers?" -> Woody: with no kind, "Who" or "What" is a guess
        return phrasing.ask_subject(f.object, f.predicate, kinds.of(f.subject_id))
    return phrasing.ask_object(f.subject, f.predicate, kinds.of(f.object_id), f.object)


def atomic_pair(f: FactUnit, rng: random.Random, kinds: EntityKinds | None = None, context: str = "",
                titles: tuple[str, ...] = ()) -> Candidate:
    """One fact's question. With ``kinds``, a natural question whose answer end passes the
    precision rules is preferred (either end); the answer key (``extra["answer_key"]``) is the
    end asked for, copied from the fact's sentence."""
    f = as_written(f)
    # "Where was Kenton Cool born?", not "… Cool born?"
    # (an entity the graph gives no kind, "thing", may be one: its facts did not vote)
    people = frozenset(e for e in (f.subject_id, f.object_id) if kinds is not None and kinds.of(e) in ("person", "thing"))
    named = named_in_full(f, context, titles, people)
    ask_subject = rng.random() < 0.5
    natural = None
    one_word = False
    if kinds is not None:
        options = []
        for subj in (ask_subject, not ask_subject):
            q = natural_fact_question(named, kinds, subj)
            if q is not None:
                options.append((subj, q))
        standing = [(subj, q) for subj, q in options
                    if _pair_problem(f, q, f.subject if subj else f.object, context, titles) is None
                    and not _one_word_person(named, kinds, not subj)]
        if standing or options:
            ask_subject, natural = (standing or options)[0]
            one_word = _one_word_person(named, kinds, not ask_subject)
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
        question=phrasing.cap(question),
        answer=answer,
        mode="atomic",
        generator=GENERATOR,
        provenance=of_fact(f),
        extra={"answer_key": answer_entity, **({"one_word_person": True} if one_word and natural is not None else {})},
    )


def _one_word_person(f: FactUnit, kinds: EntityKinds, subject: bool) -> bool:
    """The question would name a person, or an entity of no known kind, by one word ("When did
    Frederick die?", "Who survived Ruaidhrí?", "When was Prisoner released?"): a given name, a
    surname or a one-word title alone is seldom one entity's."""
    name, end_id = (f.subject, f.subject_id) if subject else (f.object, f.object_id)
    return len(name.split()) == 1 and kinds.of(end_id) in ("person", "thing") and not any(c.isdigit() for c in name)


def _pair_problem(fact: FactUnit, question: str, key: str, context: str, titles: tuple[str, ...]) -> str | None:
    return (fact_problem(fact, key, other_end(fact, key), context, titles, asked_as=question) or question_shape_problem(fact, key)
            or question_problem(question, key) or question_word_problem(question, key, fact.sentence))


def template_fact_problem(cand: Candidate, facts: dict[str, FactUnit], context: str = "",
                          titles: tuple[str, ...] = ()) -> str | None:
    """The precision rules for a one-fact template pair (see hippo.synth.filters.precision)."""
    key = str(cand.extra.get("answer_key") or "")
    fact = facts.get(cand.provenance.fact_ids[0]) if cand.provenance.fact_ids else None
    if fact is None or not key:
        return "no_answer_key"
    if cand.extra.get("one_word_person"):
        return "question_entity_one_word_person"
    return _pair_problem(as_written(fact), cand.question, key, context, titles)


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
