#!/usr/bin/env node
// report.js: draw the demo's HTML report from the JSON that report.sql
// wrote.  The page is self-contained: inline SVG and CSS, no script and
// nothing fetched, so it opens without a network.
//
//   node tools/demo.d/report.js report.json report.html
'use strict';
const fs = require('fs');

const [, , inFile, outFile] = process.argv;
if (!inFile || !outFile) {
  process.stderr.write('usage: report.js report.json report.html\n');
  process.exit(2);
}
const r = JSON.parse(fs.readFileSync(inFile, 'utf8'));
const esc = (s) => String(s === null || s === undefined ? '' : s)
  .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

// The map: districts, outlet areas, delivery points by outlet, one day's
// runs, the DC and the stores, in lon/lat with y = -lat (ST_AsSVG).
function map() {
  const [x0, y0, w, h] = r.box;
  const pad = Math.max(w, h) * 0.03;
  const outlets = (r.outlets || []).map((o) => o.code);
  const colour = (code) => (code === 'none' ? '#000' : palette[outlets.indexOf(code) % palette.length]);
  const u = Math.max(w, h) / 400;
  const parts = [];
  parts.push(`<svg id="map" xmlns="http://www.w3.org/2000/svg" viewBox="${x0 - pad} ${y0 - pad} ${w + 2 * pad} ${h + 2 * pad}" width="720" height="${Math.round(720 * (h + 2 * pad) / (w + 2 * pad))}">`);
  parts.push(`<rect x="${x0 - pad}" y="${y0 - pad}" width="${w + 2 * pad}" height="${h + 2 * pad}" fill="#f4f1ea"/>`);
  for (const d of r.districts) {
    parts.push(`<path class="district" d="${d.path}" fill="#e3ddc8" stroke="#6b5e3c" stroke-width="${u * 1.2}"><title>${esc(d.en)} ${esc(d.name)} (${esc(d.code)})</title></path>`);
  }
  for (const a of r.areas || []) {
    parts.push(`<path class="area" d="${a.path}" fill="${colour(a.outlet)}" fill-opacity="0.08" stroke="${colour(a.outlet)}" stroke-width="${u}" stroke-dasharray="${u * 4} ${u * 2}"><title>${esc(a.outlet)}: ${esc(a.name)}</title></path>`);
  }
  for (const p of r.points || []) {
    parts.push(`<circle class="delivery" cx="${p.x}" cy="${p.y}" r="${u * 1.6}" fill="${colour(p.outlet)}"/>`);
  }
  for (const run of r.runs || []) {
    parts.push(`<path class="run" d="${run.path}" fill="none" stroke="#222" stroke-opacity="0.7" stroke-width="${u * 0.9}"><title>${esc(run.vehicle)}: ${run.stops} stops, ${run.km} km</title></path>`);
  }
  for (const s of r.stores || []) {
    parts.push(`<rect class="store" x="${s.x - u * 4}" y="${s.y - u * 4}" width="${u * 8}" height="${u * 8}" fill="#fff" stroke="#000" stroke-width="${u}"><title>${esc(s.name)}</title></rect>`);
  }
  for (const d of r.districts) {
    parts.push(`<text x="${d.x}" y="${d.y}" font-size="${u * 11}" text-anchor="middle" fill="#4a3f22">${esc(d.en)}</text>`);
  }
  if (r.dc) {
    parts.push(`<polygon class="dc" points="${r.dc.x},${r.dc.y - u * 9} ${r.dc.x + u * 8},${r.dc.y + u * 6} ${r.dc.x - u * 8},${r.dc.y + u * 6}" fill="#c00" stroke="#000" stroke-width="${u}"><title>${esc(r.dc.name)}</title></polygon>`);
  }
  parts.push('</svg>');
  const legend = outlets.map((c) => `<span><i style="background:${colour(c)}"></i>${esc(c)}</span>`).join(' ') +
    ' <span><i style="background:#000"></i>no outlet</span>';
  return parts.join('\n') + `<p class="legend">${legend}<br>▲ DC &nbsp; □ store &nbsp; dashed: outlet areas &nbsp; dots: a sample of ${(r.points || []).length} delivered orders by the outlet that delivered &nbsp; dark lines: the delivery runs of ${esc(r.run_day)}, the busiest day (${(r.runs || []).length})</p>`;
}

