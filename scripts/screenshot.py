"""Save the session screen as the README's picture: ``docs/session.svg`` (and ``.png``).

Runs the real app headless on a fake clock through six reps of the 21 x 400m preset into the
seventh recovery with the window open, then saves Textual's SVG screenshot. If ``rsvg-convert``
is installed a PNG is made too. Run it again whenever the screen changes:

    python scripts/screenshot.py [--out docs] [--size 100x30] [--theme dark|light]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
from pathlib import Path

from trackside.core.clock import FakeClock
from trackside.presets.loader import load_library, resolve
from trackside.settings import Settings
from trackside.tui.app import TracksideApp
from trackside.tui.screens.session import SessionScreen

REPO = Path(__file__).resolve().parents[1]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs", help="folder to write to")
    parser.add_argument("--size", default="100x30", help="terminal size, COLUMNSxROWS")
    parser.add_argument("--theme", choices=("dark", "light"), default="dark")
    parser.add_argument("--name", default="session", help="file name without extension")
    return parser.parse_args(argv)


async def shoot(args: argparse.Namespace) -> Path:
    """Drive the app to an open recovery window and save the SVG; return its path."""
    width, height = (int(part) for part in args.size.split("x"))
    preset = resolve("21x400m", load_library(REPO / "presets", REPO / "presets" / "none"))
    clock = FakeClock()
    settings = Settings(theme=f"trackside-{args.theme}", countdown_s=0)
    app = TracksideApp(clock=clock, preset=preset, settings=settings)
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.press("space")
        for rep in range(1, 8):
            clock.advance(68 + rep % 4)
            await pilot.press("space")
            clock.advance(152 if rep == 7 else 160)
            if rep < 7:
                await pilot.press("space")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        screen.tick()
        await pilot.pause()
        args.out.mkdir(parents=True, exist_ok=True)
        return Path(app.save_screenshot(f"{args.name}.svg", str(args.out)))


def to_png(svg: Path) -> Path | None:
    """A PNG of ``svg`` through rsvg-convert, or None if it is not installed."""
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        return None
    # rsvg collapses the runs of spaces Textual writes; tell it to keep them.
    text = re.sub(r"<text ", '<text xml:space="preserve" ', svg.read_text(encoding="utf-8"))
    png = svg.with_suffix(".png")
    subprocess.run([rsvg, "-o", str(png)], input=text.encode(), check=True)
    return png


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    svg = asyncio.run(shoot(args))
    print(svg)
    png = to_png(svg)
    print(png if png is not None else "rsvg-convert not found: no PNG")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
