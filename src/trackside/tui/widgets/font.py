"""A 5x7 bitmap font drawn with half blocks at any size, for text read from three metres.

The digits are square, seven-segment style: straight strokes stay straight at any scale and
read at a glance; letters are a classic 5x7.

Pure functions (no Textual): :func:`render_big` scales the font to the space it is given, so the
big clock grows with the terminal and falls back to plain text when there is no room.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import combinations, pairwise
from operator import itemgetter
from typing import NamedTuple

_GLYPHS_SOURCE = {
    "0": ("#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####"),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": ("#####", "....#", "....#", "#####", "#....", "#....", "#####"),
    "3": ("#####", "....#", "....#", ".####", "....#", "....#", "#####"),
    "4": ("#...#", "#...#", "#...#", "#####", "....#", "....#", "....#"),
    "5": ("#####", "#....", "#....", "#####", "....#", "....#", "#####"),
    "6": ("#####", "#....", "#....", "#####", "#...#", "#...#", "#####"),
    "7": ("#####", "....#", "....#", "....#", "....#", "....#", "....#"),
    "8": ("#####", "#...#", "#...#", "#####", "#...#", "#...#", "#####"),
    "9": ("#####", "#...#", "#...#", "#####", "....#", "....#", "#####"),
    ":": (".", "#", "#", ".", "#", "#", "."),
    ".": (".", ".", ".", ".", ".", "#", "#"),
    "-": ("...", "...", "...", "###", "...", "...", "..."),
    "/": (".....", "....#", "...#.", "..#..", ".#...", "#....", "....."),
    " ": ("...", "...", "...", "...", "...", "...", "..."),
    "!": ("#", "#", "#", "#", "#", ".", "#"),
    "?": (".###.", "#...#", "....#", "...#.", "..#..", ".....", "..#.."),
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": ("###", ".#.", ".#.", ".#.", ".#.", ".#.", "###"),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
}
_SMALL_SOURCE = {
    "0": "###,#.#,#.#,#.#,###",
    "1": ".#.,##.,.#.,.#.,###",
    "2": "###,..#,###,#..,###",
    "3": "###,..#,###,..#,###",
    "4": "#.#,#.#,###,..#,..#",
    "5": "###,#..,###,..#,###",
    "6": "###,#..,###,#.#,###",
    "7": "###,..#,..#,..#,..#",
    "8": "###,#.#,###,#.#,###",
    "9": "###,#.#,###,..#,###",
    ":": ".,#,.,#,.",
    ".": ".,.,.,.,#",
    "-": "...,...,###,...,...",
    "/": "..#,..#,.#.,#..,#..",
    " ": "..,..,..,..,..",
    "!": "#,#,#,.,#",
    "?": "###,..#,.##,...,.#.",
    "A": "###,#.#,###,#.#,#.#",
    "B": "##.,#.#,##.,#.#,##.",
    "C": "###,#..,#..,#..,###",
    "D": "##.,#.#,#.#,#.#,##.",
    "E": "###,#..,##.,#..,###",
    "F": "###,#..,##.,#..,#..",
    "G": "###,#..,#.#,#.#,###",
    "H": "#.#,#.#,###,#.#,#.#",
    "I": "###,.#.,.#.,.#.,###",
    "J": "..#,..#,..#,#.#,###",
    "K": "#.#,#.#,##.,#.#,#.#",
    "L": "#..,#..,#..,#..,###",
    "M": "#.#,###,###,#.#,#.#",
    "N": "##.,#.#,#.#,#.#,#.#",
    "O": "###,#.#,#.#,#.#,###",
    "P": "###,#.#,###,#..,#..",
    "Q": "###,#.#,#.#,###,..#",
    "R": "###,#.#,##.,#.#,#.#",
    "S": "###,#..,###,..#,###",
    "T": "###,.#.,.#.,.#.,.#.",
    "U": "#.#,#.#,#.#,#.#,###",
    "V": "#.#,#.#,#.#,#.#,.#.",
    "W": "#.#,#.#,###,###,#.#",
    "X": "#.#,#.#,.#.,#.#,#.#",
    "Y": "#.#,#.#,.#.,.#.,.#.",
    "Z": "###,..#,.#.,#..,###",
}
"""A 3x5 font for terminals too small for the 5x7 one (rows separated by commas)."""

Glyph = tuple[tuple[bool, ...], ...]
Bitmap = list[list[bool]]
Font = dict[str, Glyph]


def _font(source: Mapping[str, Sequence[str]]) -> Font:
    return {
        char: tuple(tuple(cell == "#" for cell in row) for row in rows)
        for char, rows in source.items()
    }


FONTS: tuple[Font, ...] = (
    _font(_GLYPHS_SOURCE),
    _font({char: tuple(rows.split(",")) for char, rows in _SMALL_SOURCE.items()}),
)
"""The fonts, largest first: the first one that fits is used."""
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
SMOOTH_SCALE = 2.0
"""Scales below this are rounded down to whole cells per pixel."""
MAX_STRETCH = 1.5
"""How much taller than wide a pixel may be drawn: tall digits read well, squat ones do not."""


LINE_GAP = 1
"""Blank pixel rows between lines of big text."""


def _line_bitmap(text: str, font: Font) -> list[list[bool]]:
    """One line of text as rows of pixels, one blank column between glyphs."""
    rows: list[list[bool]] = [[] for _ in font[" "]]
    for position, char in enumerate(text.upper()):
        glyph = font.get(char, font[" "])
        for row, pixels in zip(rows, glyph, strict=True):
            if position:
                row.append(False)
            row.extend(pixels)
    return rows


def _bitmap(lines: list[str], font: Font) -> list[list[bool]]:
    """Lines of text stacked and centred, ``LINE_GAP`` blank rows between them."""
    blocks = [_line_bitmap(line, font) for line in lines]
    width = max(len(block[0]) for block in blocks)
    rows: list[list[bool]] = []
    for number, block in enumerate(blocks):
        if number:
            rows += [[False] * width for _ in range(LINE_GAP)]
        left = (width - len(block[0])) // 2
        rows += [[False] * left + row + [False] * (width - left - len(row)) for row in block]
    return rows


def _layouts(text: str, most: int = 3) -> list[list[str]]:
    """Every way to set the words of ``text`` on one to ``most`` lines, in order."""
    words = text.split()
    if len(words) <= 1:
        return [[text]]
    layouts = [[" ".join(words)]]
    for lines in range(2, min(most, len(words)) + 1):
        for cuts in combinations(range(1, len(words)), lines - 1):
            bounds = (0, *cuts, len(words))
            layouts.append([" ".join(words[a:b]) for a, b in pairwise(bounds)])
    return layouts


def _scales(bitmap: list[list[bool]], width: int, height: int) -> tuple[float, float] | None:
    pixels_wide, pixels_high = len(bitmap[0]), len(bitmap)
    scale_x = width / pixels_wide
    scale_y = min(2 * height / pixels_high, scale_x * MAX_STRETCH)
    scale_x = min(scale_x, scale_y)
    # Below two cells a pixel, uneven resampling shows: keep small sizes to whole multiples.
    if scale_x < SMOOTH_SCALE:
        scale_x = math.floor(scale_x)
    if scale_y < SMOOTH_SCALE:
        scale_y = math.floor(scale_y)
    if scale_x < 1 or scale_y < 1:
        return None
    return scale_x, scale_y


class Fit(NamedTuple):
    """Text set to fill a box: its bitmap, the columns and half-rows it takes, and how tall
    one letter is drawn (in half-rows), the measure of how far away it reads."""

    bitmap: Bitmap
    columns: int
    half_rows: int
    letter: float
    """How tall a letter is drawn, in half-rows."""
    looks: float
    """How large a letter reads, in half-rows: its height, or less when its pixels are drawn
    taller than wide (strokes one column wide read thin)."""


@lru_cache(maxsize=16)
def _settings(text: str) -> tuple[tuple[int, tuple[Bitmap, ...]], ...]:
    """Each font's glyph height and the bitmaps of every way to set ``text`` in it (the count
    and the split come back each second; a few kept, so hours of clock texts hold no memory)."""
    layouts = _layouts(text)
    return tuple(
        (len(font["0"]), tuple(_bitmap(layout, font) for layout in layouts)) for font in FONTS
    )


def fit_big(text: str, width: int, height: int) -> Fit | None:
    """``text`` set on the lines and in the font that draw it largest in ``width`` x
    ``height``; None when there is no room for even one cell per pixel."""
    if not text.strip() or width <= 0 or height <= 0:
        return None
    for glyph_height, bitmaps in _settings(text):
        best: Fit | None = None
        best_scale = 0.0
        for bitmap in bitmaps:
            scales = _scales(bitmap, width, height)
            if scales is None:
                continue
            scale_x, scale_y = scales
            if best is None or scale_x > best_scale + 1e-9:
                size = (math.floor(len(bitmap[0]) * scale_x), math.floor(len(bitmap) * scale_y))
                best = Fit(
                    bitmap, *size, glyph_height * scale_y, glyph_height * min(scale_x, scale_y)
                )
                best_scale = scale_x
        if best is not None:
            return best
    return None


def big_layout(text: str, width: int, height: int) -> tuple[Bitmap, int, int] | None:
    """The bitmap of ``text`` set on the lines that draw it largest, and the columns and
    half-rows it takes; None when there is no room for even one cell per pixel."""
    fitted = fit_big(text, width, height)
    return None if fitted is None else fitted[:3]


def render_big(text: str, width: int, height: int) -> list[str]:
    """``text`` drawn as large as fits in ``width`` x ``height``, centred, one string per row.

    Words may go on up to three lines if that draws them larger. Pixels are resampled to the
    nearest neighbour, so any size works; half blocks give two pixel rows per terminal row.
    With no room the text is shown plain on the middle row.
    """
    if width <= 0 or height <= 0:
        return []
    layout = fit_big(text, width, height)
    lines = [text[:width]] if layout is None else _draw(*layout[:3])
    top = (height - len(lines)) // 2
    blank = " " * width
    padded = [line.center(width)[:width] for line in lines]
    return [blank] * top + padded + [blank] * (height - top - len(lines))


def _draw(bitmap: Bitmap, columns: int, half_rows: int) -> list[str]:
    source_w, source_h = len(bitmap[0]), len(bitmap)
    xs = [x * source_w // columns for x in range(columns)]
    ys = [y * source_h // half_rows for y in range(half_rows)]
    if len(ys) % 2:
        ys.append(-1)
    pick = itemgetter(*xs) if columns > 1 else lambda row: (row[xs[0]],)
    blank = [False] * source_w
    lines = []
    drawn: dict[tuple[int, int], str] = {}  # scaled up, most rows repeat the one above
    for top, bottom in zip(ys[::2], ys[1::2], strict=True):
        if (top, bottom) not in drawn:
            lower = bitmap[bottom] if bottom >= 0 else blank
            # Each source column as a half block, then resampled in one C-level pick.
            cells = [_HALF[pair] for pair in zip(bitmap[top], lower, strict=True)]
            drawn[top, bottom] = "".join(pick(cells))
        lines.append(drawn[top, bottom])
    return lines
