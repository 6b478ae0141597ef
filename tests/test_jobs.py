"""Background work: the embedded queue (SQLite) and Redis, with a real enqueue/dequeue/execute."""
import os

import pytest


def _redis_url():
    url = os.environ.get("PAMONG_TEST_REDIS_URL")
    if not url:
        if os.environ.get("PAMONG_REQUIRE_REDIS") == "1":
            pytest.fail("PAMONG_TEST_REDIS_URL is not set but PAMONG_REQUIRE_REDIS=1")
        pytest.skip("Redis not configured (set PAMONG_TEST_REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis at PAMONG_TEST_REDIS_URL is not reachable: {exc}")
    return url


def _round_trip(huey):
    @huey.task()
    def add(a, b):
        return a + b

    result = add(2, 3)  # enqueued, not run
    assert huey.pending_count() == 1
    task = huey.dequeue()
    huey.execute(task)
    assert result.get() == 5


def test_embedded_queue_needs_no_server(monkeypatch, tmp_path):
    from core import jobs

    monkeypatch.delenv("PAMONG_REDIS_URL", raising=False)
    monkeypatch.setenv("PAMONG_INSTANCE", str(tmp_path))
    huey = jobs._make_huey()
    assert type(huey).__name__ == "SqliteHuey" and (tmp_path / "queue.db").exists()
    _round_trip(huey)


def test_redis_queue_when_scaled_out(monkeypatch):
    from core import jobs

    url = _redis_url()
    monkeypatch.setenv("PAMONG_REDIS_URL", url)
    huey = jobs._make_huey()
    assert type(huey).__name__ == "RedisHuey"
    huey.flush()
    _round_trip(huey)
    huey.flush()


def test_rate_limits_can_live_in_redis(monkeypatch):
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    url = _redis_url()
    limiter = FixedWindowRateLimiter(storage_from_string(url))
    item = parse("2 per minute")
    key = f"pamong-test-{os.getpid()}"
    limiter.clear(item, key)
    assert [limiter.hit(item, key) for _ in range(3)] == [True, True, False]
    limiter.clear(item, key)


def test_the_worker_makes_one_app_when_its_threads_start_at_once(monkeypatch):
    """Threads that start their first task together wait for one app (two made at once compiled
    their URL rules side by side: a SystemError in CPython 3.11 seen at ``make demo``)."""
    import threading
    import time

    import core
    from core import jobs

    made = []

    def slow_app():
        made.append(threading.get_ident())
        time.sleep(0.05)  # long enough for every thread to find no app yet
        return object()

    monkeypatch.setattr(jobs, "_worker_app", None)
    monkeypatch.setattr(core, "create_app", slow_app)
    start = threading.Barrier(8)
    got = []

    def first_task():
        start.wait()
        got.append(jobs._app())

    threads = [threading.Thread(target=first_task) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and len(got) == 8 and len({id(app) for app in got}) == 1
