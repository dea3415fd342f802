"""The global budget on accepted pairs (GraphGen has none: one long document gave 30,000+).
Pairs already written by an earlier, resumed run count against it."""

from __future__ import annotations


class Budget:
    def __init__(self, limit: int, spent: int = 0) -> None:
        if limit < 1:
            raise ValueError("the budget must be at least 1 pair")
        self.limit = limit
        self.spent = spent

    @property
    def exhausted(self) -> bool:
        return self.spent >= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.spent)

    def take(self) -> None:
        self.spent += 1
