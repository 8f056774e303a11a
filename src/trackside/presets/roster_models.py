"""The roster format: pydantic models of a roster file (or of ``--athletes "Ann,Ben"``).

A roster is who runs together on one laptop: ``[[athlete]]`` tables, each with a ``name`` and
optionally a ``key`` of their own, a ``preset`` (a pace group running another plan) and a
``start_offset`` (a staggered start). Everything in it is checked here, as hostile as any file
from elsewhere: names are plain text that tells athletes apart, keys are single letters or
digits that are neither the app's own keys nor another athlete's, and one laptop times at most
:data:`~trackside.core.group.MAX_ATHLETES`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictStr,
    StringConstraints,
    field_validator,
)

from trackside.core.group import MAX_ATHLETES
from trackside.core.safe import is_visible, visible
from trackside.presets.roster import COACH_KEYS, NAME_LENGTH, parse_offset

Name = Annotated[
    StrictStr, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_LENGTH)
]
Offset = Annotated[int, PlainValidator(parse_offset)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AthleteEntry(_Model):
    """One ``[[athlete]]``: a name, and optionally their key, plan and start offset."""

    name: Name
    key: StrictStr | None = None
    """One letter or digit; by default athletes 1 to 10 get ``1`` ... ``9``, ``0``."""
    preset: Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)] | None = (
        None
    )
    """A preset id or file: this athlete runs another plan than the group's."""
    start_offset: Offset = 0
    """Seconds after the group's start that this athlete's first step begins."""

    @field_validator("name")
    @classmethod
    def _plain_text(cls, name: str) -> str:
        if not is_visible(name):
            raise ValueError(
                f"has a control character ({visible(name)}): a name is plain text on one line"
            )
        return name

    @field_validator("key", mode="before")
    @classmethod
    def _digit_as_text(cls, key: object) -> object:
        # key = 3 in TOML means the key 3.
        return str(key) if type(key) is int and 0 <= key <= 9 else key

    @field_validator("key")
    @classmethod
    def _one_key(cls, key: str | None) -> str | None:
        if key is None:
            return None
        chosen = key.strip().lower()
        if len(chosen) != 1 or not (chosen.isascii() and chosen.isalnum()):
            raise ValueError(f'should be one letter or digit, got "{visible(key)}"')
        if chosen in COACH_KEYS:
            raise ValueError(
                f'"{chosen}" is one of the app\'s own keys ({chosen}: {COACH_KEYS[chosen]}); '
                "pick another"
            )
        return chosen


class RosterModel(_Model):
    """A whole roster file: its name and its athletes, in the order their rows are shown."""

    name: Name | None = None
    athletes: list[AthleteEntry] = Field(alias="athlete", min_length=1)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str | None) -> str | None:
        if name is not None and not is_visible(name):
            raise ValueError(f"has a control character ({visible(name)}): a name is plain text")
        return name

    @field_validator("athletes")
    @classmethod
    def _not_too_many(cls, athletes: list[AthleteEntry]) -> list[AthleteEntry]:
        if len(athletes) > MAX_ATHLETES:
            raise ValueError(
                f"at most {MAX_ATHLETES} athletes on one laptop (a key and a row each), "
                f"got {len(athletes)}"
            )
        return athletes
