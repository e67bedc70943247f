"""The local web app: the same core, database and engine, served to the runner's phone.

Built only by `create_app(settings)`; nothing here runs at import time.
"""
