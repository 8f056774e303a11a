"""Cues for a coach's group: who, then what happens to them ("three — go", "Ann — go").

A pure mapping, like :mod:`trackside.audio.cues`, from the events of a group (each with the
athlete it happened to) to batches of clips: an athlete's go, window and finish are named by
their number (1 to 20, from the shipped spoken numbers), or by their name's clip once it is
made (:func:`name_call`; see :mod:`trackside.audio.names`), the group's start has its own cue
(three rising notes) heard once however many athletes it starts, and a mark's confirmation is
the plain tone (the coach is at the laptop, looking at the row). Events due at the same moment
are one batch, each cue said once. :class:`GroupCueListener` plays what came due and tells the
player ahead what the group will sound by itself, as
:class:`~trackside.audio.listener.CueListener` does for one runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from trackside.audio.cues import AHEAD_S, CueBatch, say_number
from trackside.audio.player import CuePlayer
from trackside.core.events import Event, EventKind
from trackside.core.group import AthleteEvent, Group

E = EventKind
GROUP_START = "tone_group_start"
"""The group's start (Space): its own cue, heard once, whoever it starts."""
PIP = "tone_start_pip"
"""Each later second of a countdown."""
SAID_S = 3
"""The seconds of an athlete's countdown that are said (3, 2, 1), however long it is."""
_AHEAD_MAX = 32
_NAMED: dict[EventKind, tuple[str, ...]] = {
    E.REP_STARTED: ("say_go",),
    E.FINAL_REP_STARTED: ("say_final_rep",),
    E.WINDOW_OPENED: ("say_window_open",),
    E.SESSION_DONE: ("say_done",),
}
"""What is said after the athlete's number."""
_PLAIN: dict[EventKind, tuple[str, ...]] = {
    E.REP_MARKED: ("tone_marked",),
    E.COUNTDOWN: ("tone_pip",),
    E.PAUSED: ("tone_paused",),
    E.RESUMED: ("tone_resumed",),
    E.SESSION_ENDED: ("tone_stop",),
}
"""Said without a name: the same for every athlete, heard once at a moment."""


Call = Callable[[int], tuple[str, ...]]
"""How an athlete (their index) is named in a cue: their number, or their name's clip."""


def number_call(athlete: int) -> tuple[str, ...]:
    """An athlete named by their number, 1 for the first."""
    return say_number(athlete + 1)


def name_call(group: Group, names: Mapping[str, str]) -> Call:
    """Athletes of ``group`` named by the clip of their name (``names``: name to cue), and
    those with none by their number."""
    cues = [names.get(athlete.name) for athlete in group.athletes]

    def call(athlete: int) -> tuple[str, ...]:
        cue = cues[athlete] if athlete < len(cues) else None
        return (cue,) if cue else number_call(athlete)

    return call


def athlete_cues(
    athlete: int, event: Event, first: bool = False, call: Call = number_call
) -> tuple[str, ...]:
    """The cues of one athlete's event (empty for one that makes no sound); ``first``: the
    countdown event of the group's start (Space), which has the group's own cue."""
    kind = event.kind
    if kind is E.START_COUNTDOWN:
        # A staggered athlete counts down for long: only their last seconds are said.
        left = round(event.value or 0)
        said = say_number(left) if left <= SAID_S else ()
        if first:
            return (GROUP_START, *said)
        return (PIP, *said) if said else ()
    if kind in _PLAIN:
        return _PLAIN[kind]
    words = _NAMED.get(kind)
    if words is None:
        return ()
    return (_TONE.get(kind, "tone_go"), *call(athlete), *words)


_TONE = {
    E.FINAL_REP_STARTED: "tone_final_go",
    E.WINDOW_OPENED: "tone_window",
    E.SESSION_DONE: "tone_done",
}


def is_group_start(group: Group, happened: AthleteEvent) -> bool:
    """Whether ``happened`` is an athlete's countdown starting (the coach pressed Space): its
    seconds left are all of that athlete's countdown."""
    event = happened.event
    if event.kind is not E.START_COUNTDOWN:
        return False
    whole = group.countdown_s + group.athletes[happened.athlete].start_offset_s
    return round(event.value or 0) == whole


