"""The query path of the embedder: the same vector as a batch of one, on one thread, and the
caller's torch thread count left as it was."""

import numpy as np
import torch

from hippo.embed import shared_embedder


def test_query_vector_matches_the_batch_path_and_restores_threads() -> None:
    embedder = shared_embedder()
    before = torch.get_num_threads()
    query = "Which river flows through the capital of the country where Carmen premiered?"
    vec = embedder.embed_query(query)
    assert torch.get_num_threads() == before
    assert vec.shape == (embedder.dim,) and vec.dtype == np.float32
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5
    fresh = embedder.embed(["Where did the composer of Carmen die?"])[0]
    again = embedder.embed_query("Where did the composer of Carmen die?")  # a cache hit now
    assert np.array_equal(fresh, again)
    assert float(vec @ embedder.embed(["a query about rivers and capitals"])[0]) < 0.99
