"""What `make run` does before serving: migrate, seed an empty catalog, grant ADMINS."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.config import Settings
from bot.serving.startup import prepare_database
from bot.serving.webhook import webhook_path
from storage.db import create_engine, create_session_factory
from storage.models import Course, StaffRole


async def _counts(url: str) -> tuple[int, list[tuple[str, int, str]]]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            courses = await session.scalar(select(func.count()).select_from(Course))
            roles = (await session.execute(
                select(StaffRole.platform, StaffRole.user_id, StaffRole.role)
            )).all()
    finally:
        await engine.dispose()
    return int(courses or 0), sorted((r[0], r[1], r[2]) for r in roles)


async def test_fresh_database_is_migrated_seeded_and_admins_granted(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                        admins="telegram:123, bale:456")
    await prepare_database(settings)
    courses, roles = await _counts(url)
    assert courses == 44
    assert roles == [("bale", 456, "admin"), ("telegram", 123, "admin")]

    # A second start changes nothing: no duplicate courses, no duplicate roles.
    await prepare_database(settings)
    assert await _counts(url) == (courses, roles)


def test_webhook_paths_differ_per_messenger() -> None:
    settings = Settings(_env_file=None, webhook_secret=SecretStr("x"))  # type: ignore[call-arg]
    assert webhook_path(settings, "telegram") == "/webhook/telegram"
    assert webhook_path(settings, "bale") == "/webhook/bale"


def test_malformed_admins_stop_start_up() -> None:
    settings = Settings(_env_file=None, admins="telegram:abc")  # type: ignore[call-arg]
    try:
        _ = settings.admin_accounts
    except ValueError as error:
        assert "telegram:abc" in str(error)
    else:
        raise AssertionError("a malformed ADMINS entry was accepted")
