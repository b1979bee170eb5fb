"""Administrators manage caseworkers by command; others are refused or ignored."""

from __future__ import annotations

from services.staff import StaffService
from tests.flows.harness import Sandbox
from tests.flows.staff_steps import add_caseworker, admin, staff_sandbox, staff_user

__all__ = ["staff_sandbox"]


async def test_admin_adds_lists_and_removes_a_caseworker(
    staff_sandbox: Sandbox, platform: str
) -> None:
    boss = admin(staff_sandbox, platform)
    worker = staff_user(staff_sandbox, platform)
    staff = StaffService(staff_sandbox.app.session_factory)

    # Province names typed loosely (Arabic ي, no spaces, Persian comma) are recognised.
    reply = await add_caseworker(boss, worker, "تهران، سيستان وبلوچستان")
    assert "is now a caseworker" in reply, reply
    member = await staff.member(platform, worker.user_id)
    assert member is not None and member.provinces == {"تهران", "سیستان و بلوچستان"}

    await boss.send("/staff")
    listing = boss.last_text()
    assert worker.account in listing and "سیستان و بلوچستان" in listing, listing
    assert boss.account in listing and "administrator" in listing, listing

    # Bad input changes nothing and says why.
    await boss.send(f"/addcaseworker {worker.account} تهران، آتلانتیس")
    assert "آتلانتیس" in boss.last_text() and "Nothing was changed" in boss.last_text()
    await boss.send("/addcaseworker whatsapp:12 تهران")
    assert "platform:number" in boss.last_text()
    member = await staff.member(platform, worker.user_id)
    assert member is not None and member.provinces == {"تهران", "سیستان و بلوچستان"}

    # A caseworker may not manage staff; a stranger's private message is not a staff command.
    await worker.send(f"/removestaff {boss.account}")
    assert "Only administrators" in worker.last_text()
    stranger = staff_user(staff_sandbox, platform)
    await stranger.send("/staff")
    assert boss.account not in stranger.last_text()
    await stranger.send("/help")
    assert "/start" in stranger.last_text() and "/queue" not in stranger.last_text()
    await worker.send("/help")
    assert "/queue" in worker.last_text() and "/addcaseworker" not in worker.last_text()
    await boss.send("/help")
    assert "/addcaseworker" in boss.last_text()
    assert await staff.member(platform, boss.user_id) is not None

    await boss.send(f"/removestaff {worker.account}")
    assert "no longer staff" in boss.last_text()
    assert await staff.member(platform, worker.user_id) is None
    await boss.send(f"/removestaff {worker.account}")
    assert "not on the staff list" in boss.last_text()


async def test_staff_commands_in_the_group(staff_sandbox: Sandbox, platform: str) -> None:
    boss = admin(staff_sandbox, platform).in_group()
    stranger = staff_user(staff_sandbox, platform).in_group()

    await stranger.send("/staff")
    assert "for staff members only" in stranger.last_text(), stranger.screen()

    await boss.send(f"/addcaseworker {stranger.account}")
    assert "is now a caseworker" in boss.last_text() and "all" in boss.last_text()
    await stranger.send("/help")
    assert "/queue" in stranger.last_text() and "/addcaseworker" not in stranger.last_text()
