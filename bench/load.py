"""Starting a server process (werkzeug's or gunicorn), reading its resident memory and loading it
over loopback (Python clients, or ``wrk`` with a Lua script: ``load``).

Every loop is bounded by a request count and a deadline; only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import http.client
import itertools
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVERS = ("gunicorn", "werkzeug")


class Server:
    """``with Server("pamong", env) as s: s.port, s.rss_kib()``: one app in its own process."""

    def __init__(self, kind: str, env: dict, start_timeout: float = 60):
        self.kind, self.env, self.start_timeout = kind, env, start_timeout

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "serve.py"), self.kind], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
        )
        line = [None]
        reader = threading.Thread(target=lambda: line.__setitem__(0, self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line[0] or not line[0].startswith("port "):
            self.__exit__()
            raise RuntimeError(f"the {self.kind} server did not start: {self.proc.stderr.read()[-2000:]}")
        self.port = int(line[0].split()[1])
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.stdin.close()  # serve.py exits on EOF
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def rss_kib(self) -> int:
        """VmRSS of the server process (kibibytes), from /proc."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS in /proc (Linux only)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


READY_HOOK = """import os


def post_worker_init(worker):
    open(os.path.join({ready!r}, str(worker.pid)), "w").close()
"""


class Gunicorn:
    """``with Gunicorn("core.wsgi:app", env, workers=2) as g: g.port``: a process group, killed at exit.
    ``worker_class`` "gthread" (``threads`` per worker, keep-alive) or "sync" (one request at a
    time per process, a connection per request; ``threads`` ignored)."""

    def __init__(self, target: str, env: dict, workers: int, threads: int, cwd: Path, worker_class: str = "gthread"):
        self.target, self.env, self.workers, self.threads, self.cwd = target, env, workers, threads, cwd
        self.worker_class = worker_class

    def __enter__(self):
        self.port = free_port()
        # each worker marks itself ready once it has loaded the app (gunicorn's ``post_worker_init``):
        # the master listens before its workers boot, and a worker still importing the app would
        # take the cores from the first measurement
        self.ready = Path(tempfile.mkdtemp(prefix="pamong-gunicorn-"))
        config = self.ready / "gunicorn_ready.py"
        config.write_text(READY_HOOK.format(ready=str(self.ready / "workers")))
        (self.ready / "workers").mkdir()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "-k", self.worker_class, "-w", str(self.workers),
             *(["--threads", str(self.threads)] if self.worker_class == "gthread" else []), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "--timeout", "120", self.target],
            cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn {self.target} stopped: {self.proc.stderr.read()[-2000:]}")
            if len(os.listdir(self.ready / "workers")) >= self.workers:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        break
                except OSError:
                    pass
            time.sleep(0.2)
        else:
            self.__exit__()
            raise RuntimeError(f"gunicorn {self.target}: {self.workers} worker(s) not ready within 60 s")
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        shutil.rmtree(self.ready, ignore_errors=True)


def gunicorn_missing() -> bool:
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return True
    return False


def serve(kind: str, env: dict, server: str = "werkzeug", workers: int = 1, threads: int = 1,
          worker_class: str = "gthread"):
    """A context manager giving ``.port``: ``kind`` ("pamong", the app as ``core.wsgi`` makes it from
    ``env``; "bare", ``bench/bare_app.py``) on 127.0.0.1, served by ``server``: "werkzeug" (its
    threaded server in one process, ``bench/serve.py``) or "gunicorn" (``workers`` processes of
    ``threads`` threads each, ``-k gthread``: keep-alive, as in production; or ``worker_class``
    "sync": one request at a time per process, a connection per request, so a busy worker takes
    no new one: with gthread, two keep-alive connections may both land on one worker of one thread,
    which then serves them in turn while the other idles)."""
    if server not in SERVERS:
        raise ValueError(f"unknown server {server!r}: one of {', '.join(SERVERS)}")
    if server == "werkzeug":
        return Server(kind, env)
    if kind == "bare":
        return Gunicorn("bare_app:create_bare_app()", {**env, "PYTHONPATH": str(HERE)}, workers, threads, HERE,
                        worker_class)
    return Gunicorn("core.wsgi:app", {**env, "PYTHONPATH": str(ROOT)}, workers, threads, ROOT, worker_class)


@dataclass
class Result:
    done: int
    errors: int
    seconds: float
    bytes: int
    latencies: list[float] = field(default_factory=list)  # seconds, of each answered request

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in seconds (nearest rank); 0 without requests."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]

    @property
    def p95(self) -> float:
        return self.percentile(95)


