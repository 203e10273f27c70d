// The explorer page: a thin shell over the API. The address bar holds the whole view, so any view
// can be bookmarked or shared; every answer shown links to the same answer as JSON and CSV.
"use strict";

// The edge kinds, in the vocabulary's order, as GET /edge-kinds gives them (set by start()).
let KINDS = [];
// The loaded sources, the paper first, as GET /sources gives them (set by start()).
let SOURCES = [];
const $ = (id) => document.getElementById(id);

const state = {
  alliance: "us-rok",
  as_of: 2009,
  condition: "armistice",
  kinds: new Set(), // every kind unless the address names some (start())
  include_planned: false,
  existence: "possible", // "possible" (the API's default) or "certain"
  scenario: "", // a scenario id (GET /scenarios), or "" for the data as the paper gives it
  sources: new Set(), // the sources counted: every loaded one unless the address names some (start())
  fit: false,
  view: "chart",
  source: "",
  target: "",
  show: "", // "", "paths" or "linkage"
  walk: "authority", // the kinds questions walk: "authority" (the API's default) or "drawn"
};

let generation = 0; // answers from superseded requests are dropped
let organNames = {};
// What the page changed in the address it was opened with, and why: shown, never silent.
const notices = [];

const YEAR_MIN = 1949;
const YEAR_MAX = 2015;
const CONDITIONS = ["armistice", "wartime", ""];
const CONDITION_SYNONYMS = { peacetime: "armistice" };

// ------------------------------------------------------------------------------------ URL state

function readUrl() {
  const q = new URLSearchParams(location.search);
  if (q.has("alliance")) state.alliance = q.get("alliance");
  if (q.has("as_of")) {
    const asked = q.get("as_of");
    const year = /^\s*\d{1,4}\s*$/.test(asked) ? parseInt(asked, 10) : NaN;
    state.as_of = clampYear(year);
    if (!Number.isFinite(year)) {
      notices.push(`as_of=${asked} is not a year; showing ${state.as_of}.`);
    } else if (year !== state.as_of) {
      notices.push(
        `as_of=${asked} is outside the years this page shows (${YEAR_MIN} to ${YEAR_MAX}); showing ${state.as_of}.`,
      );
    }
  }
  if (q.has("condition")) {
    const asked = q.get("condition");
    const known = CONDITION_SYNONYMS[asked.toLowerCase()] ?? asked.toLowerCase();
    state.condition = CONDITIONS.includes(known) ? known : "armistice";
    if (known !== asked) {
      notices.push(
        CONDITIONS.includes(known)
          ? `condition=${asked} is read as ${known}.`
          : `condition=${asked} is not armistice, wartime or empty (both); showing armistice.`,
      );
    }
  }
  if (q.has("kinds")) {
    const asked = q.get("kinds").split(",").map((k) => k.trim()).filter((k) => k);
    const unknown = asked.filter((k) => !KINDS.includes(k.toLowerCase()));
    state.kinds = new Set(asked.map((k) => k.toLowerCase()).filter((k) => KINDS.includes(k)));
    if (unknown.length) {
      notices.push(`kinds: ${unknown.join(", ")} ${unknown.length > 1 ? "are not edge kinds" : "is not an edge kind"} ` +
        `(${KINDS.join(", ")}); left out.`);
    }
  }
  state.include_planned = q.get("include_planned") === "true";
  state.existence = q.get("existence") === "certain" ? "certain" : "possible";
  state.scenario = q.get("scenario") || "";
  if (q.has("sources")) {
    const asked = q.get("sources").split(",").map((s) => s.trim()).filter((s) => s);
    const known = SOURCES.map((s) => s.id);
    const unknown = asked.filter((s) => !known.includes(s));
    const counted = asked.filter((s) => known.includes(s));
    if (counted.length) state.sources = new Set(counted);
    if (unknown.length) {
      notices.push(`sources: ${unknown.join(", ")} ${unknown.length > 1 ? "are not loaded sources" : "is not a loaded source"} ` +
        `(${known.join(", ")}); ${counted.length ? "left out" : "counting every loaded source"}.`);
    }
  }
  state.fit = q.get("fit") === "true";
  state.view = q.get("view") === "compare" ? "compare" : "chart";
  if (q.has("view") && !["chart", "compare"].includes(q.get("view"))) {
    notices.push(`view=${q.get("view")} is not chart or compare; showing the chart.`);
  }
  state.source = q.get("source") || "";
  state.target = q.get("target") || "";
  state.show = ["paths", "linkage"].includes(q.get("show")) ? q.get("show") : "";
  if (q.has("show") && q.get("show") && !state.show) {
    notices.push(`show=${q.get("show")} is not paths or linkage; left out.`);
  }
  state.walk = q.get("walk") === "drawn" ? "drawn" : "authority";
}

