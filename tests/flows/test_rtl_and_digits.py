"""A Persian reader's whole path, beneficiary and caseworker, on each messenger: every line with
Persian in it reads right-to-left (tests/flows/bidi.py), every digit is Persian, and a tracking or
course code reads the same everywhere it appears (isolated, Persian digits)."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from services.applications import Status
from services.staff import StaffService
from services.text import display_code, normalize_digits, to_persian_digits
from tests.flows.apply_steps import (
    APPLY_COURSES,
    MY_FILE_LABEL,
    applications_of,
    apply_until_review,
)
from tests.flows.bidi import paragraph_direction, rtl_problems
from tests.flows.course_steps import open_card, open_courses, screen_text, seed_courses
from tests.flows.harness import STAFF_GROUPS, Sandbox
from tests.flows.staff_steps import (
    ADMIN_IDS,
    StaffUser,
    add_caseworker,
    admin,
    applications,
    file_for,
    person_id_of,
    staff_user,
    submitted_application,
)
from tests.flows.steps import press_widget, register

ASCII_DIGIT = re.compile("[0-9]")
LINK = re.compile(r"https?://\S+")


@pytest.fixture
async def rtl_sandbox(
    database_url: str, database_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Sandbox]:
    """Uploads, the small catalog and the administrators, all in one sandbox."""
    overrides: dict[str, Any] = {
        "document_dir": tmp_path / "documents",
        "admins": ",".join(f"{platform}:{user_id}" for platform, user_id in ADMIN_IDS.items()),
    }
    redis_url = None
    if database_kind == "postgresql" and os.environ.get("TEST_REDIS_URL"):
        redis_url = request.getfixturevalue("redis_url")
        overrides["redis_prefix"] = request.getfixturevalue("redis_key_prefix")
    box = await Sandbox.start(database_url, redis_url, **overrides)
    await StaffService(box.app.session_factory).grant_admins(box.settings.admin_accounts)
    await seed_courses(box, APPLY_COURSES)
    try:
        yield box
    finally:
        await box.close()


def test_the_bidi_rule_itself() -> None:
    # The checker must be able to fail: these are the shapes the issue saw scrambled.
    assert paragraph_direction("• /start — شروع") == "L"
    assert paragraph_direction("HMN-1405-000001 · همنوا") == "L"
    assert paragraph_direction("📄 \u2068HMN-1405-000001\u2069 — همنوا") == "R"
    assert paragraph_direction("• \u2066/start\u2069 — شروع") == "R"
    assert paragraph_direction("\u2068بیرون نیست") is None  # an unclosed isolate runs to the end
    assert paragraph_direction("۱۲۳") is None
    assert rtl_problems(["سلام\n/start برای شروع\nhttps://t.me/x"]) == ["/start برای شروع"]


async def press_exact(user: StaffUser, data: str) -> str:
    for message in sorted(user.messages(), key=lambda m: m.version, reverse=True):
        for row in (message.raw.get("reply_markup") or {}).get("inline_keyboard") or []:
            if any(button.get("callback_data") == data for button in row):
                return await user.press_data(message.message_id, data)
    raise AssertionError(f"no button {data!r}; last: {user.screen()}")


async def decide(worker: StaffUser, action: str, app_id: int) -> None:
    await worker.press_prefix(f"sta:{action}:{app_id}:")
    await press_exact(worker, f"sta:{action}:{app_id}:1")


def persian_texts(sandbox: Sandbox, platform: str, *chat_ids: int) -> list[str]:
    return [t for chat in chat_ids for t in sandbox.sent_texts(platform, chat)]  # type: ignore[arg-type]


async def test_persian_reader_sees_rtl_lines_and_persian_digits(
    rtl_sandbox: Sandbox, platform: str
) -> None:
    sandbox = rtl_sandbox
    # The beneficiary: registration, help, the course list and card, applying, My file.
    person = sandbox.person(platform, language_code="fa")  # type: ignore[arg-type]
    await register(person)
    await person.send("/help")
    await open_courses(person)
    await open_card(person, "A01")
    assert display_code("A01", "fa") in screen_text(person), screen_text(person)
    await person.send("/cancel")
    await apply_until_review(person)
    await press_widget(person, "submit")
    submitted = screen_text(person) + "".join(m.text or "" for m in person.messages()[-3:])
    app = (await applications_of(sandbox))[0]
    code = app.tracking_code
    assert code, app
    shown = display_code(code, "fa")
    assert shown == "\u2068" + to_persian_digits(code) + "\u2069"
    assert shown in submitted, submitted
    await person.send(MY_FILE_LABEL)
    await press_widget(person, f"app:{app.id}")
    assert shown in screen_text(person), screen_text(person)
    notices_before = len(person.messages())

    # The caseworker, in Persian: help, the queue, the card, every decision.
    worker = staff_user(sandbox, platform, language="fa")
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    await worker.send("/help")
    await worker.send("/queue")
    labels = [text for text, _ in _buttons(worker)]
    assert any(shown in label for label in labels), labels
    await worker.press_prefix(f"sta:open:{app.id}:")
    card = worker.last_text()
    assert shown in card and display_code("A01", "fa") in card, card
    await worker.press_prefix(f"sta:take:{app.id}:")  # under review
    await worker.press_prefix("std:reject:")
    await worker.send("عکس واضح نیست")  # document rejected
    await worker.press_prefix("std:accept:")  # document accepted
    await worker.press_prefix(f"sta:request:{app.id}:")
    await worker.press_prefix(f"stk:{app.id}:birth_certificate")
    await press_exact(worker, f"stk:{app.id}::")
    # One birth certificate is allowed and one is in: only replacing it can be asked for.
    await press_exact(worker, f"stk:{app.id}::replace")
    await worker.send("هر دو صفحه لطفاً")  # documents requested
    person_id = await person_id_of(sandbox, person)
    service = applications(sandbox)
    for kind in ("birth_certificate", "national_card"):
        await service.add_document(app.id, person_id, kind, file_for(kind, 7))
    assert (await service.send_documents(app.id, person_id)).ok
    await worker.press_prefix(f"sta:open:{app.id}:")  # back under review by itself
    for action in ("approve", "enrolled", "completed"):
        await decide(worker, action, app.id)

    # A second application, not approved; found by its code typed with Persian digits.
    other = await submitted_application(sandbox, platform, locale="fa")
    await worker.send("/queue " + to_persian_digits(other.tracking_code))
    assert display_code(other.tracking_code, "fa") in worker.last_text(), worker.screen()
    await worker.press_prefix(f"sta:take:{other.app_id}:")
    await worker.press_prefix(f"sta:reject:{other.app_id}:")
    await worker.send("ظرفیت تکمیل است")
    staff = await sandbox.app.services.staff_service.member(platform, worker.user_id)
    assert staff is not None
    assert (await service.card(other.app_id, staff)).view.status is Status.REJECTED

    notices = [m.text or "" for m in person.messages()[notices_before:] if m.outgoing]
    notices += [m.text or "" for m in other.person.messages() if m.outgoing]
    # Under review, a document rejected and one accepted, documents requested, approved, enrolled,
    # completed; the other person's under review and not approved.
    assert len(notices) == 9, notices
    assert {n[0] for n in notices} >= {"🔎", "⚠", "✅", "📎", "🎉", "🎓", "🏁"}, notices
    for notice in notices:
        assert display_code(code, "fa") in notice or display_code(
            other.tracking_code, "fa"
        ) in notice, notice

    texts = persian_texts(sandbox, platform, person.user.id, other.person.user.id, worker.chat_id)
    texts += persian_texts(sandbox, platform, STAFF_GROUPS[platform])
    assert rtl_problems(texts) == [], "\n".join(sorted(set(rtl_problems(texts))))
    latin_digits = [
        line for text in texts for line in LINK.sub("", text).split("\n")
        if ASCII_DIGIT.search(line)
    ]
    assert latin_digits == [], latin_digits
    assert normalize_digits(shown).strip("\u2068\u2069") == code


def _buttons(user: StaffUser) -> list[tuple[str, str]]:
    rows = (user.last().raw.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]
