"""The session screen: the big clock, the headline, the window bar and the rep strip.

It holds the :class:`~trackside.core.runner.Runner`, calls ``act`` on a key and ``tick`` when its
one timer fires, and shows only ``runner.session``. The timer is set to the earlier of the next
second of the step's own clock and the engine's next due event, so nothing ticks at a fixed rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from trackside.core.events import (
    ActionKind,
    Event,
    EventKind,
    IllegalAction,
    Phase,
    WindowNotOpen,
)
from trackside.core.results import implausibly_short
from trackside.core.runner import Runner
from trackside.core.safe import visible
from trackside.core.session import Session
from trackside.core.timefmt import split
from trackside.tui.keys import screen_key
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.help import HelpScreen, bound_keys
from trackside.tui.screens.session_parts import Notice, Shown, sound_status, when_shown
from trackside.tui.textual_fixes import collect_after_refresh
from trackside.tui.view import (
    KEY_ACTIONS,
    HintKeys,
    distance_label,
    fit_words,
    key_live,
    next_redraw,
    view,
)
from trackside.tui.wake import Wake
from trackside.tui.widgets.big_text import BigText
from trackside.tui.widgets.board import Board
from trackside.tui.widgets.footer import KeysFooter
from trackside.tui.widgets.headline import Headline
from trackside.tui.widgets.rep_strip import RepStrip
from trackside.tui.widgets.unsaved import UnsavedBadge
from trackside.tui.widgets.window_bar import WindowBar

if TYPE_CHECKING:
    from trackside.audio.player import CuePlayer

NOTICE_S = 5.0
"""How long a refusal ("window opens in 0:42") stays on screen."""
STATE_CLASSES = frozenset(
    {phase.value for phase in Phase}
    | {"final", "all-out", "final-next", "window-open", "last-seconds"}
)
"""Every state class the screen may carry; the ``.tcss`` styles them."""
MARK_REPEAT_S = 0.3
"""A second press of the mark key this soon after the first is ignored: headset and clicker
buttons repeat, and a repeat would end the next step at once."""


class SessionScreen(Screen[None]):
    """Runs a session: keys go to the runner, the screen shows the session it holds."""

    BINDINGS = [
        # PageDown and PageUp: what presenter clickers and foot pedals send.
        Binding("space,enter,pagedown", "mark", "Mark", id="mark"),
        Binding("g", "go_now", "Go now", id="go-now"),
        Binding("u,pageup", "undo", "Undo", id="undo"),
        Binding("p", "pause", "Pause", id="pause"),
        Binding("s", "skip", "Skip", id="skip"),
        Binding("t", "rep_clock", "Clock", id="rep-clock"),
        Binding("m", "mute", "Mute", id="mute"),
        Binding("q", "end", "End", id="end"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    @dataclass
    class Finished(Message):
        """The session is done or was ended: time for the summary."""

        session: Session

    @dataclass
    class RepClockToggled(Message):
        """The runner showed or hid the rep clock (a setting the app remembers)."""

        shown: bool

    def __init__(
        self, runner: Runner, *, show_rep_clock: bool = False, audio: CuePlayer | None = None
    ) -> None:
        super().__init__()
        self.runner = runner
        self.show_rep_clock = show_rep_clock
        self.audio = audio
        self.notice: Notice | None = None
        self.wake = Wake(self, lambda: self.tick())  # looked up at each wake
        self._notice_timer: Timer | None = None
        self._finished = False
        self._key_states: tuple[bool | None, ...] = ()
        self.hint_keys = HintKeys()
        self.sound_problem: str | None = None
        """Why cues fell back to the bell or silence, in plain words (the app sets it)."""
        self._last_mark: float | None = None
        """When the mark key was last taken (the runner's clock), for the repeat guard."""
        self.shown: Shown | None = None
        """The widgets, once composed and mounted; None before (keys then do nothing)."""

    def compose(self) -> ComposeResult:
        """The headline on top, the big clock in the middle, the window bar and strip below."""
        # The lines above and below the clock sit in containers of their own: each frame Textual
        # redraws every widget whose container overlaps what changed, and the screen is the
        # container of the top level. Kept apart, only the clock is drawn each second.
        with Vertical(id="top"):
            yield Headline(id="headline")
            yield Static(id="sub", markup=False)
        yield BigText(id="big")
        with Vertical(id="lower"):
            yield WindowBar(id="window")
            with Horizontal(id="bottom"):
                # Bottom left: never over the clock or the effort, nor under the notice that
                # says why (notices stack bottom right).
                yield UnsavedBadge(getattr(self.runner.log, "unsaved", 0))
                yield RepStrip(id="strip")
                yield Static(id="sound", markup=False)
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Show the session as it is, then sleep until something changes."""
        if not self.children:
            return  # closed before it composed (a queued key quit the app as it opened)
        # The hints name the keys bound now ([keymap] in config.toml may move them).
        self.hint_keys = HintKeys(screen_key(self, "mark", loud=True), screen_key(self, "pause"))
        self.shown = Shown(
            headline=self.query_one(Headline),
            sub=self.query_one("#sub", Static),
            big=self.query_one(BigText),
            window=self.query_one(WindowBar),
            strip=self.query_one(RepStrip),
            sound=self.query_one("#sound", Static),
        )
        self.show_sound()
        self.tick()

    def show_sound(self, problem: str | None = None) -> None:
        """Show the sound backend in use (never silently degraded: bell and silent stand out,
        with why in plain words, here in the status area and never over the clock)."""
        if problem is not None:
            self.sound_problem = problem
        if self.shown is None:
            return
        label = self.shown.sound
        if self.audio is None:
            label.display = False
            return
        audio, room = self.audio, self.size.width // 2  # at most half the row, by the strip
        text, degraded = sound_status(audio.backend, audio.muted, self.sound_problem, room)
        label.update(text)
        label.set_class(degraded, "degraded")

    def on_resize(self) -> None:
        """Drop the least needed lines on small terminals (the clock and headline stay)."""
        self.set_class(self.size.height < 16, "short")
        self.set_class(self.size.height < 11, "tiny")
        self.refresh_view()  # the sub line and the sound status are fitted in whole words
        self.show_sound()

    # -- time ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Bring the session up to now and redraw (the timer calls this; tests may too)."""
        self._after(self.runner.tick())

    def _schedule(self) -> None:
        now = self.runner.now()
        when = next_redraw(self.runner.session, now, self.show_rep_clock)
        self.wake.after(None if when is None or self._finished else when - now)

    def on_unmount(self) -> None:
        """No more ticks once the screen is gone."""
        self.wake.cancel()

    @property
    def timer_delay(self) -> float | None:
        """Seconds until the screen wakes next, or None when it sleeps until a key."""
        when = next_redraw(self.runner.session, self.runner.now(), self.show_rep_clock)
        return None if when is None else when - self.runner.now()

    # -- acting -------------------------------------------------------------------------

    def act(self, kind: ActionKind) -> bool:
        """Take an action now; a refusal is shown in one line. True if it was taken."""
        try:
            events = self.runner.act(kind)
        except WindowNotOpen as refusal:
            self._say(f"{refusal} · {screen_key(self, 'go-now')} starts now")
            return False
        except IllegalAction as refusal:
            self._say(str(refusal))
            return False
        self._after(events)
        return True

    def _after(self, events: tuple[Event, ...]) -> None:
        for event in events:
            if event.kind is EventKind.UNDONE or event.kind is EventKind.WINDOW_OPENED:
                # An open window outranks any notice: "window opens in 0:03" would now be false,
                # and GO WHEN READY is what the runner must see (u still undoes a stray mark).
                self.notice = None
            elif event.kind is EventKind.REP_MARKED:
                self._guard(event)
                # Textual leaves each step change in reference cycles: one collection just
                # after the recovery's first frame keeps a 90-minute session flat (see
                # textual_fixes).
                collect_after_refresh(self)
        self.refresh_view()
        self._refresh_keys()
        self._schedule()
        session = self.runner.session
        if session.finished and not self._finished:
            self._finished = True
            self.post_message(self.Finished(session))

    def _guard(self, event: Event) -> None:
        """A rep faster than 60 % of the world record is a stray press: offer the undo."""
        if event.step is None or event.value is None:
            return
        step = self.runner.session.plan.steps[event.step]
        if implausibly_short(step.distance_m, event.value):
            distance = distance_label(step) or "the rep"
            undo = screen_key(self, "undo")
            self._say(
                f"{split(event.value)} for {distance}? Too fast: {undo} undoes it", sticky=True
            )

    def _say(self, text: str, sticky: bool = False) -> None:
        until = None if sticky else self.runner.now() + NOTICE_S
        # A notice may quote the plan (a distance as the preset wrote it).
        self.notice = Notice(visible(text), self.runner.session.step_index, until)
        if self._notice_timer is not None:
            self._notice_timer.stop()
        if not sticky:
            self._notice_timer = self.set_timer(NOTICE_S, self._clear_notice, name="notice")
        self.refresh_view()

    def _clear_notice(self) -> None:
        self.notice = None
        self.refresh_view()

    # -- showing ------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Push what the session shows now down to the widgets (each repaints what changed)."""
        widgets = self.shown
        if widgets is None:
            return  # on_mount shows it
        session = self.runner.session
        now = self.runner.now()
        shown = view(session, now, self.show_rep_clock, self.hint_keys)
        notice = self.notice
        if notice is not None and (
            notice.step != session.step_index or (notice.until is not None and now >= notice.until)
        ):
            self.notice = None
        wanted = set(shown.classes)
        if self.notice is not None:
            wanted.add("notice")
        # Only touch classes that change: each change restyles the screen.
        current = set(self.classes) & (STATE_CLASSES | {"notice"})
        if current != wanted:
            self.remove_class(*(current - wanted))
            self.add_class(*(wanted - current))
        widgets.headline.variants = shown.headline
        sub = fit_words(self.notice.text if self.notice is not None else shown.sub, self.size.width)
        if widgets.sub.content != sub:  # update() lays the whole screen out again, even if same
            widgets.sub.update(sub)
        widgets.big.board = Board(shown.big, shown.count, shown.aside)
        widgets.window.window = shown.window
        widgets.window.set_class(shown.window is None, "hidden")
        widgets.strip.states = shown.strip
        widgets.strip.last_split = shown.last_split

    def _refresh_keys(self) -> None:
        # The footer rebuilds itself on a refresh: do it only when a key's state changed.
        states = tuple(self.check_action(action, ()) for action in KEY_ACTIONS)
        if states != self._key_states:
            self._key_states = states
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys the engine's table refuses now (None greys, True allows)."""
        live = key_live(action, self.runner.session, self.runner.now(), self.audio is not None)
        return True if live else None

    # -- the keys -----------------------------------------------------------------------

    @when_shown
    def action_mark(self) -> None:
        """Space: end the rep, or start the next one once the window is open."""
        now = self.runner.now()
        if self._last_mark is not None and now - self._last_mark < MARK_REPEAT_S:
            return  # the button repeating, not the runner
        self._last_mark = now
        self.act(ActionKind.MARK)

    @when_shown
    def action_go_now(self) -> None:
        """Start the next rep now, before the window opens."""
        self.act(ActionKind.GO_NOW)

    @when_shown
    def action_undo(self) -> None:
        """Take back the last mark."""
        self.act(ActionKind.UNDO)

    @when_shown
    def action_pause(self) -> None:
        """Pause, or resume if paused."""
        paused = self.runner.session.paused
        self.act(ActionKind.RESUME if paused else ActionKind.PAUSE)

    @when_shown
    def action_skip(self) -> None:
        """Skip the current step (or the countdown)."""
        self.act(ActionKind.SKIP)

    @when_shown
    def action_rep_clock(self) -> None:
        """Show or hide the running clock during reps."""
        self.show_rep_clock = not self.show_rep_clock
        self.post_message(self.RepClockToggled(self.show_rep_clock))
        self._after(())

    @when_shown
    def action_mute(self) -> None:
        """Turn the cues off or on."""
        if self.audio is None:
            return
        self.audio.set_muted(not self.audio.muted)
        mute = screen_key(self, "mute")
        self._say(f"sound off: {mute} turns it on" if self.audio.muted else "sound on")
        self.show_sound()

    @when_shown
    def action_end(self) -> None:
        """End the session, after asking: what was run is kept."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(ActionKind.END)

        question = "End the session now? What you ran is kept."
        self.app.push_screen(ConfirmScreen(question), answered)

    @when_shown
    def action_help(self) -> None:
        """Show the keys as they are bound now."""
        self.app.push_screen(HelpScreen(bound_keys(self)))
