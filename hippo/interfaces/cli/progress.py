"""Progress bars for the CLI: one tqdm bar per stage, fed by ``Progress`` callbacks."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


class ProgressBars:
    """Callable as ``progress(stage, done, total)``; draws to stderr only when it is a terminal
    or when forced, so piped JSON output stays clean."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self._bars.get(stage)
        if bar is None or bar.total != total:
            if bar is not None:
                bar.close()
            bar = tqdm(total=total, desc=f"{stage:>10}", file=sys.stderr, leave=False, dynamic_ncols=True)
            self._bars[stage] = bar
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
