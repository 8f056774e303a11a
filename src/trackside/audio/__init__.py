"""Audio cues: the pure mapping from engine events to cues, the listener that hands them to a
player, and the player: one path from the app to a chain of backends, each cue started at its
moment by a scheduler (see the README's Sound section for what it guarantees).

Importing this package imports no audio library: backends load when their lane starts.
"""

from trackside.audio.cues import SOUND_CHECK, CueBatch, cue_batches, cues_for, upcoming
from trackside.audio.factory import AUDIO_BACKENDS, AudioUnavailable, check_backend, make_player
from trackside.audio.listener import CueListener
from trackside.audio.player import BackendListener, ChainPlayer, CuePlayer
from trackside.audio.recording import Played, RecordingPlayer

__all__ = [
    "AUDIO_BACKENDS",
    "SOUND_CHECK",
    "AudioUnavailable",
    "BackendListener",
    "ChainPlayer",
    "CueBatch",
    "CueListener",
    "CuePlayer",
    "Played",
    "RecordingPlayer",
    "check_backend",
    "cue_batches",
    "cues_for",
    "make_player",
    "upcoming",
]