function clampYear(y) {
  return Number.isFinite(y) ? Math.min(YEAR_MAX, Math.max(YEAR_MIN, y)) : 2009;
}

// The alliance of the address, named as the API accepts it: an id, or an alias or case variant
// that names exactly one alliance of the roster (CONTRACT.md §2); otherwise the first alliance.
function resolveAlliance(alliances) {
  const asked = state.alliance;
  if (alliances.some((a) => a.id === asked)) return;
  const needle = asked.trim().toLowerCase();
  const named = alliances.filter((a) =>
    [a.id, a.name, ...(a.aliases || [])].some((label) => label.toLowerCase() === needle),
  );
  if (named.length === 1) {
    state.alliance = named[0].id;
    notices.push(`alliance=${asked} is read as ${named[0].id} (${named[0].name}).`);
    return;
  }
  state.alliance = alliances[0].id;
  const why = named.length > 1 ? `names ${named.length} alliances` : "is not an alliance of the roster";
  notices.push(
    `alliance=${asked} ${why} (${alliances.map((a) => a.id).join(", ")}); showing ${alliances[0].name}.`,
  );
}

function showNotices() {
  const box = $("notice");
  box.hidden = notices.length === 0;
  box.innerHTML =
    `<p><strong>The address was changed:</strong></p><ul>` +
    notices.map((n) => `<li>${esc(n)}</li>`).join("") +
    `</ul>`;
}

function writeUrl() {
  const q = new URLSearchParams();
  q.set("alliance", state.alliance);
  q.set("as_of", String(state.as_of));
  q.set("condition", state.condition);
  q.set("kinds", kindList());
  if (state.include_planned) q.set("include_planned", "true");
  if (state.existence !== "possible") q.set("existence", state.existence);
  if (state.scenario) q.set("scenario", state.scenario);
  if (sourceList()) q.set("sources", sourceList());
  if (state.fit) q.set("fit", "true");
  if (state.view !== "chart") q.set("view", state.view);
  if (state.source) q.set("source", state.source);
  if (state.target) q.set("target", state.target);
  if (state.show) q.set("show", state.show);
  if (state.walk !== "authority") q.set("walk", state.walk);
  history.replaceState(null, "", "?" + q.toString());
}

function kindList() {
  return KINDS.filter((k) => state.kinds.has(k)).join(",");
}

// The counted sources as the API spells them, or "" when every loaded source counts (the default).
function sourceList() {
  const counted = SOURCES.map((s) => s.id).filter((id) => state.sources.has(id));
  return counted.length === SOURCES.length ? "" : counted.join(",");
}

// The snapshot parameters every question shares, as the API spells them.
function snapshotQuery(extra) {
  const q = new URLSearchParams();
  q.set("as_of", String(state.as_of));
  if (state.condition) q.set("condition", state.condition);
  if (state.include_planned) q.set("include_planned", "true");
  if (state.existence !== "possible") q.set("existence", state.existence);
  if (state.scenario) q.set("scenario", state.scenario);
  if (sourceList()) q.set("sources", sourceList());
  for (const [k, v] of Object.entries(extra || {})) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  return q;
}

function kindsForQuestions() {
  // The paper's question is asked by authority; walking the drawn kinds is a what-if.
  return state.walk === "drawn" && kindList() ? kindList() : "authority";
}

// ------------------------------------------------------------------------------------ controls

