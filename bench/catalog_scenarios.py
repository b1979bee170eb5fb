"""The list-page tap of the course browser, timed like the kinds of bench/scenarios.py: a
registered person with a home province has the course list open and taps «Next ▶️», then
«◀️ Previous», and so on; each tap re-reads a page through CatalogService and edits the
message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aiogram import Bot
from sqlalchemy import select
from sqlalchemy import update as sql_update

from bench.scenarios import NAME_ANSWER, Kind, Rig, timed_feed
from bot.app import Maharatyar
from bot.sandbox.models import SandboxUser
from bot.sandbox.user_side import inline_buttons
from services.provinces import PROVINCES
from storage.models import MessengerAccount, Person

SEARCH_LABEL = "🔎 Search"
NEXT_LABEL = "Next ▶️"  # msgids; English readers get them verbatim
PREVIOUS_LABEL = "◀️ Previous"
COURSES_COMMAND = "/courses"


@dataclass
class CourseListTap(Kind):
    rig: Rig
    app: Maharatyar
    users: list[SandboxUser]
    courses: int
    name: str = ""
    # Which page each person's list shows now (0 or 1).
    pages: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.name = f"course list page tap ({self.courses:,} courses)"

    @property
    def bot(self) -> Bot:
        return self.app.bots["telegram"]

    async def setup(self) -> None:
        # First contact creates account + empty person; then register them directly, each in a
        # province of their own.
        for user in self.users:
            await self.app.dispatcher.feed_update(self.bot, self.rig.sends(self.bot, user, "/help"))
        now = dt.datetime.now(dt.UTC)
        async with self.app.session_factory() as session:
            for index, user in enumerate(self.users):
                person_id = await session.scalar(
                    select(MessengerAccount.person_id).where(MessengerAccount.user_id == user.id)
                )
                await session.execute(
                    sql_update(Person)
                    .where(Person.id == person_id)
                    .values(registered_at=now, consent_at=now, full_name=NAME_ANSWER,
                            province=PROVINCES[index % len(PROVINCES)])
                )  # fmt: skip
            await session.commit()
        for user in self.users:
            context = await self.app.services.account_service.refresh("telegram", user.id)
            if context is None or not context.registered:
                raise RuntimeError("could not register the benchmark person")
            await timed_feed(
                self.app.dispatcher, self.bot, self.rig.sends(self.bot, user, COURSES_COMMAND)
            )
            if NEXT_LABEL not in self._buttons(user):
                raise RuntimeError(f"no course list with pages: {self.rig.last_text(user)!r}")
            self.pages[user.id] = 0

    def _buttons(self, user: SandboxUser) -> str:
        message = self.rig.api.last_message(self.rig.token, user.id)
        return " ".join(text for text, _ in inline_buttons(message)) if message else ""

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        page = self.pages[user.id]
        label = NEXT_LABEL if page == 0 else PREVIOUS_LABEL
        update = self.rig.presses(self.bot, user, label)
        before = self.rig.activity(user)
        statements, trips = self.rig.sql.statements, self.rig.redis.round_trips
        spent = await timed_feed(self.app.dispatcher, self.bot, update)
        self.statements += self.rig.sql.statements - statements
        self.round_trips += self.rig.redis.round_trips - trips
        if self.rig.activity(user) == before:
            raise RuntimeError("the course list did not change page")
        self.pages[user.id] = 1 - page
        return spent

    def check(self) -> None:
        user = self.users[0]
        expected = PREVIOUS_LABEL if self.pages[user.id] else NEXT_LABEL
        if expected not in self._buttons(user):
            raise RuntimeError(f"the list lost its page buttons: {self.rig.last_text(user)!r}")


@dataclass
class CourseSearch(CourseListTap):
    """From the course list: «🔎 Search» (untimed), then the typed words (timed): the search
    runs and the list of what it found is shown. Titles a person's province has courses of."""

    titles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.name = f"course search ({self.courses:,} courses)"

    async def step(self, index: int) -> float:
        user = self.users[index % len(self.users)]
        province = PROVINCES[self.users.index(user) % len(PROVINCES)]
        choices = self.titles.get(province) or (NAME_ANSWER,)
        words = choices[(index // len(self.users)) % len(choices)]
        await timed_feed(
            self.app.dispatcher, self.bot, self.rig.presses(self.bot, user, SEARCH_LABEL),
            profiled=False,
        )  # fmt: skip
        update = self.rig.sends(self.bot, user, words)
        before = self.rig.activity(user)
        statements, trips = self.rig.sql.statements, self.rig.redis.round_trips
        spent = await timed_feed(self.app.dispatcher, self.bot, update)
        self.statements += self.rig.sql.statements - statements
        self.round_trips += self.rig.redis.round_trips - trips
        if self.rig.activity(user) == before:
            raise RuntimeError("the search did not answer")
        return spent

    def check(self) -> None:
        user = self.users[0]
        if SEARCH_LABEL not in self._buttons(user):
            raise RuntimeError(f"the search did not end on the list: {self.rig.last_text(user)!r}")
