"""A bare `alembic` (as an operator types it) finds the database from `-x url=...` or
DATABASE_URL, without the bot's settings; `python -m bot migrate` uses the settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.migrate import current_revision, head_revision

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _alembic(*args: str, database_url: str | None) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_x_url_wins_over_database_url(tmp_path: Path) -> None:
    named, from_env = _sqlite_url(tmp_path / "named.db"), _sqlite_url(tmp_path / "env.db")
    _alembic("-x", f"url={named}", "upgrade", "head", database_url=from_env)
    assert current_revision(named) == head_revision()
    assert not (tmp_path / "env.db").exists()


def test_database_url_from_the_environment(tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path / "env.db")
    _alembic("upgrade", "head", database_url=url)
    assert current_revision(url) == head_revision()


def test_bot_migrate_uses_the_settings_url_from_dot_env(tmp_path: Path) -> None:
    # The settings read `.env` in the working directory; a bare alembic does not.
    url = _sqlite_url(tmp_path / "settings.db")
    (tmp_path / ".env").write_text(f"DATABASE_URL={url}\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert current_revision(url) == head_revision()
