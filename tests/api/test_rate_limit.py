"""The per-client token bucket: a burst of the minute's allowance, then that rate."""

from __future__ import annotations

from api.rate_limit import RateLimiter


def test_burst_then_the_rate_with_an_honest_wait() -> None:
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.take(1, 60) for _ in range(60)] == [0.0] * 60
    wait = limiter.take(1, 60)
    assert 0.99 < wait <= 1.0 and limiter.retry_after_header(wait) == "1"
    now[0] += 0.5
    assert limiter.take(1, 60) > 0  # half a token is not a request
    now[0] += 0.5
    assert limiter.take(1, 60) == 0.0
    assert limiter.take(2, 60) == 0.0  # clients have their own buckets
    now[0] += 3600
    assert [limiter.take(1, 60) for _ in range(60)] == [0.0] * 60  # refilled, not beyond
    assert limiter.take(1, 60) > 0


def test_a_slow_limit_says_how_long() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert limiter.take(7, 1) == 0.0
    wait = limiter.take(7, 1)
    assert 59 < wait <= 60 and limiter.retry_after_header(wait) == "60"
