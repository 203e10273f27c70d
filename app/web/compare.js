// The explorer page's compare view (figure 4, computed): GET /compare as a table, one column per
// alliance, the paper's indicators under the structure, then the treaty codings beside practice.
// Loaded before app.js, whose helpers (state, fetchJson, esc, setTwins, withFormat, generation,
// sourceList) it uses when the view is drawn.
"use strict";

const COMPARE_ROWS = [
  ["Treaty years", (r) => r.treaty_years.join(", ")],
  ["Standing structure", (r) => yesNo(r.standing_structure)],
  ["Organs of the alliance", (r) => r.organs],
  ["National organs linked", (r) => r.national_organs_linked],
  ["By nature", (r) => counts(r.by_nature)],
  ["By level", (r) => counts(r.by_level)],
  ["Decision-making bodies", (r) => list(r.decision_bodies, "not reported")],
  ["Military committee", (r) => (r.military_committee.length ? list(r.military_committee) : r.cells.has_military_committee.text)],
  ["Combined command", (r) => (r.combined_command.length ? list(r.combined_command) : r.cells.has_combined_command.text)],
  ["Civil–military linkage by authority", (r) => r.cells.linkage_by_authority.text],
  ["… counting coordination too", (r) => r.cells.linkage_with_coordination.text],
  ["Linked by coordination only", (r) => r.cells.coordination_only_linkage.text],
  ["Coordination links", (r) => r.coordination_links],
  ["Single points of failure", (r) => list(r.single_points_of_failure)],
  ["Dormant organs", (r) => list(r.dormant_organs, "none reported")],
  ["Meeting cadence", (r) => r.meeting_cadence.join("; ") || "not given"],
];

async function drawCompare(mine) {
  const q = new URLSearchParams({ as_of: String(state.as_of) });
  if (sourceList()) q.set("sources", sourceList());
  const r = await fetchJson(`/compare?${q}`);
  if (mine !== generation) return;
  const head = r.rows.map((row) => `<th scope="col" data-alliance="${esc(row.alliance)}">${esc(row.name)}</th>`).join("");
  const body = COMPARE_ROWS.map(
    ([label, read]) =>
      `<tr><th scope="row">${esc(label)}</th>${r.rows.map((row) => `<td data-alliance="${esc(row.alliance)}">${esc(String(read(row)))}</td>`).join("")}</tr>`,
  ).join("");
  // The paper's indicators under the structure: each figure with its hedge and year ("near $300 bn, no year given").
  const figures = (r.indicators || [])
    .map(
      (entry) =>
        `<tr class="indicator"><th scope="row">${esc(entry.label)}</th>${r.rows
          .map((row) => {
            const cell = (entry.by_alliance[row.alliance] || [])
              .map((f) => `${f.label}, ${f.year_label}` + (f.scope === f.alliance ? "" : ` (${f.scope_label}${f.scope_note ? ": " + f.scope_note : ""})`))
              .join("; ");
            return `<td data-alliance="${esc(row.alliance)}" data-measure="${esc(entry.measure)}">${esc(cell || "—")}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  $("compare").innerHTML =
    `<table><caption>Figure 4, computed for ${r.as_of}: GET /compare</caption>` +
    `<thead><tr><td></td>${head}</tr></thead><tbody>${body}${figures}</tbody></table>` +
    treatyTable(r, head);
  setTwins("compare-twins", [
    ["compare JSON", `/compare?${q}`],
    ["compare CSV", `/compare?${withFormat(q)}`],
  ]);
}

// Treaty beside practice: each provision a row, each cell the verdict with both sides and their sources.
function treatyTable(r, head) {
  const rows = r.treaty_practice || [];
  if (!rows.length) {
    return r.treaty_practice_note ? `<p class="treaty-note">${esc(r.treaty_practice_note)}</p>` : "";
  }
  const provisions = [...new Map(rows.map((t) => [t.provision, t])).values()];
  const side = (t) => {
    const treaty = t.treaty.text || t.treaty.why;
    const practice = t.practice.text + (t.practice.existence === "possible" ? " (possible only)" : "");
    const sources = [...new Set([...t.treaty.source_ids, ...t.practice.source_ids])].join(", ");
    return `<strong class="verdict">${esc(t.verdict)}</strong><br>treaty: ${esc(treaty)}<br>practice: ${esc(practice)}` +
      `<br><small>sources: ${esc(sources)}</small>`;
  };
  const body = provisions
    .map(
      (p) =>
        `<tr class="treaty" title="${esc(p.test.treaty + " | " + p.test.practice)}"><th scope="row">${esc(p.label)}</th>` +
        r.rows
          .map((row) => {
            const t = rows.find((x) => x.alliance === row.alliance && x.provision === p.provision);
            const verdict = t ? t.verdict : "";
            return `<td data-alliance="${esc(row.alliance)}" data-provision="${esc(p.provision)}" data-verdict="${esc(verdict)}">${t ? side(t) : "—"}</td>`;
          })
          .join("") +
        "</tr>",
    )
    .join("");
  return (
    `<table class="treaty-practice"><caption>Treaty beside practice in ${r.as_of}: ATOP 5.1's codings beside the ` +
    `structure (each pairing a reading; hover a row for its test)</caption>` +
    `<thead><tr><td></td>${head}</tr></thead><tbody>${body}</tbody></table>`
  );
}

const yesNo = (v) => (v === true ? "yes" : v === false ? "no" : "—");
const list = (v, empty = "none") => (v && v.length ? v.join(", ") : empty);
const counts = (o) =>
  Object.entries(o)
    .filter(([, n]) => n)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
