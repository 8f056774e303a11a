"""Presets: the TOML format runners write workouts in, its models and its loader."""
