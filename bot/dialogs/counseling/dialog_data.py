"""What counseling keeps between taps. The questionnaire in progress lives in the conversation
state (SQL or Redis storage), beside the registration draft, so /cancel, the main menu and
restarts keep the answers given so far; the notice on top of the screen lives in dialog_data."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext

from services.counseling import Progress

PROGRESS_KEY = "counseling_progress"
NOTICE_KEY = "notice"  # dialog_data: the texts.NOTICES code of the notice on top of the screen


async def load_progress(state: FSMContext) -> Progress | None:
    data = await state.get_data()
    return Progress.from_json(data.get(PROGRESS_KEY))


async def save_progress(state: FSMContext, progress: Progress) -> None:
    await state.update_data({PROGRESS_KEY: progress.to_json()})


async def clear_progress(state: FSMContext) -> None:
    data = await state.get_data()
    if PROGRESS_KEY in data:
        data.pop(PROGRESS_KEY)
        await state.set_data(data)
