"""A connected system decides through the HTTP API and the beneficiary reads it in their chat:
the same outbox message a caseworker's decision sends, on both messengers."""

from __future__ import annotations

import httpx

from api import create_app
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import submitted_application, told


async def test_an_api_decision_reaches_the_beneficiary(sandbox: Sandbox, platform: str) -> None:
    mine = await submitted_application(sandbox, platform)
    services = sandbox.app.services
    _, key = await services.api_client_service.create("hayat", ["applications:write"])
    app = create_app(services, sandbox.app.session_factory)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://api.test") as http:
        for step, target in enumerate(("under_review", "approved")):
            answer = await http.post(
                f"/v1/applications/{mine.tracking_code}/transitions", json={"to": target},
                headers={**headers, "Idempotency-Key": f"flow-{step}"},
            )
            assert answer.status_code == 200, answer.text
            assert answer.json()["notified"] == 1
        forbidden = await http.post(
            f"/v1/applications/{mine.tracking_code}/transitions", json={"to": "completed"},
            headers={**headers, "Idempotency-Key": "flow-x"},
        )
        assert forbidden.status_code == 409
    await sandbox.outbox_settled()
    said = told(mine.person)
    assert any("is now reviewing your application" in text for text in said), said
    assert "approved" in said[-1], said
    assert mine.tracking_code in said[-1].replace("\u2068", "").replace("\u2069", ""), said
