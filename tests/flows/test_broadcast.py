"""An administrator's broadcast end to end: compose, audience, preview, confirm, delivery by the
real outbox senders, the progress message and its final report, /broadcasts."""

from __future__ import annotations

import pytest

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
from tests.flows.staff_steps import ADMIN_IDS, add_caseworker, admin, beneficiary, staff_user
from tests.sample_files import jpeg_file

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


async def test_a_photo_reaches_both_messengers(bcast_sandbox: Sandbox, platform: str) -> None:
    box = bcast_sandbox
    other = "bale" if platform == "telegram" else "telegram"
    here = await beneficiary(box, platform)
    there = await beneficiary(box, other)
    boss = admin(box, platform)
    picture = jpeg_file("broadcast", 320, 200)
    await compose(boss, photo=picture, caption="Exam day is Thursday.")
    assert "Recipients now: 2" in boss.last_text(), boss.screen()
    await press_widget(boss, "preview")
    sample = [m for m in boss.messages() if m.raw.get("caption") == "Exam day is Thursday."]
    assert len(sample) == 1 and sample[0].raw.get("photo") and has_stop_button(sample[0])
    await press_widget(boss, "confirm")
    for person in (here, there):
        [got] = received(person, "Exam day is Thursday.")
        assert has_stop_button(got)
        file_id = got.raw["photo"][-1]["file_id"]
        assert box.api.bot(person.token).files[file_id].content == picture
    # The other messenger got the bytes (its bot cannot use this bot's file id).
    uploads = [p for name, p in box.api.calls(there.token) if name == "sendPhoto"]
    assert len(uploads) == 1 and str(uploads[0]["photo"]).startswith("attach://"), uploads


async def test_a_too_long_text_or_caption_is_refused_with_the_limit(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    await beneficiary(box, platform)
    boss = admin(box, platform)
    shown = await compose(boss, "خبر " * 1250)  # 5,000 characters
    assert "has 5,000 characters" in shown and "may have 4,096" in shown, shown
    assert "New broadcast" in shown  # still asking for the message
    await boss.send("ok " * 500)  # 1,500 characters: fine as a text ...
    assert "Recipients now: 1" in boss.last_text()
    await press_widget(boss, "change")
    boss.api.user_sends(boss.token, boss.person.user, photo=jpeg_file("c"), caption="x" * 1025)
    await box.pump(platform)
    shown = boss.last_text()
    assert "caption is too long" in shown and "1,025" in shown and "1,024" in shown, shown
    boss.api.user_sends(boss.token, boss.person.user, sticker=True)
    await box.pump(platform)
    assert "a text, a photo or a document" in boss.last_text(), boss.screen()
    assert await broadcasts(box) == []


async def test_a_photo_too_big_for_bale_is_refused_with_a_way_out(
    bcast_sandbox: Sandbox,
) -> None:
    box = bcast_sandbox
    await beneficiary(box, "bale")
    boss = admin(box, "telegram")
    big = jpeg_file("big") + b"\0" * (6 * 1024 * 1024)  # fits Telegram's 10 MB, not Bale's 5
    shown = await compose(boss, photo=big, caption="Big")
    assert "too large for Bale (up to 5 MB)" in shown and "as a file" in shown, shown


async def test_an_empty_audience_offers_no_confirm(bcast_sandbox: Sandbox, platform: str) -> None:
    box = bcast_sandbox
    await beneficiary(box, platform, province="تهران")
    boss = admin(box, platform)
    await compose(boss, NEWS)
    await press_widget(boss, "provinces")
    await boss.press("ایلام")
    await press_widget(boss, "done")
    assert "Recipients now: 0" in boss.last_text(), boss.screen()
    await press_widget(boss, "preview")
    assert "Nobody matches this audience" in boss.last_text(), boss.screen()
    assert [m for m in boss.messages() if m.text == NEWS] == []  # no sample either
    labels = [data.split("\x1d")[-1] for _, data in inline_buttons(boss.last())]
    assert "confirm" not in labels and "audience" in labels, labels


async def test_only_administrators_may_broadcast(bcast_sandbox: Sandbox, platform: str) -> None:
    box = bcast_sandbox
    stranger = staff_user(box, platform)
    await stranger.send("/broadcast")
    assert "did not understand" in stranger.last_text(), stranger.screen()
    worker = staff_user(box, platform)
    await add_caseworker(admin(box, platform), worker)
    await worker.send("/broadcast")
    assert "Only administrators can send broadcasts." in worker.last_text()
    await worker.send("/broadcasts")
    assert "Only administrators can send broadcasts." in worker.last_text()


async def test_confirm_twice_makes_one_broadcast(bcast_sandbox: Sandbox, platform: str) -> None:
    box = bcast_sandbox
    person = await beneficiary(box, platform)
    boss = admin(box, platform)
    await compose(boss, NEWS)
    await press_widget(boss, "preview")
    message_id, data = widget(boss, "confirm")
    await boss.press_data(message_id, data)
    await boss.press_data(message_id, data)  # the old button again
    [made] = await broadcasts(box)
    assert len(received(person, NEWS)) == 1
    assert sum(f"Broadcast {made.id}:" in t for t in texts(boss)) == 1  # one progress message


async def test_a_persian_administrator_reads_the_limit_in_persian_digits(
    bcast_sandbox: Sandbox,
) -> None:
    box = bcast_sandbox
    boss = staff_user(box, "telegram", user_id=ADMIN_IDS["telegram"], language="fa")
    await boss.send("/broadcast")
    await boss.send("خبر " * 1250)
    shown = boss.last_text()
    assert "۵٬۰۰۰" in shown and "۴٬۰۹۶" in shown, shown
    assert "5000" not in shown and "4096" not in shown


@pytest.mark.parametrize(
    "bcast_sandbox", [{"outbox_rate_telegram": 8.0, "outbox_rate_bale": 8.0}], indirect=True
)
async def test_the_progress_message_edits_in_place_only_where_edits_show(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    for _ in range(5):
        await beneficiary(box, platform)
    boss = admin(box, platform)
    await compose(boss, NEWS)
    await press_widget(boss, "preview")
    await press_widget(boss, "confirm")  # about half a second of sending at 8 a second
    await wait_for(lambda: any("is finished" in t for t in texts(boss)))
    bars = [(name, p) for name, p in box.api.calls(boss.token)
            if str(p.get("chat_id")) == str(boss.chat_id) and "Left:" in str(p.get("text") or "")]
    edits = [p for name, p in bars if name == "editMessageText"]
    sends = [p for name, p in bars if name == "sendMessage"]
    if platform == "telegram":
        assert edits and len(sends) == 1, (len(edits), len(sends))
        assert "100%" in str(edits[-1]["text"]) and "reply_markup" not in edits[-1]
    else:
        assert not edits and len(sends) > 1, (len(edits), len(sends))


async def test_broadcast_in_the_staff_group_points_to_the_private_chat(
    bcast_sandbox: Sandbox,
) -> None:
    boss = admin(bcast_sandbox, "telegram").in_group()
    await boss.send("/broadcast")
    assert "in your private chat" in boss.last_text(), boss.screen()
