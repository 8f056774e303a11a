"""Workout statistics, each against a computation written out here by hand (not the code's)."""

from __future__ import annotations

import math

import pytest

from trackside.core.events import EndReason
from trackside.core.plan import Plan, Step, StepKind
from trackside.core.session import StepRecord
from trackside.core.stats import (
    CriticalSpeed,
    Effort,
    NoCriticalSpeed,
    critical_speed,
    cv_pct,
    personal_bests,
    sdec_pct,
    session_bests,
    slope_per_session,
    workout_stats,
)

R = EndReason


def _rep(number: int, metres: float = 400.0, *, all_out: bool = False) -> Step:
    return Step(StepKind.WORK, metres, f"{metres:g}m", effort="3K", all_out=all_out, rep=number)


WINDOW = Step(StepKind.RECOVERY, 200.0, "200m", min_s=60.0, max_s=90.0)
PLAN = Plan(
    "4 x 400m",
    (_rep(1), WINDOW, _rep(2), WINDOW, _rep(3), WINDOW, _rep(4, all_out=True)),
)


def _records(steps: list[tuple[float, R, float]]) -> list[StepRecord]:
    """Consecutive records from (seconds, how it ended, seconds paused), starting at 0."""
    out, now = [], 0.0
    for index, (seconds, reason, paused) in enumerate(steps):
        out.append(StepRecord(index, now, now + seconds + paused, paused, reason))
        now += seconds + paused
    return out


# reps 70, 72, 75 and an all-out final 66; recoveries 65 (in), 55 by go-now (early), 90 (auto)
SESSION = _records(
    [
        (70.0, R.MARKED, 0.0),
        (65.0, R.MARKED, 0.0),
        (72.0, R.MARKED, 0.0),
        (55.0, R.EARLY, 0.0),
        (75.0, R.MARKED, 0.0),
        (90.0, R.AUTO, 0.0),
        (66.0, R.MARKED, 0.0),
    ]
)


def test_sdec_is_the_sum_over_the_fastest_times_n_without_the_all_out_rep() -> None:
    stats = workout_stats(PLAN, SESSION)
    # 100 x ((70 + 72 + 75) / (70 x 3) - 1) = 100 x 7 / 210
    assert stats.sdec_pct == pytest.approx(100 * 7 / 210)
    assert stats.sdec_pct == pytest.approx(3.3333, abs=1e-4)


def test_cv_is_the_sample_deviation_over_the_mean() -> None:
    stats = workout_stats(PLAN, SESSION)
    mean = (70 + 72 + 75) / 3  # 72.333
    variance = ((70 - mean) ** 2 + (72 - mean) ** 2 + (75 - mean) ** 2) / (3 - 1)  # 6.333
    assert stats.cv_pct == pytest.approx(100 * math.sqrt(variance) / mean)
    assert stats.cv_pct == pytest.approx(3.4792, abs=1e-4)


def test_window_adherence_counts_the_recoveries_ended_inside_their_window() -> None:
    stats = workout_stats(PLAN, SESSION)
    # 65 s inside 60-90; 55 s started early (go now); 90 s ended by itself at the maximum
    assert (stats.windows, stats.windows_met) == (3, 2)
    assert stats.window_adherence_pct == pytest.approx(200 / 3)


def test_final_against_the_mean_of_the_others() -> None:
    stats = workout_stats(PLAN, SESSION)
    # 100 x (66 / ((70 + 72 + 75) / 3) - 1) = 100 x (198 / 217 - 1)
    assert stats.final_vs_rest_pct == pytest.approx(100 * (198 / 217 - 1))
    assert stats.final_vs_rest_pct == pytest.approx(-8.7558, abs=1e-4)


def test_skipped_and_unfinished_reps_are_not_run_and_short_recoveries_miss() -> None:
    records = _records(
        [
            (70.0, R.MARKED, 0.0),
            (40.0, R.MARKED, 30.0),  # 40 s active, 30 s paused: short of 60
            (10.0, R.SKIPPED, 0.0),  # rep 2 skipped
            (80.0, R.SKIPPED, 0.0),  # the recovery skipped: not in its window
            (74.0, R.MARKED, 0.0),
            (20.0, R.ENDED, 0.0),  # ended during the recovery: it never came to an end
        ]
    )
    stats = workout_stats(PLAN, records)
    assert stats.sdec_pct == pytest.approx(100 * ((70 + 74) / (70 * 2) - 1))
    assert (stats.windows, stats.windows_met) == (2, 0)
    assert stats.final_vs_rest_pct is None  # no final rep run


