// The page of the HTML report: inline CSS and JavaScript around the embedded data. A
// <script type="application/json"> element "neardup-data" (after html_before_data) holds what
// the first render needs; after html_between_data, <script type="application/gzip-base64">
// chunks hold the texts, pivots and evidence, decompressed when a pair in them is first opened,
// so that their size neither delays the first render nor makes the page much larger than its
// input (0.83 of it for 20,000 generated documents; 1.36 for ntrex-dev, dense in translations).
//
// The page needs nothing from the network (fonts are the reader's own: generic families only) and
// renders lazily: the overview and one page of clusters at load; a cluster's members when it is
// opened; a pair's texts and evidence when the pair is opened. Opening the page with
// #pair=ID_A:ID_B or #cluster=N shows that pair or cluster at once.
//
// For tests driving a headless browser, <body> carries what the page observed of itself:
// data-cluster-count, data-render-ms (from navigation start to the end of the first render),
// data-console-errors (window errors and console.error calls) and data-external-requests
// (resources fetched, which must be none).
#pragma once

#include <cstddef>
#include <string>

namespace neardup::detail {

inline constexpr const char* html_before_data = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="neardup">
<title>neardup report</title>
<script>
// First of all, so that errors anywhere later are counted.
window.neardupErrors = 0;
window.addEventListener("error", function () { window.neardupErrors++; });
window.addEventListener("unhandledrejection", function () { window.neardupErrors++; });
(function () {
  var original = console.error;
  console.error = function () { window.neardupErrors++; return original.apply(console, arguments); };
})();
</script>
<style>
:root {
  --ink: #1d2330; --muted: #5d6677; --faint: #8a93a3; --line: #e1e5ec; --paper: #ffffff; --ground: #f4f6f9;
  --accent: #2f5bd3; --exact: #8a3ffc; --near: #d06a00; --translation: #0f8a6a; --story: #6b7485;
}
* { box-sizing: border-box; }
html { font-family: system-ui, sans-serif; color: var(--ink); background: var(--ground); }
body { margin: 0; line-height: 1.45; font-size: 15px; }
.mono, .doc-id { font-family: ui-monospace, monospace; font-size: 0.86em; }
header.top { background: #1d2330; color: #fff; padding: 18px 32px 16px; }
header.top h1 { margin: 0; font-size: 22px; font-weight: 650; letter-spacing: 0.01em; }
header.top p { margin: 4px 0 0; color: #b9c2d3; font-size: 13.5px; }
main { max-width: 1320px; margin: 0 auto; padding: 20px 32px 48px; }
h2 { font-size: 17px; margin: 0 0 12px; font-weight: 650; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; }
#overview { display: grid; grid-template-columns: minmax(280px, 1.05fr) minmax(300px, 1fr) minmax(260px, 0.9fr); gap: 16px; margin-bottom: 22px; }
#overview > .card { padding: 16px 18px; }
.stats { display: grid; grid-template-columns: repeat(2, 1fr); gap: 10px 16px; }
.stat .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.stat .label { color: var(--muted); font-size: 12.5px; }
.stat .value.exact { color: var(--exact); } .stat .value.near { color: var(--near); } .stat .value.translation { color: var(--translation); } .stat .value.story { color: var(--story); }
.tally { margin-top: 12px; font-size: 13px; color: var(--muted); }
.tally b { color: var(--ink); font-weight: 600; }
.chip { display: inline-block; padding: 1px 7px; margin: 1px 2px; border-radius: 999px; background: #eef1f6; font-size: 12px; color: #384152; white-space: nowrap; }
.chart-note { color: var(--faint); font-size: 12px; margin-top: 4px; }
svg text { font-family: system-ui, sans-serif; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
.toolbar input, .toolbar select { font: inherit; font-size: 14px; padding: 6px 10px; border: 1px solid #cfd5df; border-radius: 7px; background: #fff; }
.toolbar input[type=search] { flex: 1 1 280px; }
.toolbar .count { color: var(--muted); font-size: 13px; margin-left: auto; }
.toolbar .export { color: var(--muted); font-size: 13px; }
.toolbar .export button { font: inherit; font-size: 12.5px; padding: 3px 9px; margin-left: 4px; border: 1px solid #cfd5df; background: #fff; border-radius: 7px; cursor: pointer; }
#clusters { list-style: none; margin: 0; padding: 0; }
.cluster { margin-bottom: 10px; }
.cluster > .head { display: flex; gap: 12px; align-items: baseline; padding: 11px 16px; cursor: pointer; }
.cluster > .head:hover { background: #f8f9fc; border-radius: 10px; }
.size { flex: none; min-width: 2.4em; text-align: center; font-weight: 650; font-variant-numeric: tabular-nums; background: #eef1f6; border-radius: 6px; padding: 1px 6px; }
.cluster.multi .size { background: #dfe8ff; color: #1e3f9a; }
.cluster .title { flex: 1; font-weight: 560; overflow-wrap: anywhere; }
.cluster .langs { flex: none; }
.cluster .num { flex: none; color: var(--faint); font-size: 12px; }
.cluster .body { border-top: 1px solid var(--line); padding: 12px 16px 16px; }
.graph { display: block; width: 100%; max-width: 520px; height: auto; margin: 0 auto 10px; }
.graph line.r0 { stroke: var(--exact); } .graph line.r1 { stroke: var(--near); } .graph line.r2 { stroke: var(--translation); } .graph line.r3 { stroke: var(--story); stroke-dasharray: 4 3; }
.graph g.node circle { stroke: #fff; stroke-width: 1.5; } .graph g.node.rep circle { stroke: var(--ink); stroke-width: 2.5; }
.timeline { display: block; width: 100%; max-width: 520px; height: auto; margin: 0 auto 10px; }
.timeline line { stroke: #c4cad5; stroke-width: 1.5; } .timeline text { font-size: 10px; fill: var(--muted); }
.graph g.node text { font-size: 9px; fill: var(--muted); text-anchor: middle; pointer-events: none; }
table.members { border-collapse: collapse; width: 100%; font-size: 14px; }
table.members th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 4px 8px; border-bottom: 1px solid var(--line); }
table.members td { padding: 6px 8px; border-bottom: 1px solid #f0f2f6; vertical-align: baseline; }
table.members tr.pickable { cursor: pointer; }
table.members tr.pickable:hover td { background: #f5f8ff; }
table.members tr.open td { background: #eaf0ff; }
table.members td.score { font-variant-numeric: tabular-nums; text-align: right; }
.rel { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; color: #fff; white-space: nowrap; }
.rel.r-1 { background: #1d2330; } .rel.r0 { background: var(--exact); } .rel.r1 { background: var(--near); }
.rel.r2 { background: var(--translation); } .rel.r3 { background: var(--story); }
.rel.r4 { background: #fff; color: var(--story); border: 1px solid #c4cad5; }
.evidence { margin-top: 14px; border: 1px solid var(--line); border-radius: 10px; background: #fbfcfe; }
.evidence .ehead { padding: 10px 14px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; }
.evidence .ehead .metrics { color: var(--muted); font-size: 13px; }
.evidence .ehead .metrics b { color: var(--ink); font-variant-numeric: tabular-nums; }
.evidence .anchors-line { padding: 8px 14px; border-bottom: 1px solid var(--line); font-size: 13px; color: var(--muted); }
.evidence .anchors-line .chip { background: #fff1b8; color: #5a4500; }
.evidence label.toggle { font-size: 13px; color: var(--muted); margin-left: auto; cursor: pointer; user-select: none; }
.sides { display: grid; grid-template-columns: 1fr 1fr; }
.side { min-width: 0; border-right: 1px solid var(--line); }
.side:last-child { border-right: none; }
.side .shead { padding: 8px 14px; font-size: 13px; color: var(--muted); border-bottom: 1px solid #eef0f4; background: #fff; }
.side .shead .doc-title { color: var(--ink); font-weight: 600; display: block; font-size: 14px; }
.text { padding: 12px 14px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 15.5px; line-height: 1.75; max-height: 560px; overflow-y: auto; }
.text.pivot { color: #2d3545; background: #fcfbf6; }
.sent { border-radius: 3px; transition: background-color 0.12s; cursor: pointer; }
.sent.hot { outline: 2px solid rgba(29, 35, 48, 0.55); }
mark.anchor { background: none; color: inherit; border-bottom: 2px dotted #d9a300; }
del.diff { background: #ffd9d6; color: #7a1c12; text-decoration: line-through; text-decoration-color: #c0392b; border-radius: 2px; }
ins.diff { background: #d4f5dc; color: #14532d; text-decoration: none; border-radius: 2px; }
mark.anchor.cited { background: #ffe27a; border-bottom-color: #c99300; border-radius: 3px; font-weight: 600; }
mark.anchor.hot { background: #ffc933; box-shadow: 0 0 0 2px #c99300; border-radius: 3px; }
.legend { padding: 8px 14px; font-size: 12.5px; color: var(--muted); border-top: 1px solid var(--line); }
.legend mark { font-weight: 400; }
.pager { display: flex; gap: 6px; align-items: center; justify-content: center; margin-top: 14px; }
.pager button { font: inherit; font-size: 13px; padding: 5px 12px; border: 1px solid #cfd5df; background: #fff; border-radius: 7px; cursor: pointer; }
.pager button[disabled] { opacity: 0.4; cursor: default; }
.pager span { color: var(--muted); font-size: 13px; padding: 0 8px; }
.empty { color: var(--muted); padding: 20px; text-align: center; }
.note { color: var(--muted); font-size: 13px; margin: 0 0 10px; }
@media (max-width: 980px) { #overview { grid-template-columns: 1fr; } .sides { grid-template-columns: 1fr; } .side { border-right: none; border-bottom: 1px solid var(--line); } }
</style>
</head>
<body>
<header class="top"><h1>neardup report</h1><p id="subtitle">near-duplicates and translations, grouped by story</p></header>
<main>
<section id="overview"></section>
<section id="clusters-section">
  <h2>Clusters</h2>
  <div class="toolbar">
    <input type="search" id="search" placeholder="Search titles and ids" aria-label="search titles and ids">
    <select id="filter-lang" aria-label="language"><option value="">all languages</option></select>
    <select id="filter-relation" aria-label="relation">
      <option value="">any relation</option><option value="0">has exact copies</option><option value="1">has near-duplicates</option>
      <option value="2">has translations</option><option value="3">has same-story pairs</option>
    </select>
    <select id="filter-size" aria-label="cluster size">
      <option value="0">any size</option><option value="1-1">single documents</option><option value="2">2 or more</option>
      <option value="3">3 or more</option><option value="5">5 or more</option><option value="10">10 or more</option>
    </select>
    <select id="sort" aria-label="order"><option value="size">largest first</option><option value="input">input order</option></select>
    <span class="count" id="count"></span>
    <span class="export">export what is shown:
      <button type="button" data-export="clusters.csv">clusters CSV</button><button type="button" data-export="clusters.jsonl">clusters JSON Lines</button>
      <button type="button" data-export="pairs.csv">pairs CSV</button><button type="button" data-export="pairs.jsonl">pairs JSON Lines</button></span>
  </div>
  <ol id="clusters"></ol>
  <div class="pager" id="pager"></div>
</section>
</main>
<script type="application/json" id="neardup-data">)html";

inline constexpr const char* html_between_data = R"html(</script>
)html";

// The ids of the detail's chunks, which the writer puts between html_between_data and
// html_after_data and the page's script finds by the same names.
inline std::string document_chunk_id(std::size_t chunk) { return "nd-docs-" + std::to_string(chunk); }
inline std::string evidence_chunk_id(std::size_t chunk) { return "nd-evidence-" + std::to_string(chunk); }
inline std::string field_chunk_id(std::size_t chunk) { return "nd-fields-" + std::to_string(chunk); }

inline constexpr const char* html_after_data = R"html(<script>
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("neardup-data").textContent);
  // Texts, pivots, evidence and input fields come in gzip chunks (nd-docs-K and nd-fields-K:
  // documents K*CHUNK.., nd-evidence-K: evidence K*CHUNK..), each decompressed once, when a pair
  // or cluster that needs it is first opened.
  const CHUNK = DATA.detail_chunk, chunks = new Map();
  // Served (`neardup serve`), the page holds no chunks and asks its server for them.
  async function fetchedChunk(id) {
    const response = await fetch(`detail/${encodeURIComponent(id)}`);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`the report's server answered ${response.status} for ${id}`);
    return response.json();
  }
  function chunk(id) {
    if (!chunks.has(id)) chunks.set(id, (async () => {
      if (DATA.served) return fetchedChunk(id);
      const node = document.getElementById(id);
      if (!node) return null;
      const binary = atob(node.textContent);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return JSON.parse(await new Response(inflated).text());
    })());
    return chunks.get(id);
  }
  async function pairDetail(p) {
    const docChunk = d => chunk(`nd-docs-${Math.floor(d / CHUNK)}`);
    const [a, b, evidence] = await Promise.all([docChunk(p[0]), docChunk(p[1]), p.length > 4 ? chunk(`nd-evidence-${Math.floor(p[4] / CHUNK)}`) : null]);
    const texts = {}, pivots = {};
    for (const [d, c] of [[p[0], a], [p[1], b]]) {
      if (c && c.texts[d] !== undefined) texts[d] = c.texts[d];
      if (c && c.pivots[d] !== undefined) pivots[d] = c.pivots[d];
    }
    return { ev: evidence ? evidence[p[4] % CHUNK] : null, texts, pivots };
  }
  const PAGE_SIZE = 50;
  const RELATIONS = ["exact copy", "near-duplicate", "translation", "same story", "linked via others"];
  const REPRESENTATIVE = -1, LINKED_VIA = 4, NEAR_DUPLICATE = 1, TRANSLATION = 2, SAME_STORY = 3;
  // ISO 639-3 codes of the detector's labels ("hin_Deva") to the tags browsers pick fonts and
  // shaping by; other codes are valid language tags as they are.
  const ISO1 = { asm: "as", ben: "bn", eng: "en", guj: "gu", hin: "hi", kan: "kn", mal: "ml", mar: "mr", npi: "ne",
    nep: "ne", ory: "or", ori: "or", pan: "pa", sin: "si", snd: "sd", tam: "ta", tel: "te", urd: "ur", ara: "ar",
    arb: "ar", fas: "fa", pes: "fa", rus: "ru", ukr: "uk", ell: "el", zho: "zh", cmn: "zh", jpn: "ja", kor: "ko",
    tha: "th", fra: "fr", deu: "de", spa: "es", por: "pt", ita: "it", nld: "nl", tur: "tr", ind: "id", vie: "vi" };
  const docs = DATA.docs, clusters = DATA.clusters, pairs = DATA.pairs;
  const DOC_ID = 0, DOC_LANG = 1, DOC_SCRIPT = 2, DOC_TITLE = 3, DOC_CLUSTER = 4;
  const state = { page: 0, shown: [], open: new Set(), openPair: new Map() };

  function esc(text) {
    return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  function langTag(label) {
    const code = String(label).split(/[_-]/)[0].toLowerCase();
    if (!/^[a-z]{2,3}$/.test(code)) return "";
    return ISO1[code] || code;
  }
  function langAttr(label) { const tag = langTag(label); return tag ? ` lang="${tag}"` : ""; }
  function fmt(n) { return Number(n).toLocaleString("en"); }
  function score(x) { return Number(x).toFixed(x >= 0.9995 && x < 1 ? 4 : 2); }
  function shortId(id) { return id.length > 26 ? id.slice(0, 24) + "…" : id; }
  function el(html) { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content.firstChild; }

  // ---- overview ------------------------------------------------------------------------------
  function renderOverview() {
    const o = DATA.overview;
    const multi = clusters.filter(c => c[3].length > 1).length;
    const stat = (value, label, cls) => `<div class="stat"><div class="value ${cls || ""}">${fmt(value)}</div><div class="label">${label}</div></div>`;
    const chips = list => list.map(([k, n]) => `<span class="chip">${esc(k)} <b>${fmt(n)}</b></span>`).join("");
    const box = document.getElementById("overview");
    box.innerHTML =
      `<div class="card"><h2>Overview</h2><div class="stats">` +
      stat(o.documents, "documents") + stat(clusters.length, `clusters (${fmt(multi)} of 2 or more)`) +
      stat(o.pairs[0], "exact-duplicate pairs", "exact") + stat(o.pairs[1], "near-duplicate pairs", "near") +
      stat(o.pairs[2], "translation pairs", "translation") + stat(o.pairs[3], "same-story pairs", "story") + stat(o.removed, `removed by dedup`) +
      `</div><div class="tally"><b>${fmt(o.langs.length)}</b> languages ${chips(o.langs)}</div>` +
      `<div class="tally"><b>${fmt(o.scripts.length)}</b> scripts ${chips(o.scripts)}</div>` +
      `<div class="chart-note">removed by dedup: ${esc(o.removed_method)}</div></div>` +
      `<div class="card"><h2>Cluster sizes</h2>${sizeChart()}</div>` +
      `<div class="card"><h2>Translation pairs by language</h2>${langMatrix()}</div>`;
    document.getElementById("subtitle").textContent =
      `${fmt(o.documents)} documents · ${fmt(clusters.length)} clusters · ${fmt(o.pairs[0] + o.pairs[1])} duplicate, ${fmt(o.pairs[2])} translation and ${fmt(o.pairs[3])} same-story pairs`;
  }

  // Bars of the number of clusters of each size; sizes above 10 are binned. Heights are on a
  // log scale when the counts span a wide range, as singletons usually outnumber the rest.
  function sizeChart() {
    const bins = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 50, 100, Infinity];
    const labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11–20", "21–50", "51–100", ">100"];
    const counts = new Array(bins.length).fill(0);
    for (const c of clusters) { const n = c[3].length; counts[bins.findIndex(b => n <= b)]++; }
    let last = counts.length - 1;
    while (last > 0 && counts[last] === 0) last--;
    const shown = counts.slice(0, Math.max(last + 1, 4));
    const max = Math.max(...shown, 1), min = Math.min(...shown.filter(x => x > 0), max);
    const log = max / min > 30;
    const h = v => v === 0 ? 0 : log ? 8 + 112 * Math.log10(v) / Math.log10(max) : Math.max(3, 120 * v / max);
    const W = 360, bw = Math.min(40, (W - 30) / shown.length - 6);
    let svg = `<svg viewBox="0 0 ${W} 170" width="100%" role="img" aria-label="clusters by size">`;
    svg += `<line x1="20" y1="140" x2="${W - 6}" y2="140" stroke="#cfd5df"/>`;
    shown.forEach((v, i) => {
      const x = 24 + i * (bw + 6), y = 140 - h(v);
      svg += `<g><title>${fmt(v)} clusters of size ${labels[i]}</title>` +
        `<rect x="${x}" y="${y}" width="${bw}" height="${h(v)}" rx="3" fill="${i === 0 ? "#b8c1d1" : "#4a72e0"}"/>` +
        (v ? `<text x="${x + bw / 2}" y="${y - 4}" text-anchor="middle" font-size="10.5" fill="#384152">${fmt(v)}</text>` : "") +
        `<text x="${x + bw / 2}" y="154" text-anchor="middle" font-size="10" fill="#5d6677">${labels[i]}</text></g>`;
    });
    svg += `<text x="${W / 2}" y="168" text-anchor="middle" font-size="10" fill="#8a93a3">documents in the cluster</text></svg>`;
    return svg + (log ? `<div class="chart-note">heights on a log scale</div>` : "");
  }

  // The heat map of translation pairs between every two languages (symmetric).
  function langMatrix() {
    const counts = new Map(), langs = new Set();
    for (const p of pairs) {
      if (p[2] !== TRANSLATION) continue;
      const a = docs[p[0]][DOC_LANG], b = docs[p[1]][DOC_LANG];
      langs.add(a); langs.add(b);
      for (const key of a === b ? [a + "|" + b] : [a + "|" + b, b + "|" + a]) counts.set(key, (counts.get(key) || 0) + 1);
    }
    if (langs.size === 0) return `<p class="note">No translation pairs.</p>`;
    const list = [...langs].sort();
    const max = Math.max(...counts.values());
    // Cells wide enough for their counts up to 24 languages; beyond, counts only on hover.
    const cell = Math.max(list.length <= 24 ? 24 : 12, Math.min(34, Math.floor(300 / list.length))), left = 70, top = 64;
    const W = left + cell * list.length + 6, H = top + cell * list.length + 6;
    const short = l => l.split("_")[0];
    let svg = `<svg viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${Math.max(W, 220)}px" role="img" aria-label="translation pairs by language">`;
    list.forEach((l, i) => {
      svg += `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11" fill="#384152">${esc(short(l))}</text>`;
      svg += `<text transform="translate(${left + i * cell + cell / 2 + 4},${top - 6}) rotate(-60)" font-size="11" fill="#384152">${esc(short(l))}</text>`;
    });
    list.forEach((a, i) => list.forEach((b, j) => {
      const v = counts.get(a + "|" + b) || 0;
      const t = v ? 0.15 + 0.85 * Math.sqrt(v / max) : 0;
      const fill = v ? `rgba(15,138,106,${t.toFixed(3)})` : "#f3f5f8";
      svg += `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" rx="2" fill="${fill}">` +
        `<title>${esc(a)} – ${esc(b)}: ${fmt(v)} translation pairs</title></rect>`;
      if (v && cell >= 24) svg += `<text class="count" x="${left + j * cell + (cell - 2) / 2}" y="${top + i * cell + cell / 2 + 3}" text-anchor="middle" font-size="${v >= 1000 ? 7.5 : 9.5}" fill="${t > 0.55 ? "#fff" : "#124d3e"}" pointer-events="none">${v}</text>`;
    }));
    return svg + `</svg><div class="chart-note">darker: more pairs${cell >= 24 ? "" : "; hover a cell for its count"}</div>`;
  }

  // ---- the cluster list ------------------------------------------------------------------------
  function fillLanguageFilter() {
    const select = document.getElementById("filter-lang");
    for (const [lang, n] of DATA.overview.langs) select.add(new Option(`${lang} (${fmt(n)})`, lang));
  }

  function matches(c, query, lang, relation, sizeMin, sizeMax) {
    const members = c[3];
    if (members.length < sizeMin || members.length > sizeMax) return false;
    if (lang && !c[2].includes(lang)) return false;
    if (relation !== "" && !members.some(m => m[1] === Number(relation))) return false;
    if (!query) return true;
    if (c[1].toLowerCase().includes(query)) return true;
    return members.some(m => docs[m[0]][DOC_ID].toLowerCase().includes(query) || docs[m[0]][DOC_TITLE].toLowerCase().includes(query));
  }

  function applyFilters() {
    const query = document.getElementById("search").value.trim().toLowerCase();
    const lang = document.getElementById("filter-lang").value;
    const relation = document.getElementById("filter-relation").value;
    const size = document.getElementById("filter-size").value.split("-").map(Number);
    const sizeMin = size[0], sizeMax = size.length > 1 ? size[1] : Infinity;
    const shown = [];
    for (let i = 0; i < clusters.length; i++) if (matches(clusters[i], query, lang, relation, sizeMin, sizeMax)) shown.push(i);
    if (document.getElementById("sort").value === "size") shown.sort((x, y) => clusters[y][3].length - clusters[x][3].length || x - y);
    state.shown = shown;
    state.page = 0;
    renderPage();
  }

  function langChips(langs) { return langs.map(l => `<span class="chip"${langAttr(l)}>${esc(l)}</span>`).join(""); }

  function renderPage() {
    const list = document.getElementById("clusters");
    const pages = Math.max(1, Math.ceil(state.shown.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const slice = state.shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    list.innerHTML = "";
    if (slice.length === 0) list.appendChild(el(`<li class="empty">No cluster matches.</li>`));
    for (const c of slice) list.appendChild(clusterCard(c));
    document.getElementById("count").textContent = `${fmt(state.shown.length)} of ${fmt(clusters.length)} clusters`;
    const pager = document.getElementById("pager");
    pager.innerHTML = "";
    if (pages > 1) {
      const button = (label, page, disabled) => {
        const b = el(`<button type="button">${label}</button>`);
        b.disabled = disabled;
        b.onclick = () => { state.page = page; renderPage(); document.getElementById("clusters-section").scrollIntoView(); };
        return b;
      };
      pager.append(button("« first", 0, state.page === 0), button("‹ previous", state.page - 1, state.page === 0),
        el(`<span>page ${fmt(state.page + 1)} of ${fmt(pages)}</span>`),
        button("next ›", state.page + 1, state.page >= pages - 1), button("last »", pages - 1, state.page >= pages - 1));
    }
  }

  function clusterCard(index) {
    const c = clusters[index];
    const members = c[3];
    const rep = docs[c[0]];
    const li = el(`<li class="cluster card${members.length > 1 ? " multi" : ""}" id="cluster-${index}">` +
      `<div class="head" role="button" tabindex="0"><span class="size" title="documents">${members.length}</span>` +
      `<span class="title" dir="auto"${langAttr(rep[DOC_LANG])}>${esc(c[1] || rep[DOC_ID])}</span>` +
      `<span class="langs">${langChips(c[2])}</span><span class="num">#${index}</span></div></li>`);
    const head = li.firstChild;
    const toggle = () => {
      if (state.open.has(index)) { state.open.delete(index); li.querySelector(".body").remove(); }
      else { state.open.add(index); li.appendChild(clusterBody(index)); }
    };
    head.onclick = toggle;
    head.onkeydown = e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } };
    if (state.open.has(index)) li.appendChild(clusterBody(index));
    return li;
  }

  function relationBadge(code) {
    return `<span class="rel r${code}">${code === REPRESENTATIVE ? "representative" : RELATIONS[code]}</span>`;
  }

  // ---- a cluster's graph ---------------------------------------------------------------------
  // The representative in the middle, the other members on a circle in the table's order; one
  // node per member (<g data-doc="ID">), coloured by language, and every pair inside the
  // cluster as an edge, coloured by relation and as thick as it is sure. A large cluster shows
  // its first GRAPH_MAX members, so that the picture stays readable and cheap.
  const GRAPH_MAX = 60;
  function langColour(lang) {
    let h = 0;
    for (const ch of String(lang)) h = (h * 31 + ch.codePointAt(0)) % 360;
    return `hsl(${h}, 62%, 48%)`;
  }
  function clusterGraph(index) {
    const members = clusters[index][3].slice(0, GRAPH_MAX).map(m => m[0]);
    if (members.length < 2) return null;
    const W = 520, H = members.length <= 3 ? 150 : 300, cx = W / 2, cy = H / 2, radius = Math.min(W, H) / 2 - 28;
    const at = new Map();
    at.set(members[0], [cx, cy]);
    members.slice(1).forEach((d, i, rest) => {
      const angle = (rest.length <= 2 ? 0 : -Math.PI / 2) + 2 * Math.PI * i / rest.length;
      at.set(d, [cx + radius * (rest.length <= 2 ? 3 : 1.6) * Math.cos(angle), cy + radius * Math.sin(angle)]);
    });
    let edges = "";
    for (const p of pairs) {
      if (!at.has(p[0]) || !at.has(p[1])) continue;
      const [x1, y1] = at.get(p[0]), [x2, y2] = at.get(p[1]);
      edges += `<line class="r${p[2]}" x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ` +
        `stroke-width="${(0.5 + 2.5 * Math.max(0, Math.min(1, p[3]))).toFixed(2)}" stroke-opacity="0.5"><title>${esc(RELATIONS[p[2]])} ${score(p[3])}</title></line>`;
    }
    let nodes = "";
    for (const d of members) {
      const [x, y] = at.get(d), doc = docs[d];
      nodes += `<g class="node${d === members[0] ? " rep" : ""}" data-doc="${esc(doc[DOC_ID])}" transform="translate(${x.toFixed(1)} ${y.toFixed(1)})">` +
        `<circle r="${d === members[0] ? 9 : 7}" fill="${langColour(doc[DOC_LANG])}"></circle>` +
        `<text y="19">${esc(String(doc[DOC_LANG]).split("_")[0])}</text><title>${esc(doc[DOC_ID])} (${esc(doc[DOC_LANG])})</title></g>`;
    }
    const cut = clusters[index][3].length > GRAPH_MAX ? `<p class="note">The graph shows the first ${GRAPH_MAX} of ${fmt(clusters[index][3].length)} members.</p>` : "";
    return el(`<div class="graph-box">${cut}<svg class="graph" viewBox="0 0 ${W} ${H}" role="img" aria-label="how the cluster's documents link">${edges}${nodes}</svg></div>`);
  }

  function clusterBody(index) {
    const c = clusters[index];
    const body = el(`<div class="body"></div>`);
    const graph = clusterGraph(index);
    if (graph) body.appendChild(graph);
    let rows = "";
    c[3].forEach((m, row) => {
      const d = docs[m[0]];
      const pickable = m[3] >= 0;
      const via = m[1] === LINKED_VIA && pickable ? ` <span class="note">via ${esc(shortId(docs[otherOf(m[3], m[0])][DOC_ID]))}</span>` : "";
      rows += `<tr data-row="${row}" class="${pickable ? "pickable" : ""}" ${pickable ? `title="show the evidence"` : ""}>` +
        `<td>${relationBadge(m[1])}${via}</td><td class="doc-id">${esc(d[DOC_ID])}</td><td><span class="chip"${langAttr(d[DOC_LANG])}>${esc(d[DOC_LANG])}</span></td>` +
        `<td dir="auto"${langAttr(d[DOC_LANG])}>${esc(d[DOC_TITLE])}</td><td class="score">${m[1] === REPRESENTATIVE ? "" : score(m[2])}</td></tr>`;
    });
    body.appendChild(el(`<table class="members"><thead><tr><th>relation to the representative</th><th>id</th><th>language</th><th>title</th><th>score</th></tr></thead><tbody>${rows}</tbody></table>`));
    const evidenceBox = el(`<div class="evidence-box"></div>`);
    body.appendChild(evidenceBox);
    body.querySelectorAll("tr.pickable").forEach(tr => {
      tr.onclick = () => {
        const m = c[3][Number(tr.dataset.row)];
        showPair(index, m[3], body);
      };
    });
    if (state.openPair.has(index)) showPair(index, state.openPair.get(index), body);
    showFields(index, body);
    return body;
  }

  // ---- the members' input fields: links, dates and a timeline --------------------------------
  // In gzip chunks too (nd-fields-K), which hold only the documents that carry a url or a date.
  const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/;
  async function memberFields(members) {
    const keys = [...new Set(members.map(d => Math.floor(d / CHUNK)))];
    const loaded = new Map(await Promise.all(keys.map(async k => [k, await chunk(`nd-fields-${k}`)])));
    return members.map(d => {
      const c = loaded.get(Math.floor(d / CHUNK));
      return { url: c ? c.urls[d] : undefined, date: c ? c.dates[d] : undefined };
    });
  }
  function timeline(members, fields) {
    const dated = [];
    members.forEach((d, i) => {
      const m = ISO_DATE.exec(fields[i].date || "");
      if (m) dated.push([d, Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])), m[0]]);
    });
    if (dated.length < 2) return null;
    const first = Math.min(...dated.map(x => x[1])), last = Math.max(...dated.map(x => x[1]));
    const W = 520, H = 64, left = 40, right = W - 40, span = Math.max(last - first, 1);
    let dots = "";
    for (const [d, time, day] of dated) {
      const x = first === last ? W / 2 : left + (right - left) * (time - first) / span;
      dots += `<circle class="dated" data-doc="${esc(docs[d][DOC_ID])}" cx="${x.toFixed(1)}" cy="26" r="6" fill="${langColour(docs[d][DOC_LANG])}" fill-opacity="0.8">` +
        `<title>${esc(docs[d][DOC_ID])} (${esc(docs[d][DOC_LANG])}) ${esc(day)}</title></circle>`;
    }
    const day = time => new Date(time).toISOString().slice(0, 10);
    const labels = first === last ? `<text x="${W / 2}" y="54" text-anchor="middle">${day(first)}</text>` :
      `<text x="${left}" y="54" text-anchor="start">${day(first)}</text><text x="${right}" y="54" text-anchor="end">${day(last)}</text>`;
    return el(`<div class="timeline-box"><svg class="timeline" viewBox="0 0 ${W} ${H}" role="img" aria-label="when the cluster's documents are dated" data-dated="${dated.length}">` +
      `<line x1="${left}" y1="26" x2="${right}" y2="26"></line>${dots}${labels}</svg></div>`);
  }
  async function showFields(index, body) {
    const members = clusters[index][3].map(m => m[0]);
    const fields = await memberFields(members);
    if (!fields.some(f => f.url !== undefined || f.date !== undefined)) return;
    const strip = timeline(members, fields);
    if (strip) body.insertBefore(strip, body.querySelector("table.members"));
    const head = document.createElement("th");
    head.textContent = "date";
    body.querySelector("table.members thead tr").appendChild(head);
    body.querySelectorAll("table.members tbody tr").forEach(tr => {
      const { url, date } = fields[Number(tr.dataset.row)];
      const cell = document.createElement("td");
      cell.className = "doc-date";
      cell.textContent = date || "";
      tr.appendChild(cell);
      if (url === undefined) return;
      const idCell = tr.querySelector("td.doc-id");
      // Only web addresses become links: a javascript: or data: URL in the input stays text.
      if (!/^https?:\/\//i.test(url)) { idCell.title = url; return; }
      const link = document.createElement("a");
      link.href = url;
      link.rel = "noreferrer noopener";
      link.target = "_blank";
      link.textContent = idCell.textContent;
      link.addEventListener("click", e => e.stopPropagation());
      idCell.replaceChildren(link);
    });
  }

  function otherOf(pairIndex, doc) { const p = pairs[pairIndex]; return p[0] === doc ? p[1] : p[0]; }

  // ---- a pair's evidence ------------------------------------------------------------------
  function showPair(clusterIndex, pairIndex, body) {
    state.openPair.set(clusterIndex, pairIndex);
    body.querySelectorAll("tr").forEach(tr => {
      const row = tr.dataset.row;
      tr.classList.toggle("open", row !== undefined && clusters[clusterIndex][3][Number(row)][3] === pairIndex);
    });
    const box = body.querySelector(".evidence-box");
    box.innerHTML = `<p class="note">loading the pair…</p>`;
    pairDetail(pairs[pairIndex]).then(detail => {
      // Another pair may have been opened, or the cluster closed, while this one was decoded.
      if (!box.isConnected || state.openPair.get(clusterIndex) !== pairIndex) return;
      box.innerHTML = "";
      box.appendChild(pairEvidence(pairIndex, detail));
    });
    const p = pairs[pairIndex];
    history.replaceState(null, "", `#pair=${encodeURIComponent(docs[p[0]][DOC_ID])}:${encodeURIComponent(docs[p[1]][DOC_ID])}`);
  }

  // Cuts a text into runs at the starts and ends of aligned sentences and shared words, and
  // returns its HTML: sentences as coloured spans numbered by their alignment, shared words as
  // marks numbered by their group, so that hovering lights up the partner on the other side.
  function markedText(text, sentences, words) {
    const cuts = new Set([0, text.length]);
    const sorted = sentences.slice().sort((x, y) => x[0] - y[0]);
    const sents = [];
    for (const s of sorted) if (!sents.length || s[0] >= sents[sents.length - 1][1]) { sents.push(s); cuts.add(s[0]); cuts.add(s[1]); }
    for (const w of words) { cuts.add(w[0]); cuts.add(w[1]); }
    const points = [...cuts].filter(x => x >= 0 && x <= text.length).sort((x, y) => x - y);
    let html = "", si = 0, wi = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i], to = points[i + 1];
      while (si < sents.length && sents[si][1] <= from) si++;
      while (wi < words.length && words[wi][1] <= from) wi++;
      let run = esc(text.slice(from, to));
      const w = words[wi];
      if (w && w[0] <= from && to <= w[1]) run = `<mark class="anchor${w[3] ? " cited" : ""}" data-g="${w[2]}">${run}</mark>`;
      const s = sents[si];
      if (s && s[0] <= from && to <= s[1]) {
        const hue = (s[2] * 47 + 200) % 360;
        run = `<span class="sent" data-s="${s[2]}" style="background-color:hsla(${hue},80%,62%,0.26)" data-hue="${hue}">${run}</span>`;
      }
      html += run;
    }
    return html;
  }

  // The flat form of html.cpp's shared_words_json back to [start, end, group, cited].
  function sharedWords(flat) {
    const words = [];
    for (let i = 0, end = 0; i + 2 < flat.length; i += 3) {
      const start = end + flat[i];
      end = start + flat[i + 1];
      words.push([start, end, flat[i + 2] >> 1, flat[i + 2] & 1]);
    }
    return words;
  }

  // A word-level diff of two duplicates (or, on demand, of a same-story pair): the words of a
  // that b lacks struck out, those b adds lit, by a longest common subsequence of words (whitespace kept as written, not compared).
  // Duplicates share most of their text, so the common head and tail are cut first; a middle
  // too big for the table (DIFF_CELLS) is marked whole rather than freezing the page.
  const DIFF_CELLS = 4e6;
  function wordDiff(textA, textB) {
    const tokens = text => text.match(/\s+|[^\s]+/gu) || [];
    const a = tokens(textA), b = tokens(textB);
    const isWord = t => !/^\s/u.test(t);
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const midA = a.slice(head, a.length - tail), midB = b.slice(head, b.length - tail);
    const keptA = new Array(midA.length).fill(false), keptB = new Array(midB.length).fill(false);
    const n = midA.length, m = midB.length;
    if (n * m <= DIFF_CELLS && n && m) {
      // lengths[i][j]: the LCS of midA[i..] and midB[j..], in one flat table.
      const lengths = new Uint32Array((n + 1) * (m + 1));
      for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
          lengths[i * (m + 1) + j] = midA[i] === midB[j] ? lengths[(i + 1) * (m + 1) + j + 1] + 1
            : Math.max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1]);
      for (let i = 0, j = 0; i < n && j < m;) {
        if (midA[i] === midB[j]) { keptA[i++] = true; keptB[j++] = true; }
        else if (lengths[(i + 1) * (m + 1) + j] >= lengths[i * (m + 1) + j + 1]) i++;
        else j++;
      }
    }
    const render = (all, mid, kept, tag) => {
      let html = esc(all.slice(0, head).join(""));
      mid.forEach((t, k) => { html += kept[k] || !isWord(t) ? esc(t) : `<${tag} class="diff">${esc(t)}</${tag}>`; });
      return html + esc(all.slice(all.length - tail).join(""));
    };
    return [render(a, midA, keptA, "del"), render(b, midB, keptB, "ins")];
  }

  function pairEvidence(pairIndex, { ev, texts, pivots }) {
    const p = pairs[pairIndex];
    const a = docs[p[0]], b = docs[p[1]];
    const textA = texts[p[0]] || "", textB = texts[p[1]] || "";
    const sentsA = ev ? ev.sentences.map((s, k) => [s[0], s[1], k]) : [];
    const sentsB = ev ? ev.sentences.map((s, k) => [s[2], s[3], k]) : [];
    const metrics = [`score <b>${score(p[3])}</b>`];
    if (ev) metrics.push(`calibrated <b>${ev.calibrated.toFixed(2)}</b>`, `raw <b>${ev.raw.toFixed(3)}</b>`,
      `aligned text <b>${Math.round(ev.coverage_a * 100)}%</b> of a, <b>${Math.round(ev.coverage_b * 100)}%</b> of b`);
    const hasPivot = pivots[p[0]] !== undefined || pivots[p[1]] !== undefined;
    const diff = p[2] === NEAR_DUPLICATE ? wordDiff(textA, textB) : null;
    const side = (d, idx, text, sents, words, which) =>
      `<div class="side" data-side="${which}"><div class="shead"><span class="doc-title" dir="auto"${langAttr(d[DOC_LANG])}>${esc(d[DOC_TITLE])}</span>` +
      `<span class="doc-id">${esc(d[DOC_ID])}</span> · ${esc(d[DOC_LANG])} · ${esc(d[DOC_SCRIPT])}</div>` +
      `<div class="text original" dir="auto"${langAttr(d[DOC_LANG])}>${diff ? diff[which === "a" ? 0 : 1] : markedText(text, sents, words)}</div>` +
      (pivots[idx] !== undefined ? `<div class="text pivot" dir="auto" lang="hi" hidden>${esc(pivots[idx])}</div>` : "") + `</div>`;
    const box = el(`<div class="evidence" data-pair="${pairIndex}" data-relation="${p[2] === TRANSLATION ? "translation" : RELATIONS[p[2]]}">` +
      `<div class="ehead">${relationBadge(p[2])}<span class="doc-id">${esc(a[DOC_ID])}</span>⟷<span class="doc-id">${esc(b[DOC_ID])}</span>` +
      `<span class="metrics">${metrics.join(" · ")}</span>` +
      (hasPivot ? `<label class="toggle"><input type="checkbox" class="pivot-toggle"> show the pivot transliteration</label>` : "") +
      (p[2] === SAME_STORY ? `<label class="toggle"><input type="checkbox" class="diff-toggle"> word by word</label>` : "") + `</div>` +
      (ev && ev.anchors.length ? `<div class="anchors-line">anchors the model cites: ${ev.anchors.map(x => `<span class="chip">${esc(x)}</span>`).join("")}</div>` : "") +
      `<div class="sides">${side(a, p[0], textA, sentsA, ev ? sharedWords(ev.shared_a) : [], "a")}${side(b, p[1], textB, sentsB, ev ? sharedWords(ev.shared_b) : [], "b")}</div>` +
      `<div class="legend">${ev ? `Coloured runs are aligned sentence pairs (${ev.sentences.length}); hover one to light up its partner, click to bring it into view. ` +
        `<mark class="anchor cited">Cited anchors</mark> and <mark class="anchor">other shared words</mark> (names, numbers, cognates) match by sound across scripts.`
        : diff ? `Near-duplicates, word by word: <del class="diff">words only in a</del>, <ins class="diff">words only in b</ins>.`
        : "Same-language duplicates: the two texts side by side."}</div></div>`);
    wireEvidence(box, textA, textB);
    return box;
  }

  function wireEvidence(box, textA, textB) {
    let lit = [];
    const light = selector => {
      lit.forEach(x => x.classList.remove("hot"));
      lit = selector ? [...box.querySelectorAll(selector)] : [];
      lit.forEach(x => x.classList.add("hot"));
    };
    box.addEventListener("mouseover", e => {
      const mark = e.target.closest("mark[data-g]");
      if (mark) return light(`mark[data-g="${mark.dataset.g}"]`);
      const sent = e.target.closest(".sent");
      light(sent ? `.sent[data-s="${sent.dataset.s}"]` : null);
    });
    box.addEventListener("mouseleave", () => light(null));
    box.addEventListener("click", e => {
      const sent = e.target.closest(".sent");
      if (!sent) return;
      const other = sent.closest(".side").dataset.side === "a" ? "b" : "a";
      const partner = box.querySelector(`.side[data-side="${other}"] .sent[data-s="${sent.dataset.s}"]`);
      if (partner) {
        const pane = partner.closest(".text");
        pane.scrollTop = partner.offsetTop - pane.offsetTop - 40;
      }
    });
    const toggle = box.querySelector(".pivot-toggle");
    // A side already in the pivot's scripts (Devanagari, Latin) has no pivot and keeps its text.
    if (toggle) toggle.onchange = () => box.querySelectorAll(".side").forEach(s => {
      const pivot = s.querySelector(".text.pivot");
      if (!pivot) return;
      s.querySelector(".text.original").hidden = toggle.checked;
      pivot.hidden = !toggle.checked;
    });
    // A same-story pair (a rewrite, a partial reuse) shows its aligned sentences, or on demand
    // the word diff that near-duplicates show, made when first asked for.
    const diffToggle = box.querySelector(".diff-toggle");
    if (diffToggle) {
      const originals = [...box.querySelectorAll(".side .text.original")];
      const aligned = originals.map(o => o.innerHTML);
      let diffed = null;
      diffToggle.onchange = () => {
        if (diffToggle.checked && !diffed) diffed = wordDiff(textA, textB);
        originals.forEach((o, k) => { o.innerHTML = diffToggle.checked ? diffed[k] : aligned[k]; });
      };
    }
  }

  // ---- #pair=ID_A:ID_B and #cluster=N ----------------------------------------------------
  // A hash typed or pasted by hand may hold a lone % (decodeURIComponent throws on it, so such a
  // part is taken as written) or ids with a raw ':', so every place a ':' could split two ids is tried.
  function decoded(text) { try { return decodeURIComponent(text); } catch (e) { return text; } }
  function pairFromHash(text) {
    const find = id => docs.findIndex(d => d[DOC_ID] === id);
    const parts = text.split(":");
    for (let cut = 1; cut < parts.length; ++cut) {
      const x = find(decoded(parts.slice(0, cut).join(":"))), y = find(decoded(parts.slice(cut).join(":")));
      if (x >= 0 && y >= 0) return [x, y];
    }
    return null;
  }
  function openFromHash() {
    const hash = location.hash.slice(1);
    let clusterIndex = -1, pairIndex = -1;
    if (hash.startsWith("cluster=")) clusterIndex = /^[0-9]+$/.test(hash.slice(8)) ? Number(hash.slice(8)) : -1;
    else if (hash.startsWith("pair=")) {
      const found = pairFromHash(hash.slice(5));
      if (!found) return;
      const [x, y] = found;
      const [lo, hi] = x < y ? [x, y] : [y, x];
      pairIndex = pairs.findIndex(p => p[0] === lo && p[1] === hi);
      clusterIndex = docs[lo][DOC_CLUSTER];
    }
    if (!(clusterIndex >= 0 && clusterIndex < clusters.length)) return;
    // Show the cluster whatever the filters: clear them, and go to its page.
    document.getElementById("search").value = "";
    document.getElementById("filter-lang").value = "";
    document.getElementById("filter-relation").value = "";
    document.getElementById("filter-size").value = "0";
    applyFilters();
    state.page = Math.floor(state.shown.indexOf(clusterIndex) / PAGE_SIZE);
    state.open.add(clusterIndex);
    if (pairIndex >= 0) state.openPair.set(clusterIndex, pairIndex);
    renderPage();
    // Scrolled to only when its head is out of sight, so that the overview stays in view otherwise.
    const card = document.getElementById(`cluster-${clusterIndex}`);
    if (card && card.getBoundingClientRect().top > window.innerHeight - 80) card.scrollIntoView({ block: "start" });
  }

  // ---- export of what is shown ---------------------------------------------------------------
  // The clusters the filters show (on every page) and the pairs inside them: as JSON Lines in
  // the command's formats (neardup/report.hpp; scores as the page holds them, to 4 decimals),
  // or as CSV with one row per member or pair. A CSV cell that a spreadsheet would run as a
  // formula (its first character =, +, -, @, tab or CR) is written after a ' (OWASP's advice).
  const RELATION_NAMES = ["exact-duplicate", "near-duplicate", "translation", "same-story", "linked-via-others"];
  function csvCell(value) {
    let text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  function csvOf(rows) { return rows.map(row => row.map(csvCell).join(",")).join("\r\n") + "\r\n"; }
  function jsonLinesOf(objects) { return objects.map(o => JSON.stringify(o) + "\n").join(""); }
  function shownPairs() {
    const shown = new Set(state.shown);
    return pairs.filter(p => docs[p[0]][DOC_CLUSTER] === docs[p[1]][DOC_CLUSTER] && shown.has(docs[p[0]][DOC_CLUSTER]));
  }
  function exported(what, format) {
    const id = d => docs[d][DOC_ID], lang = d => docs[d][DOC_LANG];
    if (what === "pairs") {
      const shown = shownPairs();
      if (format === "jsonl")
        return jsonLinesOf(shown.map(p => ({ a: id(p[0]), b: id(p[1]), relation: RELATION_NAMES[p[2]], score: p[3], lang_a: lang(p[0]), lang_b: lang(p[1]),
          script_a: docs[p[0]][DOC_SCRIPT], script_b: docs[p[1]][DOC_SCRIPT] })));
      return csvOf([["a", "b", "relation", "score", "lang_a", "lang_b", "cluster"],
        ...shown.map(p => [id(p[0]), id(p[1]), RELATION_NAMES[p[2]], p[3], lang(p[0]), lang(p[1]), docs[p[0]][DOC_CLUSTER]])]);
    }
    if (format === "jsonl")
      return jsonLinesOf(state.shown.map(c => {
        const members = clusters[c][3].map(m => m[0]).sort((x, y) => x - y);
        return { cluster: c, size: members.length, members: members.map(id), langs: clusters[c][2], representative: id(clusters[c][0]), title: clusters[c][1] };
      }));
    const rows = [["cluster", "title", "id", "lang", "relation_to_representative", "score"]];
    for (const c of state.shown)
      for (const m of clusters[c][3])
        rows.push([c, clusters[c][1], id(m[0]), lang(m[0]), m[1] === REPRESENTATIVE ? "representative" : RELATION_NAMES[m[1]], m[1] === REPRESENTATIVE ? "" : m[2]]);
    return csvOf(rows);
  }
  function download(what, format) {
    const type = format === "csv" ? "text/csv;charset=utf-8" : "application/x-ndjson;charset=utf-8";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([exported(what, format)], { type }));
    link.download = `neardup-${what}.${format}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  function recordHealth() {
    document.body.dataset.consoleErrors = String(window.neardupErrors);
    // Served, the page's own server is not outside; from a file, nothing may be fetched at all.
    const fetched = performance.getEntriesByType("resource");
    document.body.dataset.externalRequests = String(DATA.served ? fetched.filter(e => new URL(e.name).origin !== location.origin).length : fetched.length);
  }

  renderOverview();
  fillLanguageFilter();
  let debounce = 0;
  document.getElementById("search").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(applyFilters, 150); });
  for (const id of ["filter-lang", "filter-relation", "filter-size", "sort"]) document.getElementById(id).addEventListener("change", applyFilters);
  window.addEventListener("hashchange", openFromHash);
  for (const button of document.querySelectorAll("[data-export]"))
    button.addEventListener("click", () => download(...button.dataset.export.split(".")));
  applyFilters();
  openFromHash();
  document.body.dataset.clusterCount = String(clusters.length);
  document.body.dataset.renderMs = String(Math.round(performance.now()));
  recordHealth();
  window.addEventListener("load", recordHealth);
})();
</script>
</body>
</html>
)html";

}  // namespace neardup::detail
