"""The pure core: catalogue, planner, session engine, activity model, load and advice.

Nothing here reads files, opens databases, reads the clock or knows about a user
interface. Edges pass data and the current time in.
"""
