"""/metrics of a running bot: an update through the sandbox is counted per messenger and handler,
with its handling time, and shown by the API's /metrics in the same process."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from api import create_app
from tests.flows.harness import Sandbox


async def metric_values(box: Sandbox, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    app = create_app(box.app.services, box.app.session_factory)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples if sample.name == name
    }


async def test_an_update_is_counted_with_its_handler_and_time(
    sandbox: Sandbox, platform: str
) -> None:
    before = await metric_values(sandbox, "maharatyar_updates_total")
    timed_before = await metric_values(sandbox, "maharatyar_handler_seconds_count")
    person = sandbox.person(platform)  # type: ignore[arg-type]
    assert await person.send("/start")

    after = await metric_values(sandbox, "maharatyar_updates_total")
    grown = {
        labels: value - before.get(labels, 0.0) for labels, value in after.items()
        if value > before.get(labels, 0.0)
    }
    assert grown, after
    assert all(dict(labels)["messenger"] == platform for labels in grown)
    handlers = {dict(labels)["handler"] for labels in grown}
    assert any(name.startswith("bot.") and name != "unhandled" for name in handlers), handlers
    timed = await metric_values(sandbox, "maharatyar_handler_seconds_count")
    assert sum(timed.values()) >= sum(timed_before.values()) + sum(grown.values())
