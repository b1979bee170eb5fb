"""`make reset-sandbox`: start the local sandbox over with an empty database.

Deletes the SQLite database that DATABASE_URL names (with its -wal/-shm/-journal companions) and
the DOCUMENT_DIR folder, after listing them and asking; `--yes` (make: YES=1) skips the question.
It stops nothing: while a sandbox answers on the port it refuses, because a running process keeps
the deleted file open and would go on writing to it. It never touches a server database
(PostgreSQL) or Redis; the next start migrates and seeds a fresh database.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))  # this checkout's settings, not another installed copy

from sqlalchemy.engine import make_url  # noqa: E402

from bot.config import Settings  # noqa: E402

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


class RefusedError(Exception):
    pass


def sqlite_files(database_url: str) -> list[Path]:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise RefusedError(
            f"DATABASE_URL is a {url.get_backend_name()} database; reset-sandbox only deletes "
            "a local SQLite file"
        )
    if not url.database or url.database == ":memory:":
        return []
    database = Path(url.database).resolve()
    return [database.with_name(database.name + suffix) for suffix in SQLITE_COMPANIONS]


def check_document_dir(folder: Path) -> Path:
    folder = folder.resolve()
    # A mistyped DOCUMENT_DIR must not take the project, the home folder or / with it.
    if folder in PROJECT_ROOT.parents or folder == PROJECT_ROOT or folder == Path.home():
        raise RefusedError(f"DOCUMENT_DIR is {folder}; refusing to delete that folder")
    return folder


def running_sandbox(host: str, ports: list[int]) -> str | None:
    for port in ports:
        url = f"http://{host}:{port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=1):
                return url
        except (urllib.error.URLError, OSError):
            continue
    return None


def reset(settings: Settings, ports: list[int], assume_yes: bool) -> list[Path]:
    """Delete the sandbox's database and documents; returns what was deleted."""
    answering = running_sandbox(settings.sandbox_host, ports)
    if answering is not None:
        raise RefusedError(f"a sandbox is running ({answering} answers): stop it first (Ctrl+C)")
    documents = check_document_dir(settings.document_dir)
    targets = [path for path in [*sqlite_files(settings.database_url), documents] if path.exists()]
    if not targets:
        print("Nothing to delete: the sandbox has no database or documents yet.")
        return []
    print("This deletes the sandbox's data (registrations, applications, uploaded documents):")
    for path in targets:
        print(f"  {path}{'/' if path.is_dir() else ''}")
    if settings.redis_url:
        print("Conversation state kept in Redis (REDIS_URL) is not touched.")
    if not assume_yes:
        answer = input("Delete them? [y/N] ").strip().lower()
        if answer not in {"y", "yes"}:
            raise RefusedError("nothing deleted")
    for path in targets:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    print("Deleted. The next `make sandbox` starts with an empty database and the sample courses.")
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--port", type=int, help="port of the sandbox to check is stopped")
    args = parser.parse_args(argv)
    settings = Settings()
    ports = list(dict.fromkeys(p for p in (args.port, settings.sandbox_port) if p is not None))
    try:
        reset(settings, ports, args.yes)
    except (RefusedError, EOFError) as error:
        print(f"reset-sandbox: {error or 'no answer; nothing deleted'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
