"""/metrics of a running bot: an update through the sandbox is counted per messenger and handler,
with its handling time, and shown by the API's /metrics in the same process."""

from __future__ import annotations

import asyncio

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


async def test_outbox_results_and_depth_are_shown(sandbox: Sandbox, platform: str) -> None:
    import datetime as dt

    from services.outbox import enqueue
    from tests.flows.harness import STAFF_GROUPS

    name = "maharatyar_outbox_sends_total"
    labels = (("messenger", platform), ("outcome", "failed"))
    depth_labels = (("messenger", platform),)
    before = (await metric_values(sandbox, name)).get(labels, 0.0)
    chat = STAFF_GROUPS[platform]  # type: ignore[index]
    async with sandbox.app.session_factory() as session:
        # One row no wording can say (the sender gives it up), one waiting for tomorrow.
        await enqueue(session, kind="no_such_kind", payload={}, platform=platform, chat_id=chat)
        await enqueue(session, kind="no_such_kind", payload={}, platform=platform, chat_id=chat,
                      not_before=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
        await session.commit()
    await sandbox.outbox_settled()
    for _ in range(100):
        if (await metric_values(sandbox, name)).get(labels, 0.0) > before:
            break
        await asyncio.sleep(0.02)  # the sender records its outcome just after the send
    assert (await metric_values(sandbox, name)).get(labels, 0.0) == before + 1
    depth = await metric_values(sandbox, "maharatyar_outbox_pending")
    assert depth[depth_labels] == 1.0  # read from the database at scrape time
