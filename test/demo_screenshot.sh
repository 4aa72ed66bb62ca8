#!/usr/bin/env bash
# demo_screenshot: open the demo's HTML report in headless Chromium, as a
# person would, and check that it draws: a screenshot that is not blank
# (many distinct colours, the map's and the chart's among them) and a
# rendered DOM with the map's and the chart's SVG elements.
#
# Runs the demo at a small scale first (like test/demo.sh), on its own
# throwaway cluster with a simulated clock.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps nodejs libfaketime chromium

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE SHOWROOM_DEMO_INSTALLED=1 \
	tools/demo --scale 0.2 --days 30 --seed 11 --out "$work/out" >"$work/log" 2>&1 || {
	cat "$work/log"; echo "demo_screenshot.sh: tools/demo failed" >&2; exit 1; }

# browser ARGS...: headless Chromium with a fresh profile, no network of
# its own (no updates, no sync, no background fetches).
browser() {
	local profile
	profile=$(mktemp -d "$work/profile.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>>"$work/chromium.log"
}
url="file://$work/out/report.html"
browser --window-size=1000,1600 --screenshot="$work/shot.png" "$url" >/dev/null
browser --dump-dom "$url" >"$work/dom.html"

# The PNG's pixels, decoded with node's zlib: count distinct colours in
# the whole page and in the map's and the chart's bands.
node - "$work/shot.png" <<'JS'
'use strict';
const fs = require('fs');
const zlib = require('zlib');
const buf = fs.readFileSync(process.argv[2]);
if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
let off = 8, w = 0, h = 0, bpp = 0;
const idat = [];
while (off < buf.length) {
  const len = buf.readUInt32BE(off);
  const type = buf.toString('ascii', off + 4, off + 8);
  const data = buf.subarray(off + 8, off + 8 + len);
  if (type === 'IHDR') {
    w = data.readUInt32BE(0); h = data.readUInt32BE(4);
    if (data[8] !== 8 || (data[9] !== 2 && data[9] !== 6)) throw new Error('unexpected PNG format');
    bpp = data[9] === 6 ? 4 : 3;
  } else if (type === 'IDAT') idat.push(data);
  off += 12 + len;
}
const raw = zlib.inflateSync(Buffer.concat(idat));
const stride = w * bpp;
const px = Buffer.alloc(h * stride);
for (let y = 0; y < h; y++) {
  const f = raw[y * (stride + 1)];
  const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
  for (let x = 0; x < stride; x++) {
    const a = x >= bpp ? px[y * stride + x - bpp] : 0;
    const b = y > 0 ? px[(y - 1) * stride + x] : 0;
    const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
    let v = src[x];
    if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
    else if (f === 4) { const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      v += pa <= pb && pa <= pc ? a : (pb <= pc ? b : c); }
    px[y * stride + x] = v & 255;
  }
}
function colours(y0, y1) {
  const set = new Set();
  for (let y = y0; y < Math.min(y1, h); y++)
    for (let x = 0; x < w; x++) { const i = y * stride + x * bpp; set.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]); }
  return set.size;
}
const all = colours(0, h), top = colours(0, Math.floor(h / 2)), low = colours(Math.floor(h / 2), h);
console.log(`screenshot ${w}x${h}: ${all} colours, ${top} in the upper half (map), ${low} in the lower half (chart)`);
if (all < 50 || top < 20 || low < 20) { console.log('FAILED: the page looks blank'); process.exit(1); }
console.log('ok: the page is drawn');
JS

# The DOM Chromium rendered: the map's and the chart's SVG with their shapes.
fail=0
count() { grep -o "$1" "$work/dom.html" | wc -l; }
for want in '<svg id="map"' '<svg id="chart"'; do
	if grep -qF "$want" "$work/dom.html"; then echo "ok: rendered DOM has $want"; else echo "FAILED: no $want"; fail=1; fi
done
[ "$(count 'class="district"')" -eq 5 ] && echo "ok: 5 districts" || { echo "FAILED: districts"; fail=1; }
[ "$(count 'class="delivery"')" -ge 15 ] && echo "ok: delivery points" || { echo "FAILED: delivery points"; fail=1; }
[ "$(count 'class="run"')" -ge 1 ] && echo "ok: delivery runs" || { echo "FAILED: runs"; fail=1; }
[ "$(count 'class="series"')" -ge 4 ] && echo "ok: chart series" || { echo "FAILED: chart series"; fail=1; }
exit "$fail"
