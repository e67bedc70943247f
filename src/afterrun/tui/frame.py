"""What the player shows, as text: the one place its lines are worded, for the Textual
player and for the first frame `afterrun go` draws before Textual has loaded.

No Textual here: importing it takes longer than everything else `go` does before the
runner sees the first step.
"""

from __future__ import annotations

from afterrun.core.engine import SessionEngine, Snapshot
from afterrun.core.time_text import duration
from afterrun.tui.voice import NO_ENGINE_SHORT

#: Cues that ring the terminal bell: the moments a runner must act.
BELL_CUES = frozenset({"start", "switch", "done"})
KEYS = "space pause/resume · → skip · ← back · h it hurts · q quit"
_LABELS = {
    "walk": "Walk or jog",
    "get-ready": "Get ready",
    "transition": "Move",
    "switch": "Switch sides",
}


def clock_text(milliseconds: int) -> str:
    """Whole seconds, rounded up: a countdown shows 0:00 only when time is up."""
    return duration((milliseconds + 999) // 1000)


def title_text(engine: SessionEngine) -> str:
    label = engine.plan.request.intensity.label
    article = "an" if label[0] in "aeiou" else "a"
    return (
        f"afterrun · cool-down after {article} {label} run · {clock_text(engine.timeline.total_ms)}"
    )


def side_text(snap: Snapshot) -> str:
    """Beside the countdown: what kind of step, which side, which hold, set or swing."""
    step = snap.step
    lines = []
    if step.kind in _LABELS:
        lines.append(_LABELS[step.kind])
    if step.side:
        lines.append(f"{step.side.upper()} side")
    if step.round and step.rounds:
        word = "Set" if step.kind == "reps" else "Hold"
        lines.append(f"{word} {step.round} of {step.rounds}")
    if snap.rep is not None and step.reps:
        lines.append(f"Swing {snap.rep} of {step.reps}")
    if snap.paused:
        lines.append("PAUSED")
    return "\n".join(lines)


def tip_text(snap: Snapshot) -> str:
    """The step's note (why it is done this way today) first, then its tip."""
    tip = f"Tip: {snap.step.tip}" if snap.step.tip else ""
    return " ".join(part for part in (snap.step.note, tip) if part)


def cue_text(cue: str, snap: Snapshot) -> str:
    """The cue line under the step: empty when the cue says the very words already shown
    as the step's text (a get-ready cue reads the step aloud), so nothing is said twice."""
    return "" if cue == snap.step.text else cue


def next_text(snap: Snapshot) -> str:
    following = snap.next_step
    if following is None:
        return "Next: the end"
    text = f"Next: {following.name}"
    if following.side and following.exercise == snap.step.exercise:
        text += f", {following.side} side"
    return text


def elapsed_text(snap: Snapshot) -> str:
    return f"{clock_text(snap.position_ms)} / {clock_text(snap.total_ms)}"


def voice_text(speaker_name: str | None, voice_requested: bool) -> str:
    if speaker_name is not None:
        return f"Voice: on ({speaker_name})."
    if voice_requested:
        return NO_ENGINE_SHORT
    return "Voice: off (use --voice to hear the cues)."
