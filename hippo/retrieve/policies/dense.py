"""Dense retrieval: passages by cosine similarity to the query, no graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hippo.retrieve.policies.base import Query, RetrievalPolicy
from hippo.retrieve.ranking import Ranking

if TYPE_CHECKING:
    from hippo.retrieve.snapshot import GraphSnapshot


class DensePolicy(RetrievalPolicy):
    name = "dense"
    summary = "passages by embedding similarity only (no graph)"
    uses_graph = False

    def rank(self, snap: GraphSnapshot, query: Query) -> Ranking:
        return self.dense_ranking(query)
