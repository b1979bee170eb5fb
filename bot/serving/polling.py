"""Long polling: every configured bot from one Dispatcher."""

from __future__ import annotations

from bot.app import Maharatyar
from bot.i18n import build_i18n
from bot.serving.startup import set_commands, start_confirmation_sweep


async def run_polling(app: Maharatyar) -> None:
    i18n = build_i18n(app.settings.default_locale)
    for bot in app.bots.values():
        await bot.delete_webhook(drop_pending_updates=False)
        await set_commands(bot, i18n)
    sweep = start_confirmation_sweep(app)
    try:
        await app.dispatcher.start_polling(
            *app.bots.values(),
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            handle_signals=True,
            close_bot_session=False,
        )
    finally:
        sweep.cancel()
        await app.close()
