"""Long polling: every configured bot from one Dispatcher."""

from __future__ import annotations

import gc

from bot.app import Maharatyar
from bot.i18n import build_i18n
from bot.serving.housekeeping import start_housekeeping, stop_housekeeping
from bot.serving.outbox import start_outbox_senders, stop_outbox_senders
from bot.serving.startup import set_commands, start_confirmation_sweep


async def run_polling(app: Maharatyar) -> None:
    i18n = build_i18n(app.settings.default_locale)
    for bot in app.bots.values():
        await bot.delete_webhook(drop_pending_updates=False)
        await set_commands(bot, i18n)
    # Everything built so far (aiogram's and pydantic's model graphs, the routers) lives until exit.
    # Frozen, the collector stops re-walking it: at Ctrl+C the interpreter's teardown otherwise
    # spends about two seconds in repeated full collections over those objects.
    gc.freeze()
    housekeeping = start_housekeeping(app)
    sweep = start_confirmation_sweep(app)
    senders = start_outbox_senders(app)
    try:
        await app.dispatcher.start_polling(
            *app.bots.values(),
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            handle_signals=True,
            close_bot_session=False,
        )
    finally:
        await stop_outbox_senders(senders)
        await stop_housekeeping(housekeeping)
        sweep.cancel()
        await app.close()
