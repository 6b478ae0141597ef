"""The city card benchmark's CPU split (``bench/cpu_split.py``): per request, by process group."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import cpu_split  # noqa: E402


def test_split_is_per_request_and_the_rest_is_what_no_group_took():
    before = {"busy": 10.0, ("1", "app"): 1.0, ("2", "postgres"): 2.0, ("3", "redis"): 0.5}
    after = {"busy": 14.0, ("1", "app"): 2.5, ("2", "postgres"): 3.0, ("3", "redis"): 0.6,
             ("4", "app"): 0.4}  # a worker started meanwhile: all its time counts
    cpu = cpu_split.split(before, after, 1000)
    assert cpu["all"] == pytest.approx(4.0)
    assert cpu["app"] == pytest.approx(1.9)
    assert cpu["postgres"] == pytest.approx(1.0)
    assert cpu["redis"] == pytest.approx(0.1)
    assert cpu["rest"] == pytest.approx(1.0)


def test_nothing_measured_is_none_not_zero():
    assert cpu_split.split(None, None, 10) is None
    assert cpu_split.split({"busy": 1.0}, {"busy": 2.0}, 0) is None
    assert cpu_split.combine([(None, 5)]) is None
    assert "not measured" in cpu_split.line("bare", None)


def test_turns_combine_weighted_by_their_requests():
    a = {"all": 2.0, "app": 1.0, "postgres": 0.5, "redis": 0.0, "rest": 0.5}
    b = {"all": 5.0, "app": 4.0, "postgres": 0.5, "redis": 0.0, "rest": 0.5}
    both = cpu_split.combine([(a, 300), (b, 100), (None, 50)])
    assert both["all"] == pytest.approx((2.0 * 300 + 5.0 * 100) / 400)
    assert both["app"] == pytest.approx(1.75)
    assert "app 1.75" in cpu_split.line("smartcard", both)


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="Linux only: the split reads /proc")
def test_a_snapshot_reads_this_machine():
    shot = cpu_split.snapshot()
    assert shot["busy"] > 0
    assert all(key[1] in cpu_split.GROUPS for key in shot if key != "busy")
