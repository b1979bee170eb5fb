"""The place where other features put their buttons on the course card.

The applications feature adds «📝 Apply with this course» here (a widget with `when="applicable"`).
What the card getter offers every widget here:
  `course_code` (str), `found` (bool: the course exists), `applicable` (bool: open, seats left).
Handlers read the course from the dialog: `bot.dialogs.courses.entry.course_on_card(manager)`,
and must re-check it with the service (the button may be old or forged).
"""

from __future__ import annotations

from aiogram_dialog.widgets.kbd import Keyboard


def card_actions() -> list[Keyboard]:
    """Buttons drawn between «📤 Share» and «⬅️ Back» on the course card."""
    # Imported here: the applications feature imports course helpers of its own.
    from bot.dialogs.applications.entry import apply_with_course_button

    return [apply_with_course_button()]