// One checkbox per edge kind of the table, its meaning and direction on hover.
function buildKindBoxes(kinds) {
  $("kinds").insertAdjacentHTML(
    "beforeend",
    kinds
      .map(
        (k) =>
          `<label title="${esc(`${k.meaning} (${k.direction})`)}">` +
          `<input type="checkbox" name="kinds" value="${esc(k.kind)}" checked> ${esc(k.kind)}</label>`,
      )
      .join(""),
  );
}

// One checkbox per loaded source, the paper first; an analyst's shown as theirs (kind and title).
function buildSourceBoxes(sources) {
  $("sources").insertAdjacentHTML(
    "beforeend",
    sources
      .map(
        (s) =>
          `<label title="${esc(`${s.title} (${s.kind}, ${s.date}): ${s.citation}`)}">` +
          `<input type="checkbox" name="sources" value="${esc(s.id)}" checked> ${esc(s.id)}` +
          `${s.kind === "paper" ? "" : ` <span class="hint">(${esc(s.kind)})</span>`}</label>`,
      )
      .join(""),
  );
}

function syncControls() {
  $("alliance").value = state.alliance;
  $("year").value = String(state.as_of);
  $("year-out").textContent = String(state.as_of);
  for (const r of document.querySelectorAll('input[name="condition"]')) r.checked = r.value === state.condition;
  for (const c of document.querySelectorAll('input[name="kinds"]')) c.checked = state.kinds.has(c.value);
  for (const c of document.querySelectorAll('input[name="sources"]')) c.checked = state.sources.has(c.value);
  $("planned").checked = state.include_planned;
  for (const r of document.querySelectorAll('input[name="existence"]')) r.checked = r.value === state.existence;
  $("fit").checked = state.fit;
  $("walk").value = state.walk;
  $("chart").classList.toggle("fit", state.fit);
  $("view-chart").setAttribute("aria-pressed", String(state.view === "chart"));
  $("view-compare").setAttribute("aria-pressed", String(state.view === "compare"));
  $("chart-view").hidden = state.view !== "chart";
  $("compare-view").hidden = state.view !== "compare";
}

let yearTimer = null;

function wireControls() {
  $("alliance").addEventListener("change", (e) => {
    state.alliance = e.target.value;
    clearQuestion();
    refresh();
  });
  $("year").addEventListener("input", (e) => {
    state.as_of = clampYear(parseInt(e.target.value, 10));
    $("year-out").textContent = String(state.as_of);
    clearTimeout(yearTimer);
    yearTimer = setTimeout(refresh, 120); // redraw once the slider rests
  });
  for (const r of document.querySelectorAll('input[name="condition"]')) {
    r.addEventListener("change", () => {
      state.condition = r.value;
      refresh();
    });
  }
  for (const c of document.querySelectorAll('input[name="kinds"]')) {
    c.addEventListener("change", () => {
      if (c.checked) state.kinds.add(c.value);
      else state.kinds.delete(c.value);
      refresh();
    });
  }
  for (const c of document.querySelectorAll('input[name="sources"]')) {
    c.addEventListener("change", () => {
      if (c.checked) state.sources.add(c.value);
      else if (state.sources.size > 1) state.sources.delete(c.value);
      else c.checked = true; // a question counts at least one source
      refresh();
    });
  }
  $("scenario").addEventListener("change", (e) => {
    state.scenario = e.target.value;
    refresh();
  });
  for (const r of document.querySelectorAll('input[name="existence"]')) {
    r.addEventListener("change", () => {
      state.existence = r.value;
      refresh();
    });
  }
  $("planned").addEventListener("change", (e) => {
    state.include_planned = e.target.checked;
    refresh();
  });
  $("fit").addEventListener("change", (e) => {
    state.fit = e.target.checked;
    syncControls();
    writeUrl();
  });
  $("walk").addEventListener("change", (e) => {
    state.walk = e.target.value;
    refresh();
  });
  $("controls").addEventListener("submit", (e) => e.preventDefault());
  $("view-chart").addEventListener("click", () => setView("chart"));
  $("view-compare").addEventListener("click", () => setView("compare"));
  $("linkage-btn").addEventListener("click", () => {
    state.show = "linkage";
    refresh();
  });
  $("clear-btn").addEventListener("click", () => {
    clearQuestion();
    refresh();
  });
  $("paths-btn").addEventListener("click", () => {
    state.source = $("source").value;
    state.target = $("target").value;
    state.show = state.source && state.target ? "paths" : "";
    refresh();
  });
  $("source").addEventListener("change", (e) => {
    state.source = e.target.value;
  });
  $("target").addEventListener("change", (e) => {
    state.target = e.target.value;
  });
}

