"""Career counseling: a short questionnaire, scored against editable data files
(data/counseling/), suggesting three fields of work and matching open courses."""

from services.counseling.data import CounselingData
from services.counseling.explain import why_sentence
from services.counseling.loader import CounselingDataError, load_counseling_data
from services.counseling.progress import AnswerProblem, AnswerRejectedError, Progress
from services.counseling.scoring import FieldScore, rank_fields, top_fields
from services.counseling.service import (
    CounselingService,
    FieldCourses,
    FieldOutcome,
    SavedResult,
)

__all__ = [
    "AnswerProblem",
    "AnswerRejectedError",
    "CounselingData",
    "CounselingDataError",
    "CounselingService",
    "FieldCourses",
    "FieldOutcome",
    "FieldScore",
    "Progress",
    "SavedResult",
    "load_counseling_data",
    "rank_fields",
    "top_fields",
    "why_sentence",
]
