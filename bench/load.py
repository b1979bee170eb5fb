"""Load test of the whole service: real worker processes in webhook mode, fed over HTTP.

    python bench/load.py [--people N] [--actions A] [--seconds S] [--database-url URL]
                         [--redis-url URL] [--catalog C] [--think-ms T] [--paced F]
                         [--paced-people P]

Setups, one after another: PostgreSQL + Redis with 1 worker, then 2 workers (each a
`python -m bot run` in webhook mode), and SQLite with 1 worker. The workers sit behind a tiny
round-robin proxy in this process (also with 1 worker, so both pay the same hop); the sandbox
Bot API is served over HTTP from this process too. Everything is on 127.0.0.1.

Two phases per setup. Saturated: N simulated people, all at once, each sending the next update
as soon as the last is answered (a closed loop: the rate is what the service sustains; latency
there is mostly waiting in the queue). Paced: --paced-people new people (default 200) pausing
between updates (exponential pauses) so that together they offer --paced (default 0.7) of the
saturated rate: the latency a person sees while the service keeps up. Each person registers
through the whole form, then does A steps of a mix — main-menu taps, the course list and its
pages, searches, My file. An update is POSTed the way Telegram does (secret header) and its
latency runs from the POST to the later of the webhook's answer and the bot's last Bot API call
to that chat. Errors: non-2xx webhook answers and failed POSTs; lost: a 2xx update the bot
never answered (no Bot API call to that chat); reordered: Bot API calls reaching a chat while
none of its updates was in flight (an answer to an earlier update arriving after a later one
was answered). Each phase also gives p50/p99 per step (a registration question, saving it,
the course list, a page, a search's words, My file, Help), the longest p99 first: where a tail
comes from. Bounded: people x (A + 13) updates, and --seconds per phase at most.

Not in the mix (yet): applying with uploads. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench`, `bot` and `storage` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from pydantic import SecretStr

from bench.backends import postgres_database
from bench.catalog_data import generate_catalog
from bench.load_rig import (
    ROOT,
    RoundRobin,
    forget_prefix,
    free_port,
    start_worker,
    tracebacks,
    until_up,
)
from bot.config import Settings
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import SandboxUser
from bot.sandbox.server import SandboxServer, start_sandbox_server
from bot.sandbox.user_side import inline_buttons
from bot.sandbox.webhook import SECRET_HEADER
from bot.serving.webhook import webhook_path, webhook_secret
from services.jalali import today_in
from storage.db import create_engine
from storage.migrate import upgrade_database_async

WEBHOOK_SECRET = "load-bench-secret"
FIRST_USER = 950_000_001
MIX: list[tuple[str, int]] = [("help", 3), ("courses", 3), ("page", 4), ("search", 2),
                              ("my_file", 2)]  # fmt: skip
SEARCH_WORDS = ("خیاط", "رایانه", "جوشکار", "آشپز", "حسابدار", "برق")


def national_code(n: int) -> str:
    """A valid Iranian national code made from `n` (the check digit computed as the rule says)."""
    body = f"{n % 10**9:09d}"
    if len(set(body)) == 1:
        body = "1" + body[1:]
    total = sum(int(d) * (10 - i) for i, d in enumerate(body))
    r = total % 11
    return body + str(r if r < 2 else 11 - r)


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    # The same latencies by step (what the person did), to see where a tail comes from.
    by_step: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    updates: int = 0
    errors: int = 0
    lost: int = 0
    reordered: int = 0

    def as_json(self, seconds: float) -> dict[str, Any]:
        cut = statistics.quantiles(self.latencies, n=100, method="inclusive") if len(
            self.latencies) > 1 else [0.0] * 99
        return {
            "updates": self.updates,
            "updates_per_s": round(self.updates / seconds, 1) if seconds else 0.0,
            "p50_ms": round(cut[49] * 1000, 1),
            "p95_ms": round(cut[94] * 1000, 1),
            "p99_ms": round(cut[98] * 1000, 1),
            "errors": self.errors,
            "lost": self.lost,
            "reordered": self.reordered,
            "seconds": round(seconds, 1),
            "steps": self.steps(),
        }

    def steps(self) -> dict[str, dict[str, float]]:
        """Per step: how many, p50 and p99 ms; the step with the longest p99 first."""
        shown: dict[str, dict[str, float]] = {}
        for step, values in self.by_step.items():
            cut = statistics.quantiles(values, n=100, method="inclusive") if len(
                values) > 1 else [values[0]] * 99
            shown[step] = {"n": len(values), "p50_ms": round(cut[49] * 1000, 1),
                           "p99_ms": round(cut[98] * 1000, 1)}  # fmt: skip
        return dict(sorted(shown.items(), key=lambda item: -item[1]["p99_ms"]))


class Watch:
    """The sandbox's Bot API calls, by chat: when the last one came, and stray ones."""

    def __init__(self, api: SandboxBotAPI, figures: Figures) -> None:
        self.last_call: dict[int, float] = {}
        self.calls: dict[int, int] = defaultdict(int)
        self.in_flight: dict[int, int] = defaultdict(int)
        self.figures = figures
        original = api.call

        async def call(token: str, method: str, params: dict[str, Any],
                       files: Any = None) -> tuple[int, dict[str, Any]]:
            result = await original(token, method, params, files)
            chat = params.get("chat_id")
            if chat is not None and str(chat).lstrip("-").isdigit():
                chat_id = int(chat)
                self.last_call[chat_id] = time.perf_counter()
                self.calls[chat_id] += 1
                if self.in_flight[chat_id] == 0 and chat_id >= FIRST_USER:
                    self.figures.reordered += 1
            return result

        api.call = call  # type: ignore[method-assign]
        self._stop = lambda: setattr(api, "call", original)

    def stop(self) -> None:
        """Stop watching (the next phase watches with figures of its own)."""
        self._stop()


