"""The coach's rows, drawn by one widget: what a second going by repaints."""

from __future__ import annotations

from pathlib import Path

import pytest
from coach_helpers import coach_rig, lineup_of, short_preset
from textual.geometry import Region

from trackside.core.events import Phase
from trackside.tui.widgets.athlete_rows import AthleteRows

NAMES = "Ann,Ben,Cid,Dee,Eli,Fay,Gus,Hal,Ivy,Jon"


async def test_a_second_repaints_the_cells_that_turned_in_one_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = coach_rig(lineup_of(NAMES, short_preset(tmp_path)))
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await rig.advance(pilot, 3 + 20)
        await pilot.press(*"1234567890")
        await rig.advance(pilot, 0.7)  # past the keys' highlight
        assert [s.running_phase for s in rig.group.sessions] == [Phase.RECOVERY] * 10
        rows = rig.screen.query_one(AthleteRows)
        refreshed: list[tuple[Region, ...]] = []
        refresh = rows.refresh

        def counted(*regions: Region, **kwargs: bool) -> AthleteRows:
            refreshed.append(regions)
            return refresh(*regions, **kwargs)

        monkeypatch.setattr(rows, "refresh", counted)
        await rig.advance(pilot, 1.0)  # every row's clock and "opens in" turn
        assert len(refreshed) == 1
        (regions,) = refreshed
        width, height = rows.rows_layout()
        assert height == 2  # a line each: ten athletes at 100x30
        assert sorted(r.y for r in regions) == [2 * i for i in range(10)]
        assert all(0 < r.width < width // 2 and r.height == 1 for r in regions)
        assert "RECOVERY 5 opens in 0:03" in " ".join(rows.render_line(0).text.split())


@pytest.mark.parametrize(("before", "after"), [((40, 12), (100, 30)), ((100, 30), (40, 12))])
async def test_a_resize_draws_every_row_at_the_new_size(
    tmp_path: Path, before: tuple[int, int], after: tuple[int, int]
) -> None:
    # Rows drawn at the old size and painted before the widget heard of the new one crashed
    # the app (IndexError) when a 40x12 terminal was made 100x30 in tmux.
    rig = coach_rig(lineup_of(NAMES, short_preset(tmp_path)))
    async with rig.app.run_test(size=before) as pilot:
        await pilot.press("space")
        await rig.advance(pilot, 3 + 20)
        await pilot.press("3", "0")
        rows = rig.screen.query_one(AthleteRows)
        rows.show([])  # nothing new: the rows keep what they drew at the old size
        await pilot.resize_terminal(*after)
        await rig.advance(pilot, 0.1)
        width, _ = rows.rows_layout()
        lines = [rows.render_line(y).text for y in range(rows.size.height)]
        assert all(len(line) == width for line in lines)
        text = " ".join(" ".join(lines).split())
        for shown in ("Cid", "RECOVERY", "Jon"):
            assert shown in text
