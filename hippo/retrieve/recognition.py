"""HippoRAG 2's recognition memory: an LLM reads the query and the facts linked to it and keeps at
most four that are relevant, so a fact about the wrong hop does not seed PageRank. When it keeps
none, retrieval falls back to dense passage ranking (hippo.retrieve.retriever).

Replies go through the LLM client's persistent cache, so a repeated query costs no call. A reply
that cannot be read, or an endpoint that fails, keeps every linked fact (the query is still
answered, unfiltered) and is counted on the filter, never hidden.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hippo.llm.client import LLMClient
from hippo.llm.errors import LLMError

log = logging.getLogger(__name__)

KEEP_AT_MOST = 4  # HippoRAG 2's limit
PROMPT = (
    "You check which facts help answer a question. Question:\n{query}\n\nCandidate facts:\n{facts}\n\n"
    "Keep only facts that are about the question's entities or lead towards its answer, at most "
    "{limit}. Reply as JSON {{\"relevant\": [numbers of the facts to keep]}}; "
    "{{\"relevant\": []}} when none helps."
)


@dataclass
class FilterCounts:
    calls: int = 0
    kept_none: int = 0
    failed: int = 0  # unreadable replies or failed requests: the facts were kept unfiltered


class RecognitionFilter:
    """A ``FactFilter``: (query, candidate fact texts) -> indices of the facts to keep."""

    def __init__(self, client: LLMClient, keep_at_most: int = KEEP_AT_MOST, max_tokens: int = 60) -> None:
        self.client = client
        self.keep_at_most = keep_at_most
        self.max_tokens = max_tokens
        self.counts = FilterCounts()

    def __call__(self, query: str, facts: list[str]) -> list[int]:
        if not facts:
            return []
        self.counts.calls += 1
        listing = "\n".join(f"{i + 1}. {fact}" for i, fact in enumerate(facts))
        messages = [{"role": "user", "content": PROMPT.format(query=query, facts=listing, limit=self.keep_at_most)}]
        try:
            reply = self.client.chat_json(messages, temperature=0.0, max_tokens=self.max_tokens)
        except LLMError as exc:
            self.counts.failed += 1
            log.warning("recognition filter: %s; keeping the linked facts unfiltered", exc)
            return list(range(len(facts)))
        keep = parse_kept(reply, len(facts), self.keep_at_most)
        if keep is None:
            self.counts.failed += 1
            self.client.forget(messages, temperature=0.0, max_tokens=self.max_tokens, json_mode=True)
            log.warning("recognition filter: unreadable reply %r; keeping the linked facts unfiltered", reply)
            return list(range(len(facts)))
        if not keep:
            self.counts.kept_none += 1
        return keep


def parse_kept(reply: object, n_facts: int, limit: int) -> list[int] | None:
    """The kept facts as 0-based indices in the order given (the facts' rank), at most ``limit``;
    None when the reply does not say which. Numbers are 1-based as shown to the model."""
    value = reply.get("relevant") if isinstance(reply, dict) else reply
    if not isinstance(value, list):
        return None
    picked: set[int] = set()
    for item in value:
        if isinstance(item, bool):
            return None
        if isinstance(item, int):
            number = item
        elif isinstance(item, str) and item.strip().isdigit():
            number = int(item.strip())
        else:
            return None
        if 1 <= number <= n_facts:
            picked.add(number - 1)
    return sorted(picked)[:limit]
