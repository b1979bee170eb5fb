"""The benchmarks' own parts: a floor that stopped answering, a layer table that put time in the
wrong layer, or an invalid national code in the load test would make their figures lie."""

from __future__ import annotations

import cProfile

import pytest

from bench.floors import DialogStep, FsmStep
from bench.layers import OTHER, attribute, layer_of
from bench.load import national_code
from bench.scenarios import PROFILER, Rig, bench_bot_id
from bench.updates import Results, goal_of, link_floors
from services.validators import validate_national_code


@pytest.mark.parametrize("kind", [FsmStep, DialogStep])
async def test_memory_floors_answer_every_step(kind: type[FsmStep]) -> None:
    rig = Rig.create(bench_bot_id())
    floor = kind(rig, rig.new_users(3))
    await floor.setup()
    for index in range(6):
        assert await floor.step(index) > 0
    floor.check()
    assert floor.statements == 0 and floor.round_trips == 0


async def test_a_floor_that_stops_answering_is_caught() -> None:
    rig = Rig.create(bench_bot_id())
    floor = DialogStep(rig, rig.new_users(1))
    await floor.setup()
    floor.dispatcher.message.handlers.clear()  # nothing answers the typed name now
    floor.dispatcher.sub_routers.clear()
    with pytest.raises(RuntimeError):
        await floor.step(0)


def test_layers_by_source_path() -> None:
    site = "/venv/lib/python3.11/site-packages"
    assert layer_of(f"{site}/aiogram/dispatcher/router.py", "f") == "aiogram: dispatch + filters"
    assert layer_of(f"{site}/aiogram/client/session/base.py", "f").startswith("Bot API call")
    assert layer_of(f"{site}/aiogram_dialog/context/storage.py", "f").endswith("load/save")
    assert layer_of("/work/x/bot/middlewares/account.py", "f") == "our middlewares"
    assert layer_of(f"{site}/sqlalchemy/engine/base.py", "f").startswith("SQL")
    assert layer_of(f"{site}/redis/asyncio/client.py", "f").startswith("Redis")
    assert layer_of("/usr/lib/python3.11/json/encoder.py", "f") == OTHER
    assert layer_of("~", "<built-in method builtins.len>") is None  # goes to its callers


async def test_profiled_feed_is_attributed() -> None:
    rig = Rig.create(bench_bot_id())
    floor = DialogStep(rig, rig.new_users(2))
    await floor.setup()
    profiler = cProfile.Profile()
    PROFILER.append(profiler)
    try:
        for index in range(4):
            await floor.step(index)
    finally:
        PROFILER.clear()
    seconds = attribute(profiler)
    assert seconds["aiogram: dispatch + filters"] > 0
    assert any(layer.startswith("aiogram-dialog") and spent > 0 for layer, spent in seconds.items())


def test_ratios_against_echo_and_floor() -> None:
    results = Results("x", 10, 1)
    results.add("baseline: bare aiogram echo", 100, 1.0)
    results.add("floor: aiogram-dialog step (memory)", 40, 1.0, 0)
    results.add("registration step (typed name)", 30, 1.0, 10, 20)
    results.floors["registration step (typed name)"] = "floor: aiogram-dialog step (memory)"
    summary = results.summary()["registration step (typed name)"]
    assert summary["x_echo"] == 0.3 and summary["x_dialog_floor"] == 0.75
    assert summary["sql_per_update"] == pytest.approx(1 / 3, abs=0.01)
    assert summary["goal"] == "ok"  # 0.75 >= 0.7 of the floor
    assert goal_of("main-menu tap (❓ Help)") == (0.5, "echo")
    assert callable(link_floors)


def test_load_national_codes_are_valid_and_distinct() -> None:
    codes = {national_code(123_456 + n * 7919) for n in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert validate_national_code(code) == code
