"""Node specificity: how many passages an entity stands for, the divisor of its seed weight.

HippoRAG divides a seed's weight by the number of passages that mention the entity, so a rare
name outweighs a common word. Offline extraction links a common phrase ("novels", "1975 film")
only where it is a triple argument, so its own mention count says it is rare when the words it is
made of are everywhere. Here an entity counts as many passages as its rarest word does, where a
word's passages are those mentioning any entity with that word in its key: a phrase occurs at most
where each of its words does, and that bound is what a lexical document frequency would give.
"""

from __future__ import annotations

import numpy as np

from hippo.text import entity_key


def passage_counts(entity_names: list[str], mention_entity: np.ndarray, mention_passage: np.ndarray) -> np.ndarray:
    """Per entity (float64), the smallest number of distinct passages any of its words is seen in.

    ``mention_entity[i]`` and ``mention_passage[i]`` are the entity index (0-based, into
    ``entity_names``) and the passage index of one mention edge. An entity with no usable word
    falls back to its own mention count.
    """
    n_e = len(entity_names)
    if n_e == 0:
        return np.zeros(0, dtype=np.float64)
    n_p = int(mention_passage.max()) + 1 if mention_passage.size else 1
    pairs = np.unique(mention_entity.astype(np.int64) * n_p + mention_passage.astype(np.int64))
    mention_entity, mention_passage = pairs // n_p, pairs % n_p
    own = np.bincount(mention_entity, minlength=n_e).astype(np.float64)

    # entity -> word ids, as a CSR layout (offsets into one flat array)
    vocabulary: dict[str, int] = {}
    flat: list[int] = []
    lengths = np.zeros(n_e, dtype=np.int64)
    for e, name in enumerate(entity_names):
        words = set(entity_key(name).split())
        lengths[e] = len(words)
        flat.extend(vocabulary.setdefault(w, len(vocabulary)) for w in words)
    if not vocabulary:
        return own
    word_ids = np.asarray(flat, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])

    # every (word, passage) pair reached through a mention, counted once
    per_mention = lengths[mention_entity]
    starts = np.repeat(offsets[:-1][mention_entity], per_mention)
    within = np.arange(per_mention.sum()) - np.repeat(np.cumsum(per_mention) - per_mention, per_mention)
    pair_words = word_ids[starts + within]
    pair_passages = np.repeat(mention_passage, per_mention)
    unique_pairs = np.unique(pair_words * n_p + pair_passages)
    word_passages = np.bincount(unique_pairs // n_p, minlength=len(vocabulary)).astype(np.float64)

    # an entity's own passages are among each of its words' passages, so the rarest word's count
    # is never below the entity's own
    counts = own
    has_words = lengths > 0
    counts[has_words] = np.minimum.reduceat(word_passages[word_ids], offsets[:-1][has_words])
    return counts
