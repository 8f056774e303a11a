"""Pydantic's validation errors turned into one line per problem, in a runner's words.

A line names the place in the file (``block 2, recovery, max``) and what is wrong with it, with
the value found and, for an unknown key, the key that was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from trackside.presets.models import Block, Preset, RecoveryStep, WorkStep
from trackside.presets.units import value_repr

_MODEL_UNDER: dict[str, type[BaseModel]] = {
    "block": Block,
    "work": WorkStep,
    "recovery": RecoveryStep,
    "set_recovery": RecoveryStep,
    "warmup": RecoveryStep,
    "cooldown": RecoveryStep,
}
_MISSING_HINTS = {
    "name": "every preset needs a name",
    "block": "a preset needs at least one [[block]]",
    "work": 'every block needs a work step, e.g. work = { distance = "400m" }',
}
_TYPE_WORDS = {
    "string_type": "should be text in quotes",
    "int_type": "should be a whole number",
    "bool_type": "should be true or false",
    "model_type": 'should be a table, e.g. { time = "2:00" }',
    "model_attributes_type": 'should be a table, e.g. { time = "2:00" }',
    "dict_type": "should be a table",
    "string_too_short": "should not be empty",
}


def error_lines(error: ValidationError, file: str) -> list[str]:
    """One ``"<file>: <place>: <what is wrong>"`` line per problem in ``error``."""
    lines = []
    for detail in error.errors():
        place = place_of(detail["loc"])
        what = _what(detail)
        lines.append(f"{file}: {place}: {what}" if place else f"{file}: {what}")
    return lines


def place_of(loc: Sequence[int | str]) -> str:
    """Where in the file: ``("block", 1, "recovery", "max")`` reads ``block 2, recovery, max``."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and parts:
            # Blocks are counted from 1, as a runner reads the file top to bottom.
            parts[-1] = f"{parts[-1]} {part + 1}"
        else:
            parts.append(str(part))
    return ", ".join(parts)


def _what(detail: ErrorDetails) -> str:
    kind = detail["type"]
    loc = detail["loc"]
    found = value_repr(detail["input"])
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        hint = _MISSING_HINTS.get(str(loc[-1])) if loc else None
        return f"missing: {hint}" if hint else "missing"
    if kind == "extra_forbidden":
        return f"unknown key{_did_you_mean(loc)}"
    if kind == "list_type" and loc[-1:] == ("block",):
        return "should be a list of blocks: write [[block]], not [block]"
    if kind == "too_short" and loc[-1:] == ("block",):
        return "needs at least one [[block]]"
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, got {found}"
    if kind == "greater_than_equal":
        return f"should be at least {ctx.get('ge')}, got {found}"
    if kind == "less_than_equal":
        return f"should be at most {ctx.get('le')}, got {found}"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "enum":
        expected = str(ctx.get("expected", "one of the listed values")).replace("'", '"')
        return f"should be {expected}, got {found}"
    message = detail["msg"].removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def _did_you_mean(loc: Sequence[int | str]) -> str:
    """`` (did you mean recovery?)`` for a mistyped key, or nothing if no key is close."""
    key = str(loc[-1])
    path = [p for p in loc[:-1] if isinstance(p, str)]
    if path == ["block"] and key in Preset.model_fields:
        # TOML puts every key after a [[block]] header inside that block.
        return f" (top-level keys like {key} go before the first [[block]])"
    known = _known_keys(path)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]}?)"
    return f" (known keys: {', '.join(known)})" if known else ""


def _known_keys(path: Sequence[str]) -> list[str]:
    model: type[BaseModel] = _MODEL_UNDER.get(path[-1], Preset) if path else Preset
    return [field.alias or name for name, field in model.model_fields.items()]


def what_is_wrong(detail: ErrorDetails) -> str:
    """One problem pydantic found, in a runner's words (without the place)."""
    return _what(detail)
