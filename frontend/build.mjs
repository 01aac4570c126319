#!/usr/bin/env node
// Industria static build: copies vendored browser libraries out of
// node_modules and decodes the Shanghai district boundaries into plain GeoJSON.
//
//   cd frontend && npm ci && node build.mjs
//
// Output (generated, gitignored): ../industria/static/vendor/
//   htmx.min.js, echarts.min.js, shanghai-districts.geojson,
//   licenses/*, manifest.json
//
// Plain Node (>= 20), no bundler, no network. Idempotent: a file whose content
// is unchanged is not rewritten (mtimes stay stable for collectstatic).
// Exits non-zero with a clear message if an input is missing or the decoded
// map fails its sanity checks.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const NM = join(HERE, "node_modules");
const OUT = join(HERE, "..", "industria", "static", "vendor");

function fail(msg) {
  console.error(`build.mjs: ERROR: ${msg}`);
  process.exit(1);
}

function input(rel) {
  const p = join(NM, rel);
  if (!existsSync(p)) {
    fail(`missing input ${relative(HERE, p)} (run \`npm ci\` in frontend/ first)`);
  }
  return p;
}

function pkgVersion(name) {
  return JSON.parse(readFileSync(input(`${name}/package.json`), "utf8")).version;
}

// Outputs are collected first and written only after every check passed, so a
// failed build never leaves a half-updated vendor/ directory behind.
const pending = new Map();
const manifest = {};

function emit(rel, content) {
  const buf = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  pending.set(rel, buf);
  manifest[rel] = { bytes: buf.length, sha256: createHash("sha256").update(buf).digest("hex") };
}

function flush() {
  const written = [];
  for (const [rel, buf] of pending) {
    const dest = join(OUT, rel);
    mkdirSync(dirname(dest), { recursive: true });
    if (!existsSync(dest) || !readFileSync(dest).equals(buf)) {
      writeFileSync(dest, buf);
      written.push(rel);
    }
  }
  return written;
}

// ---------------------------------------------------------------- libraries
const versions = {
  "htmx.org": pkgVersion("htmx.org"),
  echarts: pkgVersion("echarts"),
  "echarts-4 (map data only)": pkgVersion("echarts-4"),
};
if (!versions.echarts.match(/^[56]\./)) fail(`unexpected echarts version ${versions.echarts}`);
if (versions["echarts-4 (map data only)"] !== "4.9.0") fail("echarts-4 alias must be echarts@4.9.0");

emit("htmx.min.js", readFileSync(input("htmx.org/dist/htmx.min.js")));
emit("echarts.min.js", readFileSync(input("echarts/dist/echarts.min.js")));
emit("licenses/htmx.org-LICENSE.txt", readFileSync(input("htmx.org/LICENSE")));
emit("licenses/echarts-LICENSE.txt", readFileSync(input("echarts/LICENSE")));
emit("licenses/echarts-NOTICE.txt", readFileSync(input("echarts/NOTICE")));

// ---------------------------------------------------------------- map decode
// echarts@4.9.0 map/json/*.json use ECharts' "UTF8Encoding" compression
// (see echarts 4 src/coord/geo/parseGeoJson.js, decode / decodePolygon):
// each ring is a string of char pairs (x, y); v = charCode - 64, zigzag
// decoded with (v >> 1) ^ -(v & 1), delta-accumulated starting at the ring's
// encodeOffsets pair, and finally divided by UTF8Scale (default 1024).

function decodeRing(str, offset, scale) {
  if (typeof str !== "string" || str.length % 2 !== 0) fail("bad encoded ring");
  let px = offset[0];
  let py = offset[1];
  const ring = [];
  for (let i = 0; i < str.length; i += 2) {
    let x = str.charCodeAt(i) - 64;
    let y = str.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x;
    py += y;
    // x / 1024 is exact in binary; round to 1e-6 deg (~0.1 m) for compact text.
    ring.push([round6(px / scale), round6(py / scale)]);
  }
  return ring;
}

const round6 = (v) => Math.round(v * 1e6) / 1e6;

function signedArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

// GeoJSON (RFC 7946): rings closed, exterior counter-clockwise, holes clockwise.
function normaliseRing(ring, exterior) {
  if (ring.length < 3) fail("ring with fewer than 3 points");
  const [fx, fy] = ring[0];
  const [lx, ly] = ring[ring.length - 1];
  const r = fx === lx && fy === ly ? ring.slice() : [...ring, [fx, fy]];
  const ccw = signedArea(r) > 0;
  return ccw === exterior ? r : r.reverse();
}

function decodePolygon(rings, offsets, scale) {
  return rings.map((s, i) => normaliseRing(decodeRing(s, offsets[i], scale), i === 0));
}

// Chongming has no id in the echarts 4 file; the English names are ours.
const DISTRICTS = {
  "310101": ["黄浦区", "Huangpu"],
  "310104": ["徐汇区", "Xuhui"],
  "310105": ["长宁区", "Changning"],
  "310106": ["静安区", "Jing'an"],
  "310107": ["普陀区", "Putuo"],
  "310109": ["虹口区", "Hongkou"],
  "310110": ["杨浦区", "Yangpu"],
  "310112": ["闵行区", "Minhang"],
  "310113": ["宝山区", "Baoshan"],
  "310114": ["嘉定区", "Jiading"],
  "310115": ["浦东新区", "Pudong"],
  "310116": ["金山区", "Jinshan"],
  "310117": ["松江区", "Songjiang"],
  "310118": ["青浦区", "Qingpu"],
  "310120": ["奉贤区", "Fengxian"],
  "310151": ["崇明区", "Chongming"],
};
const CODE_BY_NAME = Object.fromEntries(Object.entries(DISTRICTS).map(([c, [zh]]) => [zh, c]));

