"""Which worker process answered: a header shown only when WORKER_HEADER_ENV is set, so
a check of `serve --workers N` can see that every process serves (a server in use never
says)."""

from __future__ import annotations

import os

from afterrun.web.security import ASGIApp, Message, Receive, Scope, Send

WORKER_HEADER_ENV = "AFTERRUN_WORKER_HEADER"
WORKER_HEADER = b"x-afterrun-worker"


class WorkerPid:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.pid = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_pid(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (WORKER_HEADER, self.pid)]
            await send(message)

        await self.app(scope, receive, with_pid if scope["type"] == "http" else send)
