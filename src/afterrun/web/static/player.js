// The cool-down player. It plays the timeline the server compiled, and keeps a log of
// every press. Its position is always computed from the wall clock and that log, never
// by counting ticks, so a reload or a locked phone resumes at the right second. The log
// is saved whole to the server, which replays it through the same engine the terminal
// player uses; offline, it waits in this phone's storage until the network is back.
"use strict";

(() => {
  const STORE_KEY = "afterrun.session";
  const SAVE_EVERY_MS = 10000;
  const RETRY_MS = 15000;
  const STALL_MS = 2000;
  // The steps the runner does, as core/plan.py's WORK_KINDS: "it hurts" ends them.
  const WORK_KINDS = ["walk", "hold", "reps"];
  const KIND_LABELS = {
    walk: "Walk or jog",
    "get-ready": "Get ready",
    transition: "Next exercise",
    hold: "Hold",
    reps: "Swings",
    switch: "Switch sides",
  };

  // Cues at one moment come in this order, as in core/timeline.py.
  const CUE_ORDER = { exercise: 0, switch: 1, start: 2, count: 3 };

  const $ = (id) => document.getElementById(id);
  const cueLog = [];
  window.afterrunCueLog = cueLog;

  // -- the session's arithmetic: the same rules as afterrun's SessionEngine ----------

  function stepAt(timeline, position) {
    const steps = timeline.steps;
    let low = 0;
    let high = steps.length - 1;
    while (low < high) {
      const middle = Math.floor((low + high + 1) / 2);
      if (steps[middle].start_ms <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  function exerciseEnd(timeline, index) {
    const steps = timeline.steps;
    let last = index;
    while (last + 1 < steps.length && steps[last + 1].exercise === steps[index].exercise) last += 1;
    return steps[last].end_ms;
  }

  function fresh(timeline) {
    return { base: timeline, timeline, eased: [], origin: 0, pausedAt: null, offer: null, hurtStep: null, finished: false };
  }

  // "Carry on, gently" (core/gentle.py): the steps listed are played as the server wrote
  // their gentle form, and every later start moves up, as the engine recompiles its timeline.
  function easedTimeline(base, eased) {
    const steps = [];
    const cues = [];
    let cursor = 0;
    base.steps.forEach((step, index) => {
      const gentle = eased.includes(index) ? step.gentle : null;
      const own = gentle
        ? gentle.cues
        : base.cues
          .filter((cue) => cue.step_index === index && cue.kind !== "done")
          .map((cue) => ({ offset_ms: cue.at_ms - step.start_ms, kind: cue.kind, text: cue.text }));
      const length = gentle ? gentle.seconds * 1000 : step.end_ms - step.start_ms;
      const changed = gentle ? { seconds: gentle.seconds, text: gentle.text, eased_from: step.seconds } : {};
      steps.push({ ...step, ...changed, start_ms: cursor, end_ms: cursor + length });
      for (const cue of own) cues.push({ at_ms: cursor + cue.offset_ms, kind: cue.kind, text: cue.text, step_index: index });
      cursor += length;
    });
    const done = base.cues.find((cue) => cue.kind === "done");
    if (done) cues.push({ ...done, at_ms: cursor });
    cues.sort((a, b) => a.at_ms - b.at_ms || (CUE_ORDER[a.kind] ?? 9) - (CUE_ORDER[b.kind] ?? 9));
    return { ...base, total_ms: cursor, steps, cues };
  }

  function positionOf(timeline, state, now) {
    const reference = state.pausedAt !== null ? state.pausedAt : now;
    return Math.max(0, Math.min(timeline.total_ms, reference - state.origin));
  }

  function seek(state, now, target) {
    const reference = state.pausedAt !== null ? state.pausedAt : now;
    state.origin = reference - target;
  }

  function settle(timeline, state, now) {
    if (positionOf(timeline, state, now) >= timeline.total_ms && state.pausedAt === null) state.finished = true;
  }

  function pause(state, now) {
    if (state.pausedAt === null && !state.finished) state.pausedAt = now;
  }

  function resume(state, now) {
    if (state.pausedAt !== null) {
      state.origin += now - state.pausedAt;
      state.pausedAt = null;
      state.offer = null;
    }
  }

  function apply(state, event) {
    const timeline = state.timeline;
    const now = event.at_ms;
    settle(timeline, state, now);
    const position = positionOf(timeline, state, now);
    const index = stepAt(timeline, position);
    const step = timeline.steps[index];
    switch (event.action) {
      case "pause": pause(state, now); break;
      case "resume": resume(state, now); break;
      case "skip":
        if (!state.finished) seek(state, now, step.end_ms);
        break;
      case "back": {
        let target = index;
        if (state.finished) {
          target = timeline.steps.length - 1;
          state.finished = false;
        } else if (position - step.start_ms < timeline.back_restarts_after_ms && index > 0) {
          target = index - 1;
        }
        seek(state, now, timeline.steps[target].start_ms);
        break;
      }
      case "hurt":
        if (WORK_KINDS.includes(step.kind) && !state.finished) seek(state, now, step.end_ms);
        if (!state.finished) {
          pause(state, now);
          state.offer = step.exercise;
          state.hurtStep = index;
        }
        break;
      case "skip-exercise":
        if (state.offer !== null && step.exercise === state.offer) seek(state, now, exerciseEnd(timeline, index));
        state.offer = null;
        resume(state, now);
        break;
      case "carry-on":
        if (state.offer !== null && state.hurtStep !== null) {
          // (a session started before steps listed what they ease has none to ease)
          const eases = timeline.steps[state.hurtStep].eases || [];
          const more = eases.filter((i) => !state.eased.includes(i));
          if (more.length) {
            state.eased = [...state.eased, ...more];
            state.timeline = easedTimeline(state.base, state.eased);
          }
        }
        state.offer = null;
        resume(state, now);
        break;
      case "quit": pause(state, now); break;
      default: break;
    }
    settle(timeline, state, now);
  }

  function replay(timeline, events) {
    const state = fresh(timeline);
    for (const event of events) apply(state, event);
    return state;
  }

  // -- persistence ------------------------------------------------------------------

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY) || "null"); } catch (error) { return null; }
  }
  function store(session) { localStorage.setItem(STORE_KEY, JSON.stringify(session)); }

  let session = null;
  let state = null;
  let saving = false;
  let queued = null; // a save asked for while one was on its way: { final }
  let retry = null;
  let ended = false; // finished or quit: only the final save is left to do
  let lastSaved = 0;
  let lastTick = 0;
  let emittedTo = -1;
  let shownStep = -1;
  let wakeLock = null;
  let timer = null;

  const elapsed = () => Date.now() - session.startWall;

  function lastEventAt() {
    const events = session.events;
    return events.length ? events[events.length - 1].at_ms : 0;
  }

  // How far the session's clock has run: never past the moment it ended (paused, quit or
  // finished), so a log sent hours later, after a night offline, replays the same.
  function untilMs() {
    const end = state.pausedAt !== null ? state.pausedAt : state.origin + state.timeline.total_ms;
    return Math.max(lastEventAt(), Math.min(elapsed(), end));
  }

  function note(message) {
    $("saved").textContent = message;
    $("finished-status").textContent = message;
  }

  function offlineNote(final) {
    // The page's own offline banner says it while playing; the finished screen says more.
    $("saved").textContent = "";
    if (final) $("finished-status").textContent = "Offline: the session is kept on this phone and saved as soon as afterrun can be reached.";
  }

  async function save(final) {
    if (!session) return;
    if (saving) {
      // One save at a time, but the last word (a final save) is never dropped.
      queued = { final: final || (queued !== null && queued.final) };
      return;
    }
    if (retry !== null) clearTimeout(retry);
    retry = null;
    saving = true;
    lastSaved = Date.now();
    session.pending = true;
    const sent = session;
    store(sent);
    try {
      const answer = await afterrun.send("PUT", `/api/sessions/${sent.id}/progress`, { events: sent.events, until_ms: untilMs() });
      sent.pending = false;
      if (final) {
        localStorage.removeItem(STORE_KEY);
        showSaved(answer);
      } else {
        note("");
        store(sent);
      }
    } catch (error) {
      if (error.network) offlineNote(final);
      else note(`Not saved yet (${error.message}). Trying again.`);
      // A final save must reach the server: try again in a while, and as soon as the
      // server answers again (the "afterrun:reachable" listener).
      if (final) retry = setTimeout(() => save(true), RETRY_MS);
    } finally {
      saving = false;
      if (queued !== null && session !== null) {
        const again = queued.final;
        queued = null;
        save(again);
      }
      queued = null;
    }
  }

  // -- what the runner sees and hears ---------------------------------------------

  function say(cue) {
    cueLog.push({ at_ms: cue.at_ms, kind: cue.kind, text: cue.text });
    showCue(cue.text);
    const settings = afterrun.deviceSettings();
    if (settings.voice && "speechSynthesis" in window) {
      if (cue.kind === "exercise" || cue.kind === "start" || cue.kind === "switch") speechSynthesis.cancel();
      const line = new SpeechSynthesisUtterance(cue.text);
      line.rate = settings.rate || 1;
      const voice = speechSynthesis.getVoices().find((v) => v.name === settings.voiceName);
      if (voice) line.voice = voice;
      speechSynthesis.speak(line);
    }
    if (settings.vibrate && "vibrate" in navigator && (cue.kind === "start" || cue.kind === "switch" || cue.kind === "done")) {
      navigator.vibrate(cue.kind === "done" ? [200, 100, 200] : 200);
    }
  }

  function nextWorkName(index) {
    const steps = state.timeline.steps;
    for (let i = index + 1; i < steps.length; i += 1) {
      if (steps[i].kind !== "switch") return `${steps[i].name}${steps[i].side ? `, ${steps[i].side} side` : ""}`;
    }
    return null;
  }

  // After "It hurts" the player waits at the end of that hold. When the exercise has more
  // to it, the runner may skip the rest; after its last hold there is nothing left to skip
  // (and skipping would skip the next exercise, as the engine counts it), so only "go on".
  function showOffer(shown, step) {
    $("offer").hidden = !shown;
    if (!shown) return;
    const more = step.exercise === state.offer;
    $("skip-exercise").hidden = !more;
    $("offer-text").textContent = more
      ? "Stop or ease off when a stretch hurts. Skip the rest of this exercise, or carry on gently: shorter and milder?"
      : "Stop or ease off when a stretch hurts. That was the last of this exercise.";
    $("carry-on").textContent = more ? "Carry on, gently" : "Go on";
  }

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  // The swinging figure moves only while the session plays, and never for a runner who
  // asked for less motion: then its still drawing (the other position dashed) is shown.
  function showFigure(step) {
    const figure = $("figure");
    const still = state.pausedAt !== null || reducedMotion.matches;
    const source = still && step.still ? step.still : step.illustration;
    if (figure.getAttribute("src") !== source) figure.src = source;
    figure.alt = `${step.name}${step.side ? `, ${step.side} side` : ""}`;
    figure.dataset.still = String(still);
  }

  // The cue box says what the screen shows: after a jump (skip, back, "it hurts") it holds
  // the last cue of the step now shown, not one from the step left behind.
  function cueNow(position, index) {
    const cues = state.timeline.cues.filter((cue) => cue.step_index === index && cue.at_ms <= position);
    return cues.length ? cues[cues.length - 1].text : "";
  }

  function showCue(text) {
    $("cue").textContent = text;
    // A get-ready's cue is its text: say it once, not twice on the screen.
    $("step-text").hidden = text !== "" && text === $("step-text").textContent;
  }

  function draw(position) {
    const timeline = state.timeline;
    const index = stepAt(timeline, position);
    const step = timeline.steps[index];
    const remaining = Math.max(0, step.end_ms - position);
    $("clock").textContent = String(Math.ceil(remaining / 1000));
    $("player").classList.toggle("paused", state.pausedAt !== null);
    $("pause").textContent = state.pausedAt !== null ? "Resume" : "Pause";
    $("progress").value = Math.round((1000 * position) / timeline.total_ms);
    const offered = state.offer !== null && !state.finished;
    showOffer(offered, step);
    // The offer and the stop question take the controls' place: one choice at a time,
    // and the dock never grows over the step.
    if (offered) $("confirm").hidden = true;
    $("player").classList.toggle("asking", offered || !$("confirm").hidden);
    $("controls").hidden = offered || !$("confirm").hidden;
    $("controls-second").hidden = offered || !$("confirm").hidden;
    showFigure(step);
    if (step.kind === "reps" && step.reps) {
      const pace = Math.floor((step.end_ms - step.start_ms) / step.reps);
      const rep = Math.min(step.reps, Math.floor((position - step.start_ms) / pace) + 1);
      $("reps").textContent = `Swing ${rep} of ${step.reps}${step.round ? ` · set ${step.round} of ${step.rounds}` : ""}`;
    } else if (step.kind === "hold" && step.round) {
      $("reps").textContent = `Hold ${step.round} of ${step.rounds}`;
    } else {
      $("reps").textContent = "";
    }
    if (index === shownStep) return;
    shownStep = index;
    const label = KIND_LABELS[step.kind] || step.kind;
    $("kind").textContent = step.eased_from !== undefined ? `${label} · gently` : label;
    $("exercise").textContent = step.name;
    $("side").textContent = step.side ? `${step.side[0].toUpperCase()}${step.side.slice(1)} side` : "";
    $("step-text").textContent = step.text;
    showCue(cueNow(position, index));
    $("note").textContent = step.note || "";
    $("tip").textContent = step.tip ? `Tip: ${step.tip}` : "";
    const next = nextWorkName(index);
    $("next").textContent = next ? `Next: ${next}` : "Last step";
  }

  function tick() {
    if (!session) return;
    const now = elapsed();
    settle(state.timeline, state, now);
    const position = positionOf(state.timeline, state, now);
    if (state.pausedAt === null) {
      const due = state.timeline.cues.filter((cue) => cue.at_ms > emittedTo && cue.at_ms <= position);
      const stalled = now - lastTick > STALL_MS && due.length > 1;
      (stalled ? due.slice(-1) : due).forEach(say);
      emittedTo = Math.max(emittedTo, position);
    }
    lastTick = now;
    const before = shownStep;
    draw(position);
    if (state.finished) {
      finish();
      return;
    }
    if (before !== shownStep || Date.now() - lastSaved > SAVE_EVERY_MS) save(false);
  }

  function press(action, area) {
    if (!session || state.finished || ended) return;
    const event = { at_ms: Math.max(elapsed(), lastEventAt()), action };
    if (area) event.area = area;
    const before = positionOf(state.timeline, state, event.at_ms);
    const offered = state.offer;
    apply(state, event);
    session.events.push(event);
    const after = positionOf(state.timeline, state, event.at_ms);
    if (action === "skip" || action === "back" || action === "skip-exercise" || after !== before) {
      // The engine's seek: the cues from the new position on are due again, and the
      // ones jumped over (the rest of a hold that hurt) are not said.
      emittedTo = after - 1;
      shownStep = -1;
    }
    store(session);
    if (action === "quit") {
      finish();
      return;
    }
    tick();
    if (action === "hurt") {
      const hurt = state.timeline.steps[state.hurtStep !== null ? state.hurtStep : 0];
      const where = [hurt.area, hurt.side ? `${hurt.side} side` : ""].filter(Boolean).join(", ");
      showCue(`Pain noted${where ? ` (${where})` : ""}. Paused.`);
    }
    if (!state.finished) save(false);
    // Keep the keyboard and screen reader focus where the runner is.
    if (state.offer !== null && offered === null) ($("skip-exercise").hidden ? $("carry-on") : $("skip-exercise")).focus();
    else if (state.offer === null && offered !== null && document.activeElement && $("offer").contains(document.activeElement)) $("hurt").focus();
  }

  async function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
    } catch (error) {
      wakeLock = null;
    }
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
  }

  function finish() {
    stop();
    ended = true;
    showFinished();
    save(true);
  }

  // The finished screen shows at once, network or not; the summary follows when the
  // server has the session.
  function showFinished() {
    document.body.classList.remove("playing");
    $("player").hidden = true;
    $("setup").hidden = true;
    $("finished").hidden = false;
    const completed = state.finished;
    $("done-h").textContent = completed ? "Cool-down done" : "Cool-down stopped";
    $("summary").textContent = completed ? "Well done: every step is behind you." : "What you did is kept.";
    if (afterrun.isReachable()) $("finished-status").textContent = "Saving…";
    else offlineNote(true);
    $("done-h").focus();
  }

  function showSaved(answer) {
    const pains = answer.pains.length ? ` Pain noted in the ${[...new Set(answer.pains.map((p) => p.area))].join(", ")}.` : "";
    $("finished-status").textContent = `Saved: ${answer.summary}${pains}`;
    $("finished").dataset.sessionId = String(answer.id);
    $("finished").dataset.status = answer.status;
    session = null;
  }

  function play(saved) {
    session = saved;
    ended = false;
    state = replay(session.timeline, session.events);
    const now = elapsed();
    // Cues before this moment were said before the reload; say only what is due from here.
    emittedTo = positionOf(state.timeline, state, now);
    lastTick = now;
    shownStep = -1;
    $("setup").hidden = true;
    $("finished").hidden = true;
    $("player").hidden = false;
    document.body.classList.add("playing");
    keepAwake();
    tick();
    timer = setInterval(tick, 200);
  }

  async function start(event) {
    // "Download for your watch" submits the form as it is: the browser fetches the file.
    if (event.submitter && event.submitter.hasAttribute("data-download")) return;
    event.preventDefault();
    const form = event.target;
    const body = { minutes: Number.parseInt(form.elements.minutes.value, 10) || 15, place: form.elements.place.value };
    if (form.elements.intensity.value) body.intensity = form.elements.intensity.value;
    const equipment = afterrun.deviceSettings().equipment;
    if (equipment.length) body.equipment = equipment;
    const button = form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    button.disabled = true;
    $("start-status").textContent = "Planning…";
    try {
      const answer = await afterrun.send("POST", "/api/sessions", body);
      const saved = { id: answer.id, startWall: Date.now(), timeline: answer.timeline, events: [], pending: false };
      store(saved);
      // Warm the cache with every picture, so the session can go on offline.
      const pictures = answer.timeline.steps.flatMap((s) => [s.illustration, s.still]);
      for (const url of new Set(pictures)) fetch(url).catch(() => {});
      $("start-status").textContent = "";
      play(saved);
      for (const cue of answer.timeline.cues.filter((c) => c.at_ms === 0)) say(cue);
      emittedTo = 0;
    } catch (error) {
      $("start-status").textContent = error.message;
    } finally {
      button.disabled = false;
    }
  }

  function flushFinished(saved) {
    // A session that ended while offline (or with the page closed): show it and send its log.
    session = saved;
    state = replay(saved.timeline, saved.events);
    settle(state.timeline, state, elapsed());
    ended = true;
    showFinished();
    save(true);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const params = new URLSearchParams(location.search);
    const intensity = params.get("intensity");
    if (intensity && $("intensity")) $("intensity").value = intensity;
    const equipment = afterrun.deviceSettings().equipment;
    if (equipment.length && $("place")) $("place").value = "home";
    // No start form while a warning sign holds the cool-down back.
    if ($("start")) $("start").addEventListener("submit", start);
    $("pause").addEventListener("click", () => press(state && state.pausedAt !== null ? "resume" : "pause"));
    $("skip").addEventListener("click", () => press("skip"));
    $("back").addEventListener("click", () => press("back"));
    $("hurt").addEventListener("click", () => press("hurt"));
    $("skip-exercise").addEventListener("click", () => press("skip-exercise"));
    $("carry-on").addEventListener("click", () => press("carry-on"));
    // A figure lying down makes a wide, low picture: upright, it gets the whole width.
    $("figure").addEventListener("load", (event) => {
      const image = event.target;
      image.parentElement.classList.toggle("wide", image.naturalWidth > 2 * image.naturalHeight);
    });
    $("quit").addEventListener("click", () => {
      $("confirm").hidden = false;
      if (session) tick();
      $("keep-going").focus();
    });
    $("keep-going").addEventListener("click", () => {
      $("confirm").hidden = true;
      if (session) tick();
      $("quit").focus();
    });
    $("quit-confirm").addEventListener("click", () => press("quit"));
    reducedMotion.addEventListener("change", () => { if (session) tick(); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && timer !== null) {
        keepAwake();
        tick();
      }
    });
    window.addEventListener("afterrun:reachable", () => { if (session) save(ended); });
    const saved = load();
    if (saved && saved.timeline) {
      const restored = replay(saved.timeline, saved.events);
      const over = restored.finished || positionOf(restored.timeline, restored, Date.now() - saved.startWall) >= restored.timeline.total_ms
        || (saved.events.length && saved.events[saved.events.length - 1].action === "quit");
      if (over) flushFinished(saved);
      else play(saved);
    }
  });

  window.afterrunPlayer = { stepAt, replay, positionOf, easedTimeline };
})();
