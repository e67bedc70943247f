// The squad table sorts in place when a column's heading is clicked (the link still sorts
// on the server without scripts): each cell carries its value in data-sort; a cell that
// is not shared has none and stays last.
"use strict";

function setupRosterSort() {
  const table = document.getElementById("roster");
  if (!table) return;
  const body = table.tBodies[0];
  const headings = Array.from(table.tHead.rows[0].cells);
  function compare(a, b) {
    const x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a.localeCompare(b);
  }
  for (const [index, heading] of headings.entries()) {
    const link = heading.querySelector("a");
    if (!link) continue;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const descending = heading.getAttribute("aria-sort") === "ascending";
      for (const other of headings) other.removeAttribute("aria-sort");
      heading.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const rows = Array.from(body.rows);
      const value = (row) => row.cells[index].dataset.sort;
      const shown = rows.filter((row) => value(row) !== "");
      const hidden = rows.filter((row) => value(row) === "");
      shown.sort((a, b) => (descending ? -1 : 1) * compare(value(a), value(b)));
      for (const row of [...shown, ...hidden]) body.appendChild(row);
      const key = heading.dataset.sort;
      history.replaceState(null, "", `/coach?sort=${descending ? "-" : ""}${key}`);
      link.href = `/coach?sort=${descending ? "" : "-"}${key}`;
    });
  }
}

// The squad routine: its name and defaults as JSON, then, if a file is chosen, its club
// exercises; an error names the file, the entry and the field.
function setupRoutine() {
  const form = document.getElementById("routine");
  if (!form) return;
  const status = document.getElementById("routine-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { name: form.elements.name.value.trim() };
    const minutes = form.elements.minutes.value.trim();
    if (minutes) body.minutes = Number.parseInt(minutes, 10);
    if (form.elements.place.value) body.place = form.elements.place.value;
    try {
      await afterrun.send("PUT", "/api/routines", body);
      const file = form.elements.file.files[0];
      if (file) {
        const data = new FormData();
        data.append("file", file, file.name);
        const response = await fetch("/api/routines/exercises", { method: "PUT", headers: afterrun.HEADERS, body: data, credentials: "same-origin" });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.error || `Could not save the exercises (error ${response.status}).`);
      }
      status.className = "done";
      status.textContent = "Routine saved.";
    } catch (error) {
      status.className = "failed";
      status.textContent = error.message;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupRosterSort();
  setupRoutine();
});
