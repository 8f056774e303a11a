"""The coach's screen: a row per athlete, a key each, the group's next event named on top.

It holds the :class:`~trackside.core.group_runner.GroupRunner`: an athlete's key goes to
``act`` for that athlete (what the :class:`~trackside.tui.coach_keys.Keypad` says it does), the
coach's keys to ``act_all``, and one timer ticks the group at the next moment anything shown
changes. Rows fill the terminal: big digits for a few athletes, a line each for many.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from trackside.audio.player import CuePlayer
from trackside.core.events import ActionKind, EventKind, IllegalAction, WindowNotOpen
from trackside.core.group import AthleteEvent, Group
from trackside.core.group_runner import GroupRunner
from trackside.core.results import implausibly_short
from trackside.core.safe import visible
from trackside.core.session import Session
from trackside.core.timefmt import split
from trackside.tui.coach_keys import ARMED, Keypad
from trackside.tui.coach_view import group_headline, next_redraw, row_view
from trackside.tui.keys import screen_key
from trackside.tui.screens.confirm import ConfirmScreen
from trackside.tui.screens.help import HelpScreen, bound_keys
from trackside.tui.screens.shown import never_composed, shown_only
from trackside.tui.view import distance_label
from trackside.tui.view import next_redraw as session_redraw
from trackside.tui.wake import Wake
from trackside.tui.widgets.athlete_rows import AthleteRows
from trackside.tui.widgets.footer import KeysFooter
from trackside.tui.widgets.headline import Headline

ATHLETE_KEYS = Binding("1,2,3,4,5,6,7,8,9,0", "noop", show=False, id="coach-athlete")
"""The athletes' default keys, for the keymap's check only (an athlete's key is read by
``on_key``, not bound): a coach's binding remapped onto a digit is refused."""
NOTICE_S = 5.0
"""How long a refusal ("window opens in 0:42") stays on the athlete's row."""
PRESSED_S = 0.6
"""How long an athlete's key, once taken, stays lit on their row."""
TOGETHER_S = 0.05
"""Athletes' clocks whose seconds turn within this of each other are redrawn in one wake (ten
athletes marked a moment apart would otherwise wake the screen ten times a second)."""


@dataclass(frozen=True, slots=True)
class RowNotice:
    """A line on one athlete's row in place of their window's words."""

    text: str
    step: int | None
    """The step it is about: it goes when the athlete's step changes."""
    until: float | None
    """Session-clock time it goes at; None keeps it until the step changes."""


