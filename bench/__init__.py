"""trackside's benchmarks: start-up, CPU, display and cue accuracy, memory, engine cost.

``bench/run`` (or ``python -m bench``) runs them all and prints one table; each figure is a median
compared with a baseline measured in the same invocation. Nothing here is a test: the scripts
print figures, they assert nothing.
"""