function setView(view) {
  state.view = view;
  refresh();
}

function clearQuestion() {
  state.source = "";
  state.target = "";
  state.show = "";
}

// Clicking (or Enter on) an organ: the first pick is the source, the second the target.
function pickOrgan(id) {
  if (!state.source || (state.source && state.target) || state.show === "linkage") {
    state.source = id;
    state.target = "";
    state.show = "";
    setAnswer(`<p>From <strong>${esc(organNames[id] || id)}</strong>: now pick the organ to reach.</p>`);
    markPicked();
    writeUrl();
    $("source").value = id;
    $("target").value = "";
    return;
  }
  if (id === state.source) return;
  state.target = id;
  state.show = "paths";
  refresh();
}

// ------------------------------------------------------------------------------------ drawing

async function refresh() {
  const mine = ++generation;
  syncControls();
  writeUrl();
  if (state.view === "compare") {
    await drawCompare(mine);
    return;
  }
  const chart = $("chart");
  chart.setAttribute("aria-busy", "true");
  let highlight = "";
  if (state.show === "linkage") highlight = "linkage";
  else if (state.show === "paths" && state.source && state.target) highlight = `path:${state.source},${state.target}`;
  const base = `/alliances/${encodeURIComponent(state.alliance)}`;
  const chartQuery = snapshotQuery({
    kinds: kindList() || "authority",
    highlight,
    highlight_kinds: highlight ? kindsForQuestions() : "",
  });
  const organQuery = snapshotQuery({});
  try {
    const [svgText, organs] = await Promise.all([
      fetchText(`${base}/diagram.svg?${chartQuery}`),
      fetchJson(`${base}/organs?${organQuery}`),
    ]);
    if (mine !== generation) return;
    fillOrganPickers(organs);
    chart.innerHTML = svgText;
    wireChart();
    chart.setAttribute("aria-busy", "false");
    setTwins("chart-twins", [
      ["chart (SVG)", `${base}/diagram.svg?${chartQuery}`],
      ["organs JSON", `${base}/organs?${organQuery}`],
      ["organs CSV", `${base}/organs?${withFormat(organQuery)}`],
      ["edges JSON", `/export?${snapshotQuery({ alliance: state.alliance, format: "json" })}`],
    ]);
    if (state.show === "linkage") await showLinkage(mine);
    else if (state.show === "paths") await showPaths(mine);
    else if (!state.source) resetAnswer();
    markPicked();
  } catch (err) {
    if (mine !== generation) return;
    chart.setAttribute("aria-busy", "false");
    setAnswer(`<p class="error">${esc(err.message)}</p>`);
  }
}

function wireChart() {
  for (const g of $("chart").querySelectorAll("g.organ")) {
    const id = g.dataset.id;
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", `${organNames[id] || g.dataset.label}: select`);
    g.addEventListener("click", () => pickOrgan(id));
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pickOrgan(id);
      }
    });
  }
  // The chart is an image for assistive tech only as a whole; its organs are the controls.
  const svg = $("chart").querySelector("svg");
  if (svg) svg.removeAttribute("role");
}

function markPicked() {
  for (const g of $("chart").querySelectorAll("g.organ")) {
    const picked = g.dataset.id === state.source || g.dataset.id === state.target;
    g.classList.toggle("picked", picked);
    g.setAttribute("aria-pressed", String(picked));
  }
}

