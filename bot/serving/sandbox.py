"""`python -m bot sandbox` (and `run` with no tokens): the real bot against the local emulator.

Two emulated messengers run side by side, a Telegram-flavoured and a Bale-flavoured bot, each with
a staff group; the web chat page on the same port switches between them."""

from __future__ import annotations

import logging

from bot.app import build_app
from bot.config import Platform, Settings
from bot.sandbox.core import SandboxBotAPI
from bot.sandbox.models import STAFF_USER
from bot.sandbox.server import start_sandbox_server
from bot.serving.api import api_beside_bots
from bot.serving.polling import run_polling
from bot.serving.startup import prepare_database

logger = logging.getLogger(__name__)

SANDBOX_BOTS: dict[Platform, tuple[str, int]] = {
    # platform: (token, staff group id)
    "telegram": ("1000001:sandbox-telegram-token", -1001000001),
    "bale": ("1000002:sandbox-bale-token", -1001000002),
}


def sandbox_settings(settings: Settings, base_url: str) -> Settings:
    (tg_token, tg_staff), (bale_token, bale_staff) = SANDBOX_BOTS["telegram"], SANDBOX_BOTS["bale"]
    # Someone trying the sandbox at night would see a caseworker's decision never arrive: quiet
    # hours apply here only when QUIET_HOURS is set explicitly.
    quiet_hours = settings.quiet_hours if "quiet_hours" in settings.model_fields_set else ""
    return settings.model_copy(
        update={
            "quiet_hours": quiet_hours,
            "telegram_token": _secret(tg_token),
            "bale_token": _secret(bale_token),
            "telegram_api_base": base_url,
            "bale_api_base": base_url,
            "staff_chat_telegram": tg_staff,
            "staff_chat_bale": bale_staff,
            "webhook_base_url": None,
            # The page's demo caseworker (STAFF_USER) is an administrator here, so the staff pane
            # can review applications and manage staff; this applies to the local sandbox only.
            "admins": ",".join(
                filter(None, [settings.admins, *(f"{p}:{STAFF_USER.id}" for p in SANDBOX_BOTS)])
            ),
        }
    )


def _secret(value: str) -> object:
    from pydantic import SecretStr

    return SecretStr(value)


def build_sandbox_api(
    default_flavour: str = "telegram", *, staff_forum: bool = False
) -> SandboxBotAPI:
    """`staff_forum`: the Telegram staff group has topics (Bale has none)."""
    api = SandboxBotAPI()
    order = sorted(SANDBOX_BOTS, key=lambda p: p != default_flavour)  # default tab first
    for platform in order:
        token, staff_group = SANDBOX_BOTS[platform]
        api.add_bot(token, platform, username=f"maharatyar_{platform}_bot",
                    staff_group_id=staff_group,
                    staff_group_forum=staff_forum and platform == "telegram")
    return api


async def run_sandbox(settings: Settings) -> None:
    api = build_sandbox_api(settings.sandbox_flavour, staff_forum=settings.sandbox_staff_forum)
    server = await start_sandbox_server(api, settings.sandbox_host, settings.sandbox_port)
    local = sandbox_settings(settings, server.base_url)
    await prepare_database(local)
    app = await build_app(local)
    print(
        f"\n  Maharatyar sandbox: open {server.base_url} to chat with the bot "
        f"(Telegram- and Bale-flavoured bots; the {settings.sandbox_flavour} tab opens first). "
        "Ctrl+C stops it.\n",
        flush=True,
    )
    try:
        async with api_beside_bots(local, app.services, app.session_factory):
            await run_polling(app)
    finally:
        await server.close()
        await api.close()