def test_a_ladder_is_compared_by_pace() -> None:
    ladder = Plan(
        "ladder",
        (_rep(1, 200.0), WINDOW, _rep(2, 400.0), WINDOW, _rep(3, 800.0), WINDOW, _rep(4, 200.0)),
    )
    records = _records(
        [
            (34.0, R.MARKED, 0.0),
            (70.0, R.MARKED, 0.0),
            (72.0, R.MARKED, 0.0),
            (70.0, R.MARKED, 0.0),
            (150.0, R.MARKED, 0.0),
            (70.0, R.MARKED, 0.0),
            (33.0, R.MARKED, 0.0),
        ]
    )
    stats = workout_stats(ladder, records)
    # paces in seconds a metre: 34/200 = 0.17, 72/400 = 0.18, 150/800 = 0.1875, 33/200 = 0.165
    paces = [0.17, 0.18, 0.1875, 0.165]
    assert stats.sdec_pct == pytest.approx(100 * (sum(paces) / (0.165 * 4) - 1))  # 4.545
    mean = sum(paces) / 4
    sd = math.sqrt(sum((p - mean) ** 2 for p in paces) / 3)
    assert stats.cv_pct == pytest.approx(100 * sd / mean)
    # the final 200 m against the others by pace: 0.165 / mean(0.17, 0.18, 0.1875) - 1
    assert stats.final_vs_rest_pct == pytest.approx(100 * (0.165 / (0.5375 / 3) - 1))  # -7.91
    assert stats.final_vs_rest_pct == pytest.approx(-7.907, abs=1e-3)


def test_figures_a_session_cannot_support_are_none() -> None:
    one_rep = workout_stats(PLAN, _records([(70.0, R.MARKED, 0.0), (20.0, R.ENDED, 0.0)]))
    assert (one_rep.sdec_pct, one_rep.cv_pct, one_rep.window_adherence_pct) == (None, None, None)
    assert sdec_pct([]) is None
    assert cv_pct([61.0]) is None
    assert sdec_pct([60.0, 60.0]) == 0.0
    assert cv_pct([60.0, 60.0]) == 0.0


def test_session_bests_are_marked_unpaused_plausible_reps_by_distance() -> None:
    plan = Plan(
        "mixed",
        (
            _rep(1, 400.0),
            WINDOW,
            _rep(2, 800.0),
            WINDOW,
            _rep(3, 400.0),
            WINDOW,
            _rep(4, 400.0),
            WINDOW,
            _rep(5, 1000.0),
            WINDOW,
            Step(StepKind.WORK, 200.0, "200m", time_s=40.0, rep=6),
        ),
    )
    records = _records(
        [
            (71.0, R.MARKED, 0.0),
            (70.0, R.MARKED, 0.0),
            (150.0, R.MARKED, 0.0),
            (70.0, R.MARKED, 0.0),
            (69.0, R.MARKED, 12.0),  # paused midway: not a best effort
            (70.0, R.MARKED, 0.0),
            (20.0, R.MARKED, 0.0),  # a stray press: 400 m in 20 s is no one's rep
            (70.0, R.MARKED, 0.0),
            (200.0, R.SKIPPED, 0.0),
            (70.0, R.MARKED, 0.0),
            (40.0, R.AUTO, 0.0),  # timed: the plan's time, not the runner's
        ]
    )
    bests = session_bests(plan, records)
    assert [(e.distance_m, e.seconds, e.rep) for e in bests] == [
        (400.0, 71.0, 1),
        (800.0, 150.0, 2),
    ]


def test_personal_bests_keep_the_fastest_at_each_distance() -> None:
    efforts = [Effort(400.0, 70.0, 3, 1), Effort(800.0, 150.0, 2, 1), Effort(400.0, 68.5, 5, 2)]
    assert personal_bests(efforts) == (Effort(400.0, 68.5, 5, 2), Effort(800.0, 150.0, 2, 1))


