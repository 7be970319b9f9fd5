"""The benchmark's verdicts against the floors: the ratio of the best runs,
the goal, and the limit that `bench --check` enforces."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.management.commands import bench

FLOOR = "floor: month rows, one loop"


def result(operation, best, queries=3):
    return {
        "operation": operation,
        "min_ms": best,
        "median_ms": best,
        "p95_ms": best,
        "queries": queries,
    }


def verdicts(page_ms, queries=3):
    rows = [
        result(f"{FLOOR} (100 rows)", 10.0, 0),
        result("calendar month, all rooms (100 rows)", page_ms, queries),
    ]
    (ratio,) = bench.Command._ratios(rows)
    return ratio


@pytest.fixture(autouse=True)
def month_target(monkeypatch):
    monkeypatch.setitem(bench.TARGETS, "calendar month, all rooms", (FLOOR, 2.0, 2.0, 8))


def test_a_page_within_its_goal():
    ratio = verdicts(19.0)
    assert (ratio["ratio"], ratio["goal_met"], ratio["ok"]) == (1.9, True, True)


def test_a_page_over_its_goal_or_its_query_bound_is_over_the_limit():
    assert verdicts(21.0)["ok"] is False
    assert verdicts(15.0, queries=9)["ok"] is False


def test_the_limit_can_be_wider_than_the_goal(monkeypatch):
    monkeypatch.setitem(bench.TARGETS, "calendar month, all rooms", (FLOOR, 2.0, 3.0, 8))
    ratio = verdicts(25.0)
    assert (ratio["goal_met"], ratio["ok"]) == (False, True)


@pytest.mark.django_db
def test_check_fails_the_command_when_a_page_is_over_its_limit(monkeypatch):
    monkeypatch.setattr(
        bench,
        "operations",
        lambda: iter(
            [
                (f"{FLOOR} (1 rows)", lambda: sum(range(50_000))),
                ("calendar month, all rooms (1 rows)", lambda: sum(range(1_000_000))),
            ]
        ),
    )
    with pytest.raises(CommandError, match="Over the limit"):
        call_command("bench", "--runs", "3", "--warmup", "0", "--check")


@pytest.mark.django_db
def test_check_passes_when_every_page_is_within_its_limit(monkeypatch, capsys):
    def work():
        return sum(range(200_000))

    monkeypatch.setattr(
        bench,
        "operations",
        lambda: iter([(f"{FLOOR} (1 rows)", work), ("calendar month, all rooms (1 rows)", work)]),
    )
    call_command("bench", "--runs", "5", "--warmup", "1", "--check")
    assert "goal met" in capsys.readouterr().out


@pytest.mark.django_db
def test_bench_reports_the_allocation_time_of_the_standard_round():
    out = io.StringIO()
    call_command("bench", "--only", "season", "--runs", "2", "--warmup", "0", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith("season allocation"))
    assert "240 wishes x 20 rooms" in line
    best_ms = float(line.split()[-4])
    assert best_ms < bench.ALLOCATION_LIMIT_MS


@pytest.mark.django_db
def test_runs_are_timed_with_the_heap_held_before_them_frozen(monkeypatch):
    """The collection before each timed run walks only what the runs made
    (the rest is frozen), and the process is left as it was found."""
    import gc

    seen = []

    def work():
        seen.append((gc.get_freeze_count(), gc.isenabled()))
        return sum(range(1_000))

    monkeypatch.setattr(bench, "operations", lambda: iter([("season allocation, a test", work)]))
    call_command("bench", "--runs", "3", "--warmup", "1", stdout=io.StringIO())
    warmup, *timed, summary = seen
    assert warmup[0] == 0 and summary[0] == 0
    assert len(timed) == 3
    assert all(frozen > 0 and not enabled for frozen, enabled in timed)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


@pytest.mark.django_db
def test_a_heap_frozen_before_the_bench_stays_frozen(monkeypatch):
    import gc

    monkeypatch.setattr(
        bench, "operations", lambda: iter([("season allocation, a test", lambda: None)])
    )
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        call_command("bench", "--runs", "2", "--warmup", "0", stdout=io.StringIO())
        # Frozen objects freed meanwhile leave the count; none is added or thawed.
        assert 0.9 * frozen < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
