"""Job leads: posting (chat form, CSV/XLSX import), matching through the match-notice ledger,
«I'm interested» through the hand-off ticket, and the staff's lists and exports."""

from services.job_leads.importer import LEAD_COLUMNS, LeadImportReport, import_leads
from services.job_leads.model import (
    JOB_LEAD,
    JOB_LEADS_OUTBOX,
    Closed,
    DraftError,
    DraftProblem,
    InterestOutcome,
    InterestResult,
    LeadDraft,
    LeadPage,
    LeadView,
    Posted,
)
from services.job_leads.policy import JobLeadPolicy
from services.job_leads.service import JobLeadService, LeadNotFound, NotAllowed

__all__ = [
    "JOB_LEAD",
    "JOB_LEADS_OUTBOX",
    "LEAD_COLUMNS",
    "Closed",
    "DraftError",
    "DraftProblem",
    "InterestOutcome",
    "InterestResult",
    "JobLeadPolicy",
    "JobLeadService",
    "LeadDraft",
    "LeadImportReport",
    "LeadNotFound",
    "LeadPage",
    "LeadView",
    "NotAllowed",
    "Posted",
    "import_leads",
]
