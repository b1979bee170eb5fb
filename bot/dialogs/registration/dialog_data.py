"""What the registration form keeps between taps. The draft lives in the conversation state (SQL
or Redis storage), not in dialog_data, so it survives restarts, /cancel and days of absence; the
screen's own error and province page live in dialog_data."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext

from services.registration import ProfileDraft

DRAFT_KEY = "registration_draft"
ERROR_KEY = "error"  # the code of what was wrong with the last answer
PROVINCE_PAGE_KEY = "province_page"


async def load_draft(state: FSMContext) -> ProfileDraft:
    data = await state.get_data()
    return ProfileDraft.from_json(data.get(DRAFT_KEY))


async def save_draft(state: FSMContext, draft: ProfileDraft) -> None:
    await state.update_data({DRAFT_KEY: draft.to_json()})


async def clear_draft(state: FSMContext) -> None:
    data = await state.get_data()
    if DRAFT_KEY in data:
        data.pop(DRAFT_KEY)
        await state.set_data(data)
