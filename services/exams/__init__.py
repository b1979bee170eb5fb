"""Exams and certificates: sessions of a course's written or practical exam, the enrolled
people told and reminded through the outbox, their answers and attendance, results with the
next step, and certificates that complete the application."""

from services.exams.dates import exam_moment, parse_clock, parse_day, parse_reminder_hours
from services.exams.model import (
    EXAM_NEWS,
    EXAM_PRIORITY,
    EXAM_REMINDER,
    Answer,
    AnswerOutcome,
    CertificateView,
    ExamError,
    ExamEvent,
    ExamKind,
    ExamState,
    NextStep,
    PersonExam,
    ResultView,
    RollLine,
    SessionInput,
    SessionView,
    next_step,
)
from services.exams.service import ExamService

__all__ = [
    "EXAM_NEWS",
    "EXAM_PRIORITY",
    "EXAM_REMINDER",
    "Answer",
    "AnswerOutcome",
    "CertificateView",
    "ExamError",
    "ExamEvent",
    "ExamKind",
    "ExamService",
    "ExamState",
    "NextStep",
    "PersonExam",
    "ResultView",
    "RollLine",
    "SessionInput",
    "SessionView",
    "exam_moment",
    "next_step",
    "parse_clock",
    "parse_day",
    "parse_reminder_hours",
]
