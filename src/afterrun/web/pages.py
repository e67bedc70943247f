"""The pages: server-rendered HTML for reading, small scripts for doing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from afterrun.core.body import AREAS, EQUIPMENT_NAMES, area_name
from afterrun.core.errors import NotFound
from afterrun.core.ids import MAX_ID
from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, PLACES
from afterrun.core.profile_limits import EDITABLE_SPORTS
from afterrun.core.red_flags import RED_FLAGS, ladder_json
from afterrun.core.time_text import duration, weekday_and_time, when_text
from afterrun.rendering.report import report_body, style_sheet
from afterrun.services.consent import SWITCHES, shares_of
from afterrun.services.report import build_report
from afterrun.services.routines import RoutineDefaults, routine_for
from afterrun.services.soreness import safety_now
from afterrun.web.answers import advice_json, runs_json, today_json
from afterrun.web.deps import Advice, AthleteView, Mine
from afterrun.web.signed_in import SCOPE_KEY, SignedIn, signed_in
from afterrun.zones import runner_zone

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)

NAV = (
    ("/", "Today"),
    ("/play", "Cool-down"),
    ("/runs", "Runs"),
    ("/checkin", "Check-in"),
    ("/report", "Report"),
    ("/settings", "Settings"),
)
#: A coach's tabs: the runner's, and their squad.
COACH_NAV = (*NAV, ("/coach", "Squad"))


@pass_context
def _when(context: Context, iso: str) -> str:
    """A stored UTC time in the runner's zone (`zone` in every page's context)."""
    return when_text(datetime.fromisoformat(iso), context["zone"], datetime.now(UTC))


@pass_context
def _clock(context: Context, iso: str) -> str:
    return weekday_and_time(datetime.fromisoformat(iso), context["zone"])


def templates() -> Jinja2Templates:
    view = Jinja2Templates(directory=HERE / "templates")
    view.env.filters.update(when=_when, clock=_clock, duration=duration, area=area_name)
    return view


def _render(
    request: Request, state: AthleteView | None, name: str, title: str, **context: Any
) -> str:
    """A page for the athlete of `state`, in their time zone (UTC for a page that shows
    no one's data)."""
    view: Jinja2Templates = request.app.state.templates
    zone = UTC if state is None else runner_zone(state.store.get_profile())
    member = state.me if state is not None and state.settings.club else None
    coach = state is not None and state.me.role == "coach"
    page = {
        "title": title,
        "nav": COACH_NAV if coach else NAV,
        "path": request.url.path,
        "zone": zone,
        "member": member,
        **context,
    }
    return view.get_template(name).render(page)


def page_html(request: Request, name: str, title: str, **context: Any) -> str:
    """A page of the app's own look for another module's routes (the coach's), for
    whoever is signed in."""
    app_state = request.app.state.afterrun
    me = signed_in(request)
    view = AthleteView(app_state, me, app_state.store.for_athlete(me.athlete_id))
    return _render(request, view, name, title, **context)


def _page(
    request: Request, state: AthleteView | None, name: str, title: str, **context: Any
) -> HTMLResponse:
    return HTMLResponse(_render(request, state, name, title, **context))


def not_found_page(request: Request, message: str) -> HTMLResponse:
    """The app's own page for an address it does not know: its tabs and a way home."""
    view: Jinja2Templates = request.app.state.templates
    who = request.scope.get(SCOPE_KEY)  # nobody, before a club's sign-in
    coach = isinstance(who, SignedIn) and who.role == "coach"
    page = {
        "title": "Not found",
        "nav": COACH_NAV if coach else NAV,
        "path": request.url.path,
        "message": message,
        "coach": coach,
    }
    return HTMLResponse(view.get_template("404.html").render(page), status_code=404)


def _safety(state: AthleteView) -> dict[str, Any]:
    return safety_now(state.store, state.now()).to_json()


@router.get("/", response_class=HTMLResponse)
def today_page(request: Request, state: Mine, query: Advice) -> HTMLResponse:
    def render() -> str:
        # Read first: the page is then at least as new as its version, and a run stored
        # meanwhile shows on the next check (app.js) instead of being missed.
        version = state.store.activities_version()
        return _render(
            request,
            state,
            "today.html",
            "Today",
            version=version,
            every_ms=round(state.settings.today_check_seconds * 1000),
            today=today_json(state, query),
            safety=_safety(state),
            ladder=ladder_json(),
            query=query,
        )

    if not query.empty:
        return HTMLResponse(render())
    return HTMLResponse(state.cached("today-page", render))


@router.get("/play", response_class=HTMLResponse)
def play_page(request: Request, state: Mine) -> HTMLResponse:
    # The form starts from the coach's routine, if any; what the runner changes wins.
    routine = routine_for(state.store)
    defaults = routine.defaults if routine else RoutineDefaults()
    return _page(
        request,
        state,
        "play.html",
        "Cool-down",
        places=sorted(PLACES),
        intensities=tuple(intensity.value for intensity in Intensity),
        safety=_safety(state),
        routine=routine.note if routine else None,
        minutes=defaults.minutes or DEFAULT_MINUTES,
        place=defaults.place or "home",
    )


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, state: Mine) -> HTMLResponse:
    return _page(
        request,
        state,
        "runs.html",
        "Runs",
        runs=runs_json(state, limit=200, all_sports=True),
        sports=EDITABLE_SPORTS,
    )


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, state: Mine, run_id: str) -> HTMLResponse:
    """One run: how hard it was, the advice after it, and its effort to rate."""
    number = int(run_id) if run_id.isdigit() and len(run_id) <= 10 else 0
    if not 1 <= number <= MAX_ID:
        return not_found_page(request, "There is no such run here.")
    try:
        advice = advice_json(state, number)
    except NotFound:
        return not_found_page(request, f"There is no run {number} here; it may have been removed.")
    title = advice["run"]["name"] or "Run"
    return _page(request, state, "run.html", title, advice=advice)


@router.get("/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, state: Mine) -> HTMLResponse:
    return _page(
        request,
        state,
        "checkin.html",
        "Check-in",
        areas=AREAS,
        flags=RED_FLAGS,
        safety=_safety(state),
        ladder=ladder_json(),
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, state: Mine) -> HTMLResponse:
    report = build_report(state.store, state.now(), 8, None)
    return _page(
        request, state, "report.html", "Report", body=report_body(report), safety=_safety(state)
    )


def _coaches(state: AthleteView) -> list[dict[str, Any]]:
    """The club's coaches and what each sees; a personal server has none."""
    if not state.settings.club:
        return []
    return [coach.to_json() for coach in shares_of(state.store, state.me.athlete_id)]


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, state: Mine) -> HTMLResponse:
    return _page(
        request,
        state,
        "settings.html",
        "Settings",
        profile=state.store.get_profile(),
        equipment=EQUIPMENT_NAMES,
        coaches=_coaches(state),
        switches=SWITCHES,
        club=state.settings.club,
        me=state.me,
    )


@router.get("/offline", response_class=HTMLResponse)
def offline_page(request: Request) -> HTMLResponse:
    """Kept by the service worker: shown offline for a page this phone has not saved."""
    return _page(request, None, "offline.html", "Offline")


@router.get("/static/report.css")
def report_css() -> Response:
    return Response(style_sheet(), media_type="text/css")


@router.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so that it may control every page."""
    body = (HERE / "static" / "sw.js").read_text(encoding="utf-8")
    return Response(body, media_type="text/javascript", headers={"Service-Worker-Allowed": "/"})


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    body = (HERE / "static" / "manifest.webmanifest").read_text(encoding="utf-8")
    return Response(body, media_type="application/manifest+json")