def test_critical_speed_of_efforts_on_a_line() -> None:
    # 4 m/s with 150 m beyond it: 400 m in 62.5 s, 1000 m in 212.5 s, 3000 m in 712.5 s
    efforts = [Effort(400.0, 62.5, 1), Effort(1000.0, 212.5, 1), Effort(3000.0, 712.5, 1)]
    found = critical_speed(efforts)
    assert isinstance(found, CriticalSpeed)
    assert found.speed == pytest.approx(4.0)
    assert found.d_prime_m == pytest.approx(150.0)
    assert found.r_squared == pytest.approx(1.0)
    assert found.pace_per_km_s == pytest.approx(250.0)  # 4:10 a km


def test_critical_speed_of_real_efforts_is_the_least_squares_line() -> None:
    efforts = [Effort(400.0, 64.0, 1), Effort(1000.0, 180.0, 1), Effort(3000.0, 600.0, 1)]
    t, d = [64.0, 180.0, 600.0], [400.0, 1000.0, 3000.0]
    mt, md = sum(t) / 3, sum(d) / 3  # 281.333 s, 1466.667 m
    sxx = sum((x - mt) ** 2 for x in t)  # 159050.67
    sxy = sum((x - mt) * (y - md) for x, y in zip(t, d, strict=True))  # 767733.33
    slope = sxy / sxx  # 4.8270 m/s
    intercept = md - slope * mt  # 108.67 m
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(t, d, strict=True))
    ss_tot = sum((y - md) ** 2 for y in d)
    found = critical_speed(efforts)
    assert isinstance(found, CriticalSpeed)
    assert found.speed == pytest.approx(slope)
    assert found.speed == pytest.approx(4.8270, abs=1e-4)
    assert found.d_prime_m == pytest.approx(intercept)
    assert found.d_prime_m == pytest.approx(108.67, abs=0.01)
    assert found.r_squared == pytest.approx(1 - ss_res / ss_tot)
    assert [e.distance_m for e in found.efforts] == d


def test_critical_speed_uses_the_best_at_each_distance_from_400_to_5000m() -> None:
    efforts = [
        Effort(200.0, 30.0, 1),  # too short for the model
        Effort(400.0, 70.0, 1),
        Effort(400.0, 62.5, 2),
        Effort(1000.0, 212.5, 1),
        Effort(3000.0, 712.5, 1),
        Effort(10000.0, 2700.0, 1),  # too long
    ]
    found = critical_speed(efforts)
    assert isinstance(found, CriticalSpeed)
    assert [(e.distance_m, e.seconds) for e in found.efforts] == [
        (400.0, 62.5),
        (1000.0, 212.5),
        (3000.0, 712.5),
    ]
    assert found.speed == pytest.approx(4.0)


def test_no_critical_speed_without_three_distances() -> None:
    found = critical_speed([Effort(400.0, 70.0, 1), Effort(800.0, 150.0, 1)])
    assert isinstance(found, NoCriticalSpeed)
    assert "3 or more distances" in found.reason
    assert "400m, 800m" in found.reason


def test_no_critical_speed_when_the_efforts_were_paced_alike() -> None:
    # 3:00/km at 400 m and 800 m, a little quicker at 1200 m: the line meets the distance
    # axis below zero (mean t 143.667 s, slope 5.594 m/s: 800 - 5.594 x 143.667 = -3.6 m)
    efforts = [Effort(400.0, 72.0, 1), Effort(800.0, 144.0, 1), Effort(1200.0, 215.0, 1)]
    found = critical_speed(efforts)
    assert isinstance(found, NoCriticalSpeed)
    assert "no positive D'" in found.reason


def test_trend_is_the_least_squares_slope() -> None:
    # 80, 79, 79, 77: x = 0..3, mean x 1.5, mean y 78.75
    # sxy = (-1.5)(1.25) + (-0.5)(0.25) + (0.5)(0.25) + (1.5)(-1.75) = -4.5; sxx = 5
    assert slope_per_session([80.0, 79.0, 79.0, 77.0]) == pytest.approx(-4.5 / 5)
    assert slope_per_session([80.0]) is None