@dataclass
class Person:
    user: SandboxUser
    index: int
    rng: random.Random
    page: int = 0
    step: str = ""  # what the update being sent does (Figures.by_step)


class Load:
    def __init__(self, api: SandboxBotAPI, token: str, front: str, figures: Figures) -> None:
        self.api, self.token, self.front, self.figures = api, token, front, figures
        self.state = api.bot(token)
        self.watch = Watch(api, figures)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            webhook_secret=SecretStr(WEBHOOK_SECRET),
        )
        self.url = front + webhook_path(settings, "telegram")
        self.headers = {"Content-Type": "application/json",
                        SECRET_HEADER: webhook_secret(settings, "telegram")}  # fmt: skip
        self.http: aiohttp.ClientSession | None = None
        # Mean seconds a person pauses before each update (0: at once, the closed loop).
        self.pause = 0.0

    async def post(self, person: Person, raw: dict[str, Any]) -> None:
        """POST one update; wait for its answer and count what happened."""
        assert self.http is not None
        if self.pause:
            await asyncio.sleep(person.rng.expovariate(1 / self.pause))
        chat = person.user.id
        calls = self.watch.calls[chat]
        self.watch.in_flight[chat] += 1
        started = time.perf_counter()
        try:
            async with self.http.post(self.url, data=json.dumps(raw), headers=self.headers) as r:
                await r.read()
                ok = 200 <= r.status < 300
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        answered = time.perf_counter()
        # Let a reply that is still on its way (outbox, a background task) land first.
        if ok and self.watch.calls[chat] == calls:
            await asyncio.sleep(0.05)
        self.watch.in_flight[chat] -= 1
        self.figures.updates += 1
        if not ok:
            self.figures.errors += 1
            return
        if self.watch.calls[chat] == calls:
            self.figures.lost += 1
            return
        last = max(answered, self.watch.last_call.get(chat, answered))
        self.figures.latencies.append(last - started)
        self.figures.by_step[person.step].append(last - started)

    def _take(self) -> dict[str, Any]:
        return self.state.updates.pop()

    async def send(self, person: Person, text: str, **extra: Any) -> None:
        self.api.user_sends(self.token, person.user, text=text, **extra)
        await self.post(person, self._take())

    async def contact(self, person: Person, phone: str) -> None:
        self.api.user_shares_contact(self.token, person.user, phone)
        await self.post(person, self._take())

    async def press(self, person: Person, match: str, *, by_widget: bool = False) -> bool:
        for message in reversed(self.api.messages(self.token, person.user.id)):
            if message.deleted:
                continue
            for text, data in inline_buttons(message):
                hit = data.split("\x1d")[-1] == match if by_widget else match in text
                if hit:
                    self.api.user_presses(self.token, person.user, message.message_id, data)
                    await self.post(person, self._take())
                    return True
        return False

    async def must_press(self, person: Person, widget: str) -> None:
        if not await self.press(person, widget, by_widget=True):
            last = self.api.last_message(self.token, person.user.id)
            said = last.text if last else None
            raise RuntimeError(f"no {widget!r} button; the bot said {said!r}")

    async def register(self, person: Person) -> None:
        n = person.index
        person.step = "register: a question"
        await self.send(person, "/start")
        await self.must_press(person, "consent_yes")
        await self.contact(person, f"+98912{n % 10**7:07d}")
        await self.send(person, "Maryam Ahmadi")
        await self.send(person, national_code(123_456 + n * 7919))
        await self.send(person, "1370/5/6")
        await self.must_press(person, "gender:female")
        await self.must_press(person, "province:7")
        await self.send(person, "Karaj")
        await self.must_press(person, "education:diploma")
        await self.must_press(person, "relief_no")
        await self.must_press(person, "decile:3")
        person.step = "register: save"
        await self.must_press(person, "confirm")

    async def act(self, person: Person) -> None:
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        kind = person.rng.choice(kinds)
        person.step = kind
        if kind == "page" and await self.press(
            person, "Next ▶️" if person.page == 0 else "◀️ Previous"
        ):
            person.page = 1 - person.page
        elif kind == "search" and await self.press(person, "🔎 Search"):
            person.step = "search: the words"
            await self.send(person, person.rng.choice(SEARCH_WORDS))
        elif kind in ("courses", "page", "search"):
            person.step = "courses"
            person.page = 0
            await self.send(person, "/courses")
        elif kind == "my_file":
            await self.send(person, "/myfile")
        else:
            await self.send(person, "❓ Help")

    async def person(self, person: Person, actions: int) -> None:
        await self.register(person)
        for _ in range(actions):
            await self.act(person)


