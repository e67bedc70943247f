// afterrun pages: the small scripts behind the forms, shared by every page.
"use strict";

const afterrun = (() => {
  const HEADERS = { "X-Requested-By": "afterrun" };

  // What to say when the request never reached the server (the browser's own words,
  // "Failed to fetch", say nothing a runner can act on).
  const UNREACHABLE = "Could not reach afterrun. Check that this phone is online (on the same network as the computer running afterrun) and try again.";

  // What the runner can do next, as the phone says it: the server names the kind (`hint`),
  // each front end words it (the terminal names its commands).
  const HINTS = {
    "more-minutes": "Choose more minutes.",
    "measured-hr-max": "Set a measured maximum heart rate in Settings.",
    "hr-max-or-birth-year": "Set your maximum heart rate or your birth year in Settings.",
    "resting-hr": "Set your resting heart rate in Settings.",
    "rate-the-run": "Rate how hard it felt on the run's page (Runs tab).",
    "add-a-run": "Add one on the Runs tab: upload a file or enter it by hand.",
    "give-intensity": "Choose how hard the run was.",
    "list-sessions": "Start a new cool-down on the Cool-down tab.",
    "list-runs": "Your runs are on the Runs tab.",
  };

  async function send(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: { ...HEADERS, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (error) {
      setReachable(false);
      const failed = new Error(navigator.onLine ? UNREACHABLE : "This phone is offline. Try again when it is back online; nothing was saved.");
      failed.network = true;
      throw failed;
    }
    setReachable(true);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (data.error && HINTS[data.hint]) throw new Error(`${data.error} ${HINTS[data.hint]}`);
      throw new Error(data.error || `afterrun could not do that (error ${response.status}). Try again; if it keeps happening, restart afterrun on the computer.`);
    }
    return data;
  }

  const SETTINGS_KEY = "afterrun.device";
  function deviceSettings() {
    try {
      return { voice: true, vibrate: true, flash: true, rate: 1, voiceName: "", equipment: [], ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
    } catch (error) {
      return { voice: true, vibrate: true, flash: true, rate: 1, voiceName: "", equipment: [] };
    }
  }
  function saveDeviceSettings(value) {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(value));
  }

  // Whether the server answered the last request. navigator.onLine says only whether the
  // phone has a network at all, and a page opened from the cache with no network may not
  // even know that; so the offline note also shows while afterrun cannot be reached, and a
  // small request every PROBE_MS notices when it can be again.
  const PROBE_MS = 10000;
  let reachable = true;
  let probing = null;
  function setReachable(value) {
    if (value === reachable) return;
    reachable = value;
    showOffline();
    if (value) window.dispatchEvent(new Event("afterrun:reachable"));
    else probeLater();
  }
  function probeLater() {
    if (probing === null) probing = setTimeout(probe, PROBE_MS);
  }
  async function probe() {
    if (probing !== null) clearTimeout(probing);
    probing = null;
    try {
      await fetch("/api/health", { cache: "no-store", credentials: "same-origin" });
      setReachable(true);
    } catch (error) {
      setReachable(false);
      probeLater();
    }
  }
  function isReachable() {
    return reachable && navigator.onLine;
  }

  function showOffline() {
    const note = document.getElementById("offline");
    if (note) note.hidden = isReachable();
  }

  // A result the runner must see: scrolled into view above the tab bar and focused, so
  // that a screen reader reads it too.
  function reveal(element) {
    if (!element) return;
    if (!element.hasAttribute("tabindex")) element.tabIndex = -1;
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "start", behavior: "auto" });
  }

  return { HEADERS, UNREACHABLE, send, deviceSettings, saveDeviceSettings, showOffline, probe, isReachable, reveal };
})();

window.addEventListener("online", () => { afterrun.showOffline(); afterrun.probe(); });
window.addEventListener("offline", afterrun.showOffline);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

function text(element, value) {
  if (element) element.textContent = value;
}

function setupRunEdits() {
  for (const form of document.querySelectorAll(".edit-run-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".edit-status");
      const name = form.elements.name.value.trim();
      const body = { sport: form.elements.sport.value };
      if (name) body.name = name;
      try {
        await afterrun.send("PATCH", `/api/runs/${form.dataset.run}`, body);
        text(status, "Saved.");
        window.location.reload();
      } catch (error) {
        text(status, error.message);
      }
    });
  }
}

