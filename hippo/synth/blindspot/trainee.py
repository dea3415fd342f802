"""The trainee's part: "is this statement correct? yes/no" answered with one token and top-k
log-probabilities. The probability mass of yes-synonyms and of no-synonyms is pooled, then the
two are normalised against each other."""

from __future__ import annotations

import math
from dataclasses import dataclass

from hippo.llm.client import LLMClient

YES = frozenset({"yes", "y", "true", "correct", "right"})
NO = frozenset({"no", "n", "false", "incorrect", "wrong"})
PROMPT = "Is the following statement correct? Answer with one word, yes or no.\n\nStatement: {statement}"
# a probability is clipped here before the log, so one certain mistake costs ~13.8, not infinity
P_FLOOR = 1e-6


def normalise_token(token: str) -> str:
    # BPE vocabularies mark a leading space with 'Ġ' (GPT-2 style) or '▁' (SentencePiece)
    return token.replace("Ġ", "").replace("▁", "").strip().strip(".,!:;\"'`").casefold()


@dataclass
class Verdict:
    """p_yes is P(yes | yes-or-no) from logprobs; None when the reply had none. ``text`` is the
    answer the trainee gave, for the accuracy fallback."""

    p_yes: float | None
    text: str
    off_format: bool = False  # logprobs present but no yes/no synonym among the top tokens
    logprobs_shape: str | None = None  # which shape the server sent them in (hippo.llm.client.LOGPROBS_*)


def pooled_p_yes(top: list[tuple[str, float]]) -> float | None:
    yes = no = 0.0
    seen: set[str] = set()
    for token, logprob in top:
        if token in seen:
            continue
        seen.add(token)
        word = normalise_token(token)
        if word in YES:
            yes += math.exp(logprob)
        elif word in NO:
            no += math.exp(logprob)
    if yes + no == 0.0:
        return None
    return yes / (yes + no)


def ask_trainee(client: LLMClient, statement: str, top_logprobs: int = 10) -> Verdict:
    reply = client.chat(
        [{"role": "user", "content": PROMPT.format(statement=statement)}],
        temperature=0.0,
        max_tokens=1,
        top_logprobs=top_logprobs,
    )
    if not reply.logprobs:
        return Verdict(None, reply.text)
    first = reply.logprobs[0]
    top = [(first.token, first.logprob), *first.top]
    p = pooled_p_yes(top)
    if p is None:
        return Verdict(0.5, reply.text, off_format=True, logprobs_shape=reply.logprobs_shape)
    return Verdict(p, reply.text, logprobs_shape=reply.logprobs_shape)


def statement_loss(verdict: Verdict, label: bool) -> float | None:
    """−log p(correct label) from logprobs; None when the trainee gave no logprobs."""
    if verdict.p_yes is None:
        return None
    p = verdict.p_yes if label else 1.0 - verdict.p_yes
    return -math.log(max(p, P_FLOOR))


def accuracy_loss(verdict: Verdict, label: bool) -> float:
    """The fallback without logprobs: the text answer is right (p≈0.99), wrong (p≈0.01) or
    neither (p=0.5). Coarser than logprobs, and the run says it used it."""
    word = normalise_token(verdict.text.split()[0]) if verdict.text.split() else ""
    if word in YES or word in NO:
        right = (word in YES) == label
        return -math.log(0.99 if right else 0.01)
    return -math.log(0.5)
