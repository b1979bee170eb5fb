"""Results and certificates: the person told in plain words with the next step; a certificate
only after a passed practical exam, its number unique; then it is in My file and My
certificates, and the application is completed. Staff attendance marks are listed."""

from __future__ import annotations

import datetime as dt

import time_machine

from services.applications import Status
from storage.models import Application
from tests.flows.exam_steps import (
    SandboxFor,
    admin,
    create_session,
    enrolled,
    exam_news,
    sandbox_for,
)
from tests.flows.staff_steps import submitted_application

__all__ = ["sandbox_for"]


async def test_results_next_steps_and_certificate(
    sandbox_for: SandboxFor, platform: str
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(exam_reminder_hours="") as box:
            taker = await enrolled(box, platform)
            other = await enrolled(box, platform)
            stranger = await submitted_application(box, platform)  # same course, not enrolled
            boss = admin(box, platform)
            written = await create_session(box, platform, days_ahead=2)
            practical = await create_session(box, platform, days_ahead=3, kind="practical")

            # Not held yet: no result, no attendance.
            await boss.send(f"/result {written.id} {taker.tracking_code} pass 80")
            assert "not been held yet" in boss.last_text(), boss.last_text()
            clock.move_to(practical.starts_at + dt.timedelta(hours=3))

            await boss.send(f"/attended {written.id} {taker.tracking_code} yes")
            assert "came to the exam" in boss.last_text(), boss.last_text()
            await boss.send(f"/result {written.id} {stranger.tracking_code} pass 90")
            assert "not enrolled in this course" in boss.last_text(), boss.last_text()
            await boss.send(f"/result {written.id} {taker.tracking_code} pass ۸۵")
            assert "Result recorded: passed" in boss.last_text(), boss.last_text()
            await boss.send(f"/result {written.id} {other.tracking_code} fail 40")
            await box.outbox_settled()
            told = exam_news(taker.person)[-1]
            assert "You passed the written exam" in told and "85 out of 100" in told, told
            assert "Next step: the practical exam" in told, told
            failed = exam_news(other.person)[-1]
            assert "did not pass the written exam" in failed, failed
            assert "take the written exam again" in failed, failed

            # A certificate needs a passed practical exam.
            await boss.send(f"/certificate {taker.tracking_code} TV-1405-0001")
            assert "only after a passed practical exam" in boss.last_text(), boss.last_text()
            await boss.send(f"/result {practical.id} {taker.tracking_code} pass 92")
            await boss.send(f"/result {practical.id} {other.tracking_code} pass 70")
            await box.outbox_settled()
            assert "certificate is being prepared" in exam_news(taker.person)[-1]

            await boss.send(f"/certificate {taker.tracking_code} TV-1405-0001")
            assert "was issued" in boss.last_text(), boss.last_text()
            await boss.send(f"/certificate {other.tracking_code} TV-1405-0001")
            assert "already been used" in boss.last_text(), boss.last_text()
            await boss.send(f"/certificate {taker.tracking_code} TV-1405-0002")
            assert "already been issued" in boss.last_text(), boss.last_text()
            await box.outbox_settled()
            announced = exam_news(taker.person)[-1]
            assert announced.startswith("🏅") and "TV-1405-0001" in announced, announced

            async with box.app.session_factory() as session:
                app = await session.get(Application, taker.app_id)
                assert app is not None and app.status == Status.COMPLETED
                still = await session.get(Application, other.app_id)
                assert still is not None and still.status == Status.ENROLLED

            await taker.person.send("🎓 My certificates")
            screen = taker.person.last().text or ""
            assert "Your certificates" in screen and "TV-1405-0001" in screen, screen
            assert "Women's garment tailor" in screen or "خیاط" in screen, screen
            await taker.person.send("📂 My file")
            my_file = taker.person.last().text or ""
            assert "TV-1405-0001" in my_file and "Course completed" in my_file, my_file
            await taker.person.press("My certificates")
            assert "TV-1405-0001" in (taker.person.last().text or "")

            await boss.send(f"/exam {written.id}")
            roll = boss.last_text()
            assert "came" in roll and "passed (85)" in roll and "failed (40)" in roll, roll
