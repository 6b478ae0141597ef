"""Does sign-in timing tell which e-mail addresses have accounts? (issue 10.9)

In a scratch SQLite database, signs in ``--rounds`` times each (interleaved, through the real form
and the Flask test client, rate limits off) with: an existing address and a wrong password, an
unknown address, and an existing address whose account is waiting after wrong passwords. Prints the
median time of each and their ratios to the first; exits 1 when a ratio leaves
``[1/--max-ratio, --max-ratio]`` (default 1.5, generous: argon2 dominates both paths). Before the
fix the probe saw ~285 ms against ~16 ms, a ratio near 18.

    .venv/bin/python bench/login_timing.py [--rounds 30] [--max-ratio 1.5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--max-ratio", type=float, default=1.5)
    args = parser.parse_args()

    from core import create_app, migrate
    from core.auth import service, throttle
    from core.extensions import db
    from core.jobs import huey

    huey.immediate = True
    tmp = Path(tempfile.mkdtemp(prefix="pamong-login-timing-"))
    app = create_app({
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "INSTANCE_DIR": str(tmp), "PAMONG_TENANTS_DIR": str(tmp),
        "SESSION_COOKIE_SECURE": False, "PAMONG_LOGIN_ACCOUNT_DELAY": 3600,  # the waiting one keeps waiting
    })
    migrate.upgrade(app)
    with app.app_context():
        service.create_user("known@example.test", password="the-right-password-1")
        service.create_user("waiting@example.test", password="the-right-password-2")
        db.session.commit()
    client = app.test_client()

    def attempt(email: str) -> float:
        started = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "a wrong password"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        if email == "known@example.test":  # keep it below the threshold: its password is checked
            with app.app_context():
                throttle.clear(service.find_user(email))
                db.session.commit()
        return elapsed

    for _ in range(app.config["PAMONG_LOGIN_ACCOUNT_FAILURES"]):
        attempt("waiting@example.test")  # from here on this account waits
    cases = {"existing, wrong password": "known@example.test", "no such account": "nobody@example.test",
             "account waiting": "waiting@example.test"}
    times: dict[str, list[float]] = {name: [] for name in cases}
    for name, email in cases.items():
        attempt(email)  # warm-up (the dummy hash is made on first use)
    for _ in range(args.rounds):
        for name, email in cases.items():
            times[name].append(attempt(email))
    base = statistics.median(times["existing, wrong password"])
    worst = 1.0
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / base
        worst = max(worst, ratio, 1 / ratio)
        print(f"{name:28} median {median * 1000:7.1f} ms   ratio {ratio:5.2f}")
    ok = worst <= args.max_ratio
    print(f"worst ratio {worst:.2f} (limit {args.max_ratio}): {'ok' if ok else 'TELLS ACCOUNTS APART'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
