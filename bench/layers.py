"""`--profile`: each update's time attributed to the layers it passes through.

How: cProfile runs only while `Dispatcher.feed_update` runs (bench.scenarios.timed_feed turns it
on and off), so building updates and checking answers stay out. Each function's own time
(tottime) goes to the layer its source file belongs to (LAYERS, first matching path wins);
a C builtin (`len`, `json.dumps`, a socket send ...) has no file, so its time is split over its
callers' layers in proportion to what each caller spent in it. Only this (the event loop's)
thread is seen: time the loop waits for aiosqlite's thread, the SQLite writer's thread or a
socket shows up as "waiting (event loop idle)", which on SQLite is mostly SQL and on
PostgreSQL + Redis mostly the network round trips. cProfile slows small Python functions more
than C code, so read the shares, not the absolute microseconds, and compare kinds with each other.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict

# (layer, path fragments); checked in this order.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("Bot API call (aiogram client + sandbox)",
     ("/aiogram/client/", "/aiogram/methods/", "/bot/sandbox/", "/bot/platforms/")),
    ("aiogram-dialog: context load/save",
     ("/aiogram_dialog/context/", "/aiogram_dialog/api/internal/")),
    ("aiogram-dialog: render (windows, widgets)",
     ("/aiogram_dialog/widgets/", "/aiogram_dialog/window.py",
      "/aiogram_dialog/manager/message_manager")),
    ("aiogram-dialog: manager, routing, other", ("/aiogram_dialog/",)),
    ("aiogram: dispatch + filters", ("/aiogram/", "/magic_filter/")),
    ("our middlewares", ("/bot/middlewares/",)),
    ("our FSM storage + chat lock", ("/bot/fsm/",)),
    ("our getters/handlers/texts", ("/bot/", "/bench/")),
    ("our services", ("/services/",)),
    ("SQL (SQLAlchemy, drivers, repositories)",
     ("/sqlalchemy/", "/aiosqlite/", "/asyncpg/", "/sqlite3/", "/storage/")),
    ("Redis (redis-py)", ("/redis/",)),
    ("i18n (gettext, Babel)", ("/gettext.py", "/babel/")),
    ("pydantic (types, method payloads)", ("/pydantic/", "/pydantic_core/")),
    ("waiting (event loop idle)", ("select.epoll", "selectors.py")),
    ("asyncio machinery", ("/asyncio/", "contextvars", "_asyncio")),
]
OTHER = "other (stdlib, json, builtins)"


def layer_of(filename: str, function: str) -> str | None:
    """None for a C builtin (no file), whose time goes to its callers."""
    if filename == "~":
        if "epoll" in function or "select" in function:
            return "waiting (event loop idle)"
        if "_asyncio" in function or "Task" in function or "Future" in function:
            return "asyncio machinery"
        return None
    for layer, fragments in LAYERS:
        if any(fragment in filename for fragment in fragments):
            return layer
    return OTHER


def attribute(profiler: cProfile.Profile) -> dict[str, float]:
    """Seconds per layer (own time, builtins split over their callers)."""
    stats = pstats.Stats(profiler)
    seconds: dict[str, float] = defaultdict(float)
    for (filename, _line, function), entry in stats.stats.items():  # type: ignore[attr-defined]
        tottime, callers = entry[2], entry[4]
        layer = layer_of(filename, function)
        if layer is not None:
            seconds[layer] += tottime
            continue
        # A builtin: per caller, the own time it spent when called from there.
        from_callers = 0.0
        for (caller_file, _cl, caller_function), caller_entry in callers.items():
            share = caller_entry[2]
            seconds[layer_of(caller_file, caller_function) or OTHER] += share
            from_callers += share
        seconds[OTHER] += max(0.0, tottime - from_callers)
    return dict(seconds)


def layer_table(kind: str, updates: int, profiler: cProfile.Profile) -> str:
    seconds = attribute(profiler)
    total = sum(seconds.values()) or 1e-9
    # Function calls are counted exactly: on a loaded machine the steadiest measure of work.
    calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    lines = [
        f"=== layers: {kind}, {updates} updates under cProfile "
        f"({total / updates * 1e6:.0f} us/update profiled, {calls / updates:.0f} Python "
        "function calls/update) ===",
        f"{'layer':<44} {'share':>6} {'us/update':>10}",
    ]
    for layer, spent in sorted(seconds.items(), key=lambda item: -item[1]):
        if spent / total < 0.002:
            continue
        lines.append(f"{layer:<44} {spent / total:>6.1%} {spent / updates * 1e6:>10.0f}")
    return "\n".join(lines)
