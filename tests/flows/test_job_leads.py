"""Job leads through the sandbox Bot API (both flavours; SQLite, and PostgreSQL + Redis when
TEST_DATABASE_URL / TEST_REDIS_URL are set): who is told (field, province, neighbours only for
people who can move, not those who turned leads off), never twice, the digest at its hour and
never after the deadline, «I'm interested» reaching the staff chat once, forged presses."""

from __future__ import annotations

import datetime as dt

import time_machine

from bot.keyboards.job_leads import JobInterestCb
from bot.sandbox.user_side import inline_buttons
from services.jalali import today_in
from tests.flows.harness import Sandbox
from tests.flows.job_lead_steps import (
    ELECTRICAL,
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
from tests.flows.staff_steps import admin, person_id_of
from tests.flows.ticket_steps import group_messages

__all__ = ["jobs_sandbox"]


async def test_who_is_told_once(jobs_sandbox: Sandbox, platform: str) -> None:
    box = jobs_sandbox
    enrolled = await skilled(box, platform)
    completed = await skilled(box, platform, status="completed")
    other_field = await skilled(box, platform, field=ELECTRICAL)
    only_applied = await skilled(box, platform, status="submitted")
    neighbour_mover = await skilled(box, platform, province="البرز", can_move=True)
    neighbour_stayer = await skilled(box, platform, province="البرز", can_move=False)
    neighbour_unasked = await skilled(box, platform, province="البرز")
    far_mover = await skilled(box, platform, province="فارس", can_move=True)
    turned_off = await skilled(box, platform, job_leads_opt_out=True)

    posted = await post(box, platform, "خیاط ماهر")
    assert posted.matched == 3
    assert await sweep(box) == 3, await ledger(box)
    for person in (enrolled, completed, neighbour_mover):
        [notice] = notices(person)
        assert NOTICE in (notice.text or "") and "خیاط ماهر" in (notice.text or "")
        assert [label for label, _ in inline_buttons(notice)] == ["🙋 I'm interested"]
    for person in (other_field, only_applied, neighbour_stayer, neighbour_unasked, far_mover,
                   turned_off):
        assert notices(person) == [], person.screen()

    # Swept again, and the same lead matched again: nobody is told twice.
    assert await sweep(box) == 0
    async with box.app.session_factory() as session:
        from services.job_leads.model import JOB_LEAD
        from services.match_notices import record
        from storage.repositories.job_leads import matching_people
        now = dt.datetime.now(dt.UTC)
        again = await record(
            session, kind=JOB_LEAD, subject_id=posted.lead_id, now=now, digest_at=now,
            persons=matching_people("تهران", ["صنایع پوشاک"], ["البرز"], ["enrolled",
                                                                          "completed"]),
        )
        await session.commit()
    assert again == 0
    await sweep(box)
    assert len(notices(enrolled)) == 1
    assert len([n for n in await ledger(box) if n.outcome == "sent"]) == 3


async def test_digest_at_its_hour_and_never_after_the_deadline(
    jobs_sandbox: Sandbox, platform: str
) -> None:
    box = jobs_sandbox
    # 08:00 in Tehran tomorrow: the digest hour (MATCH_DIGEST_HOUR, 10:00) is ahead.
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    morning = dt.datetime.combine(today_in() + dt.timedelta(days=1), dt.time(8), tzinfo=tehran)
    with time_machine.travel(morning, tick=True) as clock:
        digest = await skilled(box, platform, job_leads_digest=True)
        instant = await skilled(box, platform)
        today = morning.date()
        await post(box, platform, "دوخت پرده")
        await post(box, platform, "برش پارچه")
        await post(box, platform, "آخرین روز امروز", deadline=today)
        await sweep(box)
        assert len(notices(instant)) == 1  # the three leads of one sweep: one message
        assert "3 job leads" in (notices(instant)[0].text or "")
        assert notices(digest) == []

        # The next day at 10:00: one digest, without the lead whose deadline was yesterday.
        clock.move_to(morning + dt.timedelta(days=1, hours=2, minutes=1))
        await sweep(box)
        [got] = notices(digest)
        text = got.text or ""
        assert "2 job leads" in text and "دوخت پرده" in text and "برش پارچه" in text, text
        assert "آخرین روز امروز" not in text
        assert len(inline_buttons(got)) == 2
        dropped = [n for n in await ledger(box) if n.outcome == "dropped"]
        assert len(dropped) == 1
        await sweep(box)
        assert len(notices(digest)) == 1


async def test_interest_reaches_the_staff_chat_once(jobs_sandbox: Sandbox, platform: str) -> None:
    box = jobs_sandbox
    person = await skilled(box, platform)
    bystander = await skilled(box, platform, field=ELECTRICAL)
    posted = await post(box, platform, "خیاط لباس مجلسی")
    other = await post(box, platform, "برقکار ساختمان", fields=(ELECTRICAL,))
    await sweep(box)
    [notice] = notices(person)
    before = len(group_messages(box, platform))
    await person.press("I'm interested")
    assert "Your interest in «خیاط لباس مجلسی» was recorded" in (person.last().text or "")
    lines = [m.text or "" for m in group_messages(box, platform)[before:]]
    assert any("💼" in line and "خیاط لباس مجلسی" in line for line in lines), lines

    # A second press: said so, nothing new.
    again = await press_for_toast(
        person, notice.message_id, JobInterestCb(lead_id=posted.lead_id).pack()
    )
    assert "already said you are interested" in again, again
    assert len(await interests(box)) == 1
    assert len(group_messages(box, platform)) == before + len(lines)

    # Forged: a lead never sent to this person (another field), and one that does not exist.
    for forged in (other.lead_id, 999_999):
        toast = await press_for_toast(
            person, notice.message_id, JobInterestCb(lead_id=forged).pack(), forge=True
        )
        assert "not available to you" in toast, toast
    assert len(await interests(box)) == 1
    assert notices(bystander)  # the electrician was told about the other lead
    [interest] = await interests(box)
    assert interest.person_id == await person_id_of(box, person)
    assert interest.ticket_id is not None

    # Staff list and export the interested people.
    boss = admin(box, platform)
    await boss.send("/jobleads")
    assert "interested: 1" in boss.last_text(), boss.screen()
    await boss.press("CSV")
    document = boss.last().raw["document"]
    content = box.api.bot(boss.token).files[document["file_id"]].content.decode("utf-8-sig")
    assert "Zahra Ahmadi" in content and "خیاط لباس مجلسی" in content


async def test_only_the_lease_holder_sweeps(jobs_sandbox: Sandbox, platform: str) -> None:
    """The running service's sweep holds the "match-notices" lease: a second worker's sweep
    writes nothing, even with notices due."""
    from bot.serving.match_notices import sweep_once

    box = jobs_sandbox
    person = await skilled(box, platform)
    await post(box, platform, "کمک‌خیاط")
    assert await sweep_once(box.app, "another-worker", lease_seconds=60) == 0
    await box.outbox_settled()
    assert notices(person) == []
    assert [n.outcome for n in await ledger(box)] == [None]
    await sweep(box)
    assert len(notices(person)) == 1
