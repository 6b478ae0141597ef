"""One app in its own process for the benchmark: ``python bench/serve.py pamong|bare``.

Serves on a free port of 127.0.0.1 with werkzeug's threaded server speaking HTTP/1.1 (keep-alive),
prints ``port <n>`` once ready, and stops by itself when its parent closes stdin or after
``--max-seconds``. Pamong's app reads its deployment from the environment (PAMONG_DATABASE_URL,
PAMONG_INSTANCE, PAMONG_SECRET_KEY), as ``core.wsgi`` does in production.
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(kind: str):
    if kind == "bare":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bare_app import create_bare_app

        return create_bare_app()
    sys.path.insert(0, str(ROOT))
    from core import create_app

    return create_app()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["pamong", "bare"])
    parser.add_argument("--max-seconds", type=float, default=900)
    args = parser.parse_args()

    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Flask's own server does when threaded

        def log_request(self, *a, **k):  # one line per request would dominate the measurement
            pass

    server = make_server("127.0.0.1", 0, build(args.kind), threaded=True, request_handler=Handler)

    def stop_when_parent_goes():
        sys.stdin.read()  # EOF: the benchmark closed our stdin or died
        os._exit(0)

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    timer = threading.Timer(args.max_seconds, lambda: os._exit(3))
    timer.daemon = True
    timer.start()
    print(f"port {server.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
