"""enqueue_many writes one row per message and reachable messenger, like enqueue does for one
person: none to a blocked account or one without a private chat, in the order given."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.outbox import PersonMessage, enqueue, enqueue_many
from storage.models import MessengerAccount, OutboxMessage, Person, utcnow


async def test_rows_per_reachable_messenger(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        both, blocked, no_chat = Person(), Person(), Person()
        session.add_all([both, blocked, no_chat])
        await session.flush()
        session.add_all([
            MessengerAccount(platform="telegram", user_id=1, chat_id=1, person_id=both.id),
            MessengerAccount(platform="bale", user_id=2, chat_id=2, person_id=both.id),
            MessengerAccount(platform="telegram", user_id=3, chat_id=3, person_id=blocked.id,
                             blocked_at=utcnow()),
            MessengerAccount(platform="telegram", user_id=4, chat_id=None,
                             person_id=no_chat.id),
        ])
        await session.flush()
        people = [both.id, blocked.id, no_chat.id]
        written = await enqueue_many(session, [
            PersonMessage(person_id, "k", {"n": n}, 5) for n, person_id in enumerate(people)
        ] + [PersonMessage(both.id, "k", {"n": 9}, 5)])
        one = sum([await enqueue(session, kind="k", payload={}, person_id=p) for p in people])
        assert await enqueue_many(session, []) == 0
        await session.commit()
        rows = (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.payload.is_not(None))
            .order_by(OutboxMessage.id)
        )).all()
    assert written == 4 and one == 2
    many = [row for row in rows if row.payload]
    assert [(row.person_id, row.payload["n"]) for row in many] == [
        (both.id, 0), (both.id, 0), (both.id, 9), (both.id, 9)
    ]
    assert {row.platform for row in many} == {"telegram", "bale"}
    assert all(row.priority == 5 and row.attempts == 0 for row in many)
