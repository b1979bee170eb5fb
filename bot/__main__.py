"""Command line: run, sandbox, migrate, import-courses, import-exams, export-applications,
programs check, documents encrypt, audit export, demand export, api, api-clients."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Maharatyar service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="serve the configured messengers (the sandbox if none)")
    sandbox = commands.add_parser("sandbox", help="the bot against the local emulator + web chat")
    sandbox.add_argument("--flavour", choices=["telegram", "bale"], default=None)
    sandbox.add_argument("--port", type=int, default=None)
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    importer = commands.add_parser("import-courses", help="import a CSV/XLSX course catalog")
    importer.add_argument("file")
    importer.add_argument("--skip-invalid", action="store_true",
                          help="import the good rows even if some rows are bad")
    exam_importer = commands.add_parser(
        "import-exams", help="import exam sessions or results from CSV/XLSX"
    )
    exam_importer.add_argument("file")
    exam_importer.add_argument("--skip-invalid", action="store_true",
                               help="import the good rows even if some rows are bad")
    exporter = commands.add_parser(
        "export-applications", help="write applications (with profiles) as CSV or XLSX"
    )
    exporter.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    exporter.add_argument("--status", action="append",
                          help="only these statuses (repeat or comma-separate; 'all' "
                               "includes drafts); default: all but drafts")
    exporter.add_argument("--since", help="changed on or after this day: 2026-11-22 or 1405/09/01")
    exporter.add_argument("--output", help="file to write (default applications-YYYYMMDD.FORMAT)")
    programs = commands.add_parser("programs", help="program definition files")
    program_commands = programs.add_subparsers(dest="programs_command", required=True)
    checker = program_commands.add_parser("check", help="validate a program file")
    checker.add_argument("file")
    documents = commands.add_parser("documents", help="the stored documents")
    document_commands = documents.add_subparsers(dest="documents_command", required=True)
    document_commands.add_parser(
        "encrypt", help="encrypt the documents stored in plaintext before (safe to repeat)"
    )
    audit = commands.add_parser("audit", help="who opened which document")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_exporter = audit_commands.add_parser(
        "export", help="staff openings of documents as CSV, for the data-protection officer"
    )
    audit_exporter.add_argument(
        "--since", required=True, help="on or after this day: 2026-11-22 or 1405/09/01"
    )
    audit_exporter.add_argument("--output", help="file to write (default audit-YYYYMMDD.csv)")
    from bot.cli.api import add_api_commands

    add_api_commands(commands)

    demand = commands.add_parser("demand", help="the unmet demand the waitlists hold")
    demand_commands = demand.add_subparsers(dest="demand_command", required=True)
    demand_exporter = demand_commands.add_parser(
        "export", help="people waiting per province and field (counts only) as CSV or XLSX"
    )
    demand_exporter.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    demand_exporter.add_argument("--output", help="file to write (default demand-YYYYMMDD.FORMAT)")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings()

    # Each command's module is imported only when it runs: `migrate` needs no aiogram, say.
    if args.command == "run":
        from bot.cli.run import run_command

        return run_command(settings)
    if args.command == "sandbox":
        from bot.cli.run import sandbox_command

        return sandbox_command(settings, args.flavour, args.port)
    if args.command == "migrate":
        from bot.cli.migrate import migrate_command

        return migrate_command(settings)
    if args.command == "import-courses":
        from bot.cli.import_courses import import_courses_command

        return asyncio.run(import_courses_command(settings, args.file, args.skip_invalid))
    if args.command == "import-exams":
        from bot.cli.import_exams import import_exams_command

        return asyncio.run(import_exams_command(settings, args.file, args.skip_invalid))
    if args.command == "export-applications":
        from bot.cli.export_applications import export_applications_command

        return asyncio.run(export_applications_command(
            settings, args.format, args.status, args.since, args.output
        ))
    if args.command == "programs":
        from bot.cli.programs import check_program_command

        return check_program_command(args.file)
    if args.command == "documents":
        from bot.cli.documents import encrypt_documents_command

        return asyncio.run(encrypt_documents_command(settings))
    if args.command == "audit":
        from bot.cli.audit import export_audit_command

        return asyncio.run(export_audit_command(settings, args.since, args.output))
    if args.command == "api":
        from bot.cli.api import api_command

        return api_command(settings)
    if args.command == "api-clients":
        from bot.cli.api import api_clients_command

        return asyncio.run(api_clients_command(settings, args))
    if args.command == "demand":
        from bot.cli.demand import export_demand_command

        return asyncio.run(export_demand_command(settings, args.format, args.output))
    return 2


if __name__ == "__main__":
    sys.exit(main())
