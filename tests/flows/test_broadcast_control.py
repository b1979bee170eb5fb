"""A running broadcast: pause and resume, cancel (asked first; the rest are not sent), forged and
stale buttons, /broadcasts."""

from __future__ import annotations

from sqlalchemy import func, select

from services.broadcasts import BroadcastState
from services.preferences import Topic
from storage.models import MessengerAccount, OutboxMessage
from tests.flows.broadcast_steps import (
    bcast_sandbox,
    broadcasts,
    compose,
    confirm_held,
    deliver_some,
    press_widget,
    received,
    resume_senders,
    texts,
    wait_for,
)
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import add_caseworker, admin, beneficiary, staff_user

__all__ = ["bcast_sandbox"]

NEWS = "Registration for the spring courses closes on Friday."


async def _start(box: Sandbox, platform: str, people: int):  # type: ignore[no-untyped-def]
    persons = [await beneficiary(box, platform) for _ in range(people)]
    boss = admin(box, platform)
    await compose(boss, NEWS)
    await press_widget(boss, "preview")
    made = await confirm_held(box, boss)
    return persons, boss, made


def reached(persons: list) -> int:  # type: ignore[type-arg]
    return sum(len(received(p, NEWS)) for p in persons)


async def test_pause_holds_the_rest_and_resume_sends_them(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    persons, boss, made = await _start(box, platform, 4)
    await deliver_some(box, platform, 1)
    assert reached(persons) == 1
    answer = await boss.press("⏸ Pause")
    assert "paused" in answer, answer
    resume_senders(box)
    await box.outbox_settled()  # the paused rows are not due: this returns at once
    await box.pump(platform)
    assert reached(persons) == 1
    progress = await box.app.services.broadcast_service.progress(made.id)
    assert progress is not None and progress.state is BroadcastState.PAUSED
    assert (progress.sent, progress.left) == (1, 3)
    answer = await boss.press("▶️ Resume")
    assert "sending" in answer, answer
    await box.outbox_settled()
    assert all(len(received(p, NEWS)) == 1 for p in persons)
    await wait_for(lambda: any("is finished" in t for t in texts(boss)))
    report = next(t for t in texts(boss) if "is finished" in t)
    assert "Sent: 4" in report and "cancelled" not in report, report


async def test_cancel_asks_first_then_the_rest_are_not_sent(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    persons, boss, made = await _start(box, platform, 4)
    await deliver_some(box, platform, 2)
    await boss.press("✖️ Cancel")
    assert "Cancel broadcast" in boss.last_text(), boss.screen()
    assert (await box.app.services.broadcast_service.progress(made.id)).state is (  # type: ignore[union-attr]
        BroadcastState.SENDING
    )
    await boss.press("No, keep sending")
    await boss.press("✖️ Cancel")
    await boss.press("Yes, cancel it")
    resume_senders(box)
    await box.outbox_settled()
    assert reached(persons) == 2
    report = next(t for t in texts(boss) if "was cancelled" in t)
    assert "Sent: 2" in report and "Not sent (cancelled): 2" in report, report
    [row] = await broadcasts(box)
    assert (row.state, row.sent, row.cancelled) == ("cancelled", 2, 2)
    async with box.app.session_factory() as session:
        pending = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None)))
    assert pending == 0
    # An old pause button (the progress message had one) now changes nothing.
    answer = await boss.press_data(made.progress_message_id or boss.last().message_id,
                                   f"bcs:pause:{made.id}", forge=True)
    assert "cancelled already" in answer, answer
    assert reached(persons) == 2


async def test_forged_and_foreign_presses_change_nothing(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    _, boss, made = await _start(box, platform, 2)
    message_id = boss.last().message_id
    answer = await boss.press_data(message_id, "bcs:pause:999999", forge=True)
    assert "no longer works" in answer, answer
    worker = staff_user(box, platform)
    await add_caseworker(boss, worker)
    await worker.send("/queue")
    answer = await worker.press_data(worker.last().message_id, f"bcs:cancel_yes:{made.id}",
                                     forge=True)
    assert "Only administrators" in answer, answer
    stranger = staff_user(box, platform)
    await stranger.send("hello")
    answer = await stranger.press_data(stranger.last().message_id, f"bcs:pause:{made.id}",
                                       forge=True)
    assert "for staff members only" in answer, answer
    state = (await box.app.services.broadcast_service.progress(made.id)).state  # type: ignore[union-attr]
    assert state is BroadcastState.SENDING


async def test_broadcasts_lists_them_with_buttons_for_the_running(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    _, boss, made = await _start(box, platform, 2)
    await boss.send("/broadcasts")
    listing = boss.last_text()
    assert f"📣 {made.id}" in listing and "sending" in listing, listing
    assert "Registration for the spring courses" in listing and "Recipients: 2" in listing
    await boss.press(f"⏸ Pause {made.id}")
    await boss.send("/broadcasts")
    assert "paused" in boss.last_text(), boss.screen()


async def test_who_turns_news_off_after_the_confirm_is_skipped(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    persons, boss, made = await _start(box, platform, 3)
    async with box.app.session_factory() as session:
        person_id = await session.scalar(select(MessengerAccount.person_id).where(
            MessengerAccount.platform == platform,
            MessengerAccount.user_id == persons[0].user.id,
        ))
    assert person_id is not None
    assert await box.app.services.notification_preferences.switch(person_id, Topic.NEWS, False)
    resume_senders(box)
    await box.outbox_settled()
    assert [len(received(p, NEWS)) for p in persons] == [0, 1, 1]
    await wait_for(lambda: any("is finished" in t for t in texts(boss)))
    progress = await box.app.services.broadcast_service.progress(made.id)
    assert progress is not None and (progress.sent, progress.skipped) == (2, 1)
