"""A long job's progress told through a small file: readable by another process while the job runs (an
import's transaction holds SQLite's write lock, so progress cannot go through the DB). One home for every job
that reports progress (imports, the listing audit). Pure: no Django; the caller names the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEP = 0.01  # progress is written when it moved at least this much (or reached the end)


def write_progress_file(target: Path, data: dict[str, Any]) -> None:
    """Replace ``target`` with ``data`` atomically (a reader never sees half a file)."""
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, target)


def progress_file_writer(target: Path, extra: dict[str, Any] | None = None) -> Callable[[float, str], None]:
    """``report(fraction, phase)`` writing ``{"progress", "phase", **extra}`` to ``target``, at most every 1 %."""
    last = [-1.0]

    def report(fraction: float, phase: str) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if fraction - last[0] < STEP and fraction < 1.0:
            return
        last[0] = fraction
        write_progress_file(target, {**(extra or {}), "progress": round(fraction, 3), "phase": phase})

    return report


def read_progress_file(target: Path) -> dict[str, Any] | None:
    """What the job last wrote; None when there is no readable file."""
    try:
        data = json.loads(target.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
