"""The session engine: pure Python, standard library only.

Nothing here reads a clock, touches a file or imports Textual, pydantic or sqlite3; every
transition takes ``now`` (seconds on the session's clock) as an argument.
"""
