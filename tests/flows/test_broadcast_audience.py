"""The audience screen: program, status, course field, registration date and messenger narrow
the live count; a document broadcast reaches both messengers."""

from __future__ import annotations

from tests.flows.broadcast_steps import (
    bcast_sandbox,
    broadcasts,
    compose,
    has_stop_button,
    press_widget,
    received,
)
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import admin, beneficiary, submitted_application
from tests.sample_files import pdf_file

__all__ = ["bcast_sandbox"]


def count_line(text: str) -> str:
    return next(line for line in text.splitlines() if "Recipients now" in line)


async def pick(user, facet: str, label: str) -> None:  # type: ignore[no-untyped-def]
    await press_widget(user, facet)
    await user.press(label)
    if facet not in ("platforms", "since_days"):  # one choice returns by itself
        await press_widget(user, "done")


async def test_each_part_of_the_audience_narrows_the_count(
    bcast_sandbox: Sandbox, platform: str
) -> None:
    box = bcast_sandbox
    other = "bale" if platform == "telegram" else "telegram"
    applicant = await submitted_application(box, platform, province="البرز")
    await beneficiary(box, platform)
    await beneficiary(box, other)
    boss = admin(box, platform)
    text = await compose(boss, "Hello")
    assert count_line(text).endswith(": 3"), text

    await pick(boss, "programs", "Hamnava")
    assert "Program: Hamnava" in boss.last_text()
    assert count_line(boss.last_text()).endswith(": 1"), boss.last_text()
    await pick(boss, "statuses", "Sent, waiting for review")
    await pick(boss, "fields", "صنایع پوشاک")
    await pick(boss, "since_days", "The last 7 days")
    assert "Registered: The last 7 days" in boss.last_text()
    assert count_line(boss.last_text()).endswith(": 1"), boss.last_text()
    await pick(boss, "platforms", "Telegram" if other == "telegram" else "Bale")
    assert count_line(boss.last_text()).endswith(": 0"), boss.last_text()
    await pick(boss, "platforms", "All messengers")
    await press_widget(boss, "preview")
    await press_widget(boss, "confirm")
    assert len(received(applicant.person, "Hello")) == 1
    [made] = await broadcasts(box)
    assert made.recipients == 1 and made.audience["programs"] == ["hamnava"]


async def test_a_document_reaches_both_messengers(bcast_sandbox: Sandbox, platform: str) -> None:
    box = bcast_sandbox
    other = "bale" if platform == "telegram" else "telegram"
    people = [await beneficiary(box, platform), await beneficiary(box, other)]
    boss = admin(box, platform)
    paper = pdf_file("timetable")
    await compose(boss, document=("timetable.pdf", paper, "application/pdf"),
                  caption="The exam timetable")
    await press_widget(boss, "preview")
    await press_widget(boss, "confirm")
    for person in people:
        [got] = received(person, "The exam timetable")
        assert has_stop_button(got)
        document = got.raw["document"]
        assert document["file_name"] == "timetable.pdf"
        assert box.api.bot(person.token).files[document["file_id"]].content == paper
