"""Withdrawing a job lead through the sandbox Bot API (both flavours; SQLite, and PostgreSQL +
Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set): «🚫 Close» under /jobleads and
/closelead N, each after a confirmation, administrators only; a closed lead leaves «💼 Job
leads», its pending digest notice is dropped at send time, and «🙋 I'm interested» on its old
notice is answered that it was withdrawn. Caseworkers (of its province or another), people
without a staff role and forged presses change nothing."""

from __future__ import annotations

import datetime as dt

import time_machine

from bot.keyboards.job_leads import JobInterestCb, JobLeadStaffCb
from services.jalali import today_in
from services.text import to_persian_digits
from storage.models import JobLead
from tests.flows.harness import Sandbox
from tests.flows.job_lead_steps import (
    NOTICE,
    interests,
    jobs_sandbox,
    ledger,
    notices,
    post,
    press_for_toast,
    skilled,
    sweep,
)
from tests.flows.staff_steps import add_caseworker, admin, staff_user

__all__ = ["jobs_sandbox"]

TEHRAN_TZ = dt.timezone(dt.timedelta(hours=3, minutes=30))


async def closed_at(box: Sandbox, lead_id: int) -> dt.datetime | None:
    async with box.app.session_factory() as session:
        lead = await session.get(JobLead, lead_id)
        assert lead is not None
        return lead.closed_at


async def test_a_closed_lead_is_gone_and_its_notices_dropped(
    jobs_sandbox: Sandbox, platform: str
) -> None:
    box = jobs_sandbox
    # 08:00 in Tehran tomorrow: the digest hour (10:00) is ahead.
    morning = dt.datetime.combine(today_in() + dt.timedelta(days=1), dt.time(8),
                                  tzinfo=TEHRAN_TZ)
    with time_machine.travel(morning, tick=True) as clock:
        instant = await skilled(box, platform)
        digest = await skilled(box, platform, job_leads_digest=True)
        kept = await post(box, platform, "دوخت پرده")
        closing = await post(box, platform, "خیاط تولیدی")
        await sweep(box)
        [notice] = notices(instant)
        assert "خیاط تولیدی" in (notice.text or "") and "دوخت پرده" in (notice.text or "")
        assert notices(digest) == []

        boss = admin(box, platform)
        await boss.send("/jobleads")
        await boss.press(f"Close #{closing.lead_id}")
        question = boss.last_text()
        assert "Close job lead" in question and "خیاط تولیدی" in question, boss.screen()
        await boss.press("Yes, close it")
        assert "is closed" in boss.last_text(), boss.screen()
        assert await closed_at(box, closing.lead_id) is not None
        assert await closed_at(box, kept.lead_id) is None
        # The list shows it closed, with no close button any more.
        await boss.send("/jobleads")
        assert f"Close #{closing.lead_id}" not in str(boss.screen())
        assert f"Close #{kept.lead_id}" in str(boss.screen())

        # «💼 Job leads»: only the lead still open.
        await instant.send("/jobs")
        listing = instant.last().text or ""
        assert "دوخت پرده" in listing and "خیاط تولیدی" not in listing, listing

        # «🙋 I'm interested» on the old notice: answered that it was withdrawn.
        toast = await press_for_toast(
            instant, notice.message_id, JobInterestCb(lead_id=closing.lead_id).pack()
        )
        assert "closed: it has been withdrawn" in toast, toast
        assert await interests(box) == []

        # The digest at its hour tells only the open lead; the closed one's notice is dropped.
        clock.move_to(morning + dt.timedelta(hours=2, minutes=1))
        await sweep(box)
        [got] = notices(digest)
        text = got.text or ""
        assert NOTICE in text and "دوخت پرده" in text and "خیاط تولیدی" not in text, text
        dropped = [n.subject_id for n in await ledger(box) if n.outcome == "dropped"]
        assert dropped == [closing.lead_id]


async def test_closing_is_confirmed_and_for_administrators_only(
    jobs_sandbox: Sandbox, platform: str
) -> None:
    box = jobs_sandbox
    boss = admin(box, platform)
    same_province = staff_user(box, platform)
    other_province = staff_user(box, platform)
    await add_caseworker(boss, same_province, "تهران")
    await add_caseworker(boss, other_province, "اصفهان")
    person = await skilled(box, platform)
    lead = await post(box, platform, "خیاط لباس کار")
    forged = JobLeadStaffCb(action="close_yes", lead_id=lead.lead_id).pack()

    # A caseworker of the lead's province: not theirs to close, by command or by a forged press.
    await same_province.send(f"/closelead {lead.lead_id}")
    assert "Only administrators can close job leads" in same_province.last_text()
    anchor = same_province.last().message_id
    toast = await press_for_toast(same_province.person, anchor, forged, forge=True)
    assert "Only administrators" in toast, toast
    # Another province's caseworker, the same.
    await other_province.send("/jobleads")
    toast = await press_for_toast(other_province.person, other_province.last().message_id,
                                  forged, forge=True)
    assert "Only administrators" in toast, toast
    # Someone without a staff role: the button is not theirs.
    await person.send("/jobs")
    toast = await press_for_toast(person, person.last().message_id, forged, forge=True)
    assert "for staff members only" in toast, toast
    assert await closed_at(box, lead.lead_id) is None

    # The administrator: bad numbers are explained; «No» keeps it; «Yes» closes it once.
    await boss.send("/closelead")
    assert "Write the job lead's number" in boss.last_text()
    await boss.send("/closelead abc")
    assert "Write the job lead's number" in boss.last_text()
    await boss.send("/closelead 999999")
    assert "no longer exists" in boss.last_text()
    await boss.send(f"/closelead {lead.lead_id}")
    await boss.press("No, keep it")
    assert "stays open" in boss.last_text(), boss.screen()
    assert await closed_at(box, lead.lead_id) is None
    # Persian digits are read too.
    await boss.send(f"/closelead {to_persian_digits(str(lead.lead_id))}")
    await boss.press("Yes, close it")
    assert "is closed" in boss.last_text(), boss.screen()
    first = await closed_at(box, lead.lead_id)
    assert first is not None
    # The confirmation pressed again (an old message): nothing changes.
    toast = await press_for_toast(boss.person, boss.last().message_id, forged, forge=True)
    assert "Closed" in toast
    assert "already closed" in boss.last_text(), boss.screen()
    assert await closed_at(box, lead.lead_id) == first
    await boss.send(f"/closelead {lead.lead_id}")
    assert "already closed" in boss.last_text()
