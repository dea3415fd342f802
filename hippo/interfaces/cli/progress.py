"""Progress bars for the CLI: one tqdm bar per stage, fed by ``Progress`` callbacks, each with
its count, rate and ETA."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

UNITS = {"extract": "passages", "embed": "texts", "write": "documents", "synonymy": "entities"}


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
        if bar is None or done < bar.n:  # a new stage, or one that started over
            if bar is not None:
                bar.close()
            bar = tqdm(total=total, desc=f"{stage:>10}", unit=f" {UNITS.get(stage, 'items')}", file=sys.stderr,
                       leave=False, dynamic_ncols=True)
            self._bars[stage] = bar
        if bar.total != total:  # a run-wide total refined as the run goes (embed): same bar, same clock
            bar.total = total
        if done != bar.n:
            bar.update(done - bar.n)  # update (not n =) so tqdm's rate and ETA follow the recent pace
        else:
            bar.refresh()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()
        self._bars.clear()

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
