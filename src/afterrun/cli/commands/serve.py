"""`afterrun serve`: the web app for the phone, on this machine or the local network."""

from __future__ import annotations

import errno
import io
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext

if TYPE_CHECKING:
    from afterrun.web.settings import WebSettings

DEFAULT_PORT = 8765
SECRET_ENV = "AFTERRUN_PAIRING_SECRET"  # noqa: S105 - the name of a variable


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent to find it)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address: str = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    return address


def _url_host(bind: str) -> str:
    """Where the phone finds the server: the address it listens on, or this machine's
    LAN address when it listens on all of them."""
    if bind in ("0.0.0.0", "::", ""):  # noqa: S104 - compared, not bound
        return lan_address()
    return f"[{bind}]" if ":" in bind else bind


def _local_host(bind: str) -> str:
    if bind in ("0.0.0.0", "::", ""):  # noqa: S104 - compared, not bound
        return "127.0.0.1"
    return f"[{bind}]" if ":" in bind else bind


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port`, or a one-line error saying why it cannot be."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}: {_reason(exc)}.") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"Port {port} on {host} is already in use (another 'afterrun serve'?): "
                "give another with --port."
            ) from exc
        raise click.ClickException(f"Cannot listen on {host}:{port}: {_reason(exc)}.") from exc
    return sock


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def qr_text(url: str) -> str:
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


@click.command()
@click.option(
    "--lan",
    is_flag=True,
    help="Listen on the local network so your phone can connect; prints a pairing link "
    "and QR code, and refuses every request without it.",
)
@click.option(
    "--club",
    is_flag=True,
    help="Serve a club's database: every member signs in (see 'afterrun club'). Plain "
    "HTTP: put a TLS proxy in front.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host", default=None, help="Address to listen on (default 127.0.0.1; with --lan, all)."
)
@click.option(
    "--watch",
    "folders",
    metavar="DIR",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Import new activity files from DIR as they arrive (as 'afterrun watch' does); "
    "the phone's Today page shows them without a reload. Repeat for more folders.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes answering requests (a club on PostgreSQL: one or two per core).",
)
@click.pass_obj
def serve(
    app: AppContext,
    /,
    lan: bool,
    club: bool,
    port: int,
    host: str | None,
    folders: tuple[Path, ...],
    workers: int,
) -> None:
    """Serve the web app: the cool-down player, runs, check-ins and report, for your phone."""
    run_serve(app, host, port, lan, club, folders, workers)


def _show_arrivals() -> None:
    """The watch thread's lines (one per file imported or refused) on the terminal."""
    import logging
    import sys

    log = logging.getLogger("afterrun.watch")
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _check_club(app: AppContext, club: bool, lan: bool) -> None:
    """A club's database is served only as a club's, and a club's server pairs no one."""
    from afterrun.store.accounts import Accounts

    if club and lan:
        raise click.UsageError(
            "--club and --lan do not go together: a club's members sign in with their own "
            "accounts; use --host to listen beyond this machine."
        )
    is_club = Accounts(app.database()).is_club()  # opens and migrates: a bad --db fails here
    if club and not is_club:
        raise click.ClickException(
            "This database is not a club: make it one with "
            "'afterrun club init --db URL --admin NAME' first."
        )
    if is_club and not club:
        raise click.ClickException(
            "This database is a club's: serve it with 'afterrun serve --club'."
        )


def run_serve(
    app: AppContext,
    host: str | None,
    port: int,
    lan: bool,
    club: bool = False,
    folders: tuple[Path, ...] = (),
    workers: int = 1,
) -> None:
    from afterrun.paths import config_dir, data_dir
    from afterrun.web.settings import WebSettings, new_secret

    if club and folders:
        raise click.UsageError(
            "--watch imports into one runner's database; in a club, members add their runs "
            "on their own phones (Runs tab) or with 'afterrun --athlete NAME watch DIR'."
        )
    if folders and workers > 1:
        raise click.UsageError(
            "--watch needs a single worker process (several would each import the same "
            "files): leave out --workers, or run 'afterrun watch DIR' beside the server."
        )
    secret = (app.environ.get(SECRET_ENV) or new_secret()) if lan else None
    bind = host or ("0.0.0.0" if lan else "127.0.0.1")  # noqa: S104 - --lan asks for it
    settings = WebSettings(
        db_url=app.db_url(),
        config_dir=config_dir(app.environ),
        lan=lan,
        secret=secret,
        watch_folders=folders,
        club=club,
        data_dir=data_dir(app.environ),
    )
    _check_club(app, club, lan)  # opens and migrates: a bad --db fails before the server starts
    listening = listen(bind, port)  # and a port in use, before the link is printed
    if club:
        from afterrun.web.app import log_sign_ins

        log_sign_ins()
        click.echo(
            f"afterrun's club server is at http://{_local_host(bind)}:{port}/ : members sign "
            "in at /signin. It speaks plain HTTP: put a TLS proxy in front of it before "
            "members use it over the internet."
        )
    elif lan:
        url = f"http://{_url_host(bind)}:{port}/pair?key={secret}"
        click.echo("Open this link on your phone (same Wi-Fi), or scan the code:\n")
        click.echo(f"  {url}\n")
        click.echo(qr_text(url))
        click.echo(
            "Anyone with the link can use afterrun with your data: don't share it. "
            f"Set {SECRET_ENV} to keep the same link between restarts."
        )
    else:
        click.echo(
            f"afterrun is at http://{_local_host(bind)}:{port}/ "
            "(this machine only; --lan for your phone)."
        )
    if folders:
        _show_arrivals()
        shown = ", ".join(str(folder) for folder in folders)
        click.echo(f"Importing new activity files from {shown} as they arrive.")
    click.echo("Press Ctrl-C to stop.")
    try:
        _run(settings, listening, workers)
    except KeyboardInterrupt:
        # Ctrl-C is how a server is stopped: uvicorn has shut down cleanly and re-raised
        # the signal; stopping is success (exit 0), not click's "Aborted!".
        pass
    finally:
        listening.close()


def _run(settings: WebSettings, listening: socket.socket, workers: int) -> None:
    """One process, or `workers` processes sharing the socket: each builds its own app
    from the settings handed over in the environment (the database is all they share)."""
    import uvicorn

    from afterrun.web.settings import SETTINGS_ENV

    if workers == 1:
        from afterrun.web.app import create_app

        web = create_app(settings)
        uvicorn.Server(uvicorn.Config(web, log_level="warning", access_log=False)).run(
            sockets=[listening]
        )
        return
    from uvicorn.supervisors import Multiprocess

    os.environ[SETTINGS_ENV] = settings.to_env()
    config = uvicorn.Config(
        "afterrun.web.app:create_app_from_env",
        factory=True,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
    Multiprocess(config, sockets=[listening]).run()
