"""`python -m bot api-clients ...`: create prints the key once on its last line, list, revoke,
rotate (a new key, the old one dead), bad input told plainly, the audit exported as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from bot.__main__ import main
from services.api_clients import KEY_PATTERN, ApiClientService, identity_of, write_audit
from storage.db import create_engine, create_session_factory
from storage.models import ApiClient
from tests.conftest import run_async


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


async def identity(database_url: str, key: str) -> object:
    engine = create_engine(database_url)
    try:
        return await ApiClientService(create_session_factory(engine)).authenticate(key)
    finally:
        await engine.dispose()


def test_create_list_rotate_revoke(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    code, lines, _ = run(capsys, "api-clients", "create", "hayat", "--scopes",
                         "applications:read,documents:read", "--provinces", "تهران،استان البرز",
                         "--rate-limit", "120")
    assert code == 0
    key = lines[-1]
    assert KEY_PATTERN.match(key), lines
    assert not any(key in line for line in lines[:-1])  # printed once, alone on its line
    assert "البرز, تهران" in "\n".join(lines) and "120 requests/minute" in "\n".join(lines)
    client = run_async(identity(database_url, key))
    assert client is not None and client.provinces == frozenset({"تهران", "البرز"})  # type: ignore[attr-defined]

    code, lines, _ = run(capsys, "api-clients", "list")
    assert code == 0 and lines[0].startswith("hayat: active; scopes: applications:read, "
                                             "documents:read")
    assert key not in "\n".join(lines)

    code, lines, _ = run(capsys, "api-clients", "rotate", "hayat")
    new_key = lines[-1]
    assert code == 0 and KEY_PATTERN.match(new_key) and new_key != key
    assert run_async(identity(database_url, key)) is None
    assert run_async(identity(database_url, new_key)) is not None

    code, lines, _ = run(capsys, "api-clients", "revoke", "hayat")
    assert code == 0 and "revoked" in lines[-1]
    assert run_async(identity(database_url, new_key)) is None
    code, lines, _ = run(capsys, "api-clients", "list")
    assert lines[0].startswith("hayat: revoked")
    code, _, err = run(capsys, "api-clients", "rotate", "hayat")
    assert code == 2 and "revoked" in err


def test_bad_input_is_told_plainly(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    code, _, err = run(capsys, "api-clients", "create", "x", "--scopes", "everything")
    assert code == 2 and "unknown scope(s) everything" in err
    code, _, err = run(capsys, "api-clients", "create", "x", "--scopes", "all",
                       "--provinces", "آتلانتیس")
    assert code == 2 and "unknown province(s): آتلانتیس" in err
    code, _, _ = run(capsys, "api-clients", "create", "x", "--scopes", "all")
    assert code == 0
    code, _, err = run(capsys, "api-clients", "create", "x", "--scopes", "all")
    assert code == 2 and "exists already" in err
    code, _, err = run(capsys, "api-clients", "revoke", "nobody")
    assert code == 2 and "no client named 'nobody'" in err
    code, _, err = run(capsys, "api-clients", "create", "bad name!", "--scopes", "all")
    assert code == 2 and "client name" in err


def test_audit_export(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    run(capsys, "api-clients", "create", "tvto", "--scopes", "all")

    async def audit_something() -> None:
        engine = create_engine(database_url)
        try:
            async with create_session_factory(engine)() as session:
                row = await session.scalar(select(ApiClient).where(ApiClient.name == "tvto"))
                assert row is not None
                await write_audit(session, identity_of(row), "application.read",
                                  "HMN-1405-000001")
                await session.commit()
        finally:
            await engine.dispose()

    run_async(audit_something())
    code, lines, _ = run(capsys, "api-clients", "audit", "export", "--output", "-")
    assert code == 0
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    assert rows[0] == ["client", "action", "resource", "at_utc", "at_jalali"]
    assert rows[1][:3] == ["tvto", "application.read", "HMN-1405-000001"]
    code, lines, _ = run(capsys, "api-clients", "audit", "export", "--since", "2999-01-01",
                         "--output", "-")
    assert code == 0 and len(lines) == 1
    code, _, err = run(capsys, "api-clients", "audit", "export", "--since", "yesterday")
    assert code == 2 and "--since" in err
