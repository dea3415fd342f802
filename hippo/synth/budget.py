"""The global budget on accepted pairs (GraphGen has none: one long document gave 30,000+).
Pairs already written by an earlier, resumed run count against it."""

from __future__ import annotations


class Budget:
    """``limit`` records, and optionally ``token_limit`` estimated tokens of generated text
    (EntiGraph's corpus is measured in tokens, not pairs)."""

    def __init__(self, limit: int, spent: int = 0, token_limit: int | None = None, tokens_spent: int = 0) -> None:
        if limit < 1:
            raise ValueError("the budget must be at least 1 pair")
        self.limit = limit
        self.spent = spent
        self.token_limit = token_limit
        self.tokens_spent = tokens_spent

    def exhausted(self) -> bool:
        # a method, not a property: the answer changes as pairs are taken within one loop
        if self.token_limit is not None and self.tokens_spent >= self.token_limit:
            return True
        return self.spent >= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def take(self, tokens: int = 0) -> None:
        self.spent += 1
        self.tokens_spent += tokens