class CoachScreen(Screen[None]):
    """Times a group: one key per athlete, the coach's own keys for everyone."""

    BINDINGS = [
        Binding("space,enter", "start", "Start group", id="coach-start"),
        Binding("g", "arm('go_now')", "Go now…", id="coach-go-now"),
        Binding("u", "arm('undo')", "Undo…", id="coach-undo"),
        Binding("s", "arm('skip')", "Skip…", id="coach-skip"),
        Binding("p", "pause", "Pause all", id="coach-pause"),
        Binding("m", "mute", "Mute", id="coach-mute"),
        Binding("q", "end", "End", id="coach-end"),
        Binding("escape", "cancel", "Cancel", id="coach-cancel", show=False),
        Binding("question_mark", "help", "Help", id="coach-help"),
    ]

    @dataclass
    class Finished(Message):
        """Every athlete is done or ended: time for the group's summary."""

        group: Group

    @dataclass
    class Started(Message):
        """Space started the group."""

    class Backed(Message):
        """The coach left before starting the group."""

    def __init__(
        self,
        runner: GroupRunner,
        keys: Sequence[str],
        *,
        title: str = "",
        audio: CuePlayer | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.keypad = Keypad(keys)
        self.names = [visible(athlete.name) for athlete in runner.group.athletes]
        self.title_text = visible(title) or ", ".join(self.names)
        self.audio = audio
        self.sound_problem: str | None = None
        """Why cues fall back to the bell or silence, said on the top line (see show_sound)."""
        self.notices: dict[int, RowNotice] = {}
        self.pressed: dict[int, float] = {}
        self.rows: AthleteRows | None = None
        self.headline: Headline | None = None
        self._said: tuple[str, float] | None = None
        self.wake = Wake(self, lambda: self.tick())  # looked up at each wake
        self._finished = False
        self._due: list[float | None] = []
        """Each row's next change by itself (see :meth:`refresh_view`)."""

    def compose(self) -> ComposeResult:
        """The group's line on top, a row per athlete, the keys below."""
        yield Headline(id="group-headline")
        yield AthleteRows(len(self.names), id="rows")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Size the rows, show the group as it is, then sleep until something changes."""
        if never_composed(self):
            return
        # Found once: a query each second adds up.
        self.rows = self.query_one(AthleteRows)
        self.headline = self.query_one(Headline)
        self.refresh_view()
        self.tick()

    # -- time -------------------------------------------------------------------------------

    def tick(self) -> None:
        """Bring the group up to now and redraw (the timer calls this; tests may too)."""
        self._after(self.runner.tick(), only=())

    def _schedule(self) -> None:
        now = self.runner.now()
        moments = [next_redraw(self.runner.group, now, TOGETHER_S)]
        pending = self.keypad.pending(now)
        moments.append(None if pending is None else pending.until)
        moments += [n.until for n in self.notices.values()]
        moments += [at + PRESSED_S for at in self.pressed.values()]
        moments.append(None if self._said is None else self._said[1])
        soonest = min((m for m in moments if m is not None), default=None)
        self.wake.after(None if soonest is None or self._finished else soonest - now)

    def on_unmount(self) -> None:
        """No more ticks once the screen is gone."""
        self.wake.cancel()

    # -- acting -----------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """An athlete's key: what the keypad says it does, for that athlete only."""
        athlete = self.keypad.athlete_of(event.character or "")
        if athlete is None or self.rows is None:
            return
        event.stop()
        event.prevent_default()
        self.press(athlete)

    def _key(self, binding_id: str, *, loud: bool = False) -> str:
        """The key bound now to one of this screen's bindings, as a hint names it."""
        return screen_key(self, binding_id, loud=loud)

    def press(self, athlete: int) -> None:
        """The athlete's key was pressed now."""
        now = self.runner.now()
        if not self.runner.group.started:
            self._say(f"{self._key('coach-start', loud=True)} starts the group first")
            return
        kind = self.keypad.press(athlete, now)
        if kind is None:
            return  # the same key bounced
        try:
            done = self.runner.act(athlete, kind)
        except WindowNotOpen as refusal:
            key = self.keypad.keys[athlete].upper()
            self._notice(athlete, f"{refusal} · {self._key('coach-go-now')} then {key} starts now")
        except IllegalAction as refusal:
            self._notice(athlete, str(refusal))
        else:
            self.pressed[athlete] = now
            self.notices.pop(athlete, None)
            self._after(done, only=(athlete,))
            return
        self._after((), only=(athlete,))

    def _after(self, happened: tuple[AthleteEvent, ...], only: Sequence[int] | None = None) -> None:
        """Show what ``happened``: the rows of the athletes in ``only`` and of those it
        happened to (every row if None), and any row whose own moment has come."""
        for event in happened:
            if event.event.kind is EventKind.REP_MARKED:
                self._guard(event)
            elif event.event.kind in (EventKind.UNDONE, EventKind.WINDOW_OPENED):
                self.notices.pop(event.athlete, None)
        rows = None if only is None else {*only, *(event.athlete for event in happened)}
        self.refresh_view(rows)
        self._schedule()
        group = self.runner.group
        if group.finished and not self._finished:
            self._finished = True
            self.post_message(self.Finished(group))

    def _guard(self, happened: AthleteEvent) -> None:
        """A rep faster than 60 % of the world record is a stray press: offer the undo."""
        event = happened.event
        if event.step is None or event.value is None:
            return
        session = self.runner.group.sessions[happened.athlete]
        step = session.plan.steps[event.step]
        if implausibly_short(step.distance_m, event.value):
            key = self.keypad.keys[happened.athlete].upper()
            what = distance_label(step) or "the rep"
            undo = self._key("coach-undo")
            text = f"{split(event.value)} for {what}? {undo} then {key} undoes it"
            self._notice(happened.athlete, text, sticky=True)

    def _notice(self, athlete: int, text: str, sticky: bool = False) -> None:
        session = self.runner.group.sessions[athlete]
        until = None if sticky else self.runner.now() + NOTICE_S
        self.notices[athlete] = RowNotice(text, session.step_index, until)

    def _say(self, text: str) -> None:
        """A line for the coach in place of the group's line, for a few seconds."""
        self._said = (text, self.runner.now() + NOTICE_S)
        self.refresh_view(())
        self._schedule()

    # -- showing ----------------------------------------------------------------------------

    def refresh_view(self, rows: Collection[int] | None = None) -> None:
        """Push what the group shows now down to the rows (each repaints what changed): those
        in ``rows`` (all if None), and any whose own next change has come (a second of its
        clock, its window, a notice going): ten athletes' clocks cost a row each, not ten."""
        board, headline = self.rows, self.headline
        if board is None or headline is None:
            return
        group, now = self.runner.group, self.runner.now()
        if len(self._due) != board.count:
            self._due = [None] * board.count
        moments = []
        for index, session in enumerate(group.sessions):
            due = self._due[index]
            if rows is not None and index not in rows and (due is None or now < due):
                continue
            shown = row_view(self.keypad.keys[index], self.names[index], session, now)
            lit = self.pressed.get(index)
            if lit is not None and now >= lit + PRESSED_S:
                del self.pressed[index]
            notice = self._notice_text(index, session.step_index, now)
            moments.append((index, (shown, notice, index in self.pressed)))
            self._due[index] = self._row_due(index, session, now)
        board.show(moments)
        headline.variants = self._headline(now)
        # On the headline, not the screen: a class on the screen restyles every row.
        headline.set_class(self.keypad.pending(now) is not None, "armed")

    def _row_due(self, index: int, session: Session, now: float) -> float | None:
        """When the row changes next by itself (None: only on a key)."""
        notice = self.notices.get(index)
        lit = self.pressed.get(index)
        moments = (
            session_redraw(session, now, True),
            None if notice is None else notice.until,
            None if lit is None else lit + PRESSED_S,
        )
        return min((m for m in moments if m is not None), default=None)

    def _notice_text(self, athlete: int, step: int | None, now: float) -> str | None:
        notice = self.notices.get(athlete)
        if notice is None:
            return None
        if notice.step != step or (notice.until is not None and now >= notice.until):
            del self.notices[athlete]
            return None
        return notice.text

    def _headline(self, now: float) -> tuple[str, ...]:
        pending = self.keypad.pending(now)
        if pending is not None:
            what = ARMED[pending.kind]
            cancel = self._key("coach-cancel")
            return (
                f"{what}: press the athlete's key · {cancel} cancels",
                f"{what}: whose key?",
                what,
            )
        if self._said is not None:
            if now < self._said[1]:
                return (self._said[0],)
            self._said = None
        group = self.runner.group
        stagger = any(a.start_offset_s for a in group.athletes)
        start = self._key("coach-start", loud=True)
        said = group_headline(group, self.names, self.title_text, now, stagger, start)
        if self.sound_problem is None or self.audio is None:
            return said
        # The longest that fits is shown: the reason first goes, then the player's name.
        sound = f"{said[0]} · sound: {self.audio.backend}"
        return (f"{sound} · {self.sound_problem}", sound, *said)

    def show_sound(self, problem: str | None) -> None:
        """Say on the top line why cues fall back (``problem``; None: they do not)."""
        self.sound_problem = problem
        if self.rows is not None:
            self.refresh_view(())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out what would do nothing now (None greys, True allows)."""
        group = self.runner.group
        live = {
            "start": not group.started,
            "arm": group.started and not group.finished,
            "pause": group.started and not group.finished,
            "end": not group.finished,
            "mute": self.audio is not None,
        }.get(action, True)
        return True if live else None

    # -- the coach's keys -------------------------------------------------------------------

    @shown_only
    def action_start(self) -> None:
        """Space: start the group (all together, or staggered)."""
        if not self.runner.group.started:
            self._after(self.runner.act_all(ActionKind.START))
            self.refresh_bindings()
            self.post_message(self.Started())

    @shown_only
    def action_arm(self, kind: str) -> None:
        """``g``, ``u`` or ``s``: the next athlete's key goes now, undoes or skips."""
        if self.runner.group.started:
            self.keypad.arm(ActionKind(kind), self.runner.now())
            self.refresh_view(())
            self._schedule()

    @shown_only
    def action_cancel(self) -> None:
        """Esc: disarm ``g``, ``u`` or ``s``."""
        if self.keypad.cancel():
            self.refresh_view(())

    @shown_only
    def action_pause(self) -> None:
        """Pause everyone still running, or resume them."""
        group = self.runner.group
        kind = ActionKind.RESUME if group.paused else ActionKind.PAUSE
        try:
            self._after(self.runner.act_all(kind))
        except IllegalAction as refusal:
            self._say(str(refusal))

    @shown_only
    def action_mute(self) -> None:
        """Turn the cues off or on."""
        if self.audio is not None:
            self.audio.set_muted(not self.audio.muted)
            mute = self._key("coach-mute")
            self._say(f"sound off: {mute} turns it on" if self.audio.muted else "sound on")

    @shown_only
    def action_end(self) -> None:
        """End the group after asking (what everyone ran is kept); before the start, leave."""
        if not self.runner.group.started:
            self.post_message(self.Backed())
            return

        def answered(yes: bool | None) -> None:
            if yes and not self.runner.group.finished:
                self._after(self.runner.act_all(ActionKind.END))

        question = "End the group now? What every athlete ran is kept."
        self.app.push_screen(ConfirmScreen(question), answered)

    @shown_only
    def action_help(self) -> None:
        """The keys as they are bound now, with each athlete's."""
        athletes = [
            (key, f"{name}: ends their rep, starts their next", "athlete")
            for key, name in zip(self.keypad.keys, self.names, strict=True)
        ]
        self.app.push_screen(HelpScreen([*bound_keys(self), *athletes]))
