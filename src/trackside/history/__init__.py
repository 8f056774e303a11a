"""The history: every action of every session on disk the moment it happens, and what follows.

Importing this package opens nothing and imports no sqlite3; the modules are:

- :mod:`~trackside.history.store`: the SQLite file (``HistoryStore``), its migrations and rows.
- :mod:`~trackside.history.log`: ``SessionLog``, the runner's ``ActionLog`` (``start_log``).
- :mod:`~trackside.history.resume`: ``latest_unfinished``, ``resume_session``, ``OffsetClock``.
- :mod:`~trackside.history.views`: history lines, one session step by step, comparisons.
- :mod:`~trackside.history.export`: CSV and JSON.
- :mod:`~trackside.history.planjson`: the plan as it was run, as JSON.
- :mod:`~trackside.history.service`: what the app starts with and calls (the store opened,
  session logs, the session to resume, comparisons).
- :mod:`~trackside.history.problems`: ``HistoryProblem``, what went wrong as a value.

The commands that show it are in :mod:`trackside.cli.history_commands`.
"""
