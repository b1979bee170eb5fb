"""Telling a person their submission arrived, also when the process died in between.

The submit screen sends the tracking code right after the commit and then marks the submission
confirmed. A process killed between the two leaves a submission nobody was told about; the
running service looks for those once it is up (bot.serving.startup) and sends the same words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.applications.base import ServiceBase
from storage.models import utcnow
from storage.repositories.applications import ApplicationRepository

# Younger submissions may still be confirmed by the worker that took them.
CONFIRMATION_GRACE = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class UnconfirmedSubmission:
    app_id: int
    person_id: int
    program_id: str
    tracking_code: str


class ConfirmationMethods(ServiceBase):
    async def mark_confirmed(self, app_id: int) -> None:
        async with self._sessions() as session:
            await ApplicationRepository(session).mark_confirmed(app_id)
            await session.commit()

    async def unconfirmed_submissions(
        self, *, grace: dt.timedelta = CONFIRMATION_GRACE, now: dt.datetime | None = None
    ) -> list[UnconfirmedSubmission]:
        before = (now or utcnow()) - grace
        async with self._sessions() as session:
            rows = await ApplicationRepository(session).unconfirmed(before)
            return [
                UnconfirmedSubmission(app.id, app.person_id, app.program, app.tracking_code or "")
                for app in rows
            ]
