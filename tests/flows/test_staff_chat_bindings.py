"""/bindchat, /unbindchat and /chats: administrators choose which group serves which provinces."""

from __future__ import annotations

from services.staff_chats import StaffChatRouting
from tests.flows.harness import STAFF_GROUPS, TOKENS, Sandbox
from tests.flows.staff_steps import StaffUser, add_caseworker, admin, staff_sandbox, staff_user

__all__ = ["staff_sandbox"]

TEHRAN_GROUP, NORTH_GROUP = -1002000001, -1002000002


def _in(user: StaffUser, chat_id: int) -> StaffUser:
    return StaffUser(user.person, chat_id)


def _group(box: Sandbox, platform: str, chat_id: int) -> int:
    box.api.create_group(TOKENS[platform], chat_id, f"کارشناسان {chat_id}")  # type: ignore[index]
    return chat_id


def _routing(box: Sandbox) -> StaffChatRouting:
    routing = box.app.services.staff_chat_routing
    assert isinstance(routing, StaffChatRouting)
    return routing


async def test_admin_binds_moves_lists_and_unbinds(staff_sandbox: Sandbox, platform: str) -> None:
    routing = _routing(staff_sandbox)
    boss = admin(staff_sandbox, platform)
    tehran = _in(boss, _group(staff_sandbox, platform, TEHRAN_GROUP))
    north = _in(boss, _group(staff_sandbox, platform, NORTH_GROUP))
    default = (platform, STAFF_GROUPS[platform])  # type: ignore[index]
    assert await routing.chat_for("البرز", platform) == default

    # Persian comma, «و» between names, «استان», Arabic ي: «سیستان و بلوچستان» stays one name.
    await tehran.send("/bindchat استان تهران، البرز و سيستان و بلوچستان")
    reply = tehran.last_text()
    assert "now serves" in reply and "سیستان و بلوچستان" in reply, reply
    assert "I can post" in reply and "moved" not in reply, reply
    for province in ("تهران", "البرز", "سیستان و بلوچستان"):
        assert await routing.chat_for(province, platform) == (platform, TEHRAN_GROUP)

    # A province bound elsewhere moves, and the answer says from where.
    await north.send("/bindchat مازندران,البرز")
    reply = north.last_text()
    assert "البرز was moved here" in reply and str(TEHRAN_GROUP) in reply, reply
    assert "مازندران was moved" not in reply, reply
    assert await routing.chat_for("البرز", platform) == (platform, NORTH_GROUP)
    assert await routing.chat_for("تهران", platform) == (platform, TEHRAN_GROUP)

    await north.send("/chats")
    listing = north.last_text()
    lines = listing.splitlines()
    assert any("البرز" in line and str(NORTH_GROUP) in line and "this chat" in line
               for line in lines), listing
    assert any("تهران" in line and str(TEHRAN_GROUP) in line and "this chat" not in line
               for line in lines), listing

    await tehran.send("/unbindchat")
    reply = tehran.last_text()
    assert "no longer serves" in reply and "تهران" in reply and "البرز" not in reply, reply
    assert await routing.chat_for("تهران", platform) == default
    assert await routing.chat_for("البرز", platform) == (platform, NORTH_GROUP)
    await tehran.send("/unbindchat")
    assert "No province is bound" in tehran.last_text()
    await north.send("/unbindchat")
    await north.send("/chats")
    assert "No chat is bound" in north.last_text()
    assert await routing.bindings() == []


async def test_bad_input_and_the_wrong_people(staff_sandbox: Sandbox, platform: str) -> None:
    routing = _routing(staff_sandbox)
    boss = admin(staff_sandbox, platform)
    group = _group(staff_sandbox, platform, TEHRAN_GROUP)
    in_group = _in(boss, group)

    await in_group.send("/bindchat تهران، آتلانتیس")
    assert "آتلانتیس" in in_group.last_text() and "Nothing was changed" in in_group.last_text()
    await in_group.send("/bindchat")
    assert "followed by provinces" in in_group.last_text()
    await in_group.send("/bindchat ، ،")
    assert "followed by provinces" in in_group.last_text()
    assert await routing.bindings() == []

    worker = staff_user(staff_sandbox, platform)
    await add_caseworker(boss, worker)
    await _in(worker, group).send("/bindchat تهران")
    assert "Only administrators" in _in(worker, group).last_text()
    stranger = _in(staff_user(staff_sandbox, platform), group)
    await stranger.send("/chats")
    assert "for staff members only" in stranger.last_text()
    assert await routing.bindings() == []

    # In a private chat: staff are sent to the group; a stranger's command is not ours.
    await boss.send("/bindchat تهران")
    assert "in the group" in boss.last_text()
    await worker.send("/chats")
    assert "in the group" in worker.last_text()
    outsider = staff_user(staff_sandbox, platform)
    await outsider.send("/chats")
    assert "in the group" not in outsider.last_text()
    assert await routing.bindings() == []


async def test_the_answer_says_when_the_bot_cannot_act_there(
    staff_sandbox: Sandbox, platform: str
) -> None:
    api, token = staff_sandbox.api, TOKENS[platform]  # type: ignore[index]
    boss = _in(admin(staff_sandbox, platform), _group(staff_sandbox, platform, TEHRAN_GROUP))

    api.fail_next(token, "getChatMember", status=400, description="Bad Request: chat not found")
    await boss.send("/bindchat تهران")
    assert "now serves" in boss.last_text() and "could not check" in boss.last_text()

    api.set_member(token, TEHRAN_GROUP, api.bot(token).bot_id, "left")
    await boss.send("/bindchat البرز")
    assert "I am not a member" in boss.last_text() and "I can post" not in boss.last_text()

    # A forum where the bot is only a member (Telegram): topics need the admin right.
    api.set_member(token, TEHRAN_GROUP, api.bot(token).bot_id, "member")
    api.set_forum(token, TEHRAN_GROUP)
    await boss.send("/bindchat قم")
    reply = boss.last_text()
    assert "I can post" in reply, reply
    assert ("manage topics" in reply) == (platform == "telegram"), reply


async def test_routing_falls_back_to_the_other_messengers_chat(staff_sandbox: Sandbox) -> None:
    from services.staff_alerts import StaffChats

    factory = staff_sandbox.app.session_factory
    only_bale = StaffChatRouting(factory, StaffChats({"bale": -5}))
    assert await only_bale.chat_for("تهران", "telegram") == ("bale", -5)
    assert await only_bale.chat_for(None, "bale") == ("bale", -5)
    assert await StaffChatRouting(factory, StaffChats({})).chat_for("تهران", "bale") is None
