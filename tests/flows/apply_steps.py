"""Shared moves for the apply and My file flow tests: a small catalog, real file bytes,
sending photos/files/stickers/albums, and walking the Hamnava form.

Test people speak English (labels are stable while the Persian catalog is translated); buttons
are pressed by dialog widget id, never by position. Documents go to a temporary folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.sandbox.media import photo_sizes
from bot.sandbox.models import ChatMessage
from services.jalali import to_jalali_text, today_in
from storage.models import Application, ApplicationDocument
from tests.flows.course_steps import TEHRAN, FixtureCourse, seed_courses
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import current_widgets, english, press_widget, register
from tests.sample_files import jpeg_file, pdf_file, png_file

APPLY_LABEL = "📝 Apply"
MY_FILE_LABEL = "📂 My file"

# Tehran is the province `steps.register` picks. Hamnava pays for courses with a coverage share.
APPLY_COURSES = [
    FixtureCourse("A01", "خیاط لباس زنانه", "صنایع پوشاک", TEHRAN, "تهران", 20,
                  title_en="Women's garment tailor"),
    FixtureCourse("A02", "کاربر رایانه", "فناوری اطلاعات", TEHRAN, "شهریار", 30,
                  title_en="Computer operator"),
    FixtureCourse("A03", "برق‌کار ساختمان", "برق", TEHRAN, "تهران", 25, coverage=0),
    FixtureCourse("A10", "آرایشگر موی زنانه", "خدمات آرایش", "کرمانشاه", "کرمانشاه", 15),
    FixtureCourse("A90", "تراشکار", "ماشین‌ابزار", TEHRAN, "تهران", 12, capacity=10, taken=10),
]


@pytest.fixture
async def apply_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Sandbox]:
    """The flow sandbox with uploads stored under tmp_path and the small catalog above."""
    overrides: dict[str, Any] = {"document_dir": tmp_path / "documents"}
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    await seed_courses(box, APPLY_COURSES)
    try:
        yield box
    finally:
        await box.close()


# --- real file bytes (the magic numbers are what the document checks read) -----------------------


def pdf(tag: str = "a") -> bytes:
    return pdf_file(tag)


def png(tag: str = "a", width: int = 64, height: int = 48) -> bytes:
    return png_file(tag, width, height)


def jpeg(tag: str = "a", width: int = 640, height: int = 480) -> bytes:
    return jpeg_file(tag, width, height)


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


# --- sending things -------------------------------------------------------------------------------


async def send_file(person: Person, data: bytes, name: str = "scan.pdf",
                    mime: str | None = None) -> list[ChatMessage]:
    return await person.send(document=(name, data, mime or ""))


async def send_photo(person: Person, data: bytes) -> list[ChatMessage]:
    return await person.send(photo=data)


async def send_raw(person: Person, fields: dict[str, Any]) -> list[ChatMessage]:
    """Any message the sandbox has no helper for (a video, one photo of an album)."""
    before = person._seen()
    _enqueue_raw(person, fields)
    return await person._after(before)


def _enqueue_raw(person: Person, fields: dict[str, Any]) -> None:
    api = person.api
    state = api.bot(person.token)
    chat = api.add_user(person.token, person.user)
    message = api.store_message(state, chat, {"from": person.user.as_dict(), **fields},
                                outgoing=False)
    api.enqueue(state, {"message": message.public()})


async def send_video(person: Person) -> list[ChatMessage]:
    api = person.api
    stored = api.store_file(api.bot(person.token), "video", b"\x00\x00\x00\x18ftypmp42", "mp4",
                            "video/mp4")
    return await send_raw(person, {"video": {
        "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
        "width": 640, "height": 360, "duration": 4, "file_size": len(stored.content),
    }})


async def send_album(
    person: Person, photos: list[bytes], group: str = "13579"
) -> list[ChatMessage]:
    """Several photos sent together: one message each, sharing a media_group_id, all queued
    before the bot sees any (as a messenger delivers them)."""
    before = person._seen()
    api = person.api
    state = api.bot(person.token)
    for data in photos:
        stored = api.store_file(state, "photo", data, "jpg", "image/jpeg")
        _enqueue_raw(person, {"photo": photo_sizes(state, stored, (640, 480)),
                              "media_group_id": group})
    return await person._after(before)


# --- walking the form ---------------------------------------------------------------------------


def future_date(days: int = 60) -> str:
    return to_jalali_text(today_in() + dt.timedelta(days=days))


# The Hamnava questions in file order, answered the way a person would.
HAMNAVA_ANSWERS: list[tuple[str, str]] = [
    ("button", "opt:unemployed"),  # employment
    ("text", "4"),  # household_size
    ("button", "yes"),  # needs_dormitory
    ("text", "FUTURE"),  # available_from (a future date)
    ("text", "I want to open a small tailoring shop."),  # goal
]


async def registered(sandbox: Sandbox, platform: str, **answers: Any) -> Person:
    person = english(sandbox, platform)
    await register(person, **answers)
    return person


async def start_hamnava(person: Person, course: str = "A01") -> None:
    """«📝 Apply» -> Hamnava -> a course; ends on the first question."""
    await person.send(APPLY_LABEL)
    await press_widget(person, "program:hamnava")
    await press_widget(person, f"course:{course}")


async def answer_questions(person: Person) -> None:
    for how, value in HAMNAVA_ANSWERS:
        if how == "button":
            await press_widget(person, value)
        else:
            await person.send(future_date() if value == "FUTURE" else value)


async def upload_all(person: Person) -> None:
    """On the checklist: every Hamnava paper a Relief client needs, photos and PDFs mixed."""
    for kind, send in (
        ("national_card", lambda: send_photo(person, jpeg("card-front"))),
        ("birth_certificate", lambda: send_file(person, pdf("birth"), "birth.pdf")),
        ("education_certificate", lambda: send_file(person, png("diploma"), "diploma.png")),
        ("relief_letter", lambda: send_file(person, pdf("relief"), "letter.pdf")),
        ("photo", lambda: send_photo(person, jpeg("face"))),
    ):
        await press_widget(person, f"doc:{kind}")
        await send()
        if "upload_done" in current_widgets(person):  # room for a second page: go back
            await press_widget(person, "upload_done")


async def apply_until_review(person: Person, course: str = "A01") -> None:
    await start_hamnava(person, course)
    await answer_questions(person)
    await upload_all(person)
    await press_widget(person, "docs_done")
    assert "submit" in current_widgets(person), person.screen()


# --- reading the database -------------------------------------------------------------------------


async def applications_of(sandbox: Sandbox) -> list[Application]:
    async with sandbox.app.session_factory() as session:
        return list((await session.scalars(select(Application).order_by(Application.id))).all())


async def documents_of(sandbox: Sandbox, app_id: int) -> list[ApplicationDocument]:
    async with sandbox.app.session_factory() as session:
        rows = await session.scalars(
            select(ApplicationDocument)
            .where(ApplicationDocument.application_id == app_id)
            .order_by(ApplicationDocument.id)
        )
        return list(rows.all())


def text_of(person: Person) -> str:
    return person.last().text or ""
