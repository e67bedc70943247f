"""`afterrun import`, `run add/rate`, `runs`, `profile`: the runs side of the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.render import table, to_json
from afterrun.core.activity import Sport
from afterrun.core.load import Profile, heart_rate_limits
from afterrun.core.time_text import duration, stamp
from afterrun.store.activities import StoredActivity
from afterrun.zones import system_zone, zone_name


def _now() -> datetime:
    return datetime.now(UTC)


def _pace(stored: StoredActivity) -> str:
    pace = stored.activity.avg_pace_s_per_km
    return "-" if pace is None else f"{duration(pace)}/km"


def _km(stored: StoredActivity) -> str:
    metres = stored.activity.distance_m
    return "-" if metres is None else f"{metres / 1000:.2f} km"


def run_import(app: AppContext, paths: tuple[Path, ...], as_json: bool) -> ExitStatus:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from afterrun.services.imports import import_paths

    store = app.store()
    console = Console(stderr=True)
    with Progress(
        TextColumn("Importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", style="dim"),
        console=console,
        transient=True,
        disable=as_json or not console.is_terminal,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label[-40:])

        summary = import_paths(store, list(paths), _now(), progress)
    if as_json:
        click.echo(to_json(summary.to_json()))
    else:
        click.echo(summary.headline())
        for label, run_id, reason in summary.replaced:
            click.echo(f"  replaced run {run_id}: {reason} ({label})")
        for label, run_id in summary.already_there:
            click.echo(f"  already there: {label} (run {run_id})")
        for label, _id, reason in summary.partial:
            click.echo(f"  partial: {label}: {reason}")
        for label, reason in summary.failed:
            click.echo(f"  failed: {label}: {reason}")
        for label, activity_id, line in summary.sport_untold:
            click.echo(f"  activity {activity_id} ({label}): {line}")
        for label, restored in summary.restored:
            click.echo(f"  {label}: {restored.line()}")
        if summary.interrupted:
            click.echo(
                "Interrupted: what was stored is kept; run the same import again to finish "
                "(files already stored are skipped)."
            )
        else:
            _offer_cool_down(app, summary.new_ids)
    if summary.interrupted:
        return ExitStatus.INTERRUPTED
    return ExitStatus.OK if summary.ok else ExitStatus.ERROR


def _offer_cool_down(app: AppContext, new_ids: set[int]) -> None:
    """After a run comes in (not a ride or a swim), point to the cool-down sized for it."""
    from afterrun.cli.planning import when_text
    from afterrun.services.runs import is_recent, latest_run

    latest = latest_run(app.store())
    if latest is None or latest.stored.id not in new_ids or not is_recent(latest.stored, _now()):
        return
    start = when_text(latest.stored.activity.start, app.zone())
    click.echo(
        f"Latest run ({start}, run {latest.stored.id}) was {latest.rating.intensity.label}: "
        f"{latest.rating.explanation}. Cool down with 'afterrun go'."
    )


def list_runs(app: AppContext, as_json: bool, limit: int | None, all_sports: bool) -> None:
    from afterrun.core.activity import Sport

    store = app.store()
    runs = store.list_activities(limit, None if all_sports else Sport.RUNNING)
    if as_json:
        click.echo(to_json([stored.to_json() for stored in runs]))
        return
    if not runs:
        click.echo(
            "No runs yet. Import files with 'afterrun import PATH' or add one with "
            "'afterrun run add'."
        )
        return
    zone = app.zone()
    rows = [
        (
            stored.id,
            stamp(stored.activity.start, zone),
            stored.activity.sport.value
            + ("?" if stored.activity.sport_source == "guessed" else ""),
            _km(stored),
            duration(stored.activity.moving_seconds or stored.activity.elapsed_seconds),
            _pace(stored),
            "-" if stored.activity.avg_hr is None else f"{stored.activity.avg_hr:.0f}",
            "-" if stored.activity.rpe is None else f"{stored.activity.rpe:g}",
            "-" if stored.load is None else f"{stored.load:.0f}",
            (stored.activity.name or "")[:28],
        )
        for stored in runs
    ]
    click.echo(
        table(
            ("ID", "Start", "Sport", "Distance", "Time", "Pace", "HR", "RPE", "Load", "Name"), rows
        )
    )
    if any(stored.activity.sport_source == "guessed" for stored in runs):
        click.echo(
            "? sport guessed (the file named none): see 'afterrun runs show ID', "
            "correct it with 'afterrun run edit ID --sport ...'."
        )


def show_run(app: AppContext, activity_id: int, as_json: bool) -> None:
    from afterrun.core.sport_guess import sport_line
    from afterrun.services.runs import rate_stored

    store = app.store()
    stored = store.get_activity(activity_id)
    rating = rate_stored(store, stored)
    if as_json:
        data = stored.to_json()
        data["rating"] = {"intensity": rating.intensity.value, "explanation": rating.explanation}
        click.echo(to_json(data))
        return
    a = stored.activity
    told = sport_line(a.sport, a.sport_source, a.sport_basis, stored.id)
    lines = [
        f"Run {stored.id}: {a.name or a.sport.value}",
        f"  Start      {a.start.astimezone(app.zone()).strftime('%Y-%m-%d %H:%M %Z')}",
        f"  Sport      {a.sport.value}" + (f" ({a.sub_sport})" if a.sub_sport else ""),
        *([f"             {told}"] if told else []),
        f"  Distance   {_km(stored)}",
        f"  Time       {duration(a.elapsed_seconds)} elapsed"
        + (f", {duration(a.moving_seconds)} moving" if a.moving_seconds else ""),
        f"  Pace       {_pace(stored)}",
        f"  Heart rate {'-' if a.avg_hr is None else f'{a.avg_hr:.0f} avg'}"
        + (f", {a.max_hr:.0f} max" if a.max_hr else ""),
        f"  RPE        {'-' if a.rpe is None else f'{a.rpe:g} / 10'}",
        f"  Load       {'-' if stored.load is None else f'{stored.load:.0f}'}"
        f" ({stored.load_method})",
        f"  How hard   {rating.intensity.label}: {rating.explanation}",
        f"  Device     {a.device or '-'}",
        f"  From       {stored.source}",
    ]
    if a.partial:
        lines.append("  Partial    the file ends early; what was read before that is kept")
    lines.extend(f"  Note       {note}" for note in a.notes)
    click.echo("\n".join(lines))


def add_run(app: AppContext, distance: str, time: str, rpe: float | None, at: str | None) -> None:
    from afterrun.core.units import parse_distance, parse_duration, parse_when
    from afterrun.services.runs import add_manual_run, manual_run, rate_stored

    now = _now()
    seconds = parse_duration(time)
    # Without --at the run has just finished: it started `time` ago.
    start = parse_when(at, app.zone()) if at else now - timedelta(seconds=seconds)
    activity = manual_run(parse_distance(distance), seconds, rpe, start, now)
    store = app.store()
    activity_id, created = add_manual_run(store, activity, now)
    stored = store.get_activity(activity_id)
    if not created:
        click.echo(f"Run {activity_id} with that start, distance and time is already there.")
        return
    rating = rate_stored(store, stored)
    click.echo(
        f"Added run {activity_id}: {_km(stored)} in {duration(seconds)} ({_pace(stored)}). "
        f"How hard: {rating.intensity.label} ({rating.explanation})."
    )


def rate_run(app: AppContext, activity_id: int, rpe: float) -> None:
    from afterrun.services.runs import rate, rate_stored

    store = app.store()
    load = rate(store, activity_id, rpe, _now())
    rating = rate_stored(store, store.get_activity(activity_id, with_streams=False))
    used = (
        "it sets the load"
        if load.method == "session-rpe"
        else "kept with the run; its load comes from heart rate, which is measured"
    )
    click.echo(
        f"Run {activity_id} rated RPE {rpe:g} ({used}). Load {load.value:.0f} "
        f"({load.explanation}); {rating.intensity.label}: {rating.explanation}."
    )


def edit_run(app: AppContext, activity_id: int, sport: Sport | None, name: str | None) -> None:
    from afterrun.services.runs import edit_activity, rate_stored

    store = app.store()
    stored = edit_activity(store, activity_id, sport, name, _now())
    a = stored.activity
    what = [f"sport {a.sport.value}"] if sport is not None else []
    if name is not None:
        what.append(f"name {a.name!r}")
    load = "-" if stored.load is None else f"{stored.load:.0f}"
    if a.sport is Sport.RUNNING:
        rating = rate_stored(store, stored)
        follows = f"Load {load}; how hard: {rating.intensity.label} ({rating.explanation})."
    else:
        follows = (
            f"Load {load}, counted in fatigue and fitness; as {a.sport.value} it is not "
            "listed in 'afterrun runs' nor used to size a cool-down."
        )
    click.echo(f"Activity {activity_id}: {' and '.join(what)}. {follows}")


def _profile_lines(profile: Profile) -> list[str]:
    limits = heart_rate_limits(profile, _now().year)
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
    profile, count = update_profile(app.store(), changes, _now())
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
