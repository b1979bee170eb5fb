"""A submission committed by a process that died before telling the person (the tracking code was
never sent) is confirmed by the next start, once; one confirmed on the submit screen is not
confirmed again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.serving.startup import start_confirmation_sweep
from services.text import FSI, PDI
from storage.models import Application, utcnow
from tests.flows.apply_steps import (
    applications_of,
    apply_sandbox,
    apply_until_review,
    registered,
)
from tests.flows.harness import Person, Sandbox
from tests.flows.steps import press_widget

__all__ = ["apply_sandbox"]


async def _submitted_minutes_ago(sandbox: Sandbox, app_id: int, minutes: int) -> None:
    async with sandbox.app.session_factory() as session:
        await session.execute(
            update(Application).where(Application.id == app_id)
            .values(submitted_at=utcnow() - dt.timedelta(minutes=minutes))
        )
        await session.commit()


async def _start(sandbox: Sandbox) -> None:
    """A new process, and what it does once its bots are up."""
    await sandbox.restart()
    await start_confirmation_sweep(sandbox.app)


def _outgoing(person: Person) -> list[str]:
    return [m.text or "" for m in person.messages() if m.outgoing]


async def test_submission_nobody_was_told_of_is_confirmed_once_at_the_next_start(
    apply_sandbox: Sandbox, platform: str
) -> None:
    person = await registered(apply_sandbox, platform)
    await apply_until_review(person)
    [draft] = await applications_of(apply_sandbox)
    # The commit happens, then the process dies: no screen, no message.
    result = await apply_sandbox.app.services.application_service.submit(
        draft.id, draft.person_id
    )
    assert result.ok and result.tracking_code
    told_before = _outgoing(person)

    await _start(apply_sandbox)  # too fresh: its own worker may still be confirming it
    assert _outgoing(person) == told_before

    await _submitted_minutes_ago(apply_sandbox, draft.id, 2)
    await _start(apply_sandbox)
    new = _outgoing(person)[len(told_before):]
    assert len(new) == 1, new
    assert "✅ Your application to Hamnava" in new[0], new[0]
    assert f"Tracking code: {FSI}{result.tracking_code}{PDI}" in new[0], new[0]
    [app] = await applications_of(apply_sandbox)
    assert app.confirmed_at is not None

    await _start(apply_sandbox)
    assert len(_outgoing(person)) == len(told_before) + 1


async def test_submission_confirmed_on_the_screen_is_not_confirmed_again(
    apply_sandbox: Sandbox, platform: str
) -> None:
    person = await registered(apply_sandbox, platform)
    await apply_until_review(person)
    await press_widget(person, "submit")
    assert "Tracking code" in _outgoing(person)[-1]
    [app] = await applications_of(apply_sandbox)
    assert app.confirmed_at is not None
    told = _outgoing(person)

    await _submitted_minutes_ago(apply_sandbox, app.id, 2)
    await _start(apply_sandbox)
    assert _outgoing(person) == told