def get(port: int, path: str, host: str | None = None, timeout: float = 15) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def hammer(port: int, targets: list[tuple[str, str | None]], requests: int, concurrency: int,
           max_seconds: float, headers: dict | None = None) -> Result:
    """GET ``targets`` (path, Host) round-robin, ``requests`` in all, over ``concurrency`` keep-alive
    connections, with ``headers`` (e.g. a session Cookie) on each; stops early at ``max_seconds``.
    Only 200 answers count as done; each one's latency is kept."""
    counter = itertools.count()
    deadline = time.monotonic() + max_seconds
    latencies: list[float] = []

    def worker() -> tuple[int, int, int]:
        done = errors = size = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        while time.monotonic() < deadline:
            i = next(counter)
            if i >= requests:
                break
            path, host = targets[i % len(targets)]
            try:
                sent = time.perf_counter()
                conn.request("GET", path, headers={**(headers or {}), **({"Host": host} if host else {})})
                response = conn.getresponse()
                body = response.read()
                if response.status == 200:
                    latencies.append(time.perf_counter() - sent)  # list.append is atomic
                    done, size = done + 1, size + len(body)
                else:
                    errors += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
        conn.close()
        return done, errors, size

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda _: worker(), range(concurrency)))
    seconds = time.perf_counter() - start
    return Result(sum(r[0] for r in results), sum(r[1] for r in results), seconds, sum(r[2] for r in results),
                  latencies)


def _hammer_part(job) -> Result:
    return hammer(*job)


def hammer_many(port: int, targets: list[tuple[str, str | None]], requests: int, concurrency: int,
                max_seconds: float, headers: dict | None = None, processes: int = 2) -> Result:
    """``hammer`` from ``processes`` client processes at once (``concurrency`` connections and
    ``requests`` split between them), so one Python client's own speed does not cap a fast server."""
    from multiprocessing import Pool

    if processes <= 1:
        return hammer(port, targets, requests, concurrency, max_seconds, headers)
    jobs = [(port, targets[i::processes] or targets, max(1, requests // processes),
             max(1, concurrency // processes), max_seconds, headers) for i in range(processes)]
    start = time.perf_counter()
    with Pool(processes) as pool:
        parts = pool.map(_hammer_part, jobs)
    seconds = time.perf_counter() - start
    return Result(sum(p.done for p in parts), sum(p.errors for p in parts), seconds, sum(p.bytes for p in parts),
                  [x for p in parts for x in p.latencies])


# wrk's report, one line: the Lua hook ``done`` (``threads``: every thread, for the counts a
# ``response`` hook of the caller's script keeps in ``non_2xx``)
WRK_SCRIPT = """
threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end
done = function(summary, latency, requests)
  local non_2xx = 0
  for _, t in ipairs(threads) do non_2xx = non_2xx + (t:get("non_2xx") or 0) end
  io.write(string.format("RESULT %d %d %d %d %.6f %.6f %d\\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1e6, latency:percentile(95) / 1e6, non_2xx))
end
"""


@dataclass
class Measured:
    rate: float  # answers of 2xx per second
    p50: float  # seconds
    p95: float
    errors: int  # answers other than 2xx (counted by the script's ``response`` hook, else 4xx/5xx) and socket errors
    done: int  # answers of 2xx
    non_2xx: int = 0
    cpu: dict | None = None  # milliseconds of CPU per answered request by process group (bench/cpu_split.py)


def _client(job) -> tuple[int, int, list[float]]:
    port, path, headers, seconds, connections = job
    result = hammer(port, [(path, None)], 10**9, connections, seconds, headers)
    return result.done, result.errors, result.latencies


def load(port: int, path: str, headers: dict, seconds: float, connections: int, tmp: Path, *, clients: int = 2,
         lua: str = "") -> Measured:
    """``seconds`` of requests to ``path`` over ``connections`` connections: ``wrk`` when installed
    (GETs, or what ``lua``'s ``request`` hook makes; a ``response`` hook counting the answers other
    than 2xx in the global ``non_2xx`` makes them counted exactly, 3xx included), else GETs from
    ``clients`` Python processes (``lua`` needs wrk). Only 2xx answers count as done."""
    from multiprocessing import Pool

    wrk = shutil.which("wrk")
    if wrk:
        script = tmp / "pamong-wrk.lua"
        script.write_text(WRK_SCRIPT + lua)
        command = [wrk, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds:g}s", "-s", str(script)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                             timeout=seconds + 60).stdout
        match = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) (\d+)$", out, re.M)
        if not match:
            raise RuntimeError(f"wrk printed no result: {out[-500:]}")
        answered, status_errors, socket_errors, micros = (int(match[i]) for i in range(1, 5))
        non_2xx = max(status_errors, int(match[7]))  # wrk itself counts only 4xx and 5xx
        done = answered - non_2xx
        return Measured(done / (micros / 1e6), float(match[5]), float(match[6]), non_2xx + socket_errors, done,
                        non_2xx)
    if lua:
        raise RuntimeError("this load needs wrk (a request script): make wrk installs it")
    per = max(1, connections // clients)
    started = time.perf_counter()
    with Pool(clients) as pool:
        parts = pool.map(_client, [(port, path, headers, seconds, per)] * clients)
    elapsed = time.perf_counter() - started
    latencies = sorted(x for part in parts for x in part[2])
    done = sum(p[0] for p in parts)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0  # noqa: E731
    return Measured(done / elapsed, pick(0.50), pick(0.95), sum(p[1] for p in parts), done)


def server_env(**extra) -> dict:
    """The environment of a server: ours without PAMONG_* settings (but the modules disabled and
    the app role, which the benchmark's own app uses too), plus ``extra``."""
    keep = {"PAMONG_MODULES_DISABLED", "PAMONG_DB_APP_ROLE", "PAMONG_DEMO"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAMONG_") or k in keep}
    env.update({k: str(v) for k, v in extra.items()})
    return env
