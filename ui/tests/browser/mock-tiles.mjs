// The units' vector tiles for the mocked IPC (mock-ipc.mjs answers `unit_tile` with them): what the app's
// `unit_tile` command cuts in Rust (src-tauri/src/map_tiles), written again in a few lines for the browser tests
// and the Chromium benchmarks. Same tiles in what the map reads of them — one layer `units`, feature id = unit
// index, Web Mercator, 4,096 units across, clipped 128 units beyond each edge, exteriors clockwise on screen —
// but without the Rust side's simplification (the fixtures are small; the benchmarks say so).

/**
 * Installed in the page before its scripts (`page.addInitScript(installMockTiles)`): defines
 * `window.__TESSERA_MOCK_TILE__(units, z, x, y)`, tile z/x/y of the GeoJSON FeatureCollection `units` as an
 * ArrayBuffer of Mapbox Vector Tile bytes.
 */
export function installMockTiles() {
  const EXTENT = 4096;
  const BUFFER = 128;
  const mercator = ([lon, lat]) => {
    const phi = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
    return [(lon + 180) / 360, 0.5 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / (2 * Math.PI)];
  };
  // One Sutherland–Hodgman pass per edge of the buffered square.
  const clip = (ring, lo, hi) => {
    let out = ring;
    for (const [axis, bound, below] of [[0, lo, false], [0, hi, true], [1, lo, false], [1, hi, true]]) {
      const inside = (p) => (below ? p[axis] <= bound : p[axis] >= bound);
      const next = [];
      let prev = out[out.length - 1];
      for (const p of out) {
        const cross = () => {
          const t = (bound - prev[axis]) / (p[axis] - prev[axis]);
          const q = [prev[0] + (p[0] - prev[0]) * t, prev[1] + (p[1] - prev[1]) * t];
          q[axis] = bound;
          return q;
        };
        if (inside(p)) {
          if (!inside(prev)) next.push(cross());
          next.push(p);
        } else if (inside(prev)) next.push(cross());
        prev = p;
      }
      out = next;
      if (out.length === 0) break;
    }
    return out;
  };
  const area2 = (r) => r.reduce((s, a, i) => s + a[0] * r[(i + 1) % r.length][1] - r[(i + 1) % r.length][0] * a[1], 0);
  // Protobuf writing: varints, zigzag, length-delimited fields.
  const varint = (out, v) => {
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  };
  const zigzag = (n) => (n << 1) ^ (n >> 31);
  const field = (out, tag, bytes) => {
    varint(out, tag);
    varint(out, bytes.length);
    for (const b of bytes) out.push(b);
  };
  window.__TESSERA_MOCK_TILE__ = (units, z, x, y) => {
    const n = 2 ** z;
    const toTile = (c) => {
      const [mx, my] = mercator(c);
      return [(mx * n - x) * EXTENT, (my * n - y) * EXTENT];
    };
    const layer = [];
    varint(layer, (15 << 3) | 0);
    varint(layer, 2);
    field(layer, (1 << 3) | 2, [...new TextEncoder().encode("units")]);
    units.features.forEach((f, id) => {
      const g = f.geometry;
      const geometry = [];
      let cursor = [0, 0];
      const moveTo = (cmd, count, points) => {
        geometry.push((cmd & 7) | (count << 3));
        for (const p of points) {
          geometry.push(zigzag(p[0] - cursor[0]), zigzag(p[1] - cursor[1]));
          cursor = p;
        }
      };
      let type;
      if (g.type === "Point") {
        const p = toTile(g.coordinates).map(Math.round);
        if (p.some((c) => c < -BUFFER || c > EXTENT + BUFFER)) return;
        type = 1;
        moveTo(1, 1, [p]);
      } else {
        type = 3;
        const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
        for (const polygon of polygons) {
          polygon.forEach((ring, k) => {
            const open = ring.slice(0, -1).map(toTile);
            let r = clip(open, -BUFFER, EXTENT + BUFFER).map((p) => p.map(Math.round));
            r = r.filter((p, i) => i === 0 || p[0] !== r[i - 1][0] || p[1] !== r[i - 1][1]);
            if (r.length < 3 || area2(r) === 0) return;
            if (area2(r) > 0 !== (k === 0)) r.reverse();
            moveTo(1, 1, [r[0]]);
            moveTo(2, r.length - 1, r.slice(1));
            geometry.push((7 & 7) | (1 << 3));
          });
        }
        if (geometry.length === 0) return;
      }
      const feature = [];
      varint(feature, (1 << 3) | 0);
      varint(feature, id);
      varint(feature, (3 << 3) | 0);
      varint(feature, type);
      const packed = [];
      for (const v of geometry) varint(packed, v >>> 0);
      field(feature, (4 << 3) | 2, packed);
      field(layer, (2 << 3) | 2, feature);
    });
    varint(layer, (5 << 3) | 0);
    varint(layer, EXTENT);
    const tile = [];
    field(tile, (3 << 3) | 2, layer);
    return new Uint8Array(tile).buffer;
  };
}