def group_batches(
    events: Iterable[AthleteEvent], group: Group | None = None, call: Call = number_call
) -> tuple[CueBatch, ...]:
    """The group's events as cue batches in time order: those due together joined, each
    athlete's part once, a cue shared by several (a pip, the start) once. ``group``: the group
    the events came from, to know its start (without it, the start sounds as a pip)."""
    batches: list[tuple[float, list[tuple[str, ...]]]] = []
    for happened in events:
        first = group is not None and is_group_start(group, happened)
        cues = athlete_cues(happened.athlete, happened.event, first, call)
        if not cues:
            continue
        if batches and batches[-1][0] == happened.event.due:
            parts = batches[-1][1]
            counted = cues[0] in _COUNTING and any(p[0] == cues[0] for p in parts)
            if cues not in parts and not counted:  # a staggered start: the first countdown
                parts.append(cues)
        else:
            batches.append((happened.event.due, [cues]))
    return tuple(CueBatch(due, _joined(parts)) for due, parts in batches)


_COUNTING = frozenset({GROUP_START, PIP})


def group_upcoming(
    group: Group, horizon: float = AHEAD_S, call: Call = number_call
) -> tuple[CueBatch, ...]:
    """The batches the group sounds by itself if no key is pressed: those due within
    ``horizon`` seconds, and at least the next one (as :func:`~trackside.audio.cues.upcoming`
    for one runner), each with the cues and due time it has when its moment comes."""
    batches: list[CueBatch] = []
    start = max((s.now for s in group.sessions), default=0.0)
    for _ in range(_AHEAD_MAX):
        due = group.next_due()
        if due is None or (batches and due > start + horizon):
            break
        group, events = group.advance(due)
        batches.extend(group_batches(events, call=call))
    return tuple(batches)


def _joined(parts: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    """The parts back to back: a tone already heard in the batch is not played again, and
    athletes told the same thing at once are named together ("one, two, three: go")."""
    out: list[str] = []
    for index, part in enumerate(parts):
        tone, *rest = part
        words = _words(rest)
        if index + 1 < len(parts) and _words(list(parts[index + 1][1:])) == words and words:
            rest = rest[: len(rest) - len(words)]  # said once, after the last of them
        if tone not in out:
            out.append(tone)
        out += rest
    return tuple(out)


def _words(cues: list[str]) -> tuple[str, ...]:
    """What a part says after the athlete's number (``say_*``), or nothing."""
    return tuple(cue for cue in cues if cue.startswith("say_"))


class GroupCueListener:
    """A group runner's listener that sounds its events on a player (module docstring).

    ``GroupRunner(..., listeners=[GroupCueListener(player, time.monotonic)])``: the batches
    that came due are played, those the group will sound by itself told ahead
    (:meth:`CuePlayer.expect`), each moved onto ``player_clock`` (the clock the player judges
    lateness by) when given. Athletes are named by their number until :meth:`hear_names`
    gives their names' clips.
    """

    def __init__(
        self,
        player: CuePlayer,
        player_clock: Callable[[], float] | None = None,
    ) -> None:
        self.player = player
        self.player_clock = player_clock
        self._shift = 0.0
        self._group: object = None
        self._names: Mapping[str, str] = {}
        self._told: Mapping[str, str] = {}
        """The names the batches told ahead were called by."""

    def hear_names(self, names: Mapping[str, str]) -> None:
        """Call athletes by their name's clip (``names``: name to cue, the clips given to the
        player already), from the next batch told ahead on. Safe from any thread."""
        self._names = {**self._names, **names}

    def __call__(self, group: Group, events: tuple[AthleteEvent, ...]) -> None:
        shift = self._shift_for(group)
        # What comes due now is called as it was told ahead, so the player knows it for the
        # one it already holds (a name that came since would sound it twice).
        for batch in group_batches(events, group, name_call(group, self._told)):
            self.player.play(batch.cues, batch.due + shift)
        self._told = self._names
        ahead = group_upcoming(group, call=name_call(group, self._told))
        self.player.expect(tuple(CueBatch(b.due + shift, b.cues) for b in ahead))

    def _shift_for(self, group: Group) -> float:
        """Group time to player time: the least difference seen for one group (reading the
        player's clock after the runner read its own only adds to it), so a batch told ahead
        and the same batch played at its moment are one (see ``CueListener._shift_for``)."""
        if self.player_clock is None:
            return 0.0
        seen = self.player_clock() - max(s.now for s in group.sessions)
        if group.athletes is not self._group or seen < self._shift:
            self._group = group.athletes
            self._shift = seen
        return self._shift


def monotonic_listener(player: CuePlayer) -> GroupCueListener:
    """The listener the app gives a group: the player judges lateness on the monotonic clock."""
    import time

    return GroupCueListener(player, time.monotonic)
