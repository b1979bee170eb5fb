"""`python -m bot api-clients webhook ...`: add prints the secret once (alone on its last line),
list shows endpoints without it, bad events and unknown clients are refused by name, remove
stops an endpoint, deliveries lists a client's deliveries."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_webhook_commands(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert run(capsys, "api-clients", "create", "hayat", "--scopes", "applications:read")[0] == 0

    code, out, _ = run(capsys, "api-clients", "webhook", "add", "hayat",
                       "https://hayat.example.ir/hooks", "--events",
                       "application.submitted,application.status_changed")
    assert code == 0
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("whsec_") and len(secret) > 40

    code, out, _ = run(capsys, "api-clients", "webhook", "list")
    assert code == 0 and "https://hayat.example.ir/hooks" in out
    assert "application.status_changed" in out and secret not in out

    code, _, err = run(capsys, "api-clients", "webhook", "add", "hayat", "https://x.example",
                       "--events", "ticket.opened")
    assert code == 2 and "tickets:read" in err  # the client cannot receive it
    code, _, err = run(capsys, "api-clients", "webhook", "add", "hayat", "https://x.example",
                       "--events", "application.eaten")
    assert code == 2 and "application.eaten" in err
    code, _, err = run(capsys, "api-clients", "webhook", "add", "nobody", "https://x.example",
                       "--events", "all")
    assert code == 2 and "nobody" in err
    code, _, err = run(capsys, "api-clients", "webhook", "add", "hayat", "ftp://x.example",
                       "--events", "all")
    assert code == 2 and "http" in err

    code, out, _ = run(capsys, "api-clients", "webhook", "deliveries", "hayat")
    assert code == 0 and "no deliveries" in out
    endpoint_id = out and run(capsys, "api-clients", "webhook", "list")[1].split()[0]
    code, out, _ = run(capsys, "api-clients", "webhook", "remove", endpoint_id)
    assert code == 0 and "removed" in out
    assert "no webhook endpoints" in run(capsys, "api-clients", "webhook", "list")[1]
    assert "(removed)" in run(capsys, "api-clients", "webhook", "list", "--all")[1]
    assert run(capsys, "api-clients", "webhook", "remove", endpoint_id)[0] == 2
