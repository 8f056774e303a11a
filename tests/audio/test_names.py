"""Athletes' names spoken by espeak-ng: made once into the cache, called by number when they
cannot be (a hostile name, an espeak-ng that fails, hangs or writes junk), never a traceback."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from requires import require_program

from trackside.audio.clips import RATE, ClipBank, SoundsMissing, read_wav
from trackside.audio.group_cues import GroupCueListener
from trackside.audio.names import (
    CUE_PREFIX,
    MAX_NAME_CHARS,
    name_clips,
    name_group,
    spoken_text,
)
from trackside.audio.recording import RecordingPlayer
from trackside.audio.speech import PEAK, speak
from trackside.core.safe import visible

HOSTILE = [
    "Ann\x1b]0;pwned\x07",  # a terminal escape and a bell
    "[/]",
    "[[h@'loU]]",  # espeak-ng's phoneme input
    "Z" * 10_000,
    "-w /tmp/trackside-evil.wav",  # read as an option, it would write a file (the test's own)
    "--version",
    "-h",
    "Zoë Ñúñez",
    "李小龙",
    "🏃‍♀️ Fast",
    "\u202eevil",  # a right-to-left override
    "007",
    "!!!",
    "...",
    "\x00\x01\x02",
]


@pytest.fixture
def espeak() -> str:
    require_program("espeak-ng", "espeak-ng")
    return "espeak-ng"


def counting_espeak(folder: Path) -> tuple[str, Path]:
    """An espeak-ng on a private path that writes a line for every run, then is the real one."""
    real = os.popen("command -v espeak-ng").read().strip()
    log = folder / "runs.log"
    return fake(folder, f'echo run >> "{log}"\nexec "{real}" "$@"\n'), log


def fake(folder: Path, body: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "espeak-ng"
    program.write_text("#!/bin/sh\n" + body)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_real_espeak_makes_a_clip_per_name_like_the_shipped_words(
    espeak: str, tmp_path: Path
) -> None:
    made = name_clips(["Ann", "Ben", "Cid"], tmp_path)
    assert made.problem is None
    assert made.made == 3
    assert list(made.clips) == ["Ann", "Ben", "Cid"]
    for name, (cue, path) in made.clips.items():
        assert cue.startswith(CUE_PREFIX)
        assert "," not in cue
        assert path.parent == tmp_path
        samples = read_wav(path)  # 16-bit mono at the clips' rate, or it raises
        assert 0.1 < len(samples) / RATE < 1.5, name
        assert max(abs(v) for v in samples) == round(PEAK * 32767)  # as loud as the words
        # The very samples the shipped words' code path makes for this text.
        assert samples == speak(name, tmp_path)
    assert len({cue for cue, _ in made.clips.values()}) == 3


def test_the_second_group_with_the_same_names_runs_no_process(tmp_path: Path) -> None:
    require_program("espeak-ng", "espeak-ng")
    program, log = counting_espeak(tmp_path / "bin")
    cache = tmp_path / "cache"
    cache.mkdir()
    first = name_clips(["Ann", "Ben", "..."], cache, program)
    assert runs(log) == 4  # its version once, then each name
    second = name_clips(["Ann", "Ben", "..."], cache, program)
    assert runs(log) == 4  # nothing: the version and every clip came from the cache
    assert second.made == 0
    assert first.made == 3
    assert second.clips == first.clips
    assert second.problem == first.problem == "... called by number (espeak-ng said nothing)"
    # A new name is the only one made; a damaged clip is made again.
    first.clips["Ann"][1].write_bytes(b"RIFF garbage")
    third = name_clips(["Ann", "Ben", "Dee"], cache, program)
    assert runs(log) == 6
    assert third.made == 2
    assert third.clips["Ann"] == first.clips["Ann"]
    assert len(read_wav(third.clips["Ann"][1])) > 0


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_gives_a_clip_or_a_number_and_one_line(
    espeak: str, tmp_path: Path, name: str
) -> None:
    evil = tmp_path / "evil.wav"
    name = name.replace("/tmp/trackside-evil.wav", str(evil))
    made = name_clips([name], tmp_path)
    if made.clips:
        assert made.problem is None
        cue, path = made.clips[name]
        assert 0 < len(read_wav(path)) <= 4 * RATE
    else:
        # The one line names the athlete as text: no control character reaches the screen.
        assert made.problem is not None
        assert made.problem.startswith(visible(name)[:MAX_NAME_CHARS] + " called by number (")
        assert visible(made.problem) == made.problem
        assert len(made.problem) < 200
    assert not evil.exists()  # read as text, never as an option


def test_names_that_look_like_options_or_are_only_digits_are_spoken(
    espeak: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = "Anna Maria de la Cruz Fernandez Lopez " + "Z" * 10_000  # 10 KB, cut to 40
    monkeypatch.chdir(tmp_path)  # where espeak-ng would write "-w e.wav", read as an option
    evil = tmp_path / "e.wav"
    names = ["-w e.wav", "--version", "-h", "007", "[/]", "李小龙", "Zoë Ñúñez", long]
    made = name_clips(names, tmp_path)
    assert list(made.clips) == names, made.problem
    # Each is what the shipped words' code path says for the name's plain text.
    assert read_wav(made.clips["-h"][1]) == speak("-h", tmp_path)
    assert read_wav(made.clips[long][1]) == speak(long[:MAX_NAME_CHARS], tmp_path)
    assert not evil.exists()
    nothing = name_clips(["...", "\x00\x01"], tmp_path)
    assert nothing.clips == {}
    assert nothing.problem == (
        "... called by number (espeak-ng said nothing); "
        "\\x00\\x01 called by number (nothing in the name to say)"
    )


def test_what_is_said_of_a_name_is_plain_and_short() -> None:
    assert spoken_text("Ann\x1b]0;pwned\x07") == "Ann 0;pwned"
    assert spoken_text("[[h@'loU]]") == "h@'loU"
    assert spoken_text("  Mary \t Kate\n") == "Mary Kate"
    assert spoken_text("\u202eevil") == "evil"
    assert spoken_text("Z" * 10_000) == "Z" * MAX_NAME_CHARS
    assert spoken_text("\x00\x01") == ""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            'case "$1" in --version) echo fake 1;; *) exit 1;; esac\n',
            "espeak-ng exited with status 1",
        ),
        (
            'case "$1" in --version) echo fake 2; exit 0;; esac\n'
            'while [ $# -gt 0 ]; do [ "$1" = -w ] && printf RIFFjunk > "$2"; shift; done\n',
            "espeak-ng wrote no 16-bit mono sound at 22050 Hz",
        ),
        (
            'case "$1" in --version) echo fake 3; exit 0;; esac\n'
            'while [ $# -gt 0 ]; do [ "$1" = -w ] && cp "$WAV8K" "$2"; shift; done\n',
            "espeak-ng wrote no 16-bit mono sound at 22050 Hz",
        ),
        ("exit 3\n", "espeak-ng exited with status 3"),
    ],
    ids=["exits-1", "writes-junk", "writes-8khz", "no-version"],
)
def test_a_broken_espeak_means_numbers_and_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, reason: str
) -> None:
    wav8k = tmp_path / "8k.wav"
    import wave

    with wave.open(str(wav8k), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x00\x40" * 4000)
    monkeypatch.setenv("WAV8K", str(wav8k))
    program = fake(tmp_path / "bin", body)
    made = name_clips(["Ann", "Ben", "Cid"], tmp_path, program)
    assert made.clips == {}
    assert made.problem == f"Ann, Ben, Cid called by number ({reason})"


def test_a_hung_espeak_is_killed_and_the_names_after_it_are_not_tried(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    pids = tmp_path / "pids"
    body = (
        'case "$1" in --version) echo fake 4; exit 0;; esac\n'
        f'echo run >> "{log}"\nsleep 60 &\necho $! >> "{pids}"\nwait\n'
    )
    program = fake(tmp_path / "bin", body)
    began = time.monotonic()
    made = name_clips(["Ann", "Ben", "Cid"], tmp_path, program, timeout=0.5)
    assert time.monotonic() - began < 30  # not the 60 s it would sleep
    assert made.problem == "Ann, Ben, Cid called by number (espeak-ng did not finish within 0.5 s)"
    assert runs(log) == 1  # Ben and Cid would have hung as long
    # What it started went with it (its whole session was killed).
    pid = int(pids.read_text().split()[0])
    assert not _running(pid)


def test_a_version_that_hangs_means_numbers(tmp_path: Path) -> None:
    program = fake(tmp_path / "bin", "exec sleep 60\n")
    made = name_clips(["Ann"], tmp_path, program, timeout=0.3)
    assert made.problem == "Ann called by number (espeak-ng did not finish within 0.3 s)"


def test_a_cache_folder_that_cannot_be_written_means_numbers(espeak: str, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    player, listener = RecordingPlayer(), GroupCueListener(RecordingPlayer())

    def folder() -> Path:
        (blocked / "names").mkdir(parents=True)
        return blocked / "names"

    problem = name_group(["Ann"], player, listener, folder)
    assert problem is not None
    assert problem.startswith("Ann called by number (the cache folder")
    assert "\n" not in problem
    assert player.clips == {}


def test_name_group_gives_the_clips_to_the_player_then_the_names_to_the_listener(
    espeak: str, tmp_path: Path
) -> None:
    player = RecordingPlayer()
    listener = GroupCueListener(player)
    assert name_group(["Ann", "Ben"], player, listener, lambda: tmp_path) is None
    assert len(player.clips) == 2
    bank = ClipBank()
    bank.add_clips(player.clips)  # each checked as the shipped sounds are
    for cue in player.clips:
        assert len(bank.sound(cue)) > 0


def test_the_bank_refuses_a_clip_that_is_not_like_the_shipped_ones(tmp_path: Path) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00")
    with pytest.raises(SoundsMissing, match="cannot read sound file"):
        ClipBank().add_clips({"name_junk": junk})


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"