function setupUpload() {
  for (const form of document.querySelectorAll("form.upload")) setupUploadForm(form);
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function showImported(answer, status, list) {
  text(status, `${plural(answer.file_count, "file", "files")}, ${plural(answer.activity_count, "activity", "activities")}: imported ${answer.imported}, replaced ${answer.replaced}, already there ${answer.already_there}, partial ${answer.partial}, failed ${answer.failed}.`);
  const files = answer.files || {};
  const line = (words) => {
    const li = document.createElement("li");
    li.textContent = words;
    list.append(li);
  };
  for (const item of files.replaced || []) line(`Replaced run ${item.id}: ${item.reason} (${item.file})`);
  for (const item of files.already_there || []) line(`Already there: ${item.file} (run ${item.id})`);
  for (const item of files.failed || []) line(`Failed: ${item.file}: ${item.reason}`);
  for (const item of files.partial || []) line(`Partial: ${item.file}: ${item.reason}`);
  for (const item of files.restored || []) {
    line(`Restored from ${item.file}: ${plural(item.sessions, "cool-down", "cool-downs")}, ${plural(item.checkins, "check-in", "check-ins")}, already there ${item.already_there}`);
  }
  if (answer.imported + answer.partial + answer.replaced > 0) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = "/";
    link.textContent = "See today's advice and cool-down";
    li.append(link);
    list.append(li);
  }
}

// A club imports big uploads in the background: follow the job until it is done.
async function followImport(job, bar, status, list) {
  for (;;) {
    if (job.files_total) {
      bar.max = job.files_total;
      bar.value = job.files_done;
    }
    if (job.status === "done") {
      bar.hidden = true;
      showImported(job.summary, status, list);
      return;
    }
    if (job.status === "failed") {
      bar.hidden = true;
      text(status, `The import failed: ${(job.summary && job.summary.error) || "try again"}.`);
      return;
    }
    const counted = job.files_total ? `: ${job.files_done} of ${plural(job.files_total, "file", "files")}` : "";
    text(status, `Importing in the background${counted}. You can leave this page.`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    try {
      const answer = await fetch(`/api/imports/${job.id}`);
      if (!answer.ok) throw new Error((await answer.json()).error);
      job = await answer.json();
    } catch (error) {
      text(status, error.message || afterrun.UNREACHABLE);
      return;
    }
  }
}

function setupUploadForm(form) {
  const bar = form.querySelector("progress");
  const status = form.querySelector('[role="status"]');
  const list = form.querySelector("ul.result");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    if (!input.files.length) {
      text(status, "Choose one or more files first.");
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    const data = new FormData();
    for (const file of input.files) data.append("files", file, file.name);
    const request = new XMLHttpRequest();
    button.disabled = true;
    request.addEventListener("loadend", () => { button.disabled = false; });
    request.open("POST", "/api/imports");
    request.setRequestHeader("X-Requested-By", "afterrun");
    bar.hidden = false;
    bar.max = 100;
    bar.value = 0;
    list.replaceChildren();
    text(status, "Uploading…");
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) bar.value = Math.round((100 * progress.loaded) / progress.total);
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value");
      text(status, "Uploaded. Reading the files…");
    });
    request.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      if (request.status === 202 && answer.job) {
        followImport(answer.job, bar, status, list);
        return;
      }
      bar.value = 100;
      if (request.status !== 200) {
        bar.hidden = true;
        text(status, answer.error || `Upload failed (${request.status}).`);
        return;
      }
      showImported(answer, status, list);
    });
    request.addEventListener("error", () => {
      bar.hidden = true;
      text(status, afterrun.UNREACHABLE);
    });
    request.send(data);
  });
}

function setupDeleteAccount() {
  const form = document.getElementById("delete-account");
  if (!form) return;
  const status = document.getElementById("delete-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const confirm = form.querySelector("#delete-confirm").value;
    try {
      const answer = await fetch("/api/account", {
        method: "DELETE",
        headers: { "Content-Type": "application/json", "X-Requested-By": "afterrun" },
        body: JSON.stringify({ confirm }),
      });
      const body = await answer.json();
      if (!answer.ok) {
        text(status, body.error);
        return;
      }
      text(status, `Deleted ${body.deleted}'s account and data.`);
      window.location.assign("/");
    } catch (error) {
      text(status, afterrun.UNREACHABLE);
    }
  });
}

