"""The ``bridge`` retrieval mode: Personalized PageRank over a graph built for retrieval, not for
triples (LinearRAG's relation-free graph, with SPRIG's hub damping and alias merging).

Graph (built once per store version): the snapshot's entity and passage vertices; an
entity–passage edge where a sentence of the passage names the entity, weighted by the share of
the passage's entity mentions it has (LinearRAG) times the entity's inverse passage frequency, so
a hub (a year, a country named in thousands of passages) carries little of any passage's mass;
an alias edge between a short form and the name a passage says it stands for.

Query: the query is linked to entities two ways — names of the layer found in the query text,
and the entities of the sentences most similar to the query — then activation spreads
("semantic bridging"): an active entity passes its score times the similarity of its best unused
sentences to the entities those sentences name, for a few rounds. Activated entities seed PageRank
divided by their passage frequency; every passage is seeded with its dense score plus a bonus for
the activated entities it names. All that depends on the corpus is here at build time; a query
costs one top-k search over the sentences (a scan, or HNSW on a large layer: hippo.retrieve.ann),
a few small sparse reads and one PageRank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from hippo.retrieve.ann import VectorIndex
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.lexical import LexicalIndex
from hippo.retrieve.ranking import min_max
from hippo.retrieve.snapshot import ENTITY, PASSAGE, EdgeArrays, GraphSnapshot, NodeBlock
from hippo.text import entity_key, normalize_phrase
from hippo.types import SentenceExport

NAMES, ALIAS = "names", "alias"

MAX_QUERY_NGRAM = 6


@dataclass(frozen=True)
class BridgeParams:
    top_sentences: int = 3  # sentences most similar to the query whose entities are linked directly
    sentences_per_entity: int = 2  # best unused sentences an active entity spreads through per round
    rounds: int = 3
    threshold: float = 0.2  # activation below this stops spreading
    passage_ratio: float = 1.5  # weight of the passage prior (dense, or dense + BM25) in its seed (LinearRAG)
    lexical_share: float = 0.5  # BM25's share of the passage prior, against dense similarity
    # the final score: PageRank's mass (min-max) with this share of the passage prior (min-max) mixed
    # in. Small on purpose: 0.3 with no dense guard ranked HotpotQA 3 points higher at Recall@5 but
    # cost MuSiQue Recall@2 and the sample's two-hop answer (look-alike titles took its place; the
    # min-max mass below the top passages is small, so the prior orders the rest) — see the README
    prior_share: float = 0.1
    passage_weight: float = 0.2  # scale of the passages' seeds against the entities'
    damping: float = 0.5

    def score_mix(self, with_bm25: bool) -> dict[str, float] | None:
        """What the final score is made of (for the explanation); None: PageRank's mass alone."""
        if self.prior_share <= 0:
            return None
        bm25 = self.lexical_share if with_bm25 else 0.0
        return {"pagerank": round(1 - self.prior_share, 6), "dense": round(self.prior_share * (1 - bm25), 6),
                "bm25": round(self.prior_share * bm25, 6)}


