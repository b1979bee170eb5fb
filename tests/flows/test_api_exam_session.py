"""A connected system sets an exam session through the HTTP API and the enrolled beneficiary
reads the notice in their chat: the same outbox notice a caseworker's session sends. One
flavour: the notice's delivery on both is test_exams.py's."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from api import create_app
from tests.flows.exam_steps import SandboxFor, course_code, enrolled, exam_news, sandbox_for

__all__ = ["sandbox_for"]


@pytest.mark.parametrize("platform", ["telegram"])
async def test_an_api_exam_session_reaches_the_enrolled(
    sandbox_for: SandboxFor, platform: str
) -> None:
    async with sandbox_for(exam_reminder_hours="") as box:
        mine = await enrolled(box, platform)
        services = box.app.services
        _, key = await services.api_client_service.create("tvto", ["exams:write"])
        app = create_app(services, box.app.session_factory)
        starts = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://api.test") as http:
            answer = await http.post("/v1/exam-sessions", json={
                "course_code": course_code(), "kind": "practical",
                "starts_at": starts.isoformat(), "place": "Tehran center no. 7",
                "capacity": 20,
            }, headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "tvto-1"})
            assert answer.status_code == 200, answer.text
            assert answer.json()["told"] == 1
        await box.outbox_settled()
        said = exam_news(mine.person)
        assert said and said[-1].startswith("🎓 An exam"), said
        assert "Tehran center no. 7" in said[-1], said
