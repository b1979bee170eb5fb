"""How other features open the registration form: /start, «📝 Register», /profile's «✏️ Change
my details» and the apply form's «👤 Update my profile»."""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from bot.dialogs import context as ctx
from bot.dialogs.registration.dialog_data import load_draft, save_draft
from bot.dialogs.registration.states import state_of
from services.registration import ProfileDraft


async def start_registration(manager: DialogManager, draft: ProfileDraft | None = None) -> None:
    """Open the form where the person stopped (or on `draft`, e.g. a profile to edit)."""
    state = ctx.fsm(manager)
    if draft is None:
        draft = await load_draft(state)
    else:
        await save_draft(state, draft)
    await manager.start(state_of(draft.step), mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
