"""The big area: the rep count beside the clock, the last split big when reps show time."""

from __future__ import annotations

import pytest
from app_helpers import Rig, rig, shipped
from terminal import Terminal, expected, painted, watch
from textual.pilot import Pilot

from trackside.settings import Settings
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.board import ASIDE_SHARE, COUNT_SHARE, Board, arrange, draw_board
from trackside.tui.widgets.font import fit_big

BIG_SIZES = [(40, 12), (60, 16), (80, 24), (100, 30), (200, 60)]


def letters(board: Board, width: int, height: int) -> list[float]:
    """How tall each of the board's texts is drawn (half-rows; 0 when not shown)."""
    boxes = arrange(*board, width, height)
    heights = []
    for text, box in zip(board, boxes, strict=True):
        fitted = None if box is None else fit_big(text, box.width, box.height)
        heights.append(0.0 if fitted is None else fitted.letter)
    return heights


# The big area of a rep and of a recovery at 40x12, 60x16, 80x24, 100x30 and 200x60.
AREAS = [(38, 8), (38, 7), (58, 10), (78, 18), (98, 22), (198, 52)]


@pytest.mark.parametrize(("width", "height"), AREAS)
@pytest.mark.parametrize("main", ["2:43", "10:05", "3K EFFORT", "ALL YOU GOT"])
def test_the_count_is_at_least_half_the_clock_and_no_larger(
    main: str, width: int, height: int
) -> None:
    clock, count, _ = letters(Board(main, "21/21"), width, height)
    assert clock > 0
    if width < 40 and len(main) * 4 > width:
        # An effort that needs two lines of the smallest font leaves no row for the count:
        # the effort stays (the headline says FINAL REP 21/21).
        assert count == 0
        return
    assert COUNT_SHARE * clock - 1e-9 <= count <= clock + 1e-9


@pytest.mark.parametrize(("width", "height"), [(56, 11), (80, 19), (100, 25), (200, 55)])
def test_the_split_is_at_least_a_third_of_the_clock(width: int, height: int) -> None:
    clock, count, split = letters(Board("1:05", "8/10", "1:11.0"), width, height)
    assert count >= COUNT_SHARE * clock - 1e-9
    assert split >= ASIDE_SHARE * clock - 1e-9
    rows = draw_board(Board("1:05", "8/10", "1:11.0"), width, height)
    assert any("last rep" in row for row in rows)  # captioned: not read as the clock


def test_with_no_room_the_split_goes_first_then_the_count_never_the_clock() -> None:
    boxes = arrange("0:00", "0/00", "0:00.0", 20, 3)
    assert boxes[0] is not None
    assert boxes[2] is None
    clock_only = arrange("0:00", "00/00", "", 12, 2)
    assert clock_only[0] is not None
    assert clock_only[1] is None
    assert "1:05" in "".join(draw_board(Board("1:05", "8/10"), 6, 1))  # plain, still there


def test_any_digits_draw_in_the_same_place() -> None:
    # The arrangement is worked out per shape, so a ticking clock never jumps.
    first = draw_board(Board("1:59", "7/21"), 100, 25)
    second = draw_board(Board("2:00", "8/21"), 100, 25)
    assert [len(row) for row in first] == [len(row) for row in second]
    assert [bool(row.strip()) for row in first] == [bool(row.strip()) for row in second]


@pytest.mark.parametrize("size", BIG_SIZES)
async def test_the_rep_count_is_big_at_every_size(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    terminal = Terminal(*size)
    watch(rigged.app, terminal, monkeypatch)
    async with rigged.app.run_test(size=size) as pilot:
        await pilot.press("space")
        await rigged.advance(pilot, 70)
        big = rigged.screen.query_one(BigText)
        assert big.board == Board("3K EFFORT", "1/21")  # effort presets keep the effort big
        await pilot.press("space")
        await rigged.advance(pilot, 40)
        assert big.board == Board("0:40", "2/21")  # the rep to come; the split stays small
        clock, count, _ = letters(big.board, big.size.width, big.size.height - 2 * (size[1] > 14))
        assert count >= COUNT_SHARE * clock - 1e-9, size
        assert painted(big, terminal) == expected(big)


async def into_recovery_1(rigged: Rig, pilot: Pilot[int]) -> BigText:
    """Rep 1 run in 1:11.2, then 5 s into its recovery: the big area."""
    await pilot.press("space")
    await rigged.advance(pilot, 71.2)
    await pilot.press("space")
    await rigged.advance(pilot, 5)
    return rigged.screen.query_one(BigText)


async def test_the_last_split_is_big_when_reps_show_time_and_small_otherwise() -> None:
    rigged = rig(shipped("10x400m-90s"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        big = await into_recovery_1(rigged, pilot)
        assert big.board == Board("1:25", "2/10", "1:11.2")
    rigged = rig(shipped("21x400m"), settings=Settings(countdown_s=0))
    async with rigged.app.run_test(size=(100, 30)) as pilot:
        big = await into_recovery_1(rigged, pilot)
        assert big.board.aside == ""
        await pilot.press("t")  # the rep clock on: the runner asked for times
        await pilot.pause()
        assert big.board.aside == "1:11.2"
