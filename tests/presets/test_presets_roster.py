"""Rosters: athletes by name or from a file, keys of their own, every problem one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackside.core.safe import is_visible
from trackside.presets.checked import CheckedPreset
from trackside.presets.loader import PresetError, load_checked
from trackside.presets.roster import (
    COACH_KEYS,
    Roster,
    RosterAthlete,
    RosterError,
    assign_keys,
    line_up,
    load_roster,
    parse_roster,
    roster_from_names,
    saved_rosters,
)

REPO = Path(__file__).resolve().parents[2]
SQUAD = """
name = "Tuesday squad"

[[athlete]]
name = "Ann"

[[athlete]]
name = "Ben"
key = "b"
start_offset = "0:10"

[[athlete]]
name = "Cid"
preset = "6x800m"
"""


def lines(text: str) -> tuple[str, ...]:
    with pytest.raises(RosterError) as caught:
        parse_roster(text, "squad.toml")
    return caught.value.lines


def athletes(*entries: str) -> str:
    return "\n".join(f"[[athlete]]\n{entry}\n" for entry in entries)


# -- by name ----------------------------------------------------------------------------------


def test_athletes_by_name_get_the_digit_keys_in_order() -> None:
    roster = roster_from_names("Ann, Ben ,Cid")
    assert [(a.name, a.key) for a in roster.athletes] == [("Ann", "1"), ("Ben", "2"), ("Cid", "3")]
    assert roster.title == "Ann, Ben, Cid"


def test_ten_athletes_end_on_zero_and_the_next_get_spare_letters() -> None:
    roster = roster_from_names(",".join(f"R{n}" for n in range(1, 21)))
    keys = [a.key for a in roster.athletes]
    assert keys[:10] == list("1234567890")
    assert keys[10:] == list("abcdefhijk")  # g is the coach's go-now key
    assert not set(keys) & set(COACH_KEYS)


@pytest.mark.parametrize(
    ("names", "line"),
    [
        ("Ann,,Cid", '--athletes: athlete 2, name: should not be empty, got ""'),
        (
            "Ann,ann",
            '--athletes: athlete 2, name: "ann" is athlete 1\'s name too; '
            "each athlete needs a name of their own",
        ),
        (
            ",".join(f"R{n}" for n in range(21)),
            "--athletes: athlete: at most 20 athletes on one laptop (a key and a row each), got 21",
        ),
        (
            "Ann,\x1b]0;pwned\x07",
            "--athletes: athlete 2, name: has a control character (\\x1b]0;pwned\\x07): "
            "a name is plain text on one line",
        ),
        ("Ann," + "x" * 31, "--athletes: athlete 2, name: is too long (at most 30 characters)"),
    ],
)
def test_bad_names_are_one_line_each(names: str, line: str) -> None:
    with pytest.raises(RosterError) as caught:
        roster_from_names(names)
    assert caught.value.lines == (line,)


def test_a_name_that_looks_like_markup_is_kept_as_written() -> None:
    assert roster_from_names("[b]Ann[/b],[/]").athletes[1].name == "[/]"


@given(st.text(max_size=40))
def test_any_name_is_refused_in_a_line_or_kept_visible(name: str) -> None:
    shown: tuple[str, ...]
    try:
        shown = (roster_from_names(name.replace(",", "")).athletes[0].name,)
    except RosterError as error:
        shown = error.lines
    assert all(is_visible(line) for line in shown)


# -- from a file -----------------------------------------------------------------------------


def test_a_roster_file_with_a_key_a_pace_group_and_an_offset() -> None:
    roster = parse_roster(SQUAD)
    assert roster == Roster(
        "Tuesday squad",
        (
            RosterAthlete("Ann", "1", None, None),
            RosterAthlete("Ben", "b", None, 10),
            RosterAthlete("Cid", "3", "6x800m", None),
        ),
    )
    assert roster.title == "Tuesday squad"


def test_stagger_sends_each_athlete_off_in_turn_unless_their_roster_says() -> None:
    offsets = [a.start_offset_s for a in parse_roster(SQUAD).staggered(15).athletes]
    assert offsets == [0, 10, 30]


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ('name = "Ann"\nkey = "q"', 'athlete 1, key: "q" is one of the app\'s own keys '
         "(q: ends the group); pick another"),
        ('name = "Ann"\nkey = "g"', "athlete 1, key: \"g\" is one of the app's own keys "
         "(g: then an athlete's key: they go now); pick another"),
        ('name = "Ann"\nkey = "F1"', 'athlete 1, key: should be one letter or digit, got "F1"'),
        ('name = "Ann"\nkey = " "', 'athlete 1, key: should be one letter or digit, got " "'),
        ('name = "Ann"\nstart_offset = "2:00:00"',
         'athlete 1, start_offset: must be at most 1:00:00, got "2:00:00"'),
        ('name = "Ann"\nstart_offset = -5', "athlete 1, start_offset: must be above zero, got -5"),
        ('name = "Ann"\nstart = 5', "athlete 1, start: unknown key (did you mean start_offset?)"),
        ("key = 'a'", "athlete 1, name: missing: every athlete needs a name"),
    ],
)  # fmt: skip
def test_a_bad_athlete_is_one_line_naming_the_athlete_and_the_key(entry: str, line: str) -> None:
    assert lines(athletes(entry)) == (f"squad.toml: {line}",)


def test_two_athletes_on_one_key_and_one_name() -> None:
    text = athletes('name = "Ann"\nkey = "a"', 'name = "Ben"\nkey = "A"', 'name = " Ann "')
    assert lines(text) == (
        'squad.toml: athlete 2, key: "a" is athlete 1\'s too',
        'squad.toml: athlete 3, name: "Ann" is athlete 1\'s name too; '
        "each athlete needs a name of their own",
    )


def test_a_key_given_as_a_number_is_that_digit() -> None:
    roster = parse_roster(athletes('name = "Ann"\nkey = 7', 'name = "Ben"'))
    assert [a.key for a in roster.athletes] == ["7", "2"]


def test_a_default_digit_taken_by_another_athlete_goes_to_a_spare_key() -> None:
    assert assign_keys([None, "1", None]) == ("2", "1", "3")
    assert assign_keys([None, None, "1"]) == ("3", "2", "1")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", "squad.toml: empty file (a roster needs at least one [[athlete]])"),
        ('name = "x"', "squad.toml: athlete: missing: a roster needs at least one [[athlete]]"),
        ("[[athlete]\n", "squad.toml: invalid TOML"),
        ("n = " + "9" * 5000, "squad.toml: invalid TOML (not a roster)"),
        ("name = 'x'\nathlete = []", "squad.toml: athlete: list should have at least 1 item"),
        ("nme = 'x'\n[[athlete]]\nname='a'", "squad.toml: nme: unknown key (did you mean name?)"),
    ],
)
def test_a_file_that_is_no_roster_is_one_line(text: str, line: str) -> None:
    found = lines(text)
    assert len(found) == 1
    assert found[0].startswith(line)


def test_a_roster_is_found_by_id_in_the_rosters_folder_or_by_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folder = tmp_path / "config" / "trackside" / "rosters"
    folder.mkdir(parents=True)
    (folder / "tuesday.toml").write_text(SQUAD)
    (folder / "broken.toml").write_text(athletes('name = "Ann"\nkey = "p"'))
    assert load_roster("tuesday").name == "Tuesday squad"
    assert load_roster(str(folder / "tuesday.toml")).name == "Tuesday squad"
    with pytest.raises(RosterError, match='no roster with id "thursday"'):
        load_roster("thursday")
    with pytest.raises(RosterError, match="missing.toml: no such file"):
        load_roster(str(tmp_path / "missing.toml"))
    entries = saved_rosters()
    assert [(e.id, e.roster is not None) for e in entries] == [("broken", False), ("tuesday", True)]
    expected = 'athlete 1, key: "p" is one of the app\'s own keys (p: pauses or resumes everyone)'
    assert entries[0].errors[0].endswith(f"{expected}; pick another")


def test_a_roster_file_not_utf8_or_too_large(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'[[athlete]]\nname = "\xff"\n')
    with pytest.raises(RosterError, match="line 2: not UTF-8 text"):
        load_roster(str(bad))
    bad.write_bytes(b"#" * 200_000)
    with pytest.raises(RosterError, match="too large for a roster"):
        load_roster(str(bad))


# -- lined up with their plans ----------------------------------------------------------------


def builtin(preset_id: str) -> CheckedPreset:
    return load_checked(str(REPO / "presets" / f"{preset_id}.toml"))


def test_a_line_up_gives_the_pace_group_its_own_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    roster = parse_roster(SQUAD).staggered(20)
    group = line_up(roster, builtin("21x400m"), "21x400m", builtin, "squad.toml")
    assert [(a.name, a.key, a.preset_id, a.start_offset_s) for a in group.athletes] == [
        ("Ann", "1", "21x400m", 0),
        ("Ben", "b", "21x400m", 10),
        ("Cid", "3", "6x800m", 40),
    ]
    assert group.athletes[2].preset.name == builtin("6x800m").name
    assert group.title == "Tuesday squad"


def test_an_unknown_preset_of_an_athlete_is_one_line() -> None:
    def load(ref: str) -> CheckedPreset:
        raise PresetError([f'no preset with id "{ref}" (did you mean 6x800m?)'])

    roster = parse_roster(athletes('name = "Ann"\npreset = "6x80m"'))
    with pytest.raises(RosterError) as caught:
        line_up(roster, builtin("21x400m"), "21x400m", load, "squad.toml")
    assert caught.value.lines == (
        'squad.toml: athlete 1, preset: no preset with id "6x80m" (did you mean 6x800m?)',
    )