function setupCheckin() {
  const form = document.getElementById("checkin");
  if (!form) return;
  for (const slider of form.querySelectorAll('input[type="range"]')) {
    const output = document.getElementById(`out-${slider.name}`);
    slider.addEventListener("input", () => text(output, slider.value));
  }
  const result = document.getElementById("checkin-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ratings = {};
    for (const slider of form.querySelectorAll('input[type="range"]')) ratings[slider.name] = Number(slider.value);
    const flags = [...form.querySelectorAll('input[name="red_flags"]:checked')].map((box) => box.value);
    const note = form.querySelector("#note").value.trim() || null;
    const button = form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    button.disabled = true;
    try {
      const answer = await afterrun.send("POST", "/api/checkins", { ratings, red_flags: flags, note });
      result.replaceChildren();
      const add = (tag, value, cls) => {
        const node = document.createElement(tag);
        node.textContent = value;
        if (cls) node.className = cls;
        result.append(node);
        return node;
      };
      const warned = answer.red_flags.length > 0 || answer.see_a_professional.length > 0;
      result.className = warned ? "checkin-result warned" : "checkin-result";
      add("h2", warned ? "Check-in saved: read this first" : "Check-in saved", "result-head");
      for (const flag of answer.red_flags) add("p", `${flag.banner} (${flag.sources.join("; ")})`, `card flag level-${flag.level}`);
      if (answer.red_flags.some((flag) => flag.stops_cool_down)) {
        add("p", "No cool-down is offered until a clinician has seen you; say so on the Today page once they have.", "withheld");
      }
      for (const item of answer.see_a_professional) {
        add("p", `${item.text} (${item.sources.join("; ")})`, "card flag level-soon");
      }
      const next = [
        ...answer.next_cool_down.eased.map((item) => `${item.area_name} eased: ${item.reason}.`),
        ...answer.next_cool_down.left_out.map((item) => `${item.area_name} left out: ${item.reason}.`),
      ];
      if (next.length) {
        add("p", "Your next cool-down:", "next-head");
        const list = add("ul", "", "next-list");
        for (const line of next) {
          const li = document.createElement("li");
          li.textContent = line.charAt(0).toUpperCase() + line.slice(1);
          list.append(li);
        }
      }
      if (answer.normal_course) add("p", `${answer.normal_course.text} (${answer.normal_course.sources.join("; ")})`, "muted");
    } catch (error) {
      result.className = "checkin-result failed";
      result.replaceChildren();
      const node = document.createElement("p");
      node.textContent = error.message;
      result.append(node);
    } finally {
      button.disabled = false;
    }
    afterrun.reveal(result);
  });
}

function setupSeen() {
  for (const button of document.querySelectorAll("[data-seen]")) {
    const status = document.getElementById("seen-status");
    button.addEventListener("click", async () => {
      if (button.disabled) return;
      button.disabled = true;
      try {
        await afterrun.send("POST", "/api/clearances", {});
        text(status, "Noted. The cool-down is offered again; follow what the clinician advised.");
        window.location.reload();
      } catch (error) {
        text(status, error.message);
        button.disabled = false;
      }
    });
  }
}

function setupSettings() {
  const profile = document.getElementById("profile");
  if (profile) {
    profile.addEventListener("submit", async (event) => {
      event.preventDefault();
      // Every field is sent: an empty one as null, which clears the stored value.
      const body = {};
      for (const name of ["hr_max", "hr_rest", "birth_year"]) {
        const value = profile.elements[name].value.trim();
        body[name] = value ? Number.parseInt(value, 10) : null;
      }
      const weight = profile.elements.weight_kg.value.trim();
      body.weight_kg = weight ? Number.parseFloat(weight) : null;
      body.sex = profile.elements.sex.value || null;
      const status = document.getElementById("profile-status");
      try {
        await afterrun.send("PUT", "/api/profile", body);
        status.className = "done";
        text(status, "Profile saved.");
      } catch (error) {
        status.className = "failed";
        text(status, error.message);
      }
      afterrun.reveal(status);
    });
  }
  const device = document.getElementById("device");
  if (!device) return;
  const saved = afterrun.deviceSettings();
  for (const box of device.querySelectorAll('input[name="equipment"]')) box.checked = saved.equipment.includes(box.value);
  device.elements.voice.checked = saved.voice;
  device.elements.vibrate.checked = saved.vibrate;
  device.elements.flash.checked = saved.flash;
  device.elements.voice_rate.value = saved.rate;
  const select = device.elements.voice_name;
  const fillVoices = () => {
    if (!("speechSynthesis" in window)) return;
    for (const voice of speechSynthesis.getVoices()) {
      if ([...select.options].some((option) => option.value === voice.name)) continue;
      const option = new Option(`${voice.name} (${voice.lang})`, voice.name);
      select.add(option);
    }
    select.value = saved.voiceName || "";
  };
  fillVoices();
  if ("speechSynthesis" in window) speechSynthesis.addEventListener("voiceschanged", fillVoices);
  document.getElementById("voice-test").addEventListener("click", () => {
    if (!("speechSynthesis" in window)) {
      text(document.getElementById("device-status"), "This browser cannot speak; the cues are shown on screen.");
      return;
    }
    const line = new SpeechSynthesisUtterance("Left side, hold 30 seconds.");
    line.rate = Number(device.elements.voice_rate.value);
    const voice = speechSynthesis.getVoices().find((v) => v.name === select.value);
    if (voice) line.voice = voice;
    speechSynthesis.speak(line);
  });
  device.addEventListener("submit", (event) => {
    event.preventDefault();
    afterrun.saveDeviceSettings({
      equipment: [...device.querySelectorAll('input[name="equipment"]:checked')].map((box) => box.value),
      voice: device.elements.voice.checked,
      vibrate: device.elements.vibrate.checked,
      flash: device.elements.flash.checked,
      rate: Number(device.elements.voice_rate.value),
      voiceName: select.value,
    });
    text(document.getElementById("device-status"), "Saved on this phone.");
  });
}


