"""The big area of the session screen laid out: the clock (or the effort), the rep count and
the last split, each in the big font, as large as the space allows. Pure functions.

The clock is what a runner reads first, so it gets the most room; the rep count is drawn at
least half its height wherever the space allows it (beside the clock on a wide terminal, above
it on a tall one), and the last split, when shown, at least a third. Where even that cannot fit
the split goes first, then the count (the headline still names the rep), never the clock.

Which arrangement draws them largest depends on the size and on the shape of the texts, not on
their digits (every digit is as wide as the others), so it is worked out once per size and
shape, not each second.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from trackside.tui.widgets.font import fit_big, render_big

COUNT_SHARE = 0.5
"""The rep count's letters are at least this share of the clock's height."""
COUNT_WEIGHT = 0.6
"""What a half-row more of the count is worth against one more of the clock."""
ASIDE_SHARE = 1 / 3
"""The last split's letters are at least this share of the clock's height."""
ASIDE_WEIGHT = 0.4
"""What a half-row more of the split is worth against one more of the clock."""
GAP_COLUMNS = 3
"""Blank columns between texts side by side, at least; a twentieth of the width on wide
screens, so two texts never read as one."""
MARGIN_FROM = 14
"""From this many rows the big area keeps a blank row above and below."""
CAPTION = "last rep"
"""Plain words over the big last split, so it is not read as the clock."""
CAPTION_FROM = 5
"""The split's box needs this many rows under its caption."""
_SHAPE = str.maketrans("123456789", "000000000")


class Board(NamedTuple):
    """What the big area shows."""

    main: str
    """The clock, the effort or the countdown."""
    rep: str = ""
    """The rep count (``7/21``), or empty."""
    aside: str = ""
    """The last split, or empty."""


class Box(NamedTuple):
    """Where one text goes: its top-left cell and its size."""

    x: int
    y: int
    width: int
    height: int


Arrangement = tuple[Box | None, Box | None, Box | None]
"""The boxes of the clock, the rep count and the last split (None: not shown)."""


def draw_board(board: Board, width: int, height: int) -> list[str]:
    """The big area, ``width`` x ``height``: the clock (or the effort) as large as fits beside
    the rep count and the last split, the split captioned where there is a row for it."""
    if width <= 0 or height <= 0:
        return []
    margin = 1 if height >= MARGIN_FROM else 0
    shapes = (text.translate(_SHAPE) for text in board)
    boxes = arrange(*shapes, width, height - 2 * margin)
    rows = [" " * width] * height
    for text, box in zip(board, boxes, strict=True):
        if box is None:
            continue
        lines = _drawn(text, box.width, box.height)
        top = box.y + margin
        if box is boxes[2] and box.height - 1 >= CAPTION_FROM:
            lines = _drawn(text, box.width, box.height - 1)
            first = next((y for y, line in enumerate(lines) if line.strip()), 0)
            lines = [
                *[" " * box.width] * first,
                CAPTION.center(box.width)[: box.width],
                *lines[first:],
            ]
        for offset, line in enumerate(lines):
            row = rows[top + offset]
            rows[top + offset] = row[: box.x] + line + row[box.x + box.width :]
    return rows


@lru_cache(maxsize=8)
def _drawn(text: str, width: int, height: int) -> list[str]:
    # The count and the split stay the same for a whole step: drawn once, not each second.
    return render_big(text, width, height)


@lru_cache(maxsize=64)
def arrange(main: str, count: str, aside: str, width: int, height: int) -> Arrangement:
    """Where each text goes at this size: the arrangement that draws the clock largest with
    the count and the split at their shares of it, dropping the split, then the count, when
    none can keep them. The texts are shapes (digits as ``0``): any digits draw the same."""
    wanted = [(count, aside)] if aside else []
    wanted += [(count, "")] if count else []
    for extra_count, extra_aside in wanted:
        best: tuple[tuple[float, ...], Arrangement] | None = None
        for boxes in _candidates(bool(extra_aside), width, height):
            score = _score((main, extra_count, extra_aside), boxes)
            if score is not None and (best is None or score > best[0]):
                best = (score, boxes)
        if best is not None:
            clock, count_box, aside_box = best[1]
            return clock, _no_larger(extra_count, count_box, main, clock), aside_box
    return Box(0, 0, width, height), None, None


def _no_larger(text: str, box: Box | None, main: str, clock: Box | None) -> Box | None:
    """``box`` made shorter until ``text`` draws no taller than the
    clock: a wide effort (``ALL YOU GOT``) leaves room the count must not outgrow it in."""
    if box is None or clock is None:
        return box
    fitted = fit_big(main, clock.width, clock.height)
    limit = fitted.letter if fitted is not None else 0.0
    height = box.height
    while height > 1:
        drawn = fit_big(text, box.width, height)
        if drawn is None or drawn.letter <= limit + 1e-9:
            break
        height -= 1
    # Above the clock it sits just over it; beside it, level with its middle.
    above = box.y + box.height <= clock.y
    top = box.y + box.height - height if above else box.y + (box.height - height) // 2
    return Box(box.x, top, box.width, height)


def _score(texts: tuple[str, str, str], boxes: Arrangement) -> tuple[float, ...] | None:
    """How large the texts read, the clock first, or None if one of them does not fit or
    falls short of its share of the clock."""
    letters = []
    looks = []
    for text, box in zip(texts, boxes, strict=True):
        fitted = None
        if box is not None:
            room = (
                box.height - 1 if box is boxes[2] and box.height - 1 >= CAPTION_FROM else box.height
            )
            fitted = fit_big(text, box.width, room)
            if fitted is None:
                return None
        letters.append(0.0 if fitted is None else fitted.letter)
        looks.append(0.0 if fitted is None else fitted.looks)
    clock, count, aside = letters
    if count < clock * COUNT_SHARE - 1e-9 or (boxes[2] and aside < clock * ASIDE_SHARE - 1e-9):
        return None
    # The clock counts most; a larger count or split is worth some of its size, but never
    # more than the clock's (room a count would take beyond that goes to the clock).
    count_worth, aside_worth = min(looks[1], looks[0]), min(looks[2], looks[0])
    return looks[0] + COUNT_WEIGHT * count_worth + ASIDE_WEIGHT * aside_worth, *looks


def _candidates(with_aside: bool, width: int, height: int) -> Iterator[Arrangement]:
    """The arrangements worth trying: the count (over the split) beside the clock, or the
    count (beside the split) above it, at each share of the width or height."""
    step = max(1, width // 40)
    gap_x = max(GAP_COLUMNS, width // 20)
    for left in range(3, width - gap_x - 2, step):
        right = Box(left + gap_x, 0, width - left - gap_x, height)
        if with_aside:
            upper = height // 2
            yield right, Box(0, 0, left, upper), Box(0, upper, left, height - upper)
        else:
            yield right, Box(0, 0, left, height), None
    gap = 1 if height >= 10 else 0
    for top in range(2, height - gap - 1):
        lower = Box(0, top + gap, width, height - top - gap)
        if with_aside:
            half = (width - gap_x) // 2
            yield lower, Box(0, 0, half, top), Box(half + gap_x, 0, width - half - gap_x, top)
        else:
            yield lower, Box(0, 0, width, top), None
