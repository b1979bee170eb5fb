"""Which courses a program pays for: the program's course rules, and the course must be open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from services.catalog import CourseStatus
from services.programs.model import (
    CenterTypeRule,
    CourseAnyOfRule,
    CourseRule,
    DeliveryRule,
    HamnavaCoverageRule,
    KarafanTrackRule,
    Program,
)


class CourseLike(Protocol):
    """services.catalog.CourseCard / CourseSummary have these."""

    @property
    def hamnava_coverage_pct(self) -> int: ...
    @property
    def karafan(self) -> bool: ...
    @property
    def delivery(self) -> str: ...
    @property
    def center_type(self) -> str: ...
    @property
    def status(self) -> CourseStatus: ...


def course_qualifies(program: Program, course: CourseLike) -> bool:
    """Open (not full, not started) and meeting every course rule of the program."""
    return course.status is CourseStatus.OPEN and course_matches_program(program, course)


def course_matches_program(program: Program, course: CourseLike) -> bool:
    """The program's course rules only, whatever the course's status."""
    return all(_matches(rule, course) for rule in program.courses)


def _matches(rule: CourseRule, course: CourseLike) -> bool:
    if isinstance(rule, CourseAnyOfRule):
        return any(_matches(inner, course) for inner in rule.rules)
    test = course_test(rule)
    value = getattr(course, test.field)
    if test.op == "at_least":
        return bool(value >= test.value)
    if test.op == "is_true":
        return bool(value)
    return value in test.value


@dataclass(frozen=True, slots=True)
class CourseTest:
    """What one course rule asks of one course field: a CourseLike attribute, and the column of
    the same name in storage.models.Course."""

    field: Literal["hamnava_coverage_pct", "karafan", "delivery", "center_type"]
    op: Literal["at_least", "is_true", "one_of"]
    value: Any = None


def course_test(rule: CourseRule) -> CourseTest:
    """The one place that says what a (non any-of) course rule means. Checked on a course here
    (_matches) and turned into SQL for the catalog query (applications.course_rules)."""
    if isinstance(rule, HamnavaCoverageRule):
        return CourseTest("hamnava_coverage_pct", "at_least", rule.min_pct)
    if isinstance(rule, KarafanTrackRule):
        return CourseTest("karafan", "is_true")
    if isinstance(rule, DeliveryRule):
        return CourseTest("delivery", "one_of", rule.allowed)
    if isinstance(rule, CenterTypeRule):
        return CourseTest("center_type", "one_of", rule.allowed)
    raise TypeError(f"unhandled course rule {rule!r}")  # pragma: no cover
