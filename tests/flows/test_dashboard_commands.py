"""/dashboard and /stats through the bot: a staff member gets a one-time link (that really opens
a session) or the overview picture in a private chat; in a group they are told to ask in private;
a beneficiary gets neither."""

from __future__ import annotations

import re

from tests.flows.harness import Sandbox
from tests.flows.staff_steps import (
    add_caseworker,
    admin,
    beneficiary,
    staff_sandbox,
    staff_user,
)

__all__ = ["staff_sandbox"]

LINK = re.compile(r"https?://\S+/dashboard/login\?token=(\S+)")


async def test_an_administrator_gets_a_link_that_opens_once(
    staff_sandbox: Sandbox, platform: str
) -> None:
    boss = admin(staff_sandbox, platform)
    await boss.send("/dashboard")
    found = LINK.search(boss.last_text())
    assert found, boss.screen()
    access = staff_sandbox.app.services.dashboard_access
    session = await access.redeem(found.group(1))
    assert session.member.is_admin
    # A second link is a new one; the first is spent.
    await boss.send("/dashboard")
    second = LINK.search(boss.last_text())
    assert second and second.group(1) != found.group(1)


async def test_in_the_staff_group_no_link_is_posted(
    staff_sandbox: Sandbox, platform: str
) -> None:
    group = admin(staff_sandbox, platform).in_group()
    await group.send("/dashboard")
    assert not LINK.search(group.last_text())
    assert "private chat" in group.last_text(), group.last_text()


async def test_a_beneficiary_gets_no_link(staff_sandbox: Sandbox, platform: str) -> None:
    person = await beneficiary(staff_sandbox, platform)
    await person.send("/dashboard")
    await person.send("/stats")
    assert not any(LINK.search(message.text or "") for message in person.messages())
    assert not any(message.raw.get("photo") for message in person.messages())


async def test_stats_is_a_picture_with_a_persian_summary(
    staff_sandbox: Sandbox, platform: str
) -> None:
    boss = admin(staff_sandbox, platform)
    worker = staff_user(staff_sandbox, platform, language="fa")
    await add_caseworker(boss, worker, "تهران")
    await beneficiary(staff_sandbox, platform, province="تهران")
    await worker.send("/stats")
    picture = worker.last()
    assert picture.raw.get("photo"), worker.screen()
    caption = picture.raw.get("caption") or ""
    assert "درخواست‌ها" in caption and "/dashboard" in caption, caption
    assert "قبولی در آزمون‌ها در ۹۰ روز: ۰ از ۰" in caption, caption
    assert not re.search(r"[0-9]", caption.replace("/dashboard", "")), caption
