"""`afterrun sync`: a plugged-in Garmin watch's new runs in, the cool-down for the latest out."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from afterrun.cli.context import AppContext
from afterrun.cli.exit_codes import ExitStatus
from afterrun.cli.render import to_json

if TYPE_CHECKING:
    from afterrun.services.import_summary import ImportSummary

#: The workouts already put on a watch, one file name a line, in the data folder: a watch
#: moves a file out of NewFiles once it has read it, so its absence says nothing.
SENT_RECORD = "watch-workouts-sent"


@dataclass(frozen=True)
class LatestRun:
    """The latest stored run, as the runner is told of it."""

    id: int
    start: datetime
    when: str
    distance_m: float | None
    intensity: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": self.start.isoformat(),
            "distance_m": self.distance_m,
            "intensity": self.intensity,
        }


@dataclass
class Workout:
    """What became of the cool-down for the latest run."""

    path: Path | None = None
    written: bool = False
    #: What the watch lists it as, and how long it lasts.
    title: str | None = None
    seconds: int | None = None
    why_not: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": None if self.path is None else str(self.path),
            "written": self.written,
            "title": self.title,
            "seconds": self.seconds,
            "reason": self.why_not,
        }


@click.command("sync")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
@click.pass_obj
def sync(app: AppContext, /, path: Path | None, as_json: bool) -> None:
    """Sync a plugged-in Garmin watch: import its new runs, put the latest one's cool-down on it.

    Finds the watch's GARMIN folder on a mounted drive (or at PATH), imports the new
    files in GARMIN/Activity, rates the latest run and writes the cool-down sized for it
    to GARMIN/NewFiles. Nothing else on the watch is changed. Each run's cool-down is
    written once; a second sync adds nothing. Exits 1 if any file failed to import.
    """
    from afterrun.services.imports import import_paths
    from afterrun.services.watch_folder import (
        ACTIVITIES,
        find_watch,
        mount_points,
        no_watch,
        watch_at,
    )

    if path is None:
        found = find_watch(mount_points())
        if found is None:
            raise no_watch()
        watch = found
    else:
        watch = watch_at(path)
    from afterrun.importers.sources import is_activity_name
    from afterrun.services.import_summary import ImportSummary

    folder = watch / ACTIVITIES
    summary = ImportSummary()
    # A watch with nothing recorded yet is no failed import.
    if any(is_activity_name(p.name) for p in folder.rglob("*") if p.is_file()):
        summary = import_paths(app.store(), [folder], datetime.now(UTC))
    latest, workout = _latest_and_workout(app, watch)
    if as_json:
        click.echo(
            to_json(
                {
                    "watch": str(watch),
                    "import": summary.to_json(),
                    "latest_run": None if latest is None else latest.to_json(),
                    "workout": workout.to_json(),
                }
            )
        )
    else:
        from afterrun.cli.planning import echo_flags, recent_safety

        echo_flags(recent_safety(app))  # warning signs first, as wherever a cool-down is planned
        _echo_done(watch, summary, latest, workout)
    if not summary.ok:
        sys.exit(int(ExitStatus.ERROR))


def _echo_done(
    watch: Path, summary: ImportSummary, latest: LatestRun | None, workout: Workout
) -> None:
    new = len(summary.imported) + len(summary.partial) + len(summary.replaced)
    failed = f", {len(summary.failed)} failed" if summary.failed else ""
    click.echo(
        f"Imported {new} new activit{'y' if new == 1 else 'ies'} from {watch} "
        f"({len(summary.already_there)} already imported{failed})."
    )
    for label, reason in summary.failed:
        click.echo(f"  failed: {label}: {reason}")
    if latest is not None:
        km = "" if latest.distance_m is None else f", {latest.distance_m / 1000:.2f} km"
        click.echo(f"Latest run: {latest.when}{km}, {latest.intensity} (run {latest.id}).")
    if workout.written and workout.seconds is not None:
        from afterrun.core.time_text import duration

        click.echo(
            f'Wrote the cool-down "{workout.title}" ({duration(workout.seconds)}) to '
            f"{workout.path}: unplug the watch and find it under Training > Workouts."
        )
    elif workout.why_not is not None:
        click.echo(workout.why_not)


def _latest_and_workout(app: AppContext, watch: Path) -> tuple[LatestRun | None, Workout]:
    """The latest stored run as shown, and the cool-down for it written to the watch once."""
    from afterrun.cli.planning import build_plan, recent_safety, when_text
    from afterrun.core.plan_facts import ended_recently
    from afterrun.services.planning import PlanOptions, latest_rating
    from afterrun.services.watch_folder import NEW_FILES, workout_name

    now = datetime.now(UTC)
    facts = app.plan_facts(now)
    run = facts.latest_run
    rating = latest_rating(facts)
    if run is None or rating is None:
        return None, Workout(why_not="No run stored yet: no cool-down written to the watch.")
    when = when_text(run.start, facts.zone)
    latest = LatestRun(run.id, run.start, when, run.distance_m, rating.intensity.label)
    if not ended_recently(run.start + timedelta(seconds=run.elapsed_seconds), now):
        return latest, Workout(
            why_not="The latest run ended too long ago to size a cool-down for: nothing "
            "written to the watch. Plan one with 'afterrun plan --fit FILE'."
        )
    state = recent_safety(app)
    if state.withheld:
        from afterrun.cli.planning import withheld_error

        return latest, Workout(why_not=f"{withheld_error(state).message} Nothing written.")
    name = workout_name(run.start)
    target = watch / NEW_FILES / name
    record = _sent_record(app)
    sent = record.read_text("utf-8").split() if record.exists() else []
    if target.exists():
        return latest, Workout(
            path=target,
            why_not=f"The cool-down for this run is already waiting in {target.parent}: "
            "nothing written.",
        )
    if name in sent:
        return latest, Workout(
            why_not=f"The cool-down for this run was already put on the watch ({name}): "
            "nothing written.",
        )
    plan = build_plan(app, PlanOptions())
    if not plan.steps:
        return latest, Workout(why_not="The cool-down has no steps: nothing written.")
    from afterrun.cli.output_file import OutputFailed, write_file
    from afterrun.exporters.fit_workout import fit_workout
    from afterrun.exporters.fit_workout import workout_name as title

    try:
        target.parent.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputFailed(
            f"cannot create {target.parent} on the watch: {error.strerror or error}."
        ) from None
    write_file(target, fit_workout(plan, now))
    record.parent.mkdir(parents=True, exist_ok=True)
    with record.open("a", encoding="utf-8") as out:
        out.write(name + "\n")
    return latest, Workout(target, True, title=title(plan), seconds=plan.total_seconds)


def _sent_record(app: AppContext) -> Path:
    from afterrun.paths import data_dir

    return data_dir(app.environ) / SENT_RECORD
