// The cues with the screen locked: the server's audio track of the session, played in an
// <audio> element and kept at the player's position, with the lock screen's controls
// (Media Session); and a buzz and a flash at each new step, side switch and the end.
// The player (player.js) stays the clock: the track follows it, never the other way.
"use strict";

const afterrunCueAudio = (() => {
  // Further apart than this, the track is moved to the player's position.
  const DRIFT_MS = 400;
  const NO_ENGINE = "Cues stop when the screen locks: this server has no speech engine (install espeak-ng on it).";
  const NO_TRACK = "Cues stop when the screen locks: the audio track did not load. Keep the screen on.";
  const PATTERNS = { step: 200, switch: [120, 80, 120], done: [400, 150, 400, 150, 400] };

  const $ = (id) => document.getElementById(id);
  let audio = null;
  let url = null;
  let failed = false;
  let ours = 0; // pauses this script asked for, so that only the phone's own are pressed
  let handlers = null;
  let lastTitle = "";

  function element() {
    if (!audio) {
      audio = $("cue-track");
      audio.addEventListener("error", () => {
        if (!url) return;
        failed = true;
        note(NO_TRACK);
      });
      audio.addEventListener("pause", () => {
        if (ours > 0) {
          ours -= 1;
          return;
        }
        // The phone stopped it (headphones out, a call): the session waits too.
        if (!audio.ended && handlers) handlers.pausedElsewhere();
      });
      audio.addEventListener("ended", () => { if (handlers) handlers.ended(); });
      // One voice at a time: the phone's own stops when the track takes over.
      audio.addEventListener("playing", () => { if ("speechSynthesis" in window) speechSynthesis.cancel(); });
    }
    return audio;
  }

  function note(text) {
    $("audio-note").textContent = text;
    $("audio-note").hidden = !text;
  }

  // Inside the Start press: a phone lets audio play later only when a tap started it.
  function unlock() {
    const track = element();
    track.play().catch(() => {});
  }

  // The session's track (null: this server cannot make one, so the phone speaks itself).
  function begin(trackUrl, actions) {
    handlers = actions;
    failed = false;
    url = trackUrl;
    lastTitle = "";
    const track = element();
    if (!trackUrl) {
      note(NO_ENGINE);
      if (track.getAttribute("src")) {
        quiet();
        track.removeAttribute("src");
        track.load();
      }
      return;
    }
    note("");
    if (track.getAttribute("src") !== trackUrl) {
      quiet();
      track.src = trackUrl;
    }
    mediaActions(actions);
  }

  function mediaActions(actions) {
    if (!("mediaSession" in navigator)) return;
    const set = (name, handler) => {
      try { navigator.mediaSession.setActionHandler(name, handler); } catch (error) { /* not offered here */ }
    };
    set("play", () => actions.press("resume"));
    set("pause", () => actions.press("pause"));
    set("nexttrack", () => actions.press("skip"));
    set("previoustrack", () => actions.press("back"));
  }

  function quiet() {
    if (audio && !audio.paused) {
      ours += 1;
      audio.pause();
    }
  }

  // True while the track speaks the cues (the player's own voice then stays silent).
  function speaking() {
    return Boolean(url) && !failed && audio !== null && !audio.paused && audio.readyState >= 2;
  }

  // Keep the track where the player is: playing or paused as it is, at its position.
  function follow(positionMs, paused, step, timeline) {
    if (!url || failed || !audio) return;
    if (paused) {
      quiet();
    } else {
      const at = audio.currentTime * 1000;
      // Before the track has loaded this sets where it will start (a new track after
      // "carry on, gently" starts where the player is, not at its beginning).
      if (audio.readyState < 1 || Math.abs(at - positionMs) > DRIFT_MS) audio.currentTime = positionMs / 1000;
      if (audio.paused && positionMs < timeline.total_ms) {
        audio.play().catch(() => {
          // Not allowed without a tap (a reloaded page): the phone speaks until one.
        });
      }
    }
    show(positionMs, paused, step, timeline);
  }

  // What the lock screen shows: the exercise and side, and where in the session.
  function show(positionMs, paused, step, timeline) {
    if (!("mediaSession" in navigator)) return;
    const session = navigator.mediaSession;
    const title = `${step.name}${step.side ? ` · ${step.side} side` : ""}`;
    if (title !== lastTitle && "MediaMetadata" in window) {
      lastTitle = title;
      session.metadata = new MediaMetadata({ title, artist: "afterrun", album: "Cool-down" });
    }
    session.playbackState = paused ? "paused" : "playing";
    if (session.setPositionState) {
      const duration = timeline.total_ms / 1000;
      try {
        session.setPositionState({ duration, position: Math.min(duration, positionMs / 1000), playbackRate: 1 });
      } catch (error) { /* a position the phone refuses is left unshown */ }
    }
  }

  // The session is over or stopped: the track stops with it.
  function end() {
    quiet();
    handlers = null;
    if ("mediaSession" in navigator) navigator.mediaSession.playbackState = "none";
  }

  // A buzz and a flash for a noisy place: a new step, a side switch, the end.
  function signal(kind, settings, reducedMotion) {
    if (settings.vibrate !== false && "vibrate" in navigator) navigator.vibrate(PATTERNS[kind] || PATTERNS.step);
    if (settings.flash === false) return;
    if (reducedMotion) {
      // No pulse: the clock changes colour for a moment instead.
      const clock = $("clock");
      clock.classList.add("signalled");
      setTimeout(() => clock.classList.remove("signalled"), 1500);
      return;
    }
    const flash = $("flash");
    flash.classList.remove("pulse", "done");
    void flash.offsetWidth; // restart the animation
    flash.classList.add("pulse");
    if (kind === "done") flash.classList.add("done");
  }

  return { unlock, begin, speaking, follow, end, signal, note };
})();
window.afterrunCueAudio = afterrunCueAudio;
