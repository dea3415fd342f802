"""Answering questions from the memory: retrieve, then read.

    from hippo import Memory
    from hippo.answer import ask
    with Memory() as memory:
        result = ask(memory, "In which town was the author of The Glass Orchard born?")
        print(result.answer, result.citations)

With an LLM endpoint configured the reader is the LLM (short answer, cited passages); without one it
is the extractive graph reader (a phrase from the passages, chosen by the graph).
"""

from hippo.answer.api import ask, make_reader
from hippo.answer.result import GRAPH_READER, LLM_READER, Answer, Step

__all__ = ["GRAPH_READER", "LLM_READER", "Answer", "Step", "ask", "make_reader"]
