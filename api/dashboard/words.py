"""Names the pages show for codes in the data: statuses, messengers, programs, paper kinds.
The msgids are the bot's own (bot/texts/applications.py), so one translation serves both."""

from __future__ import annotations

from collections.abc import Callable

from services.dashboard.exams import NO_CERTIFICATE, NO_EXAM_RESULT
from services.programs import ProgramRegistry

N_: Callable[[str], str] = lambda text: text  # noqa: E731  (marks text for extraction only)

STATUS_NAMES = {
    "draft": N_("Draft (not sent yet)"),
    "submitted": N_("Sent, waiting for review"),
    "under_review": N_("Being reviewed"),
    "needs_documents": N_("Documents needed"),
    "approved": N_("Approved"),
    "rejected": N_("Not approved"),
    "enrolled": N_("Enrolled in the course"),
    "completed": N_("Course completed"),
    "withdrawn": N_("Withdrawn"),
}
MESSENGER_NAMES = {"telegram": N_("Telegram"), "bale": N_("Bale")}
# What a centre's file lacks besides papers (services/dashboard/exams.py).
EXAM_GAPS = {
    NO_EXAM_RESULT: N_("No exam result"),
    NO_CERTIFICATE: N_("No certificate"),
}
BROADCAST_STATES = {
    "sending": N_("Sending"),
    "paused": N_("Paused"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}


class Names:
    def __init__(
        self, gettext: Callable[[str], str], registry: ProgramRegistry, language: str
    ) -> None:
        self._ = gettext
        self._registry = registry
        self._language = language

    def status(self, code: str) -> str:
        return self._(STATUS_NAMES[code]) if code in STATUS_NAMES else code

    def messenger(self, code: str) -> str:
        return self._(MESSENGER_NAMES[code]) if code in MESSENGER_NAMES else code

    def broadcast_state(self, code: str) -> str:
        return self._(BROADCAST_STATES[code]) if code in BROADCAST_STATES else code

    def program(self, code: str) -> str:
        program = self._registry.get(code)
        return program.name.for_locale(self._language) if program else code

    def province(self, name: str | None) -> str:
        return name or self._("(no province)")

    def paper(self, program_id: str, kind: str) -> str:
        if kind in EXAM_GAPS:
            return self._(EXAM_GAPS[kind])
        program = self._registry.get(program_id)
        for requirement in program.documents if program else ():
            if requirement.kind == kind:
                return requirement.name.for_locale(self._language)
        return kind
