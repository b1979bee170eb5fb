"""BroadcastService against a real database: the audience, one broadcast per confirm key, pause,
resume, cancel, the report that survives purging the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.broadcasts import (
    AudienceFilter,
    BroadcastContent,
    BroadcastService,
    BroadcastState,
    EmptyAudience,
    NotAnAdministrator,
    WrongBroadcastState,
    purge_outbox,
)
from services.staff import StaffMember
from storage.models import Application, MessengerAccount, OutboxMessage, Person, utcnow

Factory = async_sessionmaker[AsyncSession]
ADMIN = StaffMember("telegram", 1, is_admin=True, is_caseworker=False, provinces=None)
CASEWORKER = StaffMember("telegram", 2, is_admin=False, is_caseworker=True, provinces=None)
NEWS = BroadcastContent(text="دوره‌های تازه")


async def _person(
    factory: Factory, number: int, *, province: str = "تهران", platforms: tuple[str, ...] = (
        "telegram",), registered: bool = True, news_off: bool = False, blocked: bool = False,
    program: str | None = None, status: str = "submitted",
    registered_at: dt.datetime | None = None,
) -> int:
    async with factory() as session:
        person = Person(
            province=province, news_opt_out=news_off,
            registered_at=(registered_at or utcnow()) if registered else None,
        )
        session.add(person)
        await session.flush()
        for platform in platforms:
            session.add(MessengerAccount(
                platform=platform, user_id=number, chat_id=number, person_id=person.id,
                blocked_at=utcnow() if blocked else None,
            ))
        if program is not None:
            session.add(Application(
                person_id=person.id, program=program, program_version="1", status=status,
                answers={},
            ))
        await session.commit()
        return person.id


async def _rows(factory: Factory, broadcast_id: int) -> list[OutboxMessage]:
    async with factory() as session:
        return list(await session.scalars(
            select(OutboxMessage).where(OutboxMessage.broadcast_id == broadcast_id)
            .order_by(OutboxMessage.id)
        ))


async def test_the_audience_counts_reachable_registered_people_per_messenger(
    session_factory: Factory,
) -> None:
    service = BroadcastService(session_factory)
    both = await _person(session_factory, 1, platforms=("telegram", "bale"))
    await _person(session_factory, 2, province="فارس", program="hamnava")
    await _person(session_factory, 3, registered=False)
    await _person(session_factory, 4, news_off=True)
    await _person(session_factory, 5, blocked=True)
    await _person(session_factory, 6, program="karafan", status="approved",
                  registered_at=utcnow() - dt.timedelta(days=40))
    assert await service.count(AudienceFilter()) == 4  # 1 on two messengers, 2 and 6
    assert await service.count(AudienceFilter(platforms=["bale"])) == 1
    assert await service.count(AudienceFilter(provinces=["فارس"])) == 1
    assert await service.count(AudienceFilter(programs=["hamnava", "karafan"])) == 2
    assert await service.count(AudienceFilter(statuses=["approved"])) == 1
    assert await service.count(AudienceFilter(programs=["hamnava"], statuses=["approved"])) == 0
    since = utcnow() - dt.timedelta(days=7)
    assert await service.count(AudienceFilter(registered_since=since)) == 3

    progress, created = await service.start(
        ADMIN, request_key="k1", author_chat_id=1, content=NEWS, audience=AudienceFilter()
    )
    assert created and progress.recipients == 4 and progress.left == 4
    rows = await _rows(session_factory, progress.id)
    assert sorted((r.person_id, r.platform) for r in rows if r.person_id == both) == [
        (both, "bale"), (both, "telegram")
    ]
    assert {r.kind for r in rows} == {"broadcast"} and all(r.priority < 0 for r in rows)


async def test_one_broadcast_per_confirm_key_and_only_administrators(
    session_factory: Factory,
) -> None:
    service = BroadcastService(session_factory)
    await _person(session_factory, 1)
    first, created = await service.start(
        ADMIN, request_key="same", author_chat_id=1, content=NEWS, audience=AudienceFilter()
    )
    again, created_again = await service.start(
        ADMIN, request_key="same", author_chat_id=1, content=NEWS, audience=AudienceFilter()
    )
    assert created and not created_again and again.id == first.id
    assert len(await _rows(session_factory, first.id)) == 1
    with pytest.raises(NotAnAdministrator):
        await service.start(CASEWORKER, request_key="other", author_chat_id=2, content=NEWS,
                            audience=AudienceFilter())
    with pytest.raises(EmptyAudience):
        await service.start(ADMIN, request_key="nobody", author_chat_id=1, content=NEWS,
                            audience=AudienceFilter(provinces=["ایلام"]))
    assert [b.id for b in await service.recent()] == [first.id]


async def test_pause_resume_cancel_and_the_report_survives_the_purge(
    session_factory: Factory,
) -> None:
    service = BroadcastService(session_factory)
    for number in range(1, 6):
        await _person(session_factory, number)
    progress, _ = await service.start(
        ADMIN, request_key="k", author_chat_id=1, content=NEWS, audience=AudienceFilter()
    )
    rows = await _rows(session_factory, progress.id)
    async with session_factory() as session:  # the sender's part: two sent, one blocked
        for row, outcome in zip(rows, ["sent", "sent", "blocked"], strict=False):
            await session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id)
                                  .values(sent_at=utcnow(), outcome=outcome))
        await session.commit()
    paused = await service.pause(ADMIN, progress.id)
    assert paused.state is BroadcastState.PAUSED and (paused.sent, paused.blocked) == (2, 1)
    with pytest.raises(WrongBroadcastState):
        await service.pause(ADMIN, progress.id)
    with pytest.raises(NotAnAdministrator):
        await service.resume(CASEWORKER, progress.id)
    assert (await service.resume(ADMIN, progress.id)).state is BroadcastState.SENDING
    cancelled = await service.cancel(ADMIN, progress.id)
    assert cancelled.state is BroadcastState.CANCELLED and cancelled.ended
    assert (cancelled.sent, cancelled.blocked, cancelled.cancelled, cancelled.left) == (2, 1, 2, 0)
    with pytest.raises(WrongBroadcastState):
        await service.resume(ADMIN, progress.id)

    assert await purge_outbox(session_factory, keep_days=30) == 0  # too recent
    removed = await purge_outbox(session_factory, keep_days=30,
                                 now=utcnow() + dt.timedelta(days=31))
    assert removed == 5 and await _rows(session_factory, progress.id) == []
    report = await service.progress(progress.id)
    assert report is not None
    assert (report.recipients, report.sent, report.blocked, report.cancelled) == (5, 2, 1, 2)


async def test_a_running_broadcast_keeps_its_rows_and_settles_when_nothing_is_left(
    session_factory: Factory,
) -> None:
    service = BroadcastService(session_factory)
    await _person(session_factory, 1)
    await _person(session_factory, 2)
    progress, _ = await service.start(
        ADMIN, request_key="k", author_chat_id=1, content=NEWS, audience=AudienceFilter()
    )
    rows = await _rows(session_factory, progress.id)
    async with session_factory() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == rows[0].id)
                              .values(sent_at=utcnow() - dt.timedelta(days=60), outcome="sent"))
        await session.commit()
    # Still sending: its finished row is kept, whatever its age.
    assert await purge_outbox(session_factory, keep_days=30) == 0
    assert (await service.settle(progress.id)).state is BroadcastState.SENDING  # type: ignore[union-attr]
    async with session_factory() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == rows[1].id)
                              .values(sent_at=utcnow(), outcome="nothing"))
        await session.commit()
    done = await service.settle(progress.id)
    assert done is not None and done.state is BroadcastState.DONE
    assert (done.sent, done.skipped, done.left) == (1, 1, 0) and done.finished_at is not None
    async with session_factory() as session:
        left = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert left == 2