// The chart: units delivered per day by category, one line each, as a
// trailing 7-day average so that the seasons show through the bulk orders.
function chart() {
  const rows = r.daily || [];
  if (rows.length === 0) return '<p>No deliveries.</p>';
  const first = Date.parse(rows[0].day);
  const last = Date.parse(rows[rows.length - 1].day);
  const days = [];
  for (let t = first; t <= last; t += 864e5) days.push(new Date(t).toISOString().slice(0, 10));
  const cats = [...new Set(rows.map((x) => x.category))].sort();
  const span = Math.max(1, (last - first) / 864e5);
  const avg = new Map();
  for (const c of cats) {
    const byDay = new Map(rows.filter((x) => x.category === c).map((x) => [x.day, Number(x.units)]));
    const series = days.map((d, i) => {
      let sum = 0;
      for (let k = Math.max(0, i - 6); k <= i; k++) sum += byDay.get(days[k]) || 0;
      return sum / Math.min(7, i + 1);
    });
    avg.set(c, series);
  }
  const max = Math.max(1, ...[...avg.values()].flat());
  const W = 900, H = 300, L = 40, B = 24;
  const X = (d) => L + (Date.parse(d) - first) / 864e5 / span * (W - L - 10);
  const Y = (v) => H - B - v / max * (H - B - 10);
  const out = [`<svg id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - 5}" y2="${H - B}" stroke="#000"/>`,
    `<line x1="${L}" y1="5" x2="${L}" y2="${H - B}" stroke="#000"/>`,
    `<text x="${L - 4}" y="14" font-size="11" text-anchor="end">${max.toFixed(1)}</text>`,
    `<text x="${L - 4}" y="${H - B}" font-size="11" text-anchor="end">0</text>`];
  for (const d of days.filter((x) => x.endsWith('-01'))) {
    out.push(`<text x="${X(d)}" y="${H - 8}" font-size="11">${d.slice(0, 7)}</text>`);
  }
  cats.forEach((c, i) => {
    const series = avg.get(c);
    const pts = days.map((d, k) => `${X(d).toFixed(1)},${Y(series[k]).toFixed(1)}`).join(' ');
    out.push(`<polyline class="series" points="${pts}" fill="none" stroke="${palette[i]}" stroke-width="1.5"><title>${esc(c)}</title></polyline>`);
  });
  out.push('</svg>');
  const legend = cats.map((c, i) => `<span><i style="background:${palette[i]}"></i>${esc(c)}</span>`).join(' ');
  return out.join('\n') + `<p class="legend">${legend}</p>`;
}

function table(id, rows, cols) {
  if (!rows || rows.length === 0) return '<p>None.</p>';
  const head = cols.map(([, t]) => `<th>${esc(t)}</th>`).join('');
  const body = rows.map((x) => '<tr>' + cols.map(([k]) => `<td>${esc(x[k])}</td>`).join('') + '</tr>').join('\n');
  return `<table id="${id}"><tr>${head}</tr>\n${body}</table>`;
}

const t = r.totals;
const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>showroom demo: a year of a Yangquan appliance chain</title>
<style>
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 960px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #bbb; padding: 3px 8px; text-align: right; }
th { background: #eee; } td:first-child { text-align: left; }
.legend { font-size: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 8px; }
.kpi span { display: inline-block; margin: 4px 14px 4px 0; }
</style></head><body>
<h1>A year of a Yangquan appliance chain on showroom</h1>
<p class="kpi"><span><b>${t.orders}</b> orders</span><span><b>${t.key_account}</b> key-account</span>
<span><b>${t.delivered}</b> delivered</span><span><b>${t.lost}</b> lost for want of stock</span>
<span><b>${t.open_box}</b> open-box</span><span><b>${t.defects}</b> defects at the door</span>
<span><b>${t.runs}</b> delivery runs</span><span><b>${t.service_orders}</b> service orders (${t.unassigned} unassigned)</span>
<span><b>${t.complaints}</b> complaints</span><span>COD <b>${esc(t.cod_collected)}</b> collected, <b>${esc(t.cod_remitted)}</b> remitted (yuan)</span>
<span>clock: ${esc(r.clock)}</span></p>
<h2>The map</h2>
${map()}
<h2>Units delivered per day by category (7-day average)</h2>
${chart()}
<h2>Outlet performance</h2>
<p>From the report view showroom.outlet_performance, summed over the year; fees from showroom.statement_report.</p>
${table('outlets', r.outlets, [['code', 'outlet'], ['name', 'name'], ['jobs', 'jobs done'], ['deliveries', 'deliveries'], ['installations', 'installations'], ['on_time', 'on time'], ['first_time', 'first-time fix'], ['visits', 'return visits'], ['satisfaction', 'satisfaction (1-5)'], ['complaints', 'complaints'], ['second', 'second deliveries it caused'], ['paid', 'fees and parts (yuan)'], ['suspended', 'suspended'], ['since', 'since']])}
<h2>Settlement per month</h2>
${table('months', r.months, [['period', 'month'], ['statements', 'statements'], ['closed', 'closed'], ['fees', 'service fees'], ['penalties', 'penalties'], ['cod', 'COD (remitted minus collected)'], ['total', 'total (yuan)']])}
<h2>Central distribution: what if there were no DC</h2>
<p>From the report view showroom.central_whatif_dc: the same sales with each store holding its own stock and restocked from the DC every day it sold (trips: customer deliveries plus restocks; stock: each store's cycle and safety stock) against one DC delivering to the customers (stock: the pooled demand's). The last row sums the trips and takes the mean of the monthly stock.</p>
${table('whatif', r.whatif, [['month', 'month'], ['units', 'units sold'], ['store_model', 'trips, stores'], ['central', 'trips, DC'], ['shipped', 'trips the DC shipped'], ['second', 'of them second deliveries'], ['stock_store_model', 'stock, stores'], ['stock_central', 'stock, DC'], ['saved', 'stock saved']])}
<h2>Who did what</h2>
<p>Each step names its person in showroom.person: ledger rows written, service-order moves (decision support's person_work), return visits recorded, statements closed.</p>
${table('who', r.who, [['who', 'person'], ['ledger_rows', 'ledger rows'], ['service_moves', 'service moves'], ['dispatches', 'dispatches'], ['finishes', 'jobs finished'], ['return_visits', 'return visits'], ['statements_closed', 'statements closed'], ['dispatch_to_accept_p50', 'dispatch to accept (median)'], ['accept_to_done_p50', 'accept to done (median)'], ['first_time_fix_share', 'first-time fix'], ['visit_score', 'visit score']])}
</body></html>
`;
fs.writeFileSync(outFile, html);