// Away from the player with a cool-down still open on this phone: a way back to it.
function showResumeNote() {
  const note = document.getElementById("resume-note");
  if (!note || document.getElementById("player")) return;
  try {
    note.hidden = !JSON.parse(localStorage.getItem("afterrun.session") || "null");
  } catch (error) {
    note.hidden = true;
  }
}

function setupRating() {
  const form = document.getElementById("rating");
  if (!form) return;
  const slider = form.elements.rpe;
  const output = document.getElementById("rpe-out");
  slider.addEventListener("input", () => text(output, slider.value));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = document.getElementById("rating-status");
    try {
      const answer = await afterrun.send("PUT", `/api/runs/${form.dataset.run}/rating`, { rpe: Number(slider.value) });
      status.className = "done";
      text(status, `Saved: effort ${answer.rpe}/10.`);
    } catch (error) {
      status.className = "failed";
      text(status, error.message);
    }
    afterrun.reveal(status);
  });
}

// Consent: each switch is sent as soon as it changes, with the coach's other two, and
// the line under them says what that coach now sees.
function setupSharing() {
  for (const set of document.querySelectorAll("fieldset.share")) {
    const sees = set.querySelector(".sees");
    set.addEventListener("change", async (event) => {
      const body = {};
      for (const box of set.querySelectorAll('input[type="checkbox"]')) body[box.name] = box.checked;
      try {
        const answer = await afterrun.send("PUT", `/api/sharing/${set.dataset.coach}`, body);
        sees.className = "sees done";
        text(sees, answer.sees);
      } catch (error) {
        event.target.checked = !event.target.checked;
        sees.className = "sees failed";
        text(sees, error.message);
      }
    });
  }
}

// Today, left open: a run stored meanwhile (a watched folder, another phone, the terminal)
// replaces the run part of the page in place, and a screen reader hears of it. While the
// page is visible it asks the server every few seconds for the database's version, a
// short text; only when that changed is the page fetched again. Any server process sharing
// the database answers alike, and nothing is held open between checks.
function setupTodayLive() {
  const live = document.getElementById("today-live");
  if (!live) return;
  const news = document.getElementById("today-news");
  let busy = false;
  async function refresh() {
    const response = await fetch(window.location.pathname + window.location.search, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("today-live");
    if (!fresh) return;
    const before = live.dataset.run;
    live.dataset.version = fresh.dataset.version;
    if (fresh.innerHTML === live.innerHTML) return;
    live.replaceChildren(...fresh.childNodes);
    live.dataset.run = fresh.dataset.run;
    const form = document.getElementById("precise");
    const freshForm = page.getElementById("precise");
    if (form && freshForm) form.hidden = freshForm.hidden;
    text(news, fresh.dataset.run !== before ? "New run imported: the advice and cool-down below are for it." : "Latest run updated.");
  }
  async function check() {
    if (busy || document.visibilityState !== "visible") return;
    busy = true;
    try {
      const response = await fetch("/api/today/version", { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const answer = await response.json();
        if (answer.version !== live.dataset.version) await refresh();
      }
    } catch (error) {
      // Offline or the server restarting: the next check tries again.
    } finally {
      busy = false;
    }
  }
  window.setInterval(check, Number(live.dataset.every) || 5000);
  document.addEventListener("visibilitychange", check);
}

// A club's forms (sign in, set a password, sign out): sent as JSON with the header every
// write carries, then on to the page the server names.
function setupClubForms() {
  for (const form of document.querySelectorAll("form[data-club-form]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".club-status");
      const button = form.querySelector("button[type=submit]");
      const body = {};
      for (const input of form.querySelectorAll("input[id]")) body[input.name] = input.value;
      button.disabled = true;
      try {
        const answer = await afterrun.send("POST", form.getAttribute("action"), body);
        // Signing out: the pages kept for offline use were this member's; forget them.
        if (form.hasAttribute("data-forget-pages") && window.caches) {
          const keys = await caches.keys();
          await Promise.all(keys.map((key) => caches.delete(key)));
        }
        window.location.assign(answer.next || "/");
      } catch (error) {
        button.disabled = false;
        if (status) {
          status.className = "club-status failed";
          text(status, error.message);
          afterrun.reveal(status);
        }
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  afterrun.showOffline();
  afterrun.probe();
  setupClubForms();
  showResumeNote();
  setupUpload();
  setupDeleteAccount();
  setupRunEdits();
  setupCheckin();
  setupSeen();
  setupSettings();
  setupSharing();
  setupRating();
  setupTodayLive();
});
