"""`afterrun club`: make a database a club, and manage its members from the server's shell.

There is no public sign-up and no e-mail: an admin runs `club invite` and passes the
one-time link (or its QR code) to the new member, who sets their own password.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

from afterrun.cli.context import AppContext

if TYPE_CHECKING:
    from afterrun.services.club import Link

URL_ENV = "AFTERRUN_CLUB_URL"
_DURATION = re.compile(r"\s*(\d{1,4})\s*([dhm])\s*")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class Duration(click.ParamType[timedelta, Any]):
    """`7d`, `36h` or `90m`: how long a link works."""

    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> timedelta:
        if isinstance(value, timedelta):
            return value
        found = _DURATION.fullmatch(str(value))
        life = None if found is None else timedelta(**{_UNITS[found[2]]: int(found[1])})
        if life is None or not timedelta(minutes=5) <= life <= timedelta(days=90):
            self.fail(
                f"{value!r} is not a duration between 5 minutes and 90 days: "
                "write it like 7d, 36h or 90m.",
                param,
                ctx,
            )
        return life


def _now() -> datetime:
    return datetime.now(UTC)


def _use_db(app: AppContext, db: str | None) -> None:
    if db is not None:
        app.db_flag = db


def _base_url(app: AppContext, url: str | None) -> tuple[str, bool]:
    """The links' base URL, and whether it is only the default."""
    from afterrun.services.club import DEFAULT_BASE_URL

    chosen = url or app.environ.get(URL_ENV)
    return (chosen.rstrip("/"), False) if chosen else (DEFAULT_BASE_URL, True)


def _show_link(link: Link, default_url: bool, as_json: bool, lead: str) -> None:
    if as_json:
        click.echo(json.dumps(link.to_json(), indent=2))
        return
    from afterrun.cli.commands.serve import qr_text

    until = link.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    click.echo(f"{lead} It works once, until {until}:\n")
    click.echo(f"  {link.url}\n")
    click.echo(qr_text(link.url))
    if default_url:
        click.echo(
            f"The link points at this machine: pass --url (or set {URL_ENV}) with the "
            "address members open, e.g. --url https://club.example."
        )


_db_option = click.option(
    "--db", metavar="URL", default=None, help="The club's database (as afterrun's --db)."
)
_url_option = click.option(
    "--url",
    metavar="BASE_URL",
    default=None,
    help=f"Where members open the club, e.g. https://club.example (default ${URL_ENV}).",
)
_life_option = click.option(
    "--expires-in",
    "life",
    type=Duration(),
    default="7d",
    show_default=True,
    help="How long the link works: 7d, 36h, 90m.",
)


@click.group()
def club() -> None:
    """Run a club on one server: make a database a club, invite members, list or remove them."""


@club.command()
@_db_option
@click.option("--admin", metavar="NAME", required=True, help="The club's first admin.")
@_url_option
@_life_option
@click.pass_obj
def init(app: AppContext, /, db: str | None, admin: str, url: str | None, life: timedelta) -> None:
    """Make the database a club, with NAME as its admin.

    A personal database keeps its data: it becomes the admin's."""
    from afterrun.services.club import init_club

    _use_db(app, db)
    base, default_url = _base_url(app, url)
    link = init_club(app.database(), admin, base, _now(), life)
    _show_link(
        link,
        default_url,
        False,
        f"This database is now a club, with {link.name} as its admin. "
        f"{link.name} sets a password with this link.",
    )


@club.command()
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["athlete", "coach", "admin"]),
    default="athlete",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the link as JSON.")
@_db_option
@_url_option
@_life_option
@click.pass_obj
def invite(
    app: AppContext,
    /,
    name: str,
    role: str,
    as_json: bool,
    db: str | None,
    url: str | None,
    life: timedelta,
) -> None:
    """Add NAME to the club and print their one-time link to set a password."""
    from afterrun.services.club import ROLES
    from afterrun.services.club import invite as invite_member

    _use_db(app, db)
    base, default_url = _base_url(app, url)
    chosen = next(one for one in ROLES if one == role)
    link = invite_member(app.database(), name, chosen, base, _now(), life)
    _show_link(
        link, default_url, as_json, f"Invited {link.name} as {link.role}. Send them this link."
    )


@club.command()
@click.option("--json", "as_json", is_flag=True, help="Print the members as JSON.")
@_db_option
@click.pass_obj
def members(app: AppContext, /, as_json: bool, db: str | None) -> None:
    """List the club's members: name, role, status (invited, active, invitation expired)."""
    from afterrun.services.club import members as club_members

    _use_db(app, db)
    found = club_members(app.database(), _now())
    if as_json:
        rows = [
            {
                "name": one.name,
                "role": one.role,
                "status": one.status,
                "created_at": one.created_at.isoformat(),
            }
            for one in found
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len("name"), *(len(one.name) for one in found))
    click.echo(f"{'name':<{width}}  {'role':<7}  {'status':<18}  created")
    for one in found:
        created = one.created_at.astimezone(UTC).strftime("%Y-%m-%d")
        click.echo(f"{one.name:<{width}}  {one.role:<7}  {one.status:<18}  {created}")


@club.command()
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_db_option
@click.pass_obj
def remove(app: AppContext, /, name: str, yes: bool, db: str | None) -> None:
    """Remove NAME's account and all their data (runs, cool-downs, check-ins, profile)."""
    from afterrun.services.club import remove as remove_member
    from afterrun.store.accounts import not_a_member

    _use_db(app, db)
    found = app.database().find_athlete(name)
    if found is None:
        raise not_a_member(name)
    if not yes:
        click.echo(
            f"This removes {found.name}'s account and all their data: runs, cool-downs, "
            "check-ins and profile. It cannot be undone. To keep a copy first: "
            f"afterrun --athlete '{found.name}' export"
        )
        if not click.confirm(f"Remove {found.name}?", default=False):
            click.echo("Nothing removed.")
            raise click.exceptions.Exit(1)
    gone = remove_member(app.database(), found.name)
    click.echo(f"Removed {gone.name} and all their data.")


@club.command("reset-password")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the link as JSON.")
@_db_option
@_url_option
@_life_option
@click.pass_obj
def reset_password(
    app: AppContext,
    /,
    name: str,
    as_json: bool,
    db: str | None,
    url: str | None,
    life: timedelta,
) -> None:
    """Print a new one-time link for NAME to set a new password; setting it signs them out
    everywhere."""
    from afterrun.services.club import reset_link

    _use_db(app, db)
    base, default_url = _base_url(app, url)
    link = reset_link(app.database(), name, base, _now(), life)
    _show_link(link, default_url, as_json, f"Send {link.name} this link to set a new password.")
