"""The shipped WAV files and the clips rendered from them."""

from __future__ import annotations

import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest
from requires import require_program

from trackside.audio.clips import RATE, ClipBank, SoundsMissing, sounds_dir

ROOT = Path(__file__).resolve().parents[2]


def samples(data: bytes) -> array[int]:
    out = array("h", data)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def test_sounds_folder_stays_small() -> None:
    total = sum(path.stat().st_size for path in sounds_dir().glob("*.wav"))
    assert total < 1_500_000  # the bound is 2 MB; keep room under it


def test_every_file_is_16_bit_mono_and_loud() -> None:
    for path in sounds_dir().glob("*.wav"):
        with wave.open(str(path), "rb") as wav:
            assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (RATE, 2, 1)
            data = samples(wav.readframes(wav.getnframes()))
        assert 0.02 < len(data) / RATE < 2.5, path.name  # short
        assert max(abs(v) for v in data) > 0.8 * 32767, path.name  # loud


def test_a_batch_is_its_cues_back_to_back_with_a_gap_after_tones(bank: ClipBank) -> None:
    clip = bank.render(("tone_pip", "num_1", "num_2"))
    gap = bytes(round(0.08 * RATE) * 2)
    parts = [bank.sound("tone_pip").tobytes(), gap]
    parts += [bank.sound("num_1").tobytes(), bank.sound("num_2").tobytes()]
    assert clip.pcm == b"".join(parts)
    assert clip.duration == pytest.approx(len(clip.pcm) / 2 / RATE)


def test_volume_scales_the_samples_and_is_cached(bank: ClipBank) -> None:
    full = bank.render(("tone_go",))
    half = bank.render(("tone_go",), 0.5)
    assert samples(half.pcm).tolist() == [round(v * 0.5) for v in samples(full.pcm)]
    assert bank.render(("tone_go",), 0.5) is half
    assert set(samples(bank.render(("tone_go",), 0.0).pcm)) == {0}


def test_a_clip_written_for_a_player_is_a_valid_wav(tmp_path: Path) -> None:
    bank = ClipBank()
    clip = bank.render(("tone_marked", "say_go"))
    path = bank.wav_path(clip)
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == RATE
        assert wav.readframes(wav.getnframes()) == clip.pcm
    assert bank.wav_path(clip) == path
    bank.close()
    assert not path.exists()


def test_missing_sounds_are_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(SoundsMissing, match="no sound files in"):
        ClipBank(tmp_path).render(("tone_go",))
    (tmp_path / "tone_go.wav").write_bytes(b"not a wav")
    with pytest.raises(SoundsMissing, match="cannot read sound file"):
        ClipBank(tmp_path).render(("tone_go",))


def test_the_script_makes_exactly_the_committed_sounds() -> None:
    require_program("espeak-ng", "espeak-ng")
    script = ROOT / "scripts" / "make_sounds.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
