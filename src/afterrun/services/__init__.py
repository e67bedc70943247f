"""Use cases shared by every front end: the CLI and the web app call these, never each other.

They combine the core with the store; each takes the store and the current time as arguments.
"""
