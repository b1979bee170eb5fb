"""Staff work: managing staff, the review queue, application cards, document review.

One parent router for where staff work (a private chat or the configured staff group; its gate,
StaffTraffic, lets only what staff screens can want through), included
at the dispatcher level BEFORE the beneficiaries' private router: a staff member's typed reason
must reach the review before any beneficiary screen sees it. Every handler below checks the
presser is staff (IsStaff, after a cheap command/prefix/state filter); in the staff group a
non-staff member gets a polite refusal, in a private chat their messages fall through to the
beneficiary screens."""

from __future__ import annotations

from aiogram import Router

from bot.handlers.staff.broadcasts import build_broadcasts_router
from bot.handlers.staff.chats import build_staff_chats_router
from bot.handlers.staff.dashboard import build_dashboard_router
from bot.handlers.staff.documents import build_documents_router
from bot.handlers.staff.exam_form import build_exam_form_router
from bot.handlers.staff.exams import build_staff_exams_router
from bot.handlers.staff.filters import StaffReach, StaffTraffic
from bot.handlers.staff.gate import build_gate_router
from bot.handlers.staff.identity import build_staff_identity_router
from bot.handlers.staff.inputs import build_inputs_router
from bot.handlers.staff.job_lead_form import JOB_LEAD_FORM_STATES, build_job_lead_form_router
from bot.handlers.staff.job_leads import (
    build_job_lead_import_router,
    build_job_lead_tools_router,
)
from bot.handlers.staff.queue import build_queue_router
from bot.handlers.staff.review import build_review_router
from bot.handlers.staff.roles import build_roles_router
from bot.handlers.staff.states import STAFF_FORM_STATES
from bot.handlers.staff.ticket_tools import build_ticket_tools_router
from bot.handlers.staff.ticket_topics import build_ticket_topics_router
from bot.handlers.staff.tickets import build_staff_tickets_router


def build_staff_router() -> Router:
    router = Router(name=__name__)
    reach = StaffReach(STAFF_FORM_STATES | JOB_LEAD_FORM_STATES)
    router.message.filter(reach)
    router.callback_query.filter(reach)
    # Binding a chat happens in that chat, which need not be the configured staff group: these
    # commands come before the gate.
    router.include_router(build_staff_chats_router())
    # The job-lead form's typed answers and a file captioned /importleads: no command text the
    # gate would let through (each filters on its own state or command and the administrator).
    router.include_router(build_job_lead_form_router())
    router.include_router(build_job_lead_import_router())
    gated = router.include_router(Router(name=f"{__name__}.gated"))
    gated.message.filter(StaffTraffic())
    gated.callback_query.filter(StaffTraffic())
    gated.include_routers(
        build_roles_router(),
        build_queue_router(),
        build_review_router(),
        build_documents_router(),
        build_broadcasts_router(),
        build_exam_form_router(),  # before the inputs: its /cancel is the form's
        build_staff_exams_router(),
        build_job_lead_tools_router(),
        build_dashboard_router(),  # /dashboard, /stats
        build_inputs_router(),  # after the commands: /queue while typing a reason still works
        build_ticket_tools_router(),  # /assign, /canned, /ban, /unban
        build_ticket_topics_router(),  # forum topics first: see ticket_topics.py
        build_staff_tickets_router(),  # replies to relayed messages, /close, /note
        build_staff_identity_router(),  # /link, /keepapart on an identity conflict's ticket
        build_gate_router(),  # last: what no staff handler took
    )
    return router
