"""Exam sessions and results imported by file: in chat (an administrator's file captioned
/import_exams) and by `python -m bot import-exams`. Bad rows get a line-numbered report and
nothing is written (nobody told); a good file creates the sessions and tells the enrolled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from bot.__main__ import main
from storage.models import ExamResult, ExamSession
from tests.flows.exam_steps import (
    SandboxFor,
    admin,
    course_code,
    create_session,
    enrolled,
    exam_news,
    local_day,
    sandbox_for,
)
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import StaffUser, ensure_course, submitted_application

__all__ = ["sandbox_for"]
SESSION_HEADER = "course_code,kind,date,time,place,capacity,latitude,longitude"


async def _count(box: Sandbox, model: type) -> int:
    async with box.app.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def send_file(boss: StaffUser, name: str, data: bytes) -> str:
    boss.api.user_sends(boss.token, boss.person.user, document=(name, data, "text/csv"),
                        caption="/import_exams", chat_id=boss.chat_id)
    await boss.person.sandbox.pump(boss.person.platform)
    return boss.last_text()


async def test_sessions_file_with_bad_rows_then_good(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for() as box:
        person = (await enrolled(box, platform)).person
        boss = admin(box, platform)
        code = course_code()
        bad = "\n".join([
            SESSION_HEADER,
            f"{code},written,{local_day(3)},09:30,Center 1,30,,",
            f"{code},written,2026-12-20,09:30,Center 1,30,,",  # line 3: Gregorian
            f"{code},oral,{local_day(3)},09:30,Center 1,30,,",  # line 4: kind
            f"{code},practical,1403/07/31,09:30,Center 1,30,,",  # line 5: no such day
            f"NOPE-9,written,{local_day(3)},09:30,Center 1,30,,",  # line 6: course
            f"{code},written,{local_day(-3)},09:30,Center 1,30,,",  # line 7: past
            f"{code},written,{local_day(3)},09:30,Center 1,0,35.7,",  # line 8: capacity, place
        ]).encode()
        report = await send_file(boss, "exams.csv", bad)
        assert "Nothing was imported" in report and "Nothing was written" in report, report
        for line, words in ((3, "Gregorian date"), (4, "written or practical"),
                            (5, "does not exist"), (6, "no course with this code"),
                            (7, "already passed"), (8, "out of the allowed range")):
            assert f"line {line}" in report and words in report, (line, report)
        assert "line 2" not in report, report
        assert await _count(box, ExamSession) == 0
        await box.outbox_settled()
        assert exam_news(person) == []

        good = "\n".join([
            SESSION_HEADER,
            f"{code},written,{local_day(3)},09:30,Center 1,30,35.7,51.4",
            f"{code},practical,{local_day(10)},14:00,Workshop 2,12,,",
        ]).encode()
        report = await send_file(boss, "exams.csv", good)
        assert "were imported" in report and "created: 2" in report, report
        assert await _count(box, ExamSession) == 2
        await box.outbox_settled()
        news = exam_news(person)
        assert len(news) == 2 and "openstreetmap" in news[0], news


async def test_results_file_and_command_line(
    sandbox_for: SandboxFor, platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(exam_reminder_hours="") as box:
            taker = await enrolled(box, platform)
            stranger = await submitted_application(box, platform)
            session = await create_session(box, platform, days_ahead=2)
            clock.move_to(session.starts_at + dt.timedelta(hours=2))
            header = "session_id,tracking_code,result,score"
            bad = "\n".join([
                header,
                f"{session.id},{taker.tracking_code},pass,88",
                f"{session.id},{stranger.tracking_code},pass,90",  # line 3: not enrolled
                f"{session.id},{taker.tracking_code},maybe,101",  # line 4: result, score
                f"{session.id + 99},{taker.tracking_code},fail,",  # line 5: no session
            ])
            path = tmp_path / "results.csv"
            path.write_text(bad, encoding="utf-8")
            monkeypatch.setenv("DATABASE_URL", box.settings.database_url)
            assert await _main(["import-exams", str(path)]) == 1
            assert await _count(box, ExamResult) == 0

            path.write_text("\n".join([header, f"{session.id},{taker.tracking_code},pass,88"]),
                            encoding="utf-8")
            assert await _main(["import-exams", str(path)]) == 0
            assert await _count(box, ExamResult) == 1
            await box.outbox_settled()
            told = exam_news(taker.person)[-1]
            assert "You passed the written exam" in told and "88" in told, told


async def _main(argv: list[str]) -> int:
    import asyncio

    # main() runs its own event loop: off this test's loop, in a thread.
    return await asyncio.to_thread(main, argv)


async def test_unknown_header_refused(sandbox_for: SandboxFor, platform: str) -> None:
    async with sandbox_for() as box:
        await ensure_course(box, course_code(), "تهران")
        report = await send_file(admin(box, platform), "x.csv", b"course_code,when\nA,B\n")
        assert "cannot be imported" in report and "missing columns" in report, report
