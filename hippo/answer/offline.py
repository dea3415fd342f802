"""The offline answer: an extractive graph answer, no language model.

The answer is a phrase taken from the retrieved passages: the candidate (an entity node of the
graph or a named-entity span of the passages) that carries the most of the query's Personalized
PageRank mass, weighted up when it is the subject or object of a fact the query linked to, when it
has the kind the question asks for (who → person, where → place, when → date …) and when the
sentence stating it shares words with the question. Candidates already named in the question are
excluded: the answer to "Who founded Brannock and Sons?" is not Brannock and Sons. The sentence
holding the winning candidate is returned as evidence and its passage as the citation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hippo.answer.answer_type import AnswerType, answer_type
from hippo.answer.graph_index import GraphLookups, LookupCache
from hippo.answer.result import GRAPH_READER, Answer, Step
from hippo.answer.retrieval import Retrieval
from hippo.text import normalize_phrase

NOTE = (
    "extractive graph answer: a phrase copied from the retrieved passages, chosen by the query's "
    "PageRank mass, its linked facts and the expected answer type; no language model read the passages"
)

# how much a candidate's kind counts against the kind the question asks for
TYPE_MATCH, TYPE_OTHER_NAMED, TYPE_UNTYPED_PROPER, TYPE_COMMON = 1.0, 0.1, 0.2, 0.05
TYPE_SECONDARY = 0.5
ADJECTIVAL = frozenset({"NORP", "ORDINAL"})
TYPE_HEAD = 1.5  # the candidate's name carries the question's head noun
SENTENCE_FLOOR = 0.1
BRIDGE_WEIGHT = 0.5  # second hop: a sentence naming the bridge counts as half the question's words  # a candidate whose sentence shares no word with the question keeps this much
# PPR mass is heavy-tailed and piles up on the first hop; its square root lets a final-hop entity
# of the right kind compete with the bridge entities next to the query's seeds
MASS_POWER = 0.5
GRAPH_SHARE = 0.7  # share of the graph's PPR mass (vs the passage's retrieval score) in the base score
MAX_OVERLAP = 0.5  # a candidate with more of its words in the question than this is "in the question"

_LEADING_ARTICLES = ("the ", "a ", "an ")
PARSED_PASSAGES_KEPT = 256

Retriever = Callable[[str], Retrieval]  # query -> a new retrieval (the second hop)


@dataclass
class Candidate:
    key: str  # normalised phrase: candidates with the same key are one candidate
    text: str
    labels: set[str]  # spaCy NER labels of the phrase, plus the kinds the graph's facts give it
    passage_id: str
    sentence: str
    sentence_overlap: float  # share of the question's content words in the evidence sentence
    passage_score: float  # retrieval score of its passage relative to the best hit
    entity_rows: set[int] = field(default_factory=set)  # graph entities this phrase is (or is inside)
    mass: float = 0.0
    fact_score: float = 0.0
    anchored: bool = False  # on a linked fact whose other side the question names (a bridge candidate)
    score: float = 0.0

    def brief(self) -> dict[str, Any]:
        return {
            "text": self.text, "labels": sorted(self.labels), "score": round(self.score, 6),
            "ppr_mass": round(self.mass, 6), "linked_fact_score": round(self.fact_score, 4),
            "sentence_overlap": round(self.sentence_overlap, 3), "passage_id": self.passage_id,
        }


@dataclass
class _Sentence:
    passage_id: str
    text: str
    padded: str  # " normalised text " for whole-word containment tests
    overlap: float
    passage_score: float


def content_words(text: str) -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w for w in normalize_phrase(text).split() if w not in STOP_WORDS}


def in_question(key: str, question_words: set[str]) -> bool:
    words = [w for w in key.split() if w]
    if not words:
        return True
    from spacy.lang.en.stop_words import STOP_WORDS

    content = [w for w in words if w not in STOP_WORDS] or words
    inside = sum(1 for w in content if w in question_words)
    return inside / len(content) > MAX_OVERLAP


class GraphReader:
    """Reads the extractive answer off a retrieval (see the module doc)."""

    name = GRAPH_READER
    # the mode it reads when none is asked for: a candidate answer's PageRank mass only means
    # "reached through the question's facts" on the triple graph (relation edges between
    # entities); the bridge layout joins entities through passages only
    retrieval_mode = "hipporag2"

    def __init__(self, spacy_model: str = "", max_passages: int = 5, nlp: Any = None) -> None:
        self._spacy_model = spacy_model
        self._nlp = nlp
        self.max_passages = max(1, max_passages)
        self._lookups = LookupCache()
        # parsed passages by id: a read with a bridge weighs the first hop's passages twice
        self._parsed: OrderedDict[str, Any] = OrderedDict()
        self._parsed_lock = threading.Lock()

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from hippo.index.extract.spacy_extractor import load_spacy

            self._nlp = load_spacy(self._spacy_model)
        return self._nlp

    def read(self, question: str, retrieval: Retrieval, retrieve_again: Retriever | None = None) -> Answer:
        """The extractive answer. With ``retrieve_again`` the reader may take a second hop: the
        named entity the query's linked facts point at (the bridge, e.g. the author of the book
        the question names) joins the query, and the answer may come from the new passages."""
        kind = answer_type(question)
        explanation: dict[str, Any] = {"note": NOTE, "answer_type": kind.kind, "retrieval": retrieval.explanation.to_dict()}
        hits = list(retrieval.hits)
        steps = [Step(question, retrieval.passage_ids, "", [])]
        if not hits:
            explanation["reason"] = "no passages were retrieved"
            return Answer(question, "", [], hits, explanation, GRAPH_READER, steps=steps)
        if kind.kind == "boolean":
            explanation["reason"] = "a yes/no question: an extractive reader can only point at the evidence"
            return Answer(question, "", [hits[0].passage_id], hits, explanation, GRAPH_READER, steps=steps,
                          evidence=[{"passage_id": hits[0].passage_id, "sentence": hits[0].text}])
        candidates = self.candidates(question, retrieval, kind)
        bridge = pick_bridge(candidates)
        if bridge is not None and retrieve_again is not None:
            query = f"{question} {bridge.text}"
            second = retrieve_again(query)
            seen = {h.passage_id for h in hits}
            hits.extend(h for h in second.hits if h.passage_id not in seen)
            hop2 = self.candidates(question, second, kind, bridge=bridge)
            steps[0].need = bridge.text
            steps.append(Step(query, second.passage_ids, hop2[0].text if hop2 else "", []))
            explanation["bridge"] = bridge.brief()
            explanation["second_hop_retrieval"] = second.explanation.to_dict()
            first = candidates
            if bridge.anchored:
                # a bridge a linked fact ties to the question is the way the question goes on: the
                # first hop's phrases are weighed again with it in view, as the second hop's are,
                # so a look-alike passage's answer ("born in Verrin", about another book's author)
                # does not outrank the one that continues from the bridge; the bridge keeps its own
                # score (its sentences mention it by definition) and may still be the answer
                rescored = self.candidates(question, retrieval, kind, bridge=bridge, exclude_bridge=False)
                first = [bridge if c.key == bridge.key else c for c in rescored]
            candidates = merge_hops(first, hop2)
        explanation["candidates"] = [c.brief() for c in candidates[:5]]
        if not candidates:
            explanation["reason"] = "no phrase of the retrieved passages is a candidate answer"
            return Answer(question, "", [], hits, explanation, GRAPH_READER, steps=steps)
        best = candidates[0]
        steps[-1].answer, steps[-1].citations = best.text, [best.passage_id]
        return Answer(
            question, best.text, [best.passage_id], hits, explanation, GRAPH_READER, steps=steps,
            evidence=[{"passage_id": best.passage_id, "sentence": best.sentence}],
        )

    # --- candidates --------------------------------------------------------------------------

    def candidates(
        self, question: str, retrieval: Retrieval, kind: AnswerType, bridge: Candidate | None = None,
        exclude_bridge: bool = True,
    ) -> list[Candidate]:
        """Scored candidates, best first. With a ``bridge``, its words count as question words
        for the evidence sentence, and (unless ``exclude_bridge`` is off) it is no answer, like
        the question."""
        lookups = self._lookups.get(retrieval.snapshot)
        question_words = content_words(question)
        excluded_words = question_words | (set(bridge.key.split()) if bridge and exclude_bridge else set())
        hits = retrieval.hits[: self.max_passages]
        top_score = max((h.score for h in hits), default=0.0) or 1.0
        found: dict[str, Candidate] = {}
        docs = self._parse(hits)
        for hit, doc in zip(hits, docs, strict=True):
            in_passage = bridge is not None and _mentions(f" {normalize_phrase(hit.title + ' ' + hit.text)} ", bridge.key)
            sentences = [self._sentence(hit.passage_id, s.text, question_words, hit.score / top_score, bridge,
                                        in_passage) for s in doc.sents]
            for ent in doc.ents:
                sentence = _containing(sentences, normalize_phrase(ent.text))
                if sentence is not None:
                    self._add(found, _strip_article(ent.text), ent.label_, sentence, excluded_words)
            for row in lookups.entities_of_passage.get(hit.passage_id, []):
                name = retrieval.snapshot.export.entity_names[row]
                sentence = _containing(sentences, lookups.entity_keys[row])
                if sentence is not None:
                    self._add(found, name, "", sentence, excluded_words)
        self._attach_graph(found, retrieval, lookups, question_words)
        ranked = list(found.values())
        max_mass = max((c.mass for c in ranked), default=0.0)
        for c in ranked:
            graph = (c.mass / max_mass) ** MASS_POWER if max_mass > 0 else 0.0
            base = GRAPH_SHARE * graph + (1 - GRAPH_SHARE) * c.passage_score
            c.score = base * (1 + c.fact_score) * _type_weight(c, kind) * (SENTENCE_FLOOR + c.sentence_overlap)
        ranked.sort(key=lambda c: (-c.score, c.key))
        return ranked

    def _parse(self, hits: list[Any]) -> list[Any]:
        with self._parsed_lock:
            known = {h.passage_id: self._parsed[h.passage_id] for h in hits if h.passage_id in self._parsed}
        missing = [h for h in hits if h.passage_id not in known]
        known.update((h.passage_id, doc) for h, doc in zip(missing, self.nlp.pipe([h.text for h in missing]), strict=True))
        with self._parsed_lock:
            for hit in hits:
                self._parsed[hit.passage_id] = known[hit.passage_id]
                self._parsed.move_to_end(hit.passage_id)
            while len(self._parsed) > PARSED_PASSAGES_KEPT:
                self._parsed.popitem(last=False)
        return [known[h.passage_id] for h in hits]

    @staticmethod
    def _sentence(pid: str, text: str, question_words: set[str], passage_score: float,
                  bridge: Candidate | None, passage_mentions_bridge: bool) -> _Sentence:
        words = content_words(text)
        overlap = len(words & question_words) / len(question_words) if question_words else 0.0
        padded = f" {normalize_phrase(text)} "
        if bridge is not None:
            # the sentence (or, through a pronoun, its passage) continues the chain from the bridge;
            # scaled so a second-hop score stays comparable with a first-hop one
            if _mentions(padded, bridge.key):
                overlap += BRIDGE_WEIGHT
            elif passage_mentions_bridge:
                overlap += BRIDGE_WEIGHT / 2
            overlap /= 1 + BRIDGE_WEIGHT
        return _Sentence(pid, text.strip(), padded, overlap, passage_score)

    @staticmethod
    def _add(found: dict[str, Candidate], text: str, label: str, sentence: _Sentence, excluded_words: set[str]) -> None:
        key = normalize_phrase(text)
        if not key or in_question(key, excluded_words):
            return
        current = found.get(key)
        if current is None:
            found[key] = Candidate(key, text, {label} if label else set(), sentence.passage_id, sentence.text, sentence.overlap,
                                   sentence.passage_score)
            return
        if label and not current.labels:
            current.text = text  # the NER span's surface form is the cleaner answer
        if label:
            current.labels.add(label)
        if (sentence.overlap, sentence.passage_score) > (current.sentence_overlap, current.passage_score):
            current.passage_id, current.sentence = sentence.passage_id, sentence.text
            current.sentence_overlap, current.passage_score = sentence.overlap, sentence.passage_score

    @staticmethod
    def _attach_graph(found: dict[str, Candidate], retrieval: Retrieval, lookups: GraphLookups,
                      question_words: set[str]) -> None:
        """PPR mass and linked-fact score of each candidate: those of its own entity node, or of
        the nodes it is the named core of ("Pellin" inside the node "town of Pellin")."""
        exp = retrieval.snapshot.export
        row_of_entity = {eid: i for i, eid in enumerate(exp.entity_ids)} if exp.entity_ids else {}
        fact_score_of_row: dict[int, float] = {}
        anchored_rows: set[int] = set()
        for fact in retrieval.explanation.linked_facts or []:
            f = lookups.fact_row.get(fact.fact_id)
            if f is None:
                continue
            rows = [row_of_entity.get(eid, -1) for eid in (exp.fact_subjects[f], exp.fact_objects[f])]
            for row, other in ((rows[0], rows[1]), (rows[1], rows[0])):
                if row < 0:
                    continue
                fact_score_of_row[row] = max(fact_score_of_row.get(row, 0.0), fact.score)
                if other >= 0 and in_question(lookups.entity_keys[other], question_words):
                    anchored_rows.add(row)
        passage_rows = {h.passage_id: lookups.entities_of_passage.get(h.passage_id, []) for h in retrieval.hits}
        for c in found.values():
            own = lookups.entity_of_key.get(c.key)
            if own is not None:
                c.entity_rows.add(own)
            padded = f" {c.key} "
            for row in passage_rows.get(c.passage_id, []):
                if padded in f" {lookups.entity_keys[row]} ":
                    c.entity_rows.add(row)
            mass = retrieval.entity_mass
            c.mass = max((float(mass[r]) for r in c.entity_rows if r < mass.size), default=0.0)
            c.fact_score = max((fact_score_of_row.get(r, 0.0) for r in c.entity_rows), default=0.0)
            c.anchored = bool(c.entity_rows & anchored_rows)
            if own is not None:
                c.labels |= lookups.kinds(own)


def pick_bridge(candidates: list[Candidate]) -> Candidate | None:
    """The named, non-numeric candidate the query's linked facts point at most strongly — the
    entity a multi-hop question goes through (it is often not of the answer's kind)."""
    bridges = [c for c in candidates if c.fact_score > 0 and _named(c) and not any(ch.isdigit() for ch in c.text)]
    if not bridges:
        return None
    # a fact anchored in the question ("Glass Orchard novel by Maren Tolvik") leads on from it;
    # an unanchored one may be about a look-alike ("The Orchard Wall")
    return max(bridges, key=lambda c: (c.anchored, c.fact_score * (c.mass + 1e-9) ** MASS_POWER, c.key))


def merge_hops(first: list[Candidate], second: list[Candidate]) -> list[Candidate]:
    """Both hops' candidates in one ranking; a phrase found in both keeps its better score."""
    best: dict[str, Candidate] = {}
    for c in first + second:
        if c.key not in best or c.score > best[c.key].score:
            best[c.key] = c
    return sorted(best.values(), key=lambda c: (-c.score, c.key))


def _mentions(padded_sentence: str, key: str) -> bool:
    """Does the sentence name the entity, or the last word of its name ("Tolvik" for "Maren Tolvik")?"""
    words = key.split()
    return bool(words) and (f" {key} " in padded_sentence or f" {words[-1]} " in padded_sentence)


def _named(c: Candidate) -> bool:
    return bool(c.labels) or any(w[:1].isupper() for w in c.text.split())


def _containing(sentences: list[_Sentence], key: str) -> _Sentence | None:
    """The sentence (most question words first) that states the phrase."""
    if not key:
        return None
    padded = f" {key} "
    matches = [s for s in sentences if padded in s.padded]
    return max(matches, key=lambda s: s.overlap) if matches else None


def _strip_article(text: str) -> str:
    lowered = text.lower()
    for article in _LEADING_ARTICLES:
        if lowered.startswith(article):
            return text[len(article):]
    return text


def _type_weight(c: Candidate, kind: AnswerType) -> float:
    # a capitalised phrase the NER did not label may still be a name; "1974 novel" is not one
    proper = any(w[:1].isupper() for w in c.text.split()) and not any(ch.isdigit() for ch in c.text)
    if not kind.specific:
        if c.labels and c.labels <= ADJECTIVAL:
            return TYPE_SECONDARY * TYPE_SECONDARY  # "American", "Ethiopian" rarely answer a what-question
        return 1.0 if c.labels or proper else 2 * TYPE_UNTYPED_PROPER
    if kind.head and c.key.split()[-1:] == [kind.head]:
        return TYPE_HEAD  # "Skarn River" for "Which river …" (not "My Country My Life" for "what country")
    if c.labels & kind.labels:
        return TYPE_MATCH
    if c.labels & kind.secondary:
        return TYPE_SECONDARY
    if c.labels:
        return TYPE_OTHER_NAMED
    return TYPE_UNTYPED_PROPER if proper else TYPE_COMMON
