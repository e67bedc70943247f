"""`afterrun watch DIR...`: follow folders and import each new activity file once it is
whole, with a line for each run saying how hard it was and the cool-down to play."""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from afterrun.cli.context import AppContext

if TYPE_CHECKING:
    from afterrun.services.arrivals import Arrival
    from afterrun.store import Store


@click.command("watch")
@click.argument(
    "folders",
    metavar="DIR...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "--existing/--no-existing",
    default=True,
    show_default=True,
    help="Also import the activity files already in the folders that are not stored yet.",
)
@click.option(
    "--settle",
    type=click.FloatRange(0.2, 600),
    default=2.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a file must stay unchanged to count as completely written.",
)
@click.pass_obj
def watch(app: AppContext, /, folders: tuple[Path, ...], existing: bool, settle: float) -> None:
    """Follow folders and import each new activity file once it is completely written.

    For a Garmin Express or Syncthing folder, or Downloads: new .fit, .gpx and .tcx
    files (also .gz) in DIR and the folders below it are imported once, each as soon as
    it has stopped changing; partial downloads (.part, .crdownload) wait until renamed.
    Prints a line for each run: when, how far, how hard, and the cool-down to play.
    A file that cannot be imported prints why, and watching goes on. Stop with Ctrl-C.
    """
    from afterrun.services.arrivals import Follower, FollowTimes

    store = app.store()
    tally = _Tally()
    times = FollowTimes(settle=settle, poll=min(0.5, settle / 4))
    shown = ", ".join(str(folder) for folder in folders)

    def ready() -> None:
        click.echo(
            f"Watching {shown} for new activity files (each is imported once completely "
            "written). Press Ctrl-C to stop."
        )

    def arrived(arrival: Arrival) -> None:
        for line in arrival_lines(store, arrival, datetime.now(UTC)):
            click.echo(line)
        tally.add(store, arrival)

    follower = Follower(store, list(folders), lambda: datetime.now(UTC), arrived, times, existing)
    follower.on_ready = ready
    # Ctrl-C, or SIGTERM from a service manager, asks the watcher to stop: it ends its loop
    # and the summary follows. An interrupt raised inside the file watcher's native code
    # instead can leave the process waiting at exit. A second Ctrl-C interrupts at once.
    stop = threading.Event()

    def stopping(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    before = {number: signal.signal(number, stopping) for number in STOP_SIGNALS}
    try:
        follower.follow(stop)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    click.echo(tally.summary())


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class _Tally:
    """What the watch did, for the line it ends with."""

    started: float = field(default_factory=time.monotonic)
    runs: set[int] = field(default_factory=set)
    others: set[int] = field(default_factory=set)
    failed: int = 0

    def add(self, store: Store, arrival: Arrival) -> None:
        from afterrun.store.activity_rows import includes_run

        for activity_id in arrival.summary.new_ids:
            activity = store.get_activity(activity_id, with_streams=False).activity
            (self.runs if includes_run(activity) else self.others).add(activity_id)
        self.failed += len(arrival.summary.failed)

    def summary(self) -> str:
        from afterrun.core.time_text import counted

        done = f"imported {counted(len(self.runs), 'run')}"
        if self.others:
            other = "other activity" if len(self.others) == 1 else "other activities"
            done += f" and {len(self.others)} {other}"
        if self.failed:
            done += f"; {counted(self.failed, 'file')} failed"
        return f"Watched for {span(time.monotonic() - self.started)}: {done}."


def span(seconds: float) -> str:
    """'40 s', '12 min', '2 h 05 min'."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def arrival_lines(store: Store, arrival: Arrival, now: datetime) -> list[str]:
    """One line for each activity the file brought, or why it brought none."""
    from afterrun.cli.wording import sport_text

    summary = arrival.summary
    name = arrival.name
    notes = {activity_id: reason for _label, activity_id, reason in summary.partial}
    replaced = {activity_id: reason for _label, activity_id, reason in summary.replaced}
    lines = []
    for activity_id in sorted(summary.new_ids):
        line = f"Imported {name}: {_described(store, activity_id, now)}"
        if activity_id in notes:
            line += f" Partial: {notes[activity_id]}."
        if activity_id in replaced:
            line += f" It replaces the stored copy: {replaced[activity_id]}."
        lines.append(line)
    for _label, activity_id in summary.already_there:
        lines.append(f"{name}: already there (run {activity_id}).")
    for _label, reason in summary.failed:
        lines.append(f"{name} could not be imported: {reason}")
    for _label, activity_id, note in summary.sport_untold:
        lines.append(f"  activity {activity_id} ({name}): {sport_text(note, activity_id)}")
    return lines


def _described(store: Store, activity_id: int, now: datetime) -> str:
    """'run 5, Wed 02 Dec 07:10, 7.68 km, hard. Cool down with ...' for a run; for another
    sport its name, when and how far."""
    from afterrun.cli.planning import withheld_error
    from afterrun.core.activity import Sport
    from afterrun.core.time_text import when_text
    from afterrun.services.runs import is_recent, latest_run, rate_stored
    from afterrun.services.soreness import safety_now
    from afterrun.store.activity_rows import includes_run
    from afterrun.zones import runner_zone

    stored = store.get_activity(activity_id, with_streams=False)
    activity = stored.activity
    when = when_text(activity.start, runner_zone(store.get_profile()), now)
    km = "" if activity.distance_m is None else f", {activity.distance_m / 1000:.2f} km"
    if not includes_run(activity):
        sport = "activity" if activity.sport is Sport.OTHER else activity.sport.value
        return f"{sport} (activity {activity_id}), {when}{km}."
    text = f"run {activity_id}, {when}{km}, {rate_stored(store, stored).intensity.label}."
    latest = latest_run(store)
    if latest is None or latest.stored.id != activity_id or not is_recent(stored, now):
        return text
    safety = safety_now(store, now)
    if safety.withheld:
        return f"{text} {withheld_error(safety).message}"
    return f"{text} Cool down with 'afterrun go'."