class BridgeIndex:
    """Everything query-independent of the bridge mode, from flat arrays (rows, not ids)."""

    def __init__(
        self,
        version: int,
        entity_ids: Sequence[str],
        entity_names: Sequence[str],
        entity_emb: np.ndarray,
        passage_ids: Sequence[str],
        passage_emb: np.ndarray,
        sentence_passage: np.ndarray,
        sentence_emb: np.ndarray,
        mention_sentence: np.ndarray,
        mention_entity: np.ndarray,
        alias_pairs: np.ndarray,
    ) -> None:
        n_e, n_s, n_passages = len(entity_names), int(sentence_passage.size), len(passage_ids)
        self.n_entities, self.n_passages, self.n_sentences = n_e, n_passages, n_s
        # for explanations: each row's sentence text
        self.sentence_texts: StringColumn = StringColumn.of([])
        # BM25 over the passages' sentences (hippo.retrieve.lexical); None: the prior is dense alone
        self.lexical: LexicalIndex | None = None
        # the inputs that are not the snapshot's, kept to be written beside it (``bridge_arrays``)
        self.mention_sentence, self.mention_entity, self.alias_pairs = mention_sentence, mention_entity, alias_pairs
        self.sentence_passage = sentence_passage.astype(np.int64)
        self.sentence_emb = sentence_emb
        ones = np.ones(mention_sentence.size)
        # sentence x entity incidence, both ways, for the spreading rounds
        self.names = sparse.csr_matrix((ones, (mention_sentence, mention_entity)), shape=(n_s, n_e))
        self.named_in = self.names.T.tocsr()
        # passage x entity: how many of the passage's sentences name the entity
        counts = sparse.csr_matrix(
            (ones, (self.sentence_passage[mention_sentence], mention_entity)), shape=(n_passages, n_e)
        )
        counts.sum_duplicates()
        # log(1 + mentions) by column: a query reads only its active entities' columns
        self.passage_entities_log = counts.log1p().tocsc()
        df = np.asarray((counts > 0).sum(axis=0)).ravel().astype(np.float64)
        self.entity_passages = df
        idf = np.log((n_passages + 1.0) / (df + 1.0)) + 1.0 if n_e else np.zeros(0)
        self.entity_idf = idf
        coo = counts.tocoo()
        share = coo.data / np.maximum(np.asarray(counts.sum(axis=1)).ravel()[coo.row], 1.0)
        edges = {NAMES: EdgeArrays.of(n_e + coo.row.astype(np.int64), coo.col.astype(np.int64), share * idf[coo.col])}
        if alias_pairs.size:
            edges[ALIAS] = EdgeArrays.of(alias_pairs[:, 0], alias_pairs[:, 1])
        # the layout goes through the snapshot's own builder: same vertex numbering (entities,
        # then passages), same CSR, so exact and seed-local PageRank run on it unchanged
        empty = EdgeArrays.of(np.zeros(0), np.zeros(0))
        self.graph = GraphSnapshot.from_parts(
            version, [NodeBlock(ENTITY, entity_ids, entity_names, entity_emb),
                      NodeBlock(PASSAGE, passage_ids, passage_ids, passage_emb)],
            edges, fact_ids=[], fact_texts=[], fact_subject=np.zeros(0, np.int64), fact_object=np.zeros(0, np.int64),
            fact_emb=np.zeros((0, sentence_emb.shape[1] if sentence_emb.ndim == 2 else 0), np.float32),
            fact_support=empty,
        )
        # entity names found in a query's text link it lexically; only names the layer uses
        self.key_row: dict[str, int] = {}
        used = np.flatnonzero(df > 0)
        for e in used:
            key = entity_key(entity_names[int(e)])
            if len(key) >= 3:
                self.key_row.setdefault(key, int(e))

    def lexical_entities(self, query: str) -> list[int]:
        """Layer entities named in the query, longest names first, none inside another."""
        words = normalize_phrase(query).split()
        found: list[int] = []
        taken = [False] * len(words)
        for n in range(min(MAX_QUERY_NGRAM, len(words)), 0, -1):
            for i in range(len(words) - n + 1):
                if any(taken[i : i + n]):
                    continue
                row = self.key_row.get(entity_key(" ".join(words[i : i + n])))
                if row is not None:
                    found.append(row)
                    for k in range(i, i + n):
                        taken[k] = True
        return found

    def _sentences_of(self, e: int) -> np.ndarray:
        return np.asarray(self.named_in.indices[self.named_in.indptr[e] : self.named_in.indptr[e + 1]])

    def _entities_of(self, s: int) -> np.ndarray:
        return np.asarray(self.names.indices[self.names.indptr[s] : self.names.indptr[s + 1]])

    def sentence_scores(self, rows: np.ndarray, query_vec: np.ndarray) -> np.ndarray:
        """Similarity of the given sentences to the query: only the rows a query touches are read."""
        return np.asarray(self.sentence_emb[rows] @ query_vec, dtype=np.float64) if rows.size else np.zeros(0)

    def top_sentences(self, query_vec: np.ndarray, k: int, search: VectorIndex | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(the ``k`` sentences most similar to the query, best first, ties by row; their scores).
        ``search``: the snapshot's sentence index (``GraphSnapshot.vector_index(SENTENCE)``, HNSW on
        a large layer); None scans every sentence."""
        if self.n_sentences == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        rows, scores = (search or VectorIndex(self.sentence_emb)).search(query_vec, k)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep].astype(np.float64)

    def activate(self, query_vec: np.ndarray, seeds: dict[int, float], p: BridgeParams) -> dict[int, float]:
        """Semantic bridging: rounds of activation from entities through their best sentences."""
        active = dict(seeds)
        used: set[int] = set()
        current = dict(seeds)
        for _ in range(p.rounds):
            nxt: dict[int, float] = {}
            for e, score in current.items():
                if score < p.threshold:
                    continue
                cand = np.array([s for s in self._sentences_of(e) if s not in used], dtype=np.int64)
                if cand.size == 0:
                    continue
                cand_scores = self.sentence_scores(cand, query_vec)
                order = np.argsort(-cand_scores, kind="stable")[: p.sentences_per_entity]
                for s, s_score in zip(cand[order], cand_scores[order], strict=True):
                    used.add(int(s))
                    passed = score * float(s_score)
                    if passed < p.threshold:
                        continue
                    for e2 in self._entities_of(int(s)):
                        e2 = int(e2)
                        active[e2] = active.get(e2, 0.0) + passed
                        nxt[e2] = max(nxt.get(e2, 0.0), passed)
            if not nxt:
                break
            current = nxt
        return active

    def reset(
        self, query: str, query_vec: np.ndarray, dense: np.ndarray, p: BridgeParams,
        keep: Callable[[np.ndarray], list[int]] | None = None, search: VectorIndex | None = None,
        bm25: np.ndarray | None = None,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """(the PageRank reset vector over ``graph``'s vertices, entities first; linking details).
        ``keep`` picks which of the top sentences link the query, as positions among them (the
        recognition filter);
        ``search`` finds them (``top_sentences``); ``bm25``: the passages' BM25 scores
        (``lexical_scores``), mixed into the passage prior by ``lexical_share``."""
        seeds: dict[int, float] = {}
        named = self.lexical_entities(query)
        for e in named:
            seeds[e] = 1.0
        top, top_scores = self.top_sentences(query_vec, p.top_sentences, search)
        if keep is not None:
            kept = keep(top)
            top, top_scores = top[kept], top_scores[kept]
        for s, s_score in zip(top, top_scores, strict=True):
            for e in self._entities_of(int(s)):
                seeds[int(e)] = max(seeds.get(int(e), 0.0), float(s_score))
        active = self.activate(query_vec, seeds, p)
        n = self.n_entities + self.n_passages
        reset = np.zeros(n)
        rows = np.fromiter(active, dtype=np.int64, count=len(active))
        scores = np.fromiter(active.values(), dtype=np.float64, count=len(active))
        if rows.size:
            reset[rows] = scores / np.maximum(self.entity_passages[rows], 1.0)
        bonus = np.zeros(self.n_passages)
        if rows.size:
            bonus = np.asarray(self.passage_entities_log[:, rows] @ scores).ravel()
        prior = self.passage_prior(dense, bm25, p)
        reset[self.n_entities :] = (p.passage_ratio * prior + np.log1p(bonus)) * p.passage_weight
        # the prior goes back with the linking details: the final score mixes it in (``final_scores``)
        return reset, {"lexical": named, "top_sentences": [int(t) for t in top], "active": active, "prior": prior}

    def set_texts(self, texts: StringColumn) -> None:
        """The sentences' texts, row by row, and the BM25 index built from them."""
        self.sentence_texts = texts
        self.lexical = LexicalIndex.build(texts, self.sentence_passage, self.n_passages)

    def lexical_scores(self, query: str) -> np.ndarray | None:
        return self.lexical.scores(query) if self.lexical is not None else None

    @staticmethod
    def passage_prior(dense: np.ndarray, bm25: np.ndarray | None, p: BridgeParams) -> np.ndarray:
        """What a passage is worth before the graph: min-max dense similarity, with ``lexical_share``
        of min-max BM25 mixed in (exact names and rare words that dense blurs)."""
        prior = min_max(dense)
        if bm25 is not None and p.lexical_share > 0:
            prior = (1.0 - p.lexical_share) * prior + p.lexical_share * min_max(bm25)
        return prior

    @staticmethod
    def final_scores(passage_mass: np.ndarray, prior: np.ndarray, p: BridgeParams) -> np.ndarray:
        """The passages' final scores: PageRank's mass, min-max, with ``prior_share`` of the passage
        prior (``passage_prior``, as ``reset`` returns it) mixed in: a passage dense and BM25 both
        rank high keeps part of its standing wherever the walk's mass went."""
        if p.prior_share <= 0:
            return passage_mass
        return (1.0 - p.prior_share) * min_max(passage_mass) + p.prior_share * min_max(prior)


def bridge_index(snap: GraphSnapshot, layer: SentenceExport) -> BridgeIndex:
    """The bridge layout of a snapshot, on its entity and passage vertices."""
    passage_row = {pid: i for i, pid in enumerate(snap.passage_ids)}
    entity_row = {eid: i for i, eid in enumerate(snap.entity_ids)}
    kept = np.array([k for k, pid in enumerate(layer.sentence_passages) if pid in passage_row], dtype=np.int64)
    row_of_sentence = {layer.sentence_ids[k]: i for i, k in enumerate(kept)}
    sentence_passage = np.array([passage_row[layer.sentence_passages[k]] for k in kept], dtype=np.int64)
    dim = snap.passage_emb.shape[1] if snap.passage_emb.ndim == 2 else 0
    emb = layer.sentence_emb[kept] if kept.size else np.zeros((0, dim), np.float32)
    mentions = np.array([(row_of_sentence[s], entity_row[e]) for s, e in layer.mentions
                         if s in row_of_sentence and e in entity_row], dtype=np.int64).reshape(-1, 2)
    aliases = np.array([(entity_row[a], entity_row[e]) for _, a, e in layer.aliases
                        if a in entity_row and e in entity_row], dtype=np.int64).reshape(-1, 2)
    index = BridgeIndex(snap.version, snap.entity_ids, snap.entity_names, snap.entity_emb, snap.passage_ids,
                        snap.passage_emb, sentence_passage, emb, mentions[:, 0], mentions[:, 1], aliases)
    index.set_texts(StringColumn.of(layer.sentence_texts[int(k)] for k in kept))
    return index


def bridge_arrays(index: BridgeIndex) -> dict[str, np.ndarray]:
    """What ``bridge_from_arrays`` needs besides the snapshot: written beside the snapshot on disk so
    the next process does not read the whole retrieval layer from the store again."""
    texts = index.sentence_texts
    return {
        "sentence_passage": index.sentence_passage, "sentence_emb": index.sentence_emb,
        "mention_sentence": index.mention_sentence, "mention_entity": index.mention_entity,
        "alias_pairs": index.alias_pairs.reshape(-1, 2), "texts_blob": texts.blob, "texts_offsets": texts.offsets,
    } | (index.lexical.arrays() if index.lexical is not None else {})


def bridge_from_arrays(snap: GraphSnapshot, a: dict[str, np.ndarray]) -> BridgeIndex:
    index = BridgeIndex(snap.version, snap.entity_ids, snap.entity_names, snap.entity_emb, snap.passage_ids,
                        snap.passage_emb, a["sentence_passage"], a["sentence_emb"], a["mention_sentence"],
                        a["mention_entity"], a["alias_pairs"])
    texts = StringColumn(a["texts_blob"], a["texts_offsets"])
    if "lex_terms" in a:
        index.sentence_texts, index.lexical = texts, LexicalIndex.from_arrays(a, index.n_passages)
    else:  # a layout written before the lexical index existed builds it from its sentence texts
        index.set_texts(texts)
    return index
