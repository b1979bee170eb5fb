"""Shared moves for the staff-review flow tests.

Staff act in their private chat with the bot or in the staff group (harness STAFF_GROUPS);
`StaffUser` is the same person in either place. The first administrators come from ADMINS the way
a real start grants them (StaffService.grant_admins). Submitted applications are made
straight through ApplicationService (the beneficiary screens are tested elsewhere)."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.config import Platform
from bot.sandbox.models import ChatMessage
from bot.sandbox.user_side import inline_buttons
from services.accounts import IncomingUser
from services.applications import ApplicationService, DocumentOutcome
from services.jalali import today_in
from services.provinces import PROVINCES
from services.staff import StaffService
from storage.models import Course, MessengerAccount, utcnow
from storage.models import Person as PersonRow
from tests.flows.harness import STAFF_GROUPS, TOKENS, Person, Sandbox
from tests.sample_files import jpeg_file, pdf_file

# Administrator accounts named in ADMINS for every staff test (random: a shared Redis).
ADMIN_IDS: dict[Platform, int] = {
    "telegram": random.randrange(3 * 10**9, 4 * 10**9),
    "bale": random.randrange(3 * 10**9, 4 * 10**9),
}


@asynccontextmanager
async def sandbox_with_admins(
    admins: str, database_url: str, database_kind: str, request: pytest.FixtureRequest,
    **settings: Any,
) -> AsyncIterator[Sandbox]:
    """The flow sandbox with ADMINS=`admins` granted, as `python -m bot run` does at start
    (Redis too on PostgreSQL runs, when TEST_REDIS_URL is set); `settings` override others."""
    overrides: dict[str, Any] = {"admins": admins, **settings}
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    await StaffService(box.app.session_factory).grant_admins(box.settings.admin_accounts)
    try:
        yield box
    finally:
        await box.close()


@pytest.fixture
async def staff_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> AsyncIterator[Sandbox]:
    admins = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())
    async with sandbox_with_admins(admins, database_url, database_kind, request) as box:
        yield box


@dataclass
class StaffUser:
    """A person acting in one chat: their private chat with the bot, or the staff group."""

    person: Person
    chat_id: int

    @property
    def api(self) -> Any:
        return self.person.api

    @property
    def token(self) -> str:
        return TOKENS[self.person.platform]

    @property
    def user_id(self) -> int:
        return self.person.user.id

    @property
    def account(self) -> str:
        return f"{self.person.platform}:{self.user_id}"

    def in_group(self) -> StaffUser:
        return StaffUser(self.person, STAFF_GROUPS[self.person.platform])

    def messages(self) -> list[ChatMessage]:
        return [m for m in self.api.messages(self.token, self.chat_id) if not m.deleted]

    def last(self) -> ChatMessage:
        messages = self.messages()
        assert messages, "the bot has said nothing here"
        return max(messages, key=lambda m: m.version)

    def last_text(self) -> str:
        return self.last().text or self.last().raw.get("caption") or ""

    async def send(self, text: str) -> list[ChatMessage]:
        before = {m.message_id: m.version for m in self.api.messages(self.token, self.chat_id)}
        self.api.user_sends(self.token, self.person.user, text=text, chat_id=self.chat_id)
        await self.person.sandbox.pump(self.person.platform)
        return [
            m for m in self.api.messages(self.token, self.chat_id)
            if not m.deleted and before.get(m.message_id) != m.version
        ]

    async def press_data(self, message_id: int, data: str, *, forge: bool = False) -> str:
        """Press a button; returns the text of the callback answer (the little toast)."""
        update = self.api.user_presses(
            self.token, self.person.user, message_id, data, chat_id=self.chat_id, forge=forge
        )
        await self.person.sandbox.pump(self.person.platform)
        answer = self.api.callback_answer(self.token, update["callback_query"]["id"])
        return str((answer or {}).get("text") or "")

    def button(self, label: str) -> tuple[int, str]:
        """(message id, data) of the newest button whose text contains `label`."""
        for message in sorted(self.messages(), key=lambda m: m.version, reverse=True):
            for text, data in inline_buttons(message):
                if label in text:
                    return message.message_id, data
        raise AssertionError(f"no button {label!r}; last: {self.screen()}")

    def button_data(self, prefix: str) -> tuple[int, str]:
        """(message id, data) of the newest button whose callback data starts with `prefix`."""
        for message in sorted(self.messages(), key=lambda m: m.version, reverse=True):
            for _, data in inline_buttons(message):
                if data.startswith(prefix):
                    return message.message_id, data
        raise AssertionError(f"no button with data {prefix!r}; last: {self.screen()}")

    async def press(self, label: str) -> str:
        return await self.press_data(*self.button(label))

    async def press_prefix(self, prefix: str) -> str:
        return await self.press_data(*self.button_data(prefix))

    def screen(self) -> str:
        last = self.last()
        return f"{last.text!r} buttons={inline_buttons(last)}"


def staff_user(
    sandbox: Sandbox, platform: str, *, user_id: int | None = None, language: str = "en"
) -> StaffUser:
    """A person in their private chat (see `in_group` for the staff group); English unless
    `language` says otherwise, so labels stay stable while catalogs are translated."""
    extra: dict[str, Any] = {"id": user_id} if user_id is not None else {}
    person = sandbox.person(platform, language_code=language, **extra)  # type: ignore[arg-type]
    return StaffUser(person, person.user.id)


def admin(sandbox: Sandbox, platform: str) -> StaffUser:
    return staff_user(sandbox, platform, user_id=ADMIN_IDS[platform])  # type: ignore[index]


async def add_caseworker(
    admin_user: StaffUser, caseworker: StaffUser, provinces: str = ""
) -> str:
    await admin_user.send(f"/addcaseworker {caseworker.account} {provinces}".strip())
    return admin_user.last_text()


# --- beneficiaries and their applications (made through the services, not the UI) -------------

HAMNAVA_ANSWERS = {"employment": "unemployed", "household_size": "4", "needs_dormitory": "no"}
HAMNAVA_MANDATORY = ("national_card", "birth_certificate", "education_certificate", "photo")


def file_for(kind: str, n: int) -> bytes:
    """A distinct small file the document checks accept (a JPEG for photos, else a PDF)."""
    return (jpeg_file if kind == "photo" else pdf_file)(f"{kind}-{n}")


def applications(sandbox: Sandbox) -> ApplicationService:
    service = sandbox.app.services.application_service
    assert isinstance(service, ApplicationService)
    return service


async def beneficiary(
    sandbox: Sandbox, platform: str, *, province: str = "تهران", **fields: Any
) -> Person:
    """A registered person with an open private chat (so notifications can reach them)."""
    person = sandbox.person(platform, language_code="en")  # type: ignore[arg-type]
    await link_account(sandbox, person)
    account = await sandbox.app.services.account_service.refresh(platform, person.user.id)
    assert account is not None
    values: dict[str, Any] = {
        "full_name": "Zahra Ahmadi",
        "national_code": f"{random.randrange(10**9, 10**10):010d}",
        "phone": "09121234567",
        "phone_verified": True,
        "birth_date": dt.date(1995, 5, 1),
        "gender": "female",
        "province": province,
        "city": "Karaj",
        "education": "diploma",
        "relief_client": False,
        "decile": 3,
        "consent_at": utcnow(),
        "registered_at": utcnow(),
        **fields,
    }
    async with sandbox.app.session_factory() as session:
        row = await session.get(PersonRow, account.person_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        await session.commit()
    return person


async def link_account(sandbox: Sandbox, person: Person, person_id: int | None = None) -> int:
    """Open the private chat and create the account (as a first message would); with
    `person_id`, the account joins that person (the same human on a second messenger)."""
    sandbox.api.add_user(person.token, person.user)
    context = await sandbox.app.services.account_service.resolve(IncomingUser(
        platform=person.platform, user_id=person.user.id, chat_id=person.user.id,
        first_name=person.user.first_name, username=None, language_code="en",
    ))
    if person_id is None:
        return context.person_id
    async with sandbox.app.session_factory() as session:
        await session.execute(
            update(MessengerAccount)
            .where(MessengerAccount.id == context.account_id)
            .values(person_id=person_id)
        )
        await session.commit()
    sandbox.app.services.account_service.cache.forget_person(context.person_id)
    return person_id


async def person_id_of(sandbox: Sandbox, person: Person) -> int:
    account = await sandbox.app.services.account_service.refresh(person.platform, person.user.id)
    assert account is not None
    return account.person_id


async def ensure_course(sandbox: Sandbox, code: str, province: str) -> None:
    async with sandbox.app.session_factory() as session:
        if await session.scalar(select(Course.id).where(Course.course_code == code)):
            return
        session.add(Course(
            course_code=code, standard_code="7531-13-001-1", title_fa="خیاط لباس زنانه",
            title_en="Women's garment tailor", cluster_fa="صنایع پوشاک", province=province,
            city="Karaj", center_name="مرکز شماره ۱", center_type="government",
            start_date=today_in() + dt.timedelta(days=30), capacity=20, seats_taken=0,
            fee_rial=50_000_000, hamnava_coverage_pct=70, karafan=False, dormitory=False,
            delivery="in_person",
        ))
        await session.commit()


@dataclass
class Submitted:
    person: Person
    person_id: int
    app_id: int
    tracking_code: str


async def submitted_application(
    sandbox: Sandbox, platform: str, *, province: str = "تهران", **fields: Any
) -> Submitted:
    """A beneficiary's complete Hamnava application, submitted through ApplicationService."""
    person = await beneficiary(sandbox, platform, province=province, **fields)
    person_id = await person_id_of(sandbox, person)
    code = f"STF{PROVINCES.index(province) + 100}"
    await ensure_course(sandbox, code, province)
    service = applications(sandbox)
    started = await service.start_or_resume(person_id, "hamnava", code)
    assert started.view is not None, started
    app_id = started.view.id
    for question, raw in HAMNAVA_ANSWERS.items():
        assert await service.set_answer(app_id, person_id, question, raw) is None
    for kind in HAMNAVA_MANDATORY:
        outcome = await service.add_document(app_id, person_id, kind, file_for(kind, app_id))
        assert outcome is DocumentOutcome.ACCEPTED, (kind, outcome)
    result = await service.submit(app_id, person_id)
    assert result.tracking_code is not None, result
    if sandbox.senders is not None:
        # The staff groups' new-submission alerts go out now, not in the middle of what the
        # test does next in a group.
        await sandbox.outbox_settled()
    return Submitted(person, person_id, app_id, result.tracking_code)


def told(person: Person) -> list[str]:
    """What the bot has said to a beneficiary in their private chat."""
    return [m.text or "" for m in person.messages() if m.outgoing]


SandboxFor = Callable[..., AbstractAsyncContextManager[Sandbox]]


@pytest.fixture
def sandbox_for(
    database_url: str, database_kind: str, request: pytest.FixtureRequest
) -> SandboxFor:
    """A sandbox with the administrators of ADMIN_IDS, started with the test's own settings."""
    admins = ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items())

    @asynccontextmanager
    async def start(**settings: Any) -> AsyncIterator[Sandbox]:
        async with sandbox_with_admins(
            admins, database_url, database_kind, request, **settings
        ) as box:
            yield box

    return start
