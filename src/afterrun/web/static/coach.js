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

document.addEventListener("DOMContentLoaded", setupRosterSort);
