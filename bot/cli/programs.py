"""`python -m bot programs check FILE`: validate a program file before it goes live."""

from __future__ import annotations

import sys

from services.programs import ProgramFileError, load_program_file


def check_program_command(file: str) -> int:
    try:
        program = load_program_file(file)
    except ProgramFileError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"{file}: OK - program {program.id!r} version {program.version}, "
        f"{len(program.eligibility)} eligibility rules, {len(program.questions)} questions, "
        f"{len(program.documents)} documents"
    )
    return 0
