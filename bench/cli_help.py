"""How fast ``pamong --help`` answers (issue 19.4: within 1 s on the 2-core build machine).

Runs ``pamong --help`` and ``--version`` N times each in fresh interpreters and prints the median
and worst wall time beside a bare ``python -c pass`` started the same way, with the ratio.
Usage: ``.venv/bin/python bench/cli_help.py [--runs 10]``.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    bare = timed([sys.executable, "-c", "pass"], runs)
    print(f"{'what':24} {'median s':>9} {'worst s':>9} {'x bare':>7}")
    print(f"{'python -c pass':24} {statistics.median(bare):9.3f} {max(bare):9.3f} {1:7.1f}")
    for label, argv in (("pamong --help", ["--help"]), ("pamong --version", ["--version"])):
        t = timed([sys.executable, "-c", "import cli; cli.main()", *argv], runs)
        print(f"{label:24} {statistics.median(t):9.3f} {max(t):9.3f} {statistics.median(t) / statistics.median(bare):7.1f}")


if __name__ == "__main__":
    main()
