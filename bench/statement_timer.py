"""Statement timing for the benches: with BENCH_STATEMENTS=1, the wall time of each statement
(by its first words) is summed over the run and printed to stderr at exit, slowest first: what
EXPLAIN cannot say, where an operation of many statements spends its time."""

from __future__ import annotations

import atexit
import os
import sys
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_TOTALS: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])


def _key(statement: str) -> str:
    return " ".join(statement.split())[:110]


def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    conn.info.setdefault("bench_started", []).append(time.perf_counter())


def _after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    started = conn.info["bench_started"].pop()
    total = _TOTALS[_key(statement)]
    total[0] += time.perf_counter() - started
    total[1] += 1


def _report() -> None:
    rows = sorted(_TOTALS.items(), key=lambda item: -item[1][0])[:25]
    print("--- statements, slowest total first (s, count) ---", file=sys.stderr)
    for key, (seconds, count) in rows:
        print(f"{seconds:8.3f} {int(count):7d}  {key}", file=sys.stderr)


def install_if_asked() -> None:
    """Times every engine's statements when BENCH_STATEMENTS is set (listeners on the Engine
    class, so engines made before or after are covered)."""
    if not os.environ.get("BENCH_STATEMENTS"):
        return
    event.listen(Engine, "before_cursor_execute", _before)
    event.listen(Engine, "after_cursor_execute", _after)
    atexit.register(_report)