const src = JSON.parse(readFileSync(input("echarts-4/map/json/province/shanghai.json"), "utf8"));
if (!Array.isArray(src.features)) fail("shanghai.json has no features array");
const scale = src.UTF8Scale ?? 1024;

const features = src.features.map((f) => {
  const g = f.geometry;
  const nameZh = f.properties?.name;
  const code = String(f.id ?? CODE_BY_NAME[nameZh] ?? "");
  if (!DISTRICTS[code]) fail(`unknown district id=${f.id} name=${nameZh}`);
  if (DISTRICTS[code][0] !== nameZh) fail(`name mismatch for ${code}: ${nameZh}`);
  let coordinates;
  if (!src.UTF8Encoding) {
    coordinates = g.coordinates;
  } else if (g.type === "Polygon") {
    coordinates = decodePolygon(g.coordinates, g.encodeOffsets, scale);
  } else if (g.type === "MultiPolygon") {
    coordinates = g.coordinates.map((poly, j) => decodePolygon(poly, g.encodeOffsets[j], scale));
  } else {
    fail(`unexpected geometry type ${g.type} for ${code}`);
  }
  return {
    type: "Feature",
    id: code,
    properties: {
      code,
      name_zh: nameZh,
      name_en: DISTRICTS[code][1],
      cp: f.properties.cp ?? null,
    },
    geometry: { type: g.type, coordinates },
  };
});
features.sort((a, b) => a.id.localeCompare(b.id));

// ---------------------------------------------------------------- checks
const polys = (f) => (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates);

const codes = features.map((f) => f.id);
const expected = Object.keys(DISTRICTS).sort();
if (codes.join() !== expected.join()) fail(`codes ${codes.join()} != expected ${expected.join()}`);

const bbox = [Infinity, Infinity, -Infinity, -Infinity];
for (const f of features)
  for (const p of polys(f))
    for (const r of p)
      for (const [x, y] of r) {
        bbox[0] = Math.min(bbox[0], x);
        bbox[1] = Math.min(bbox[1], y);
        bbox[2] = Math.max(bbox[2], x);
        bbox[3] = Math.max(bbox[3], y);
      }
if (bbox[0] < 120.8 || bbox[2] > 122.2 || bbox[1] < 30.6 || bbox[3] > 31.9) {
  fail(`coordinates outside Shanghai box: ${bbox.join(",")}`);
}

// Equirectangular projection at 31.2°N, km².
const R = 6371.0088;
const KX = ((R * Math.PI) / 180) * Math.cos((31.2 * Math.PI) / 180);
const KY = (R * Math.PI) / 180;
const areaKm2 = (f) =>
  polys(f).reduce(
    (sum, p) => sum + p.reduce((s, r, i) => s + (i === 0 ? 1 : -1) * Math.abs(signedArea(r)), 0),
    0,
  ) *
  KX *
  KY;

// Official land areas (km², Shanghai statistical yearbook) as a decode check.
// Inland districts match the ECharts polygons to within ~3 %. The coastal
// polygons in the echarts 4 data are drawn out over tidal flats / shoals
// (Pudong ≈ +40 %, Chongming ≈ +33 %, also Fengxian, Baoshan, Jinshan ≈ +15 %),
// so those get a loose bound: the check is "decoded correctly", not "survey
// grade". Do not use these polygons for area statistics.
const OFFICIAL = {
  "310101": [20.46, 0.15], // Huangpu
  "310112": [370.75, 0.15], // Minhang
  "310114": [464.2, 0.15], // Jiading
  "310115": [1210.41, 0.5], // Pudong (coastal)
  "310151": [1185.49, 0.5], // Chongming (islands, coastal)
};
const areas = Object.fromEntries(features.map((f) => [f.id, areaKm2(f)]));
const deviations = [];
for (const [code, [official, tolerance]] of Object.entries(OFFICIAL)) {
  const dev = (areas[code] - official) / official;
  deviations.push(`${DISTRICTS[code][1]} ${areas[code].toFixed(1)}/${official} (${dev >= 0 ? "+" : ""}${(dev * 100).toFixed(1)}%)`);
  if (Math.abs(dev) > tolerance) {
    fail(`area of ${code} ${areas[code].toFixed(1)} km² deviates >${tolerance * 100}% from ${official}`);
  }
}
if (process.env.INDUSTRIA_BUILD_VERBOSE) {
  for (const f of features) console.log(`  ${f.id} ${f.properties.name_en.padEnd(10)} ${areas[f.id].toFixed(1)} km²`);
}

const geojson = {
  type: "FeatureCollection",
  // Informational only; ECharts ignores it.
  metadata: {
    source: "echarts@4.9.0 map/json/province/shanghai.json (decoded by frontend/build.mjs)",
    crs: "lon/lat degrees as shipped by ECharts (approximately WGS84/GCJ-02; not survey grade)",
  },
  features,
};
// One feature per line: readable diffs, still compact.
emit(
  "shanghai-districts.geojson",
  '{"type":"FeatureCollection","metadata":' +
    JSON.stringify(geojson.metadata) +
    ',"features":[\n' +
    features.map((f) => JSON.stringify(f)).join(",\n") +
    "\n]}\n",
);

emit("manifest.json", JSON.stringify({ versions, files: { ...manifest } }, null, 2) + "\n");
const written = flush();

console.log(
  `build.mjs: htmx ${versions["htmx.org"]}, echarts ${versions.echarts}; ` +
    `${features.length} districts, bbox [${bbox.map((v) => v.toFixed(3)).join(", ")}], ` +
    `areas km² ${deviations.join(", ")}; ` +
    `${written.length} file(s) written to ${relative(process.cwd(), OUT) || "."}`,
);