function fillOrganPickers(organs) {
  organNames = {};
  for (const o of organs) organNames[o.id] = o.acronym ? `${o.acronym} (${o.name})` : o.name;
  const options = organs
    .slice()
    .sort((a, b) => (a.acronym || a.name).localeCompare(b.acronym || b.name))
    .map((o) => `<option value="${esc(o.id)}">${esc(organNames[o.id])}</option>`)
    .join("");
  $("source").innerHTML = `<option value="">— click an organ —</option>${options}`;
  $("target").innerHTML = `<option value="">— then another —</option>${options}`;
  $("source").value = organNames[state.source] ? state.source : "";
  $("target").value = organNames[state.target] ? state.target : "";
}

// ------------------------------------------------------------------------------------ answers

async function showLinkage(mine) {
  const q = snapshotQuery({ alliance: state.alliance, kinds: kindsForQuestions() });
  const r = await fetchJson(`/linkage?${q}`);
  if (mine !== generation) return;
  const kinds = r.kinds.join(", ");
  let html;
  if (r.linked) {
    const w = r.witnesses[0];
    html =
      `<p class="verdict yes">Linked by ${esc(kinds)} in ${w.hops} hop(s)` +
      (r.certain
        ? ` — certain: the paper places a whole chain in ${state.as_of}.</p>`
        : ` — possible only: it rests on ${esc(w.rests_on.organs.concat(w.rests_on.edges).join(", "))}.</p>`) +
      `<ol class="chain" aria-label="Witness chain">${w.organs.map((o) => organItem(o)).join("")}</ol>` +
      hopDetails(w.edges) +
      (r.witnesses.length > 1
        ? `<p>${r.witnesses.length} witness paths in all (one per linked civilian body and commander).</p>`
        : "");
  } else {
    const b = r.break;
    const closers = b.closing_kinds.filter((c) => c.linked).map((c) => c.add_kind);
    html =
      `<p class="verdict no">Not linked by ${esc(kinds)}: ${esc(b.reason)}.</p>` +
      (b.stated
        ? `<p class="stated">Stated by the paper: ${b.quotes.map((q) => `<q>${esc(q.quote)}</q> (line ${q.line})`).join(" ")}</p>`
        : `<p class="not-reported">Not reported: the paper does not say there is none (${esc(b.cause)}).</p>`) +
      `<p>The civilian side reaches:</p><ul class="reach" aria-label="Civilian reach">` +
      b.civilian_reach.map((o) => organItem(o, `${o.hops} hop(s)`)).join("") +
      `</ul><p>Operational commanders not reached:</p><ul class="unreached" aria-label="Commanders not reached">` +
      r.operational_commanders.map((o) => organItem(o)).join("") +
      `</ul><p>${closers.length ? `Adding <strong>${esc(closers.join(" or "))}</strong> closes the gap.` : "No single added kind closes the gap."}</p>`;
  }
  setAnswer(html, { linked: String(r.linked), question: "linkage" });
  setTwins("chart-twins", twinLinksWith("linkage", `/linkage?${q}`));
}

async function showPaths(mine) {
  const q = snapshotQuery({
    source: state.source,
    target: state.target,
    alliance: state.alliance,
    kinds: kindsForQuestions(),
  });
  const r = await fetchJson(`/paths?${q}`);
  if (mine !== generation) return;
  const from = organNames[state.source] || state.source;
  const to = organNames[state.target] || state.target;
  let html;
  if (r.connected) {
    html =
      `<p class="verdict yes">${esc(from)} reaches ${esc(to)} by ${esc(r.kinds.join(", "))}: ` +
      `${r.paths.length} path(s), the shortest ${r.shortest_hops} hop(s); ${r.paths[0].certain ? "certain" : "possible only"}.</p>` +
      r.paths
        .slice(0, 5)
        .map(
          (p, i) =>
            `<ol class="chain" aria-label="Path ${i + 1}" data-path="${i + 1}">${p.organs.map((o) => organItem(o)).join("")}</ol>`,
        )
        .join("") +
      hopDetails(r.paths[0].edges);
  } else {
    const absent = r.absent.length ? ` (not alive in this snapshot: ${esc(r.absent.join(", "))})` : "";
    html = `<p class="verdict no">${esc(from)} does not reach ${esc(to)} by ${esc(r.kinds.join(", "))}${absent}: not reported; the paper does not say there is none.</p>`;
  }
  setAnswer(html, { connected: String(r.connected), question: "paths" });
  setTwins("chart-twins", twinLinksWith("paths", `/paths?${q}`));
}

