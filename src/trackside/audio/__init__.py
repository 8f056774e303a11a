"""Audio cues: the pure mapping from engine events to cues, and the players that sound them.

Importing this package imports no audio library: backends load lazily on the player's worker.
"""

from trackside.audio.cues import SOUND_CHECK, CueBatch, CueListener, cue_batches, cues_for
from trackside.audio.factory import AUDIO_BACKENDS, AudioUnavailable, check_backend, make_player
from trackside.audio.players import ChainPlayer, CuePlayer, Played, RecordingPlayer

__all__ = [
    "AUDIO_BACKENDS",
    "SOUND_CHECK",
    "AudioUnavailable",
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
]
