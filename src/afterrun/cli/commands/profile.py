"""`afterrun profile set|show`: heart-rate limits and body data, for load and advice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext
from afterrun.cli.render import to_json
from afterrun.core.activity import Sport

if TYPE_CHECKING:
    from afterrun.core.load import Profile

_SPORTS = [sport.value for sport in Sport if sport is not Sport.MULTISPORT]


@click.group()
def profile() -> None:
    """Your heart-rate limits and body data, used for training load and advice."""


@profile.command("set")
@click.option("--hr-max", type=click.IntRange(100, 240), default=None, help="Measured max HR.")
@click.option("--hr-rest", type=click.IntRange(25, 120), default=None, help="Resting HR.")
@click.option("--sex", type=click.Choice(["m", "f"]), default=None, help="For TRIMP constants.")
@click.option("--weight", type=click.FloatRange(25, 300), default=None, help="Body mass in kg.")
@click.option("--birth-year", type=click.IntRange(1900, 2030), default=None, help="Year born.")
@click.option(
    "--timezone",
    default=None,
    help="Your time zone, e.g. Europe/Berlin (default: this computer's). Days count in it.",
)
@click.option(
    "--main-sport",
    type=click.Choice(_SPORTS),
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
    from afterrun.core.errors import InvalidInput

    this_year = datetime.now(UTC).year
    if birth_year is not None and birth_year > this_year - 5:
        raise click.BadParameter(
            f"{birth_year} would make you under 5; give the year you were born.",
            param_hint="'--birth-year'",
        )
    if hr_max is not None and hr_rest is not None and hr_rest >= hr_max:
        raise click.BadParameter("must be below --hr-max.", param_hint="'--hr-rest'")
    zone = None
    if timezone is not None:
        from afterrun.zones import zone_named

        try:
            zone = zone_named(timezone).key
        except InvalidInput as error:
            raise click.BadParameter(error.message, param_hint="'--timezone'") from error
    set_profile(
        app,
        hr_max=hr_max,
        hr_rest=hr_rest,
        sex=sex,
        weight_kg=weight,
        birth_year=birth_year,
        timezone=zone,
        main_sport=None if main_sport is None else Sport(main_sport),
    )


@profile.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(app: AppContext, /, as_json: bool) -> None:
    """Show your profile, saying which values are estimates."""
    show_profile(app, as_json)


def _profile_lines(profile: Profile) -> list[str]:
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
        *limits.notes,
    ]


def set_profile(app: AppContext, **values: object) -> None:
    from afterrun.services.runs import update_profile

    changes = {key: value for key, value in values.items() if value is not None}
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
