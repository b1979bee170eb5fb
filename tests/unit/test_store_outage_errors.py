"""Only errors of reaching a store make the "service is busy" notice; every other error goes on
to the error handlers and the logs as before."""

from __future__ import annotations

import errno

import redis.exceptions
import sqlalchemy.exc

from bot.middlewares.outage import is_store_outage


def test_connection_errors_are_outages() -> None:
    assert is_store_outage(redis.exceptions.ConnectionError("refused"))
    assert is_store_outage(redis.exceptions.TimeoutError("slow"))
    assert is_store_outage(ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
    assert is_store_outage(OSError("Multiple exceptions: [Errno 111] Connect call failed"))
    assert is_store_outage(sqlalchemy.exc.OperationalError("SELECT 1", {}, OSError("gone")))
    wrapped = RuntimeError("while saving")
    wrapped.__cause__ = redis.exceptions.ConnectionError("refused")
    assert is_store_outage(wrapped)


def test_other_errors_are_not() -> None:
    assert not is_store_outage(ValueError("bad input"))
    assert not is_store_outage(redis.exceptions.ResponseError("WRONGTYPE"))
    assert not is_store_outage(sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("dup")))
    assert not is_store_outage(FileNotFoundError(errno.ENOENT, "no such file"))
    context_only = RuntimeError("unrelated")
    context_only.__context__ = redis.exceptions.ConnectionError("earlier, handled")
    assert not is_store_outage(context_only)
