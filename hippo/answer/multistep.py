"""Multi-step reading (IRCoT-style): when the passages are not enough, the reader names the fact it
still needs, that becomes the next retrieval query, and the new passages join the context — up to a
bound on the rounds. Every round is kept as a step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hippo.answer.reader import LLMReader, ReaderReply
from hippo.answer.result import Step
from hippo.answer.retrieval import retrieve
from hippo.retrieve.explanation import RetrievalExplanation
from hippo.types import Hit

if TYPE_CHECKING:
    from hippo.memory import Memory


def read_in_steps(
    memory: Memory, question: str, reader: LLMReader, *, rounds: int, top_k: int, mode: str | None = None,
) -> tuple[ReaderReply, list[Hit], list[Step], list[RetrievalExplanation]]:
    """(final reply, the whole context read, the steps, each round's retrieval explanation)."""
    context: list[Hit] = []
    seen: set[str] = set()
    steps: list[Step] = []
    explanations: list[RetrievalExplanation] = []
    needs: list[str] = []
    rejected: list[str] = []
    query = question
    reply = ReaderReply("", [], refused=True, reason="no round was run")
    for round_no in range(max(1, rounds)):
        retrieval = retrieve(memory, query, top_k, mode)
        explanations.append(retrieval.explanation)
        new = [h for h in retrieval.hits if h.passage_id not in seen]
        seen.update(h.passage_id for h in new)
        context.extend(new)
        last = round_no == max(1, rounds) - 1
        reply = reader.read(question, context, multi_step=not last, needs=needs)
        rejected.extend(reply.rejected)
        steps.append(Step(query, [h.passage_id for h in new], reply.answer, reply.citations, reply.need))
        if reply.answer or last or not reply.need or reply.need in needs:
            break
        needs.append(reply.need)
        query = reply.need
    reply.rejected = rejected  # every invented citation of every round is reported
    return reply, context, steps, explanations
