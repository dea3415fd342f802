"""CLI progress: one bar per stage with count, rate and ETA; a run-wide total that grows keeps
the same bar (and its clock)."""

from __future__ import annotations

import io
import re
import sys
import time

import pytest

from hippo.interfaces.cli.progress import ProgressBars


def test_each_stage_has_a_bar_with_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with ProgressBars(enabled=True) as bars:
        bars("embed", 0, 100)
        time.sleep(0.2)
        bars("embed", 40, 100)
        first = bars._bars["embed"]
        bars("embed", 60, 150)  # the projected total refined: same bar
        assert bars._bars["embed"] is first and first.total == 150 and first.n == 60
        bars("write", 1, 4)
        assert set(bars._bars) == {"embed", "write"}
        meter = first.format_meter(**first.format_dict)
    assert re.search(r"60/150 \[.*<.*, *[\d.]+ texts/s\]", meter), meter
    assert "embed" in err.getvalue()


def test_disabled_bars_draw_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with ProgressBars(enabled=False) as bars:
        bars("extract", 1, 2)
    assert err.getvalue() == ""
