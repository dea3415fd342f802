"""The synthesiser's part of blind-spot scoring: paraphrases (true, label yes) and negations
(false, label no) of a unit's statement."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.llm.client import LLMClient

PROMPT = (
    "Statement: {statement}\n\nWrite {n_para} paraphrases that keep its meaning exactly, and "
    "{n_neg} negations: fluent statements that contradict it (change the relation, an entity or "
    'a number). Reply as JSON {{"paraphrases": ["..."], "negations": ["..."]}}.'
)


@dataclass
class Statements:
    original: str
    paraphrases: list[str]
    negations: list[str]
    attempts: int = 1  # synthesiser calls it took (an empty reply is asked once more)

    @property
    def complete(self) -> bool:
        """Both kinds present: a loss from the original statement alone measures only whether the
        trainee agrees with true statements, not whether it can tell true from false."""
        return bool(self.paraphrases) and bool(self.negations)

    def labelled(self) -> list[tuple[str, bool]]:
        """Every statement with its correct label (True = yes): original, paraphrases, negations."""
        return [(self.original, True), *((p, True) for p in self.paraphrases), *((n, False) for n in self.negations)]


def _strings(value: object, limit: int) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if str(v).strip()][:limit]


def write_statements(client: LLMClient, statement: str, n_paraphrases: int, n_negations: int) -> Statements:
    """Paraphrases and negations of ``statement``; a reply missing either kind is asked once more
    (uncached: the cached reply is the empty one), and the result says whether it is complete."""
    messages = [{"role": "user", "content": PROMPT.format(statement=statement, n_para=n_paraphrases, n_neg=n_negations)}]
    best = Statements(statement, [], [], attempts=0)
    for attempt in range(2):
        reply = client.chat_json(messages, temperature=0.7, max_tokens=600, use_cache=attempt == 0)
        reply = reply if isinstance(reply, dict) else {}
        got = Statements(statement, _strings(reply.get("paraphrases"), n_paraphrases),
                         _strings(reply.get("negations"), n_negations), attempts=attempt + 1)
        if len(got.paraphrases) + len(got.negations) >= len(best.paraphrases) + len(best.negations):
            best = got
        best.attempts = attempt + 1
        if best.complete:
            break
    return best
