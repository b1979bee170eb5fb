"""What the registration form keeps between taps. The draft lives in the conversation state (SQL
or Redis storage), not in dialog_data, so it survives restarts, /cancel and days of absence; the
screen's own error and province page live in dialog_data."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from aiogram.fsm.context import FSMContext

from services.registration import ProfileDraft

DRAFT_KEY = "registration_draft"
ERROR_KEY = "error"  # the code of what was wrong with the last answer
PROVINCE_PAGE_KEY = "province_page"


# The conversation data as last read or written during one update. A state (FSMContext) lives
# for one update, and the answer's handler and the next question's getter both need the draft:
# one read of the stored state serves both.
_SEEN: WeakKeyDictionary[FSMContext, dict[str, Any]] = WeakKeyDictionary()


async def load_draft(state: FSMContext) -> ProfileDraft:
    data = _SEEN.get(state)
    if data is None:
        data = _SEEN[state] = await state.get_data()
    # A new draft each time: a caller may change it and then not save it.
    return ProfileDraft.from_json(data.get(DRAFT_KEY))


async def save_draft(state: FSMContext, draft: ProfileDraft) -> None:
    _SEEN[state] = await state.update_data({DRAFT_KEY: draft.to_json()})


async def clear_draft(state: FSMContext) -> None:
    _SEEN.pop(state, None)
    data = await state.get_data()
    if DRAFT_KEY in data:
        data.pop(DRAFT_KEY)
        await state.set_data(data)
