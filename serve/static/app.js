"use strict";
// The demo page: call POST /v1/extract and draw the result. No third-party code.
const LABEL_NAMES = { METRIC: "指标 METRIC", INSTITUTION: "机构 INSTITUTION", VALUE: "数值 VALUE", DATE: "时间 DATE" };
let lastText = "";
let lastResult = null;
let rows = [];
let sortState = { key: null, dir: 1 };

const $ = (id) => document.getElementById(id);

function setStatus(message, isError) {
  const status = $("status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

async function readFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

function escapeText(text) {
  const div = document.createElement("div");
  div.textContent = text;
  return div.innerHTML;
}

function highlight(text, start, end, entities) {
  let html = "";
  let position = start;
  for (const entity of entities) {
    if (entity.end <= start || entity.start >= end || entity.start < position) continue;
    html += escapeText(text.slice(position, entity.start));
    const label = LABEL_NAMES[entity.label] ? entity.label : "OTHER";
    html += `<mark class="${label}" data-label="${entity.label}" title="${entity.label} ${entity.score}">` +
      escapeText(text.slice(entity.start, entity.end)) + "</mark>";
    position = entity.end;
  }
  return html + escapeText(text.slice(position, end));
}

function drawLegend() {
  $("legend").innerHTML = Object.entries(LABEL_NAMES)
    .map(([label, name]) => `<span><mark class="${label}">${name}</mark></span>`).join("");
}

function drawSections(text, result) {
  const container = $("sections");
  container.innerHTML = "";
  const sections = result.sections.length ? result.sections
    : [{ start: 0, end: text.length, heading: "", theme: null, kind: null }];
  for (const section of sections) {
    const box = document.createElement("div");
    box.className = "section";
    const heading = section.heading ? `<div class="heading">${escapeText(section.heading)}</div>` : "";
    const badges = (section.theme ? `<span class="badge theme">${section.theme}</span>` : "") +
      (section.kind ? `<span class="badge kind-${section.kind}">${section.kind}</span>` : "");
    box.innerHTML = heading + `<div class="badges">${badges}</div>` +
      `<div class="body">${highlight(text, section.start, section.end, result.entities)}</div>`;
    container.appendChild(box);
  }
}

function indicatorRows(result) {
  return result.indicators.map((row) => ({
    metric: row.metric ? row.metric.text : "",
    value: row.value ? row.value.text : "",
    number: row.quantity && row.quantity.value !== null ? row.quantity.value : "",
    unit: row.quantity ? row.quantity.unit : "",
    date: row.date ? row.date.text : "",
    institution: row.institution ? row.institution.text : "",
    theme: row.section !== null && result.sections[row.section] ? result.sections[row.section].theme || "" : "",
  }));
}

function drawTable() {
  const body = $("indicators").querySelector("tbody");
  body.innerHTML = "";
  for (const row of rows) {
    const tr = document.createElement("tr");
    for (const key of ["metric", "value", "number", "unit", "date", "institution", "theme"]) {
      const td = document.createElement("td");
      td.textContent = row[key];
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  for (const th of $("indicators").querySelectorAll("th")) {
    th.classList.remove("sorted-asc", "sorted-desc");
    if (th.dataset.key === sortState.key) th.classList.add(sortState.dir > 0 ? "sorted-asc" : "sorted-desc");
  }
}

function sortBy(key) {
  sortState = { key, dir: sortState.key === key ? -sortState.dir : 1 };
  rows.sort((a, b) => {
    const x = a[key], y = b[key];
    if (typeof x === "number" && typeof y === "number") return (x - y) * sortState.dir;
    return String(x).localeCompare(String(y), "zh-CN") * sortState.dir;
  });
  drawTable();
}

function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csv() {
  const keys = ["metric", "value", "number", "unit", "date", "institution", "theme"];
  const quote = (value) => `"${String(value).replace(/"/g, '""')}"`;
  return "\ufeff" + [keys.join(","), ...rows.map((row) => keys.map((key) => quote(row[key])).join(","))].join("\r\n");
}

async function run() {
  const text = $("report").value;
  if (!text.trim()) { setStatus("Paste or upload a report first.", true); return; }
  setStatus("Extracting…", false);
  $("run").disabled = true;
  try {
    const response = await fetch("/v1/extract", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
    const payload = await response.json();
    if (!response.ok) throw new Error(payload.error ? payload.error.message : response.statusText);
    lastText = text;
    lastResult = payload.results[0];
    rows = indicatorRows(lastResult);
    sortState = { key: null, dir: 1 };
    drawLegend();
    drawSections(lastText, lastResult);
    drawTable();
    $("output").hidden = false;
    setStatus(`${lastResult.entities.length} entities, ${lastResult.sections.length} sections, ` +
      `${lastResult.indicators.length} indicators.`, false);
  } catch (error) {
    setStatus(`Extraction failed: ${error.message}`, true);
  } finally {
    $("run").disabled = false;
  }
}

$("run").addEventListener("click", run);
$("file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (file) $("report").value = await readFile(file);
});
for (const th of document.querySelectorAll("#indicators th")) th.addEventListener("click", () => sortBy(th.dataset.key));
$("download-json").addEventListener("click", () =>
  download("policynlp.json", "application/json", JSON.stringify({ text: lastText, ...lastResult }, null, 2)));
$("download-csv").addEventListener("click", () => download("policynlp-indicators.csv", "text/csv", csv()));
