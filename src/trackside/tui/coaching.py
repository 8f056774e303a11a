"""The app's group flow: the coach's screen before and during the group, its Summary after.

The app owns one :class:`Coaching`; its message handlers for the coach's screens call it. A
group is a :class:`CoachRun`: the :class:`~trackside.core.group_runner.GroupRunner` with each
athlete's key and the group's name, made from a :class:`~trackside.presets.roster.LineUp` when
the coach opens it, or resumed from the history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen

from trackside.core.clock import Clock
from trackside.core.events import Action, ActionKind
from trackside.core.group import Athlete, Group
from trackside.core.group_runner import GroupListener, GroupRunner
from trackside.core.session import Session
from trackside.presets.loader import PresetEntry, load_checked
from trackside.presets.roster import LineUp, RosterEntry, RosterError, line_up

if TYPE_CHECKING:
    from trackside.audio.group_cues import GroupCueListener
    from trackside.audio.player import CuePlayer
    from trackside.history.groups import ResumedGroup
    from trackside.tui.screens.coach import CoachScreen


class GroupLog(Protocol):
    """What the app needs of a group's record: each key's actions written as they happen, and
    how each athlete's session ended with the coach's rating and note."""

    def record(self, actions: Sequence[tuple[int, Action]], wall: float) -> None: ...

    def finish(
        self, athlete: int, session: Session, rating: int | None = None, note: str | None = None
    ) -> bool: ...


GroupLogFactory = Callable[[LineUp, int], GroupLog | None]
"""Makes the record of a new group (its line-up, its countdown), or None to keep none."""


@dataclass(frozen=True, slots=True)
class CoachStart:
    """What the app is given for groups: the line-up to open on (``trackside run --athletes``),
    who hears every group's events, and how a group's record is made (default: the
    history's)."""

    lineup: LineUp | None = None
    listeners: Sequence[GroupListener] = ()
    log_factory: GroupLogFactory | None = None
    rosters: Callable[[], list[RosterEntry]] | None = None
    """Reads the saved rosters the picker offers (``trackside`` passes the config folder's;
    None: none offered)."""


@dataclass(frozen=True, slots=True)
class CoachRun:
    """A group on the coach's screen: its runner, each athlete's key, its name."""

    runner: GroupRunner
    keys: tuple[str, ...]
    title: str
    exertions: tuple[int | None, ...] = ()
    """Each athlete's preset's prescribed exertion, shown beside the coach's rating."""
    log: GroupLog | None = None
    """The group's record (the runner writes to it), if it keeps one."""


def group_of(lineup: LineUp, countdown_s: int) -> Group:
    """The group a line-up makes: each athlete's plan and start offset."""
    athletes = [Athlete(a.name, a.preset.to_plan(), a.start_offset_s) for a in lineup.athletes]
    return Group(athletes, countdown_s)


class Coaching:
    """Opens groups, shows them, and takes them to their Summary (see the module's doc)."""

    def __init__(
        self,
        app: App[int],
        clock: Clock,
        listeners: list[GroupListener],
        log_factory: GroupLogFactory | None,
        show: Callable[[Screen[None]], None],
        rosters: Callable[[], list[RosterEntry]] | None = None,
        say_names: bool = True,
    ) -> None:
        self.app = app
        self.say_names = say_names
        """Whether athletes are called by their spoken name (where espeak-ng is installed)."""
        self._named: set[str] = set()
        self._cues: GroupCueListener | None = None
        self.rosters = rosters
        self.clock = clock
        self.listeners = listeners
        self.log_factory = log_factory
        self._show = show
        self._player: CuePlayer | None = None
        self.run: CoachRun | None = None
        """The group on screen (or whose Summary is), once one is open."""

    def open(self, lineup: LineUp, countdown_s: int) -> CoachRun:
        """A new group, waiting for Space (the app shows it)."""
        log = None if self.log_factory is None else self.log_factory(lineup, countdown_s)
        runner = GroupRunner(group_of(lineup, countdown_s), self.clock, log=log)
        keys = tuple(a.key for a in lineup.athletes)
        exertions = tuple(a.preset.exertion for a in lineup.athletes)
        return CoachRun(runner, keys, lineup.title, exertions, log)

    def saved_rosters(self) -> list[RosterEntry]:
        """The saved rosters the picker offers (none if the app was given no way to read
        them)."""
        return [] if self.rosters is None else self.rosters()

    def from_roster(
        self, entry: PresetEntry, roster: RosterEntry, countdown_s: int
    ) -> CoachRun | None:
        """A new group: the saved ``roster`` running ``entry``'s preset (None, and the reason
        shown, if an athlete's own preset cannot be loaded)."""
        if entry.preset is None or roster.roster is None:
            return None
        try:
            lineup = line_up(roster.roster, entry.preset, entry.id, load_checked, str(roster.path))
        except RosterError as error:
            self.app.notify("\n".join(error.lines), severity="error", timeout=10)
            return None
        return self.open(lineup, countdown_s)

    def resumed(self, resumed: ResumedGroup) -> CoachRun:
        """A group the last process left running, every athlete where they are now."""
        runner = GroupRunner(resumed.group, resumed.clock, log=resumed.log)
        return CoachRun(runner, resumed.keys, resumed.title, resumed.exertions, resumed.log)

    def show(
        self, run: CoachRun, audio: CuePlayer | None = None, player: CuePlayer | None = None
    ) -> None:
        """Show ``run`` on the coach's screen (a new group, or one resumed); ``player``, once
        the app has made it, sounds every group's cues from then on."""
        from trackside.tui.screens.coach import CoachScreen

        if player is not None and player is not self._player:
            from trackside.audio.group_cues import monotonic_listener

            self._player = player
            self._cues = monotonic_listener(player)
            self.listeners.append(self._cues)
        self._name_athletes(run)
        self.run = run
        # Every group the app shows is heard, a resumed one included.
        run.runner.listeners += [h for h in self.listeners if h not in run.runner.listeners]
        self._show(CoachScreen(run.runner, run.keys, title=run.title, audio=audio))

    def _name_athletes(self, run: CoachRun) -> None:
        """Make the clips of the athletes' names not made yet, on a thread of its own: the
        cues call them by number until every clip is ready, then by name."""
        player, listener = self._player, self._cues
        if player is None or listener is None or not self.say_names:
            return
        names = [a.name for a in run.runner.group.athletes if a.name not in self._named]
        if not names:
            return
        self._named.update(names)

        def work() -> None:
            from trackside.audio.names import espeak_program, name_group

            if espeak_program() is None:  # numbers, as the README says: nothing to tell
                return
            problem = name_group(names, player, listener)
            if problem is not None:
                self.app.notify(problem, title="Names", severity="warning", timeout=8, markup=False)

        making = threading.Thread(target=work, name="trackside-names", daemon=True)
        self.app.call_after_refresh(making.start)  # the screen first: its frame never waits

    def finished(self, group: Group) -> None:
        """Everyone finished: the group's Summary, and how each session ended on disk."""
        from trackside.tui.screens.group_summary import GroupSummaryScreen

        run = self.run
        if run is None:
            return
        summary = GroupSummaryScreen(group, run.keys, title=run.title, exertions=run.exertions)
        self._show(summary)
        self.store_endings(group, summary)

    def store_endings(self, group: Group, answer: MessagePump) -> None:
        """Each athlete's ending on disk, in the background; ``answer`` hears ``Kept``."""
        run = self.run
        log = None if run is None else run.log
        if log is None:
            return

        def work() -> None:
            from trackside.tui.screens.group_summary import GroupSummaryScreen

            # Every ending is written, even after one fails: a list, not all()'s short cut.
            saved = [log.finish(i, s) for i, s in enumerate(group.sessions)]
            answer.post_message(GroupSummaryScreen.Kept(all(saved)))

        self.app.run_worker(work, thread=True, group="history", exit_on_error=False)

    def rated(self, athlete: int, rating: int | None, note: str | None) -> None:
        """Store the coach's rating and note of an athlete's session, in the background."""
        run = self.run
        log = None if run is None else run.log
        if run is None or log is None:
            return
        session = run.runner.group.sessions[athlete]
        self.app.run_worker(
            lambda: log.finish(athlete, session, rating, note),
            thread=True,
            group="history",
            exit_on_error=False,
        )

    def undo(self, athlete: int, audio: CuePlayer | None = None) -> None:
        """Take back an athlete's last mark (a stray final press) and carry on the group."""
        run = self.run
        if run is not None and run.runner.check(athlete, ActionKind.UNDO) is None:
            run.runner.act(athlete, ActionKind.UNDO)
            self.show(run, audio)

    def screen_type(self) -> type[CoachScreen]:
        """The coach's screen's class (its module loaded on first use)."""
        from trackside.tui.screens.coach import CoachScreen

        return CoachScreen
