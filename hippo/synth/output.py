"""The resumable output: pairs are appended and fsync'd as they are accepted; a state file
(``<out>.state.json``, replaced atomically) lists finished subgraphs and rejection counts, so a
rerun after a crash skips finished work and keeps every pair already written.

With ``meta=False`` the records carry no ``meta`` key and the metas go, line for line, to a
sidecar ``<out stem>.meta.jsonl``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from hippo.errors import UserError
from hippo.synth.formats import TEXT_FORMAT, decode, encode
from hippo.synth.records import Accepted

STATE_VERSION = 1


def sidecar_path(out: Path) -> Path:
    return out.with_name(out.stem + ".meta.jsonl")


def state_path(out: Path) -> Path:
    return out.with_name(out.name + ".state.json")


def read_state(out: Path) -> dict[str, Any] | None:
    path = state_path(out)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _complete_lines(path: Path) -> list[str]:
    """The file's complete lines; a torn last line (crash mid-write) is cut off the file."""
    if not path.exists():
        return []
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        with path.open("r+b") as fh:
            fh.truncate(end)
    return data[:end].decode("utf-8").splitlines()


class ResumableOutput:
    def __init__(self, path: str | Path, *, fmt: str, meta: bool, run_key: dict[str, Any], overwrite: bool = False) -> None:
        self.path = Path(path)
        self.fmt = fmt
        self.meta = meta
        self.run_key = run_key
        self.done: set[str] = set()
        self.rejections: Counter[str] = Counter()
        self.existing: list[tuple[str, str, dict[str, Any]]] = []
        self.extra: dict[str, Any] = {}  # run facts the report shows (loss source, fallback …)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if overwrite:
            for p in (self.path, sidecar_path(self.path), state_path(self.path)):
                p.unlink(missing_ok=True)
        self._load()
        self._out: TextIO = self.path.open("a", encoding="utf-8")
        self._side: TextIO | None = None if meta else sidecar_path(self.path).open("a", encoding="utf-8")

    # --- resume ---------------------------------------------------------------------------------
    def _load(self) -> None:
        state_file = state_path(self.path)
        lines = _complete_lines(self.path)
        if not state_file.exists():
            if lines:
                raise UserError(f"{self.path} exists and was not written by a resumable run; pass --overwrite")
            return
        state = json.loads(state_file.read_text(encoding="utf-8"))
        if state.get("run") != self.run_key:
            raise UserError(
                f"{self.path} belongs to a run with other settings ({state.get('run')}); pass --overwrite or another -o"
            )
        self.done = set(state.get("done", []))
        self.rejections = Counter(state.get("rejections", {}))
        self.extra = dict(state.get("extra", {}))
        metas: list[dict[str, Any]]
        if self.meta:
            records = [json.loads(line) for line in lines]
            metas = [r.get("meta", {}) for r in records]
        else:
            side_lines = _complete_lines(sidecar_path(self.path))
            n = min(len(lines), len(side_lines))
            if n != len(lines) or n != len(side_lines):  # a crash between the two appends
                self._truncate_lines(self.path, n)
                self._truncate_lines(sidecar_path(self.path), n)
            lines = lines[:n]
            records = [json.loads(line) for line in lines]
            metas = [json.loads(line) for line in side_lines[:n]]
        for rec, meta in zip(records, metas, strict=True):
            q, a = decode(rec)
            self.existing.append((q, a, meta))

    @staticmethod
    def _truncate_lines(path: Path, n: int) -> None:
        lines = _complete_lines(path)
        path.write_text("".join(line + "\n" for line in lines[:n]), encoding="utf-8")

    # --- writes ---------------------------------------------------------------------------------
    def append(self, pair: Accepted) -> None:
        c = pair.candidate
        choices = c.extra.get("choices")
        record = encode(self.fmt, c.question, c.answer, str(c.extra.get("answer_key") or ""),
                        list(choices) if isinstance(choices, list) else None)
        meta = pair.meta()
        if self.meta:
            if self.fmt == TEXT_FORMAT:  # corpus records carry their provenance up front
                record["provenance"] = meta["provenance"]
            record["meta"] = meta
        # the sidecar line goes first: a crash between the two leaves an extra meta line, which
        # resume trims, never a record without its meta
        if self._side is not None:
            self._write(self._side, meta)
        self._write(self._out, record)

    @staticmethod
    def _write(fh: TextIO, obj: dict[str, Any]) -> None:
        fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())

    def finish_item(self, item_id: str, rejections: Counter[str]) -> None:
        self.done.add(item_id)
        self.rejections.update(rejections)
        self.save_state()

    def save_state(self) -> None:
        state = {
            "version": STATE_VERSION,
            "run": self.run_key,
            "done": sorted(self.done),
            "rejections": dict(sorted(self.rejections.items())),
            "extra": self.extra,
        }
        target = state_path(self.path)
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(state, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    def close(self) -> None:
        self._out.close()
        if self._side is not None:
            self._side.close()
