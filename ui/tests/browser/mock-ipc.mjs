// The mocked Tauri IPC the browser test installs before the page's scripts run: the page's real TauriBackend
// calls `window.__TAURI_INTERNALS__.invoke`, which answers from this fixture instead of Rust.

/** A 3×3 grid of one-degree squares in Kansas, split into three territories by column. */
export function gridFixture() {
  const features = [];
  const territoryOf = [];
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const lon = -100 + col;
      const lat = 37 + row;
      const ring = [
        [lon, lat],
        [lon + 1, lat],
        [lon + 1, lat + 1],
        [lon, lat + 1],
        [lon, lat],
      ];
      features.push({
        type: "Feature",
        properties: { id: `u${row}${col}`, name: `Unit ${row}/${col}`, workload: 1000 * (row + 1) + col },
        geometry: { type: "Polygon", coordinates: [ring] },
      });
      territoryOf.push(col);
    }
  }
  return {
    summary: {
      name: "kansas-grid",
      path: "/fixtures/kansas-grid.tessera",
      unitCount: features.length,
      measures: ["workload"],
      geometry: "polygons",
      adjacencyEdges: 12,
      reps: [
        { id: "R1", name: "Dodge City", lon: -99.5, lat: 37.5, capacity: 1 },
        { id: "R2", name: "Hays", lon: -97.5, lat: 39.5, capacity: 1 },
      ],
    },
    units: { type: "FeatureCollection", features },
    // Central touches West and East; West and East do not touch.
    alignment: { territories: ["West", "Central", "East"], territoryOf, adjacent: [[0, 1], [1, 2]] },
  };
}

/** 200 points on a spiral around Wichita, KS, no alignment: drawn as circles in the single "no territory" colour. */
export function pointsFixture() {
  const features = [];
  for (let i = 0; i < 200; i++) {
    const angle = i * 0.5;
    const radius = 0.02 * i;
    features.push({
      type: "Feature",
      properties: { id: `p${i}`, accounts: 1 + (i % 5) },
      geometry: { type: "Point", coordinates: [-97.3 + radius * Math.cos(angle), 37.7 + radius * Math.sin(angle)] },
    });
  }
  return {
    summary: {
      name: "wichita-points",
      path: "/fixtures/wichita-points.tessera",
      unitCount: features.length,
      measures: ["accounts"],
      geometry: "points",
      adjacencyEdges: 590,
      reps: [],
    },
    units: { type: "FeatureCollection", features },
    alignment: null,
  };
}

/** Browser-side script (run through `addInitScript`) that answers the app's commands from `fixture`. */
export function installMockIpc(fixture) {
  window.__TESSERA_IPC_CALLS__ = [];
  window.__TAURI_INTERNALS__ = {
    transformCallback: () => 0,
    unregisterCallback: () => {},
    async invoke(cmd, args) {
      window.__TESSERA_IPC_CALLS__.push(cmd);
      switch (cmd) {
        case "current_workbook":
          return fixture.summary;
        case "units_geojson":
          // The real command's JSON body arrives parsed, as here.
          return fixture.units;
        case "current_alignment":
          return fixture.alignment;
        default:
          throw { kind: "ipc", message: `mock IPC: unknown command ${cmd} ${JSON.stringify(args)}` };
      }
    },
  };
}
