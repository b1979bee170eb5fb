"""A program's course rules as a SQL condition, so "courses this program pays for" is one
indexed query instead of filtering the whole catalog in Python. What each rule means is written
once, in services.programs.courses.course_test (tests compare the two on the sample
catalog)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from services.programs.courses import course_test
from services.programs.model import CourseAnyOfRule, CourseRule, Program
from storage.models import Course


def program_course_condition(program: Program) -> ColumnElement[bool]:
    if not program.courses:
        return true()
    return and_(*(_condition(rule) for rule in program.courses))


def _condition(rule: CourseRule) -> ColumnElement[bool]:
    if isinstance(rule, CourseAnyOfRule):
        return or_(*(_condition(inner) for inner in rule.rules))
    test = course_test(rule)
    column = getattr(Course, test.field)
    if test.op == "at_least":
        return column >= test.value
    if test.op == "is_true":
        return column.is_(True)
    return column.in_(test.value)
