"""`afterrun profile set|show`: heart-rate limits and body data, for load and advice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import to_json
from afterrun.core.profile_limits import (
    BIRTH_YEAR,
    EDITABLE_SPORTS,
    HR_MAX,
    HR_REST,
    SEXES,
    WEIGHT_KG,
)

if TYPE_CHECKING:
    from afterrun.core.load import Profile

#: How the command line names a profile field, for its error messages.
_OPTION = {"hr_rest": "'--hr-rest'", "birth_year": "'--birth-year'", "timezone": "'--timezone'"}


@click.group()
def profile() -> None:
    """Your heart-rate limits and body data, used for training load and advice."""


@profile.command("set")
@click.option("--hr-max", type=click.IntRange(*HR_MAX), default=None, help="Measured max HR.")
@click.option("--hr-rest", type=click.IntRange(*HR_REST), default=None, help="Resting HR.")
@click.option("--sex", type=click.Choice(SEXES), default=None, help="For TRIMP constants.")
@click.option("--weight", type=click.FloatRange(*WEIGHT_KG), default=None, help="Body mass in kg.")
@click.option("--birth-year", type=click.IntRange(*BIRTH_YEAR), default=None, help="Year born.")
@click.option(
    "--timezone",
    default=None,
    help="Your time zone, e.g. Europe/Berlin (default: this computer's). Days count in it.",
)
@click.option(
    "--main-sport",
    type=click.Choice(EDITABLE_SPORTS),
    default=None,
    help="What you mostly do; settles a sport guess the data leaves open (default running).",
)
@click.pass_obj
def set_(
    app: AppContext,
    /,
    hr_max: int | None,
    hr_rest: int | None,
    sex: str | None,
    weight: float | None,
    birth_year: int | None,
    timezone: str | None,
    main_sport: str | None,
) -> None:
    """Set any of your profile values; the others stay as they were."""
    from afterrun.services.profile import ProfileRejected, checked_changes

    given = {
        "hr_max": hr_max,
        "hr_rest": hr_rest,
        "sex": sex,
        "weight_kg": weight,
        "birth_year": birth_year,
        "timezone": timezone,
        "main_sport": main_sport,
    }
    try:
        changes = checked_changes(given, datetime.now(UTC).year)
    except ProfileRejected as error:
        # Refused as a bad option value (exit 2), naming the option.
        message = "must be below --hr-max." if error.rule == "rest-not-below-max" else error.message
        raise click.BadParameter(message, param_hint=_OPTION[error.field]) from error
    set_profile(app, changes)


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(app: AppContext, /, as_json: bool) -> None:
    """Show your profile, saying which values are estimates."""
    show_profile(app, as_json)


def _profile_lines(profile: Profile) -> list[str]:
    from afterrun.cli.wording import with_hint
    from afterrun.core.load import heart_rate_limits
    from afterrun.zones import system_zone, zone_name

    limits = heart_rate_limits(profile, datetime.now(UTC).year)
    sex = {"m": "male", "f": "female"}.get(profile.sex or "", "not set")
    return [
        f"HRmax       {profile.hr_max if profile.hr_max else f'{limits.hr_max:.0f} (estimate)'}",
        f"Resting HR  {profile.hr_rest if profile.hr_rest else f'{limits.hr_rest:.0f} (assumed)'}",
        f"Sex         {sex}",
        f"Weight      {'not set' if profile.weight_kg is None else f'{profile.weight_kg:g} kg'}",
        f"Born        {profile.birth_year or 'not set'}",
        f"Time zone   {profile.timezone or f'{zone_name(system_zone())} (this computer)'}",
        f"Main sport  {profile.main_sport or 'running (default)'}",
        *(with_hint(note, hint) for note, hint in zip(limits.notes, limits.hints, strict=True)),
    ]


def set_profile(app: AppContext, changes: dict[str, object]) -> None:
    from afterrun.services.runs import update_profile

    profile, count = update_profile(app.store(), changes, datetime.now(UTC))
    click.echo("\n".join(_profile_lines(profile)))
    if count:
        click.echo(f"Recomputed the load of {count} activities with these values.")


def show_profile(app: AppContext, as_json: bool) -> None:
    profile = app.store().get_profile()
    if as_json:
        from dataclasses import asdict

        click.echo(to_json(asdict(profile)))
        return
    click.echo("\n".join(_profile_lines(profile)))
