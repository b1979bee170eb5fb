"""The staff groups' alerts go through the outbox: a submission is announced with its tracking
code and never a person's details; an alert survives a messenger's 5xx; past the hourly
threshold one digest stands for the rest of the hour; no staff group, no rows."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.serving.outbox import start_outbox_senders
from services.staff import StaffMember
from services.staff_alerts import (
    NEW_SUBMISSION,
    STAFF_ALERT,
    STAFF_ALERT_PRIORITY,
    STAFF_KINDS,
    SUBMISSION_DIGEST,
)
from services.text import display_code, to_persian_digits
from storage.models import Application, OutboxMessage
from tests.flows.apply_steps import APPLY_COURSES, apply_until_review, registered
from tests.flows.course_steps import seed_courses
from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox, started_sandbox
from tests.flows.staff_steps import applications, submitted_application
from tests.flows.steps import NATIONAL_CODE, PHONE, press_widget

TEHRAN = ZoneInfo("Asia/Tehran")


def alert_sandbox(
    request: pytest.FixtureRequest, database_kind: str, database_url: str, tmp_path: Path,
    **overrides: Any,
) -> contextlib.AbstractAsyncContextManager[Sandbox]:
    return started_sandbox(
        request, database_kind, database_url, document_dir=tmp_path / "documents", **overrides
    )


@pytest.fixture
async def sandbox_for(
    request: pytest.FixtureRequest, database_kind: str, database_url: str, tmp_path: Path
) -> Any:
    def start(**overrides: Any) -> contextlib.AbstractAsyncContextManager[Sandbox]:
        return alert_sandbox(request, database_kind, database_url, tmp_path, **overrides)

    return start


def group_posts(sandbox: Sandbox, platform: str) -> list[str]:
    token, chat = TOKENS[platform], STAFF_GROUPS[platform]  # type: ignore[index]
    return [m.text or "" for m in sandbox.api.messages(token, chat) if m.outgoing]


async def staff_rows(sandbox: Sandbox) -> list[OutboxMessage]:
    async with sandbox.app.session_factory() as session:
        return list(await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind.in_(STAFF_KINDS))
            .order_by(OutboxMessage.id)
        ))


async def test_a_submission_alerts_each_staff_group_without_personal_data(
    sandbox_for: Any, platform: str
) -> None:
    async with sandbox_for() as sandbox:
        await seed_courses(sandbox, APPLY_COURSES)
        person = await registered(sandbox, platform)
        await apply_until_review(person)
        assert group_posts(sandbox, "telegram") == group_posts(sandbox, "bale") == []
        await press_widget(person, "submit")

        rows = await staff_rows(sandbox)
        assert [(r.kind, r.platform, r.chat_id, r.priority) for r in rows] == [
            (NEW_SUBMISSION, "telegram", STAFF_GROUPS["telegram"], STAFF_ALERT_PRIORITY),
            (NEW_SUBMISSION, "bale", STAFF_GROUPS["bale"], STAFF_ALERT_PRIORITY),
        ]
        assert all(r.sent_at is not None for r in rows), rows
        async with sandbox.app.session_factory() as session:
            app = (await session.scalars(select(Application))).one()
        assert app.tracking_code
        code = display_code(app.tracking_code, "fa")  # the staff's language: Persian
        for where in ("telegram", "bale"):
            posts = group_posts(sandbox, where)
            assert len(posts) == 1, posts
            post = posts[0]
            assert code in post and "همنوا" in post and "تهران" in post and "/queue" in post, post
            for secret in ("Maryam", "Ahmadi", NATIONAL_CODE, PHONE, PHONE[1:]):
                assert secret not in post and to_persian_digits(secret) not in post, post


async def test_a_staff_alert_survives_a_server_error(sandbox_for: Any) -> None:
    async with sandbox_for(outbox_backoff_seconds=0.05) as sandbox:
        # The senders wait while the person applies, so the 500 meets the alert, not a reply.
        await sandbox._stop_senders()
        sub = await submitted_application(sandbox, "telegram")
        sandbox.api.fail_next(TOKENS["telegram"], "sendMessage", status=500)
        sandbox.senders = start_outbox_senders(sandbox.app)
        deadline = time.monotonic() + 10
        while not group_posts(sandbox, "telegram"):
            assert time.monotonic() < deadline, "the alert was lost after the 500"
            await asyncio.sleep(0.02)
        await sandbox.outbox_settled()  # the post is seen before the sender records it
        assert len(group_posts(sandbox, "telegram")) == 1
        assert display_code(sub.tracking_code, "fa") in group_posts(sandbox, "telegram")[0]
        row = next(r for r in await staff_rows(sandbox) if r.platform == "telegram")
        assert row.attempts == 1 and row.sent_at is not None, row
        assert "TelegramServerError" in (row.last_error or ""), row.last_error


async def test_past_the_hourly_threshold_one_digest_counts_the_rest(sandbox_for: Any) -> None:
    tomorrow = dt.datetime.now(TEHRAN).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(10, 20), TEHRAN)
    with time_machine.travel(start, tick=True) as clock:
        async with sandbox_for(staff_alert_digest_after=1) as sandbox:
            subs = [await submitted_application(sandbox, "telegram") for _ in range(3)]

            rows = await staff_rows(sandbox)
            assert sorted((r.kind, r.platform) for r in rows) == sorted([
                (NEW_SUBMISSION, "telegram"), (NEW_SUBMISSION, "bale"),
                (SUBMISSION_DIGEST, "telegram"), (SUBMISSION_DIGEST, "bale"),
            ]), [(r.kind, r.platform) for r in rows]
            first = [r for r in rows if r.kind == NEW_SUBMISSION]
            assert {r.payload["application_id"] for r in first} == {subs[0].app_id}
            next_hour = dt.datetime.combine(tomorrow, dt.time(11, 0), TEHRAN)
            for digest in (r for r in rows if r.kind == SUBMISSION_DIGEST):
                assert digest.sent_at is None and digest.priority == STAFF_ALERT_PRIORITY
                assert _utc(digest.not_before) == next_hour, digest.not_before
            assert len(group_posts(sandbox, "telegram")) == 1

            # The waiting digest holds back no other alert of the group.
            await applications(sandbox).withdraw(subs[1].app_id, subs[1].person_id)
            await sandbox.outbox_settled()
            posts = group_posts(sandbox, "telegram")
            assert len(posts) == 2 and "انصراف داد" in posts[1], posts

            clock.move_to(next_hour + dt.timedelta(seconds=5))
            await sandbox.outbox_settled()
            for where in ("telegram", "bale"):
                posts = group_posts(sandbox, where)
                assert len(posts) == 3, posts
                digest_text = posts[2]
                assert "از آخرین اعلان: ۲." in digest_text, digest_text
                assert "همنوا (بورسیه مهارتی)، تهران: ۲" in digest_text, digest_text
                assert "/queue" in digest_text
                assert subs[0].tracking_code not in digest_text
            assert len([r for r in await staff_rows(sandbox) if r.kind == STAFF_ALERT]) == 2


async def test_without_a_staff_group_nothing_is_queued(sandbox_for: Any) -> None:
    async with sandbox_for(staff_chat_telegram=None, staff_chat_bale=None) as sandbox:
        sub = await submitted_application(sandbox, "telegram")
        await applications(sandbox).withdraw(sub.app_id, sub.person_id)
        assert await staff_rows(sandbox) == []
        # The same submission with a group configured is told: the check above can fail.
    async with sandbox_for() as sandbox:
        await submitted_application(sandbox, "telegram")
        assert len(await staff_rows(sandbox)) == 2


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


async def test_a_province_bound_to_its_own_chat_gets_its_alerts_there_only(
    sandbox_for: Any,
) -> None:
    async with sandbox_for() as sandbox:
        # Tehran is served from a Bale group, though the applicant is on Telegram.
        tehran_group = -1002000009
        sandbox.api.create_group(TOKENS["bale"], tehran_group, "کارشناسان تهران")
        boss = StaffMember("bale", 1, is_admin=True, is_caseworker=False, provinces=None)
        await sandbox.app.services.staff_chat_routing.bind(boss, "bale", tehran_group, ["تهران"])
        sub = await submitted_application(sandbox, "telegram")
        rows = await staff_rows(sandbox)
        assert [(r.kind, r.platform, r.chat_id) for r in rows] == [
            (NEW_SUBMISSION, "bale", tehran_group)
        ]
        await sandbox.outbox_settled()
        posts = [m.text or "" for m in sandbox.api.messages(TOKENS["bale"], tehran_group)
                 if m.outgoing]
        assert len(posts) == 1 and display_code(sub.tracking_code, "fa") in posts[0], posts
        assert group_posts(sandbox, "telegram") == group_posts(sandbox, "bale") == []