async def phase(
    api: SandboxBotAPI, token: str, front: str, people: int, first_user: int, actions: int,
    limit_seconds: float, *, pause: float,
) -> tuple[Figures, float, int]:
    """`people` new people register and take `actions` steps each, `pause` seconds apart on
    average; stopped after `limit_seconds`. Returns the figures, the seconds and how many
    people finished."""
    figures = Figures()
    load = Load(api, token, front, figures)
    load.pause = pause
    crowd = [
        # Numbers (phone, national code) follow the user: unique across phases.
        Person(SandboxUser(first_user + i, first_name="Maryam", language_code="en"),
               first_user - FIRST_USER + i, random.Random(first_user + i))
        for i in range(people)
    ]  # fmt: skip
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        load.http = http
        started = time.perf_counter()
        tasks = [asyncio.create_task(load.person(p, actions)) for p in crowd]
        done, pending = await asyncio.wait(tasks, timeout=limit_seconds)
        seconds = time.perf_counter() - started
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            if task.exception() is not None:
                figures.errors += 1
                print(f"  a person stopped: {task.exception()!r}", flush=True)
    load.watch.stop()
    return figures, seconds, len(done)


async def run_setup(
    name: str, database_url: str, redis_url: str | None, workers: int, args: argparse.Namespace,
    logs: Path,
) -> dict[str, Any]:
    api = SandboxBotAPI(record_calls=False)
    bot_id = random.randint(8_000_000_000, 8_999_999_999)
    token = f"{bot_id}:load-{secrets.token_hex(4)}"
    api.add_bot(token, "telegram", bot_id=bot_id)
    server: SandboxServer = await start_sandbox_server(api)
    front_port, ports = free_port(), [free_port() for _ in range(workers)]
    prefix = f"loadbench{secrets.token_hex(4)}"
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_TOKEN": token,
        "TELEGRAM_API_BASE": server.base_url, "BALE_TOKEN": "", "DATABASE_URL": database_url,
        "REDIS_URL": redis_url or "", "REDIS_PREFIX": prefix, "ADMINS": "", "QUIET_HOURS": "",
        "WEBHOOK_BASE_URL": f"http://127.0.0.1:{front_port}", "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_SECRET": WEBHOOK_SECRET, "THROTTLE_RATE": "1000000000", "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    log = logs / f"{name.replace(' ', '_').replace('+', '')}.log"
    processes = [start_worker(env, port, log.with_suffix(f".{i}.log"))
                 for i, port in enumerate(ports)]  # fmt: skip
    proxy = RoundRobin([f"http://127.0.0.1:{port}" for port in ports])
    try:
        await until_up(ports, processes, log.with_suffix(".0.log"))
        api.bot(token).webhook_url = ""  # this process POSTs the updates itself, concurrently
        async with proxy.serving(front_port):
            front = f"http://127.0.0.1:{front_port}"
            # The rate it sustains: everyone at once, each update sent as soon as the last is
            # answered (the queue never empties, so latency here is mostly waiting in it).
            figures, seconds, finished = await phase(
                api, token, front, args.people, FIRST_USER, args.actions, args.seconds,
                pause=args.think_ms / 1000,
            )
            result = figures.as_json(seconds) | {
                "workers": workers, "people": args.people, "finished_people": finished,
            }
            print(f"{name}, saturated: {json.dumps(result)}", flush=True)
            rate = result["updates_per_s"]
            if args.paced and rate:
                # Then people pausing between steps so that, together, they offer `paced` of
                # that rate: the latency a person sees when the service keeps up.
                offered = args.paced * rate
                pause = args.paced_people / offered
                paced, paced_seconds, paced_finished = await phase(
                    api, token, front, args.paced_people, FIRST_USER + args.people,
                    args.actions, args.seconds, pause=pause,
                )
                result["paced"] = paced.as_json(paced_seconds) | {
                    "offered_per_s": round(offered, 1), "share_of_saturated": args.paced,
                    "people": args.paced_people, "mean_pause_s": round(pause, 2),
                    "finished_people": paced_finished,
                }
                print(f"{name}, paced: {json.dumps(result['paced'])}", flush=True)
        result["worker_tracebacks"] = await asyncio.to_thread(tracebacks, logs, log.stem)
        print(f"{name}: {json.dumps(result)}", flush=True)
        return result
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        await server.close()
        if redis_url:
            await forget_prefix(redis_url, prefix)


