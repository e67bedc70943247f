"""The arguments of the commands typed after every run (`afterrun`, `plan`, `go`), read
without Click.

Click costs a runner about a third of `afterrun plan`'s start-up, so `cli/direct.py` runs
these commands without it whenever this module can read their arguments. It reads only
what it is sure of: the planning options, `--json`, `--steps`, `--voice` and `--speed`,
each once, with a valid value. For anything else (help, an unknown or repeated option, a bad value,
`--resume`) it declines, and Click reads the arguments and says what is wrong. The
checks are the ones the Click types in `cli/options.py` make: both call the converters
here, and a property test holds this reader to Click on every argument list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from afterrun.core.intensity import Intensity
from afterrun.core.plan import DEFAULT_MINUTES, MAX_MINUTES, MIN_MINUTES, PLACES

if TYPE_CHECKING:
    from collections.abc import Callable

#: What runners type for each piece of equipment.
EQUIPMENT_ALIASES = {
    "wall": "wall",
    "mat": "mat",
    "doorway": "doorway",
    "door": "doorway",
    "chair": "chair",
    "stool": "chair",
    "bench": "chair",
    "bed": "bed",
    "foam-roller": "foam-roller",
    "roller": "foam-roller",
}

#: Singular and short forms runners type for body areas (besides the areas' own names).
AREA_ALIASES = {
    "calf": "calves",
    "hamstring": "hamstrings",
    "hip-flexor": "hip-flexors",
    "glute": "glutes",
    "back": "lower-back",
    "quad": "quads",
    "hip": "hips",
}


def minutes(value: Any) -> int:
    """Whole minutes in range, or ValueError saying what to type."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number of minutes.") from None
    if not MIN_MINUTES <= number <= MAX_MINUTES:
        raise ValueError(f"{number} is out of range: give {MIN_MINUTES} to {MAX_MINUTES} minutes.")
    return number


def intensity(value: Any) -> Intensity:
    if isinstance(value, Intensity):
        return value
    try:
        return Intensity.parse(str(value))
    except ValueError:
        choices = ", ".join(member.value for member in Intensity)
        raise ValueError(f"{value!r} is not an intensity. Choose from: {choices}.") from None


def names(value: str, known: dict[str, str], what: str) -> tuple[str, ...]:
    """A comma-separated list, each item one of `known` (typed forms -> names)."""
    items: list[str] = []
    for raw in value.split(","):
        key = raw.strip().lower().replace(" ", "-").replace("_", "-")
        if not key:
            continue
        if key not in known:
            choices = ", ".join(sorted(set(known.values())))
            shown = raw.strip()[:40] + ("…" if len(raw.strip()) > 40 else "")
            raise ValueError(f"unknown {what} {shown!r}. Choose from: {choices}.")
        items.append(known[key])
    if not items:
        choices = ", ".join(sorted(set(known.values())))
        raise ValueError(f"no {what} given. Choose from: {choices}.")
    return tuple(dict.fromkeys(items))


def area_names() -> dict[str, str]:
    """Every body area and the singular or short forms runners type for it."""
    from afterrun.core.body import AREAS

    return {**{area: area for area in AREAS}, **AREA_ALIASES}


def _place(value: str) -> str:
    if value not in PLACES:
        raise ValueError(value)
    return value


def _equipment(value: str) -> tuple[str, ...]:
    return names(value, EQUIPMENT_ALIASES, "equipment")


def _areas(value: str) -> tuple[str, ...]:
    return names(value, area_names(), "body area")


#: The options that take a value: (long name, short name) -> (parameter, converter).
VALUED: dict[str, tuple[str, Callable[[str], Any]]] = {
    "--minutes": ("minutes", minutes),
    "-m": ("minutes", minutes),
    "--intensity": ("intensity", intensity),
    "-i": ("intensity", intensity),
    "--place": ("place", _place),
    "--equipment": ("equipment", _equipment),
    "--focus": ("focus", _areas),
    "--avoid": ("avoid", _areas),
}
#: How much faster than real time `go --speed` may play.
SPEED_RANGE = (0.1, 100.0)


def _speed(value: str) -> float:
    """`go --speed` (hidden, for tests and demos): 0.1 to 100 times real time."""
    number = float(value)
    if not SPEED_RANGE[0] <= number <= SPEED_RANGE[1]:
        raise ValueError(value)
    return number


#: Options that take a value, per command besides the planning ones.
COMMAND_VALUED: dict[str, dict[str, tuple[str, Callable[[str], Any]]]] = {
    "plan": {},
    "go": {"--speed": ("speed", _speed)},
}
#: Flags, per command: flag -> (parameter, value).
FLAGS: dict[str, dict[str, tuple[str, bool]]] = {
    "plan": {"--json": ("as_json", True), "--steps": ("show_steps", True)},
    "go": {"--voice": ("voice", True), "--no-voice": ("voice", False)},
}
#: What each command is given when an option is not typed.
DEFAULTS: dict[str, dict[str, Any]] = {
    "plan": {"as_json": False, "show_steps": False},
    "go": {"voice": False, "speed": 1.0},
}
PLANNING_DEFAULTS: dict[str, Any] = {
    "minutes": DEFAULT_MINUTES,
    "intensity": None,
    "place": None,
    "equipment": None,
    "focus": None,
    "avoid": None,
}


def _split(token: str, following: list[str], valued: dict[str, Any]) -> tuple[str, str] | None:
    """(option, value) for a valued option as typed; None when it is not one."""
    if token.startswith("--"):
        name, equals, value = token.partition("=")
        if name not in valued:
            return None
        if equals:
            return name, value
    elif token[:2] in valued and len(token) > 2:
        return token[:2], token[2:]  # -m12
    elif token not in valued:
        return None
    if not following:
        return None
    return token, following.pop(0)


def read(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """(command, its parameters) for bare `afterrun`, `plan` or `go` with arguments this
    reader is sure of; None for anything Click should read."""
    if not args:
        return "", {}
    command, rest = args[0], list(args[1:])
    if command not in FLAGS:
        return None
    valued = {**VALUED, **COMMAND_VALUED[command]}
    given: dict[str, Any] = {}
    while rest:
        token = rest.pop(0)
        if token in FLAGS[command]:
            parameter, value = FLAGS[command][token]
        else:
            split = _split(token, rest, valued)
            if split is None or split[1].startswith("-"):
                return None  # not an option of ours, or a value Click may read otherwise
            parameter, convert = valued[split[0]]
            try:
                value = convert(split[1])
            except ValueError:
                return None
        if parameter in given:
            return None
        given[parameter] = value
    return command, {**PLANNING_DEFAULTS, **DEFAULTS[command], **given}
