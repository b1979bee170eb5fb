"""Staff dead ends: many documents accepted in one press tell the applicant once; a card left
open shows the current status when pressed instead of acting on an old one."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import ApplicationDocument
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    HAMNAVA_MANDATORY,
    add_caseworker,
    admin,
    applications,
    staff_sandbox,
    staff_user,
    submitted_application,
    told,
)

__all__ = ["staff_sandbox"]


async def test_accepting_all_documents_sends_one_message(
    staff_sandbox: Sandbox, platform: str
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform)
    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    before = len(told(mine.person))

    toast = await worker.press(f"Accept all unchecked ({len(HAMNAVA_MANDATORY)})")
    assert "Done" in toast, toast
    news = told(mine.person)[before:]
    assert len(news) == 1, news
    for name in ("National card image", "Birth certificate", "education certificate", "photo"):
        assert name in news[0], news[0]
    async with sandbox.app.session_factory() as session:
        states = set(await session.scalars(
            select(ApplicationDocument.state)
            .where(ApplicationDocument.application_id == mine.app_id)
        ))
    assert states == {"accepted"}
    assert "Accept all" not in worker.screen(), "nothing is left to accept"


async def test_stale_card_is_redrawn_with_the_current_status(
    staff_sandbox: Sandbox, platform: str
) -> None:
    sandbox = staff_sandbox
    worker = staff_user(sandbox, platform)
    await add_caseworker(admin(sandbox, platform), worker, "تهران")
    mine = await submitted_application(sandbox, platform)
    await worker.send("/queue")
    await worker.press(mine.tracking_code)
    assert "Status: Submitted" in worker.last_text(), worker.screen()
    # Meanwhile the applicant withdraws; the card on screen still offers ✅ and Take.
    await applications(sandbox).withdraw(mine.app_id, mine.person_id, None)

    answer = await worker.press_prefix("std:accept:")
    assert "out of date" in answer and "Withdrawn" in answer, answer
    assert "Status: Withdrawn" in worker.last_text(), worker.screen()
    assert "Take" not in worker.screen() and "std:accept:" not in worker.screen()
    async with sandbox.app.session_factory() as session:
        states = set(await session.scalars(
            select(ApplicationDocument.state)
            .where(ApplicationDocument.application_id == mine.app_id)
        ))
    assert states == {"received"}, "nothing was accepted on the old card"
