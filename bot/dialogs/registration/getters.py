"""What each registration screen shows, computed at render time in the reader's language."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager

from bot.dialogs import context as ctx
from bot.dialogs.registration.dialog_data import ERROR_KEY, PROVINCE_PAGE_KEY, load_draft
from bot.dialogs.registration.handlers import PROVINCES_PER_PAGE
from bot.dialogs.registration.texts import error_text
from bot.texts.profile import EDUCATION_LABELS, GENDER_LABELS, field_labels, summary_lines
from services.education import EDUCATION_LEVELS
from services.provinces import PROVINCES
from services.registration import DECILES, GENDERS, STEPS, ProfileDraft
from services.text import localize_digits

QUESTION_STEPS = [s for s in STEPS if s not in ("consent", "review")]


async def common_getter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    draft = await load_draft(ctx.fsm(dialog_manager))
    code = dialog_manager.dialog_data.get(ERROR_KEY)
    step = draft.step if draft.step in QUESTION_STEPS else None
    progress = ""
    if step is not None and not draft.editing:
        progress = gettext("Question {number} of {total}").format(
            number=localize_digits(str(QUESTION_STEPS.index(step) + 1), ctx.locale()),
            total=localize_digits(str(len(QUESTION_STEPS)), ctx.locale()),
        )
    return {
        "error": error_text(code) if code else "",
        "progress": progress,
        "editing": draft.editing,
        "not_editing": not draft.editing,
        "draft": draft,
    }


async def choices_getter(dialog_manager: DialogManager, **kwargs: Any) -> dict[str, Any]:
    data = await common_getter(dialog_manager, **kwargs)
    locale = ctx.locale()
    page = int(dialog_manager.dialog_data.get(PROVINCE_PAGE_KEY, 0))
    first = page * PROVINCES_PER_PAGE
    pages = (len(PROVINCES) + PROVINCES_PER_PAGE - 1) // PROVINCES_PER_PAGE
    data.update(
        genders=[(gettext(GENDER_LABELS[g]), g) for g in GENDERS],
        education_levels=[(gettext(EDUCATION_LABELS[e]), e) for e in EDUCATION_LEVELS],
        provinces=[
            (name, str(index))
            for index, name in enumerate(PROVINCES)
            if first <= index < first + PROVINCES_PER_PAGE
        ],
        province_page=gettext("Page {page} of {pages}").format(
            page=localize_digits(str(page + 1), locale), pages=localize_digits(str(pages), locale)
        ),
        deciles=[(localize_digits(str(d), locale), str(d)) for d in DECILES],
    )
    return data


async def review_getter(dialog_manager: DialogManager, **kwargs: Any) -> dict[str, Any]:
    data = await common_getter(dialog_manager, **kwargs)
    draft: ProfileDraft = data["draft"]
    data["recognised"] = draft.recognised
    data["not_recognised"] = not draft.recognised
    data["summary"] = "\n".join(f"▫️ {label}: {value}" for label, value in summary_lines(draft))
    data["edit_items"] = [
        (gettext("✏️ {field}").format(field=field_labels()[step]), step)
        for step in QUESTION_STEPS
        if step != "relief_client_number" or draft.relief_client
    ]
    return data
