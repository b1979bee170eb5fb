"""Programs (Hamnava, Karafan) as data: the file model, the loader, eligibility, answers,
which courses qualify. No aiogram here."""

from services.programs.answers import (
    ANSWER_ERROR_CODES,
    AnswerError,
    AnswerValue,
    validate_answer,
)
from services.programs.courses import course_matches_program, course_qualifies
from services.programs.eligibility import UnmetRule, check_eligibility
from services.programs.loader import (
    ProgramFileError,
    ProgramRegistry,
    load_program_file,
    load_programs,
    parse_program,
)
from services.programs.model import (
    DOCUMENT_TYPES,
    QUESTION_TYPES,
    ChoiceOption,
    DocumentRequirement,
    Localized,
    Program,
    Question,
)

__all__ = [
    "ANSWER_ERROR_CODES",
    "DOCUMENT_TYPES",
    "QUESTION_TYPES",
    "AnswerError",
    "AnswerValue",
    "ChoiceOption",
    "DocumentRequirement",
    "Localized",
    "Program",
    "ProgramFileError",
    "ProgramRegistry",
    "Question",
    "UnmetRule",
    "check_eligibility",
    "course_matches_program",
    "course_qualifies",
    "load_program_file",
    "load_programs",
    "parse_program",
    "validate_answer",
]
