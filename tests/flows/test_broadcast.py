"""An administrator's broadcast end to end: compose, audience, preview, confirm, delivery by the
real outbox senders, the progress message and its final report, /broadcasts."""

from __future__ import annotations

from bot.sandbox.user_side import inline_buttons
from tests.flows.broadcast_steps import (
    bcast_sandbox,
    broadcasts,
    compose,
    has_stop_button,
    press_widget,
    received,
    texts,
    wait_for,
    widget,
)
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import admin, beneficiary

__all__ = ["bcast_sandbox"]

NEWS = "New tailoring courses open next month in Alborz."


async def test_one_province_gets_it_once_and_the_report_follows(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    other = "bale" if platform == "telegram" else "telegram"
    inside = [
        await beneficiary(box, platform, province="البرز"),
        await beneficiary(box, other, province="البرز"),
    ]
    outside = await beneficiary(box, platform, province="تهران")
    boss = admin(box, platform)

    shown = await compose(boss, NEWS)
    assert "Recipients now: 3" in shown, shown
    await press_widget(boss, "provinces")
    await boss.press("البرز")
    await press_widget(boss, "done")
    assert "Provinces: البرز" in boss.last_text() and "Recipients now: 2" in boss.last_text()
    await press_widget(boss, "preview")
    sample = [m for m in boss.messages() if m.text == NEWS]
    assert len(sample) == 1 and has_stop_button(sample[0]), boss.screen()
    assert "It goes to 2 recipients." in boss.last_text(), boss.screen()

    await press_widget(boss, "confirm")
    for person in inside:
        got = received(person, NEWS)
        assert len(got) == 1 and has_stop_button(got[0]), person.messages()
    assert received(outside, NEWS) == []
    await wait_for(lambda: any("is finished" in t for t in texts(boss)))
    report = next(t for t in texts(boss) if "is finished" in t)
    assert "Recipients: 2" in report and "Sent: 2" in report, report
    [made] = await broadcasts(box)
    assert (made.state, made.recipients, made.sent) == ("done", 2, 2)
    assert made.audience["provinces"] == ["البرز"]
    # Nothing more arrives later (exactly once).
    await box.outbox_settled()
    assert all(len(received(p, NEWS)) == 1 for p in inside)