function twinLinksWith(name, url) {
  const base = `/alliances/${encodeURIComponent(state.alliance)}`;
  const chartQuery = snapshotQuery({
    kinds: kindList() || "authority",
    highlight: state.show === "linkage" ? "linkage" : `path:${state.source},${state.target}`,
    highlight_kinds: kindsForQuestions(),
  });
  return [
    [`${name} JSON`, url],
    [`${name} CSV`, withFormatUrl(url)],
    ["chart (SVG)", `${base}/diagram.svg?${chartQuery}`],
    ["organs CSV", `${base}/organs?${withFormat(snapshotQuery({}))}`],
  ];
}

function organItem(o, note) {
  const label = o.acronym ? `${o.acronym}` : o.name;
  const extra = note ? ` <span class="note">${esc(note)}</span>` : "";
  return `<li data-id="${esc(o.id)}" title="${esc(o.name)}">${esc(label)}${extra}</li>`;
}

function hopDetails(edges) {
  if (!edges || !edges.length) return "";
  const rows = edges
    .map(
      (e) =>
        `<li><code>${esc(e.source)}</code> → <code>${esc(e.target)}</code>: ${esc(e.kind)} (${esc(e.mode)}` +
        `${e.condition !== "any" ? ", " + esc(e.condition) : ""}) — <q>${esc(e.quote)}</q></li>`,
    )
    .join("");
  return `<details><summary>Each hop, with the paper's words</summary><ul class="hops">${rows}</ul></details>`;
}

function resetAnswer() {
  setAnswer(
    '<p class="hint">Click an organ (or focus it and press Enter), then another, to see the paths between them; ' +
      "or ask for the civil–military linkage.</p>",
  );
}

function setAnswer(html, data) {
  const el = $("answer");
  for (const k of Object.keys(el.dataset)) delete el.dataset[k];
  Object.assign(el.dataset, data || {});
  el.innerHTML = html;
}

// ------------------------------------------------------------------------------------ plumbing

function setTwins(id, links) {
  $(id).innerHTML =
    "As data: " + links.map(([label, url]) => `<a href="${esc(url)}" class="twin">${esc(label)}</a>`).join(" · ");
}

function withFormat(query) {
  const q = new URLSearchParams(query);
  q.set("format", "csv");
  return q.toString();
}

function withFormatUrl(url) {
  const [path, query] = url.split("?");
  return `${path}?${withFormat(query || "")}`;
}

async function fetchJson(url) {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(await errorText(res));
  return res.json();
}

async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(await errorText(res));
  return res.text();
}

async function errorText(res) {
  try {
    const body = await res.json();
    return body.error || `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

function esc(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

async function start() {
  const kinds = await fetchJson("/edge-kinds");
  KINDS = kinds.map((k) => k.kind);
  state.kinds = new Set(KINDS);
  buildKindBoxes(kinds);
  SOURCES = await fetchJson("/sources");
  state.sources = new Set(SOURCES.map((s) => s.id));
  buildSourceBoxes(SOURCES);
  readUrl();
  const alliances = await fetchJson("/alliances");
  $("alliance").innerHTML = alliances
    .map((a) => `<option value="${esc(a.id)}">${esc(a.name)}${a.organs ? "" : " (no standing structure)"}</option>`)
    .join("");
  resolveAlliance(alliances);
  const scenarios = await fetchJson("/scenarios");
  $("scenario").innerHTML +=
    scenarios
      .map(
        (sc) =>
          `<option value="${esc(sc.id)}">${esc(sc.title)} (${sc.proposed_by === "paper" ? "the paper's" : "an analyst's"}; ${esc(sc.alliance)})</option>`,
      )
      .join("");
  if (state.scenario && !scenarios.some((sc) => sc.id === state.scenario)) {
    notices.push(`Unknown scenario “${state.scenario}”: showing the data as the paper gives it.`);
    state.scenario = "";
  }
  $("scenario").value = state.scenario;
  showNotices();
  wireControls();
  await refresh();
  document.body.dataset.ready = "true";
}

start();