@asynccontextmanager
async def seeded(url: str, courses: int) -> AsyncIterator[str]:
    engine = create_engine(url)
    try:
        await generate_catalog(engine, courses, today_in("Asia/Tehran"))
    finally:
        await engine.dispose()
    yield url


async def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="maharatyar-load-") as folder:
        logs = Path(folder)
        if args.database_url and args.redis_url:
            for workers in (1, 2):
                name = f"PostgreSQL + Redis, {workers} worker{'s' if workers > 1 else ''}"
                async with postgres_database(args.database_url) as url, seeded(url, args.catalog):
                    results[name] = await run_setup(name, url, args.redis_url, workers, args, logs)
            one, two = (results[f"PostgreSQL + Redis, {n}"]["updates_per_s"]
                        for n in ("1 worker", "2 workers"))  # fmt: skip
            results["ratio_2_to_1_workers"] = round(two / one, 3) if one else None
        else:
            print("no PostgreSQL + Redis URLs: SQLite only", flush=True)
        url = f"sqlite+aiosqlite:///{logs / 'load.db'}"
        await upgrade_database_async(url)
        async with seeded(url, args.catalog):
            results["SQLite, 1 worker"] = await run_setup("SQLite, 1 worker", url, None, 1, args,
                                                          logs)  # fmt: skip
    print(json.dumps({"bench": "load", "setups": results}), flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=40, help="simulated people, all at once")
    parser.add_argument("--actions", type=int, default=15, help="steps each after registering")
    parser.add_argument("--seconds", type=float, default=180.0, help="cap per setup")
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause before each update in the saturated phase")
    parser.add_argument("--paced", type=float, default=0.7,
                        help="then offer this share of the saturated rate (0: skip)")
    parser.add_argument("--paced-people", type=int, default=200,
                        help="people in the paced phase (their pauses set the rate)")
    parser.add_argument("--catalog", type=int, default=3000, help="courses in the catalog")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = parser.parse_args(argv)
    if not 1 <= args.people <= 1000 or not 0 <= args.actions <= 1000:
        parser.error("--people 1..1000 and --actions 0..1000")
    if not 0 <= args.paced < 1 or not 1 <= args.paced_people <= 1000:
        parser.error("--paced 0..<1 and --paced-people 1..1000")
    return args


if __name__ == "__main__":
    asyncio.run(main())
