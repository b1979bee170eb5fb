"""What staff may not do is refused politely (and logged without personal data); the
staff group serves only staff; a blocked messenger never breaks a decision."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from services.applications import Status
from services.staff import StaffMember
from services.text import to_persian_digits
from storage.models import DocumentAccess, MessengerAccount
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    applications,
    link_account,
    staff_sandbox,
    staff_user,
    submitted_application,
    told,
)

__all__ = ["staff_sandbox"]

ADMIN = StaffMember("telegram", 1, is_admin=True, is_caseworker=False, provinces=None)


async def status_of(sandbox: Sandbox, app_id: int) -> Status:
    return (await applications(sandbox).card(app_id, ADMIN)).view.status


async def audit_rows(sandbox: Sandbox) -> int:
    async with sandbox.app.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(DocumentAccess)) or 0)


async def test_other_province_and_forged_buttons(
    staff_sandbox: Sandbox, platform: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform, province="تهران")
    other = await submitted_application(
        sandbox, platform, province="اصفهان", national_code="0084575948"
    )
    other_doc = (await applications(sandbox).card(other.app_id, ADMIN)).view.documents[0].id
    await worker.send("/queue")
    message_id = worker.last().message_id

    caplog.set_level(logging.WARNING)
    answer = await worker.press_data(message_id, f"sta:open:{other.app_id}:0", forge=True)
    assert "not in your provinces" in answer, answer
    answer = await worker.press_data(message_id, f"sta:take:{other.app_id}:0", forge=True)
    assert "not in your provinces" in answer, answer
    answer = await worker.press_data(
        message_id, f"std:view:{other_doc}:{mine.app_id}", forge=True
    )
    assert "not in your provinces" in answer, answer
    assert await audit_rows(sandbox) == 0
    assert await status_of(sandbox, other.app_id) is Status.SUBMITTED
    refusals = [r for r in caplog.records if "outside their provinces" in r.getMessage()]
    assert len(refusals) == 3, caplog.text
    assert "0084575948" not in caplog.text and "Zahra" not in caplog.text

    # A tracking code in any spelling opens the card; another province's code is refused.
    await worker.send("/queue " + to_persian_digits(mine.tracking_code.lower()))
    assert "Zahra Ahmadi" in worker.last_text(), worker.screen()
    await worker.send(f"/queue {other.tracking_code}")
    assert "not in your provinces" in worker.last_text()
    await worker.send("/queue HMN-1300-999999")
    assert "No application has this tracking code" in worker.last_text()

    # Unknown actions and unreadable data: a polite word, nothing changes.
    for data in (f"sta:fly:{mine.app_id}:0", "sta:open:not-a-number", f"stk:{mine.app_id}:bogus"):
        answer = await worker.press_data(message_id, data, forge=True)
        assert "no longer works" in answer or "press" in answer, (data, answer)
    assert await status_of(sandbox, mine.app_id) is Status.SUBMITTED

    # Someone who is not staff, pressing a staff button in their private chat.
    stranger = staff_user(sandbox, platform)
    await stranger.send("/start")
    answer = await stranger.press_data(
        stranger.last().message_id, f"sta:take:{mine.app_id}:0", forge=True
    )
    assert "for staff members only" in answer, answer
    assert await status_of(sandbox, mine.app_id) is Status.SUBMITTED


async def test_withdrawn_cannot_be_approved_and_a_block_does_not_stop_a_rejection(
    staff_sandbox: Sandbox,
) -> None:
    sandbox = staff_sandbox
    boss = admin(sandbox, "telegram")
    gone = await submitted_application(sandbox, "telegram", province="تهران")
    await boss.send("/queue")
    await boss.press(gone.tracking_code)
    # Their only messenger blocked the bot: the decision stands; the outbox sender meets the 403
    # and records the block, so the next decision tells the reviewer nobody can be reached.
    sandbox.api.block(gone.person.token, gone.person.user.id)
    assert "Done" in await boss.press("Take")
    assert await status_of(sandbox, gone.app_id) is Status.UNDER_REVIEW
    assert "could not be reached" not in boss.last_text()
    assert "Done" in await boss.press("✅ 1")  # accept the national card
    assert "could not be reached" in boss.last_text(), boss.screen()
    await applications(sandbox).withdraw(gone.app_id, gone.person_id, "changed my mind")
    # The card on screen is stale: its Approve button is refused, and the card is redrawn
    # with the status the database has now.
    answer = await boss.press_data(
        boss.last().message_id, f"sta:approve:{gone.app_id}:1", forge=True
    )
    assert "out of date" in answer and "Withdrawn" in answer, answer
    assert "Status: Withdrawn" in boss.last_text(), boss.screen()
    assert await status_of(sandbox, gone.app_id) is Status.WITHDRAWN

    # The same person on Telegram and Bale; Telegram is blocked.
    app = await submitted_application(sandbox, "telegram", province="تهران")
    on_bale = sandbox.person("bale", language_code="en")
    await link_account(sandbox, on_bale, app.person_id)
    sandbox.api.block(app.person.token, app.person.user.id)
    await boss.send("/queue")
    await boss.press(app.tracking_code)
    await boss.press("Take")  # the 403 on Telegram is recorded; Bale still hears it
    await boss.press("Reject")
    await boss.send("Course is full for this season")
    assert "Done" in " ".join(m.text or "" for m in boss.messages()[-2:]), boss.screen()
    assert await status_of(sandbox, app.app_id) is Status.REJECTED
    rejection = told(on_bale)[-1]
    assert "Course is full for this season" in rejection and "not approved" in rejection
    async with sandbox.app.session_factory() as session:
        blocked = await session.scalar(
            select(MessengerAccount.blocked_at).where(
                MessengerAccount.platform == "telegram",
                MessengerAccount.user_id == app.person.user.id,
            )
        )
    assert blocked is not None


async def test_review_in_the_staff_group(staff_sandbox: Sandbox, platform: str) -> None:
    sandbox = staff_sandbox
    boss = admin(sandbox, platform).in_group()
    worker = staff_user(sandbox, platform).in_group()
    outsider = staff_user(sandbox, platform).in_group()
    await add_caseworker(boss, worker, "تهران")
    app = await submitted_application(sandbox, platform, province="تهران")

    await worker.send("/queue")
    await worker.press(app.tracking_code)
    assert "Zahra Ahmadi" in worker.last_text()

    # A group member who is not staff: refused, nothing changes.
    take = worker.button("Take")
    answer = await outsider.press_data(*take)
    assert "for staff members only" in answer, answer
    assert await status_of(sandbox, app.app_id) is Status.SUBMITTED

    await worker.press_data(*take)
    assert await status_of(sandbox, app.app_id) is Status.UNDER_REVIEW
    await worker.press("Reject")
    assert "reason" in worker.last_text()

    # Only the member who pressed is asked: a colleague's chat is not the reason.
    await boss.send("I will look at the Karaj ones after lunch")
    assert await status_of(sandbox, app.app_id) is Status.UNDER_REVIEW
    await outsider.send("hello?")
    assert await status_of(sandbox, app.app_id) is Status.UNDER_REVIEW
    await worker.send("Not a resident of the province")
    assert await status_of(sandbox, app.app_id) is Status.REJECTED
    assert "Not a resident of the province" in told(app.person)[-1], told(app.person)


async def test_persian_reader_sees_persian_digits(staff_sandbox: Sandbox) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, "telegram", language="fa")
    await add_caseworker(admin(sandbox, "telegram"), worker, "تهران")
    app = await submitted_application(sandbox, "telegram", national_code="0012345679")
    await worker.send("/queue")
    # The code reads in Persian digits on the queue button too.
    await worker.press(to_persian_digits(app.tracking_code))
    card = worker.last_text()
    assert "۰۰۱۲۳۴۵۶۷۹" in card and "۰۹۱۲۱۲۳۴۵۶۷" in card, card
    assert "0012345679" not in card
