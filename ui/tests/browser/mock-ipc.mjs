// The mocked Tauri IPC the browser test installs before the page's scripts run: the page's real TauriBackend
// calls `window.__TAURI_INTERNALS__.invoke`, which answers from this fixture instead of Rust.

/**
 * A 3×3 grid of one-degree squares in Kansas, split into three territories by column, with its rook adjacency
 * (the mock's figures use it to tell contiguous territories). With `repTerritories`, West and East are named
 * after the reps whose home bases they hold (R1 Dodge City in unit u00, R2 Hays in unit u22), as a workbook
 * imported with reps has them.
 */
export function gridFixture({ repTerritories = false } = {}) {
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
    // The text columns a counties file has: name, state, and a FIPS code (kept as written, not a measure).
    text: [
      { name: "name", values: features.map((f) => f.properties.name) },
      { name: "state", values: features.map(() => "KS") },
      { name: "county", values: features.map((_, i) => String(20001 + 2 * i).padStart(5, "0")) },
    ],
    // Central touches West and East; West and East do not touch.
    alignment: {
      territories: repTerritories ? ["R1", "Central", "R2"] : ["West", "Central", "East"],
      territoryOf,
      adjacent: [[0, 1], [1, 2]],
    },
    // Rook neighbours of the grid (unit index = row * 3 + col).
    edges: [
      [0, 1], [1, 2], [3, 4], [4, 5], [6, 7], [7, 8],
      [0, 3], [3, 6], [1, 4], [4, 7], [2, 5], [5, 8],
    ],
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

/** What `choose_import_file("units")` answers for a small counties CSV: its preview as Rust builds it. */
export function unitsPreviewFixture() {
  const columns = [
    ["id", "id"],
    ["name", "name"],
    ["state", "text"],
    ["lon", "lon"],
    ["lat", "lat"],
    ["workload", "measure"],
    ["accounts", "measure"],
    ["potential_usd", "measure"],
    ["territory", "territory"],
  ];
  const rows = [
    ["20001", "Allen", "KS", "-95.30", "37.88", "14638", "2", "145700", "R07"],
    ["20003", "Anderson", "KS", "-95.29", "38.21", "7803", "1", "77700", "R07"],
    ["20005", "Atchison", "KS", "-95.31", "39.53", "16932", "2", "168500", "R11"],
    ["20007", "Barber", "KS", "-98.68", "37.23", "5874", "1", "58400", "R03"],
    ["20009", "Barton", "KS", "-98.76", "38.48", "29382", "3", "292400", "R03"],
  ];
  return {
    kind: "units",
    path: "/data/kansas-counties.csv",
    name: "kansas-counties.csv",
    preview: {
      path: "/data/kansas-counties.csv",
      columns: columns.map(([name, role]) => ({ name, role, firstTextLine: null, codeReason: null })),
      rows,
      lines: [2, 3, 4, 5, 6],
      sampledRows: 105,
      complete: true,
      rowEstimate: 105,
      measures: ["workload", "accounts", "potential_usd"],
      defaultMeasure: "workload",
      problems: [],
      warnings: [],
    },
  };
}

/**
 * Browser-side script (run through `addInitScript`, so it must be self-contained) that answers the app's
 * commands from `fixture`. The scenario "current" is the fixture's alignment; edits, undo and redo act on it
 * and answer with figures as the Rust commands do (loads, deviation from total / p, unit counts; travel 0).
 */
export function installMockIpc(fixture) {
  window.__TESSERA_IPC_CALLS__ = [];
  // Every call with its arguments, for tests that check what an edit sent (e.g. the units of a box or lasso).
  window.__TESSERA_IPC_ARGS__ = [];
  // The scenario being edited: the fixture's "current", or (a workbook without one) the first design.
  let alignment = fixture.alignment && structuredClone(fixture.alignment);
  let editing = "current";
  const done = [];
  let undone = [];
  const measures = fixture.summary.measures;
  const figures = () => {
    const p = alignment.territories.length;
    const rows = alignment.territories.map((name) => {
      const rep = fixture.summary.reps.find((r) => r.id === name);
      return {
        name,
        rep: rep ? rep.name : null,
        load: 0,
        target: 0,
        deviation: 0,
        travel: 0,
        units: 0,
        connected: true,
        components: 0,
        loads: measures.map(() => 0),
        // Accounts named to the territory (the fixture's `namedAccounts`: territory name -> count).
        namedAccounts: fixture.namedAccounts?.[name] ?? 0,
      };
    });
    alignment.territoryOf.forEach((t, i) => {
      const props = fixture.units.features[i].properties;
      rows[t].load += props[measures[0]] ?? 0;
      rows[t].units += 1;
      measures.forEach((m, k) => (rows[t].loads[k] += props[m] ?? 0));
    });
    // Pieces of each territory over the fixture's edges (every unit its own piece without edges).
    const parent = alignment.territoryOf.map((_, i) => i);
    const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    for (const [a, b] of fixture.edges ?? []) {
      if (alignment.territoryOf[a] === alignment.territoryOf[b]) parent[find(a)] = find(b);
    }
    const roots = alignment.territories.map(() => new Set());
    alignment.territoryOf.forEach((t, i) => roots[t].add(find(i)));
    rows.forEach((r, t) => {
      r.components = roots[t].size;
      r.connected = roots[t].size <= 1;
    });
    const total = rows.reduce((s, r) => s + r.load, 0);
    const target = total / p;
    for (const r of rows) {
      r.target = target;
      r.deviation = (r.load - target) / target;
    }
    const variance = rows.reduce((s, r) => s + (r.load - target) ** 2, 0) / p;
    return {
      measure: measures[0],
      measures,
      target,
      maxDev: Math.max(...rows.map((r) => Math.abs(r.deviation))),
      cv: Math.sqrt(variance) / target,
      travel: 0,
      noncontiguous: rows.filter((r) => !r.connected).length,
      territories: rows,
    };
  };
  const apply = (changed) => {
    // As the app does: the totals and only the rows of territories a unit left or joined.
    const touched = new Set();
    for (const [u, t] of changed) {
      touched.add(alignment.territoryOf[u]).add(t);
      alignment.territoryOf[u] = t;
    }
    const { territories, measure: _m, measures: _ms, ...totals } = figures();
    return {
      changed,
      territories: null,
      figures: { ...totals, territories: [...touched].sort((a, b) => a - b).map((t) => [t, territories[t]]) },
      undoSteps: done.length,
      redoSteps: undone.length,
      figuresMicros: 0,
      writeMicros: 0,
      backendMicros: 0,
    };
  };
  // Channels (optimizer progress) register a callback; the mock calls it as Tauri would.
  const callbacks = new Map();
  let nextCallback = 1;
  const others = new Map();
  // Scenario management: notes by name, and fixture scenarios deleted or renamed away.
  const notes = new Map();
  const gone = new Set();
  // Workbooks made by `create_workbook`, by path.
  const created = new Map();
  let locked = [];
  // Overlay teams: the fixture's (default: one team), changed by add/rename/delete; a team added in the test has
  // no scenario, so its alignment and scenario list are empty (the window offers to design its territories).
  let teams = structuredClone(fixture.teams ?? [{ name: "default", default: true, filter: null, scenarios: 1 }]);
  const addedTeams = new Set();
  const shownTeam = () => window.__TESSERA_TEAM__ ?? teams[0].name;
  const teamsInfo = () => ({ teams: structuredClone(teams), selected: shownTeam() });
  // Plans of scenarios saved from an exploration's front, by name: opening one draws its plan.
  const planOf = new Map();
  // `window.__TESSERA_RELEASE_OPTIMIZE__()` lets a run finish, so a test can look at its progress first.
  let release = null;
  window.__TESSERA_RELEASE_OPTIMIZE__ = () => release?.();
  // The same for `create_workbook` when `window.__TESSERA_HOLD_IMPORT__` is set.
  let releaseImport = null;
  let importCancelled = false;
  window.__TESSERA_RELEASE_IMPORT__ = () => releaseImport?.();
  const summaries = () => listed().map((sc) => ({ ...sc, note: notes.get(sc.name) ?? "" }));
  const listed = () => [
    ...(fixture.alignment
      ? [
          {
            name: "current",
            territories: alignment.territories.length,
            modified: "2026-01-01T00:00:00Z",
            undoSteps: done.length,
            redoSteps: undone.length,
          },
        ]
      : []),
    // Scenarios a fixture's canned comparison names (the compare view's test), unless deleted or renamed.
    ...(fixture.compare?.comparison.scenarios ?? [])
      .map((sc) => sc.scenario)
      .filter((name) => name !== "current" && !others.has(name) && !gone.has(name))
      .map((name) => ({
        name,
        territories: alignment.territories.length,
        modified: "2026-01-01T00:02:00Z",
        undoSteps: 0,
        redoSteps: 0,
      })),
    ...[...others.keys()].map((name) => ({
      name,
      territories: alignment.territories.length,
      modified: "2026-01-01T00:01:00Z",
      undoSteps: 0,
      redoSteps: 0,
    })),
  ];
  window.__TAURI_INTERNALS__ = {
    transformCallback: (cb) => {
      const id = nextCallback++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback: (id) => callbacks.delete(id),
    async invoke(cmd, args) {
      window.__TESSERA_IPC_CALLS__.push(cmd);
      window.__TESSERA_IPC_ARGS__.push({ cmd, args });
      switch (cmd) {
        case "current_workbook":
          // `startEmpty`: as when start-up opened nothing (the start view's test).
          return fixture.startEmpty ? null : fixture.summary;
        case "open_sample":
          return fixture.summary;
        case "app_info":
          return { name: "Tessera", version: "0.1.0", tauriVersion: "2.12.5" };
        case "units_geojson":
          // The real command's JSON body arrives parsed, as here.
          return fixture.units;
        case "current_alignment":
          return addedTeams.has(shownTeam()) ? null : fixture.alignment;
        case "unit_text":
          return fixture.text ?? [];
        case "list_scenarios":
          return addedTeams.has(shownTeam()) ? [] : summaries();
        case "set_locks": {
          const set = new Set(locked);
          for (const u of args.units) args.lock ? set.add(u) : set.delete(u);
          locked = [...set].sort((a, b) => a - b);
          return locked;
        }
        case "optimize": {
          // `window.__TESSERA_OPTIMIZE_RESULT__` patches the result (promises, explained) for a test.
          const send = (index, message) => callbacks.get(args.onProgress.id)?.({ index, message });
          send(0, { stage: "restarts", fraction: 0.42, bestMaxDev: 0.031, bestTravel: 123456, bestNoncontiguous: 1 });
          if (!window.__TESSERA_NO_HOLD__) await new Promise((resolve) => (release = resolve));
          // A late report with a smaller fraction: the bar must not step back.
          send(1, { stage: "restarts", fraction: 0.3, bestMaxDev: 0.02, bestTravel: 121000, bestNoncontiguous: 0 });
          send(2, { stage: "restarts", fraction: 1, bestMaxDev: 0.012, bestTravel: 120000, bestNoncontiguous: 0 });
          const name = `optimized ${others.size + 1}`;
          if (!alignment) {
            // A first design: the units in `territories` blocks of equal count, west to east.
            const p = args.request.territories ?? fixture.summary.reps.length;
            const n = fixture.units.features.length;
            const lon = (f) => (f.geometry.type === "Point" ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0][0]);
            const order = fixture.units.features.map((f, i) => [lon(f), i]).sort((a, b) => a[0] - b[0]);
            const territoryOf = new Array(n).fill(0);
            order.forEach(([, i], k) => (territoryOf[i] = Math.min(p - 1, Math.floor((k * p) / n))));
            const territories = Array.from({ length: p }, (_, k) => `T${k + 1}`);
            const adjacent = territories.slice(1).map((_, k) => [k, k + 1]);
            alignment = { territories, territoryOf, adjacent };
            editing = name;
          }
          others.set(name, true);
          const before = fixture.alignment && args.request.keepCurrent ? { maxDev: 0.3, travel: 100000, noncontiguous: 0 } : null;
          return {
            scenario: name,
            maxDev: 0.012,
            travel: 120000,
            noncontiguous: 0,
            cancelled: false,
            promises: [
              { name: "tolerance", kept: false, why: "the best plan found has max deviation 1.20% (allowed ±1%)" },
              { name: "contiguity", kept: true, why: "" },
            ],
            notes: [],
            scenarios: summaries(),
            explained: {
              measure: measures[0],
              tolerance: args.request.tolerance,
              target: 6006,
              territories: alignment.territories.length,
              units: fixture.units.features.length,
              cv: 0.01,
              maxMoved: args.request.maxMoved,
              movedFraction: before ? 0.11 : null,
              movedUnits: before ? 1 : null,
              before,
              certificate: { gap: 0.049, exact: true },
            },
            ...(window.__TESSERA_OPTIMIZE_RESULT__ ?? {}),
          };
        }
        case "explore": {
          // The fixture's `explore` is what the real `tessera explore` found for this grid: the front grows
          // over two reports (its last plan, then all but the first), waits for a release like optimize, then
          // answers the whole front as `explore` does.
          const x = fixture.explore;
          if (!x) throw { kind: "request", message: "no exploration in this fixture" };
          const send = (index, message) => callbacks.get(args.onProgress.id)?.({ index, message });
          // Plan k of the fixture's front has id "p<k>" while it grows and on the finished front; a plan picked
          // while the run goes keeps its scenario there.
          const pickedWhileRunning = new Map();
          window.__TESSERA_GROWING__ = pickedWhileRunning;
          const growing = (p, k) => ({ ...p, index: null, id: `p${k}`, scenario: null });
          send(0, { stage: "explore: 1 of 15 searches, 1 plans on the front", fraction: 0.2, front: [growing(x.front.at(-1), x.front.length - 1)] });
          send(1, { stage: "explore: 2 of 15 searches, 2 plans on the front", fraction: 0.4, front: x.front.slice(1).map((p, j) => growing(p, j + 1)) });
          if (!window.__TESSERA_NO_HOLD__) await new Promise((resolve) => (release = resolve));
          window.__TESSERA_GROWING__ = null;
          window.__TESSERA_EXPLORED__ = x.front.map((p, k) => ({ ...structuredClone(p), id: `p${k}`, scenario: pickedWhileRunning.get(`p${k}`) ?? null }));
          return {
            front: structuredClone(window.__TESSERA_EXPLORED__),
            current: args.request.keepCurrent ? structuredClone(x.current) : null,
            figure: args.balance,
            measure: measures[0],
            searches: x.searches,
            developed: x.developed,
            droppedNote: x.droppedNote ?? null,
            cancelled: false,
            seconds: x.seconds,
          };
        }
        case "save_growing_plan": {
          const picked = window.__TESSERA_GROWING__;
          if (!picked) throw { kind: "request", message: "No exploration of this workbook is running; pick the plan on the finished front." };
          const k = Number(String(args.id).slice(1));
          const point = fixture.explore.front[k];
          if (!point) throw { kind: "request", message: "That plan is no longer on the front (a better one took its place); pick another." };
          const before = picked.get(args.id);
          if (before && planOf.has(before)) {
            return { scenario: before, created: false, point: { ...point, index: null, id: args.id, scenario: before }, scenarios: summaries() };
          }
          let j = 1;
          while (others.has(`explored ${j}`)) j++;
          const name = `explored ${j}`;
          others.set(name, true);
          planOf.set(name, { ...structuredClone(alignment), territoryOf: fixture.explore.plans[k] });
          picked.set(args.id, name);
          return { scenario: name, created: true, point: { ...point, index: null, id: args.id, scenario: name }, scenarios: summaries() };
        }
        case "save_front_plan": {
          const front = window.__TESSERA_EXPLORED__;
          const point = front?.[args.index];
          if (!point) throw { kind: "request", message: `there is no plan ${args.index}` };
          if (point.scenario && planOf.has(point.scenario)) {
            return { scenario: point.scenario, created: false, point, scenarios: summaries() };
          }
          let k = 1;
          while (others.has(`explored ${k}`)) k++;
          const name = `explored ${k}`;
          others.set(name, true);
          planOf.set(name, { ...structuredClone(alignment), territoryOf: fixture.explore.plans[args.index] });
          point.scenario = name;
          return { scenario: name, created: true, point, scenarios: summaries() };
        }
        case "cancel_optimize":
          release?.();
          return true;
        case "duplicate_scenario":
          others.set(args.to, true);
          notes.set(args.to, notes.get(args.from) ?? "");
          return summaries();
        case "rename_scenario":
          if (args.from === "current") throw { kind: "workbook", message: '"current" keeps its name; duplicate it instead' };
          gone.add(args.from);
          others.delete(args.from);
          others.set(args.to, true);
          notes.set(args.to, notes.get(args.from) ?? "");
          return summaries();
        case "set_scenario_note":
          notes.set(args.name, args.note);
          return summaries();
        case "remove_scenario": {
          gone.add(args.name);
          others.delete(args.name);
          const removed = { name: args.name, territoryOf: alignment.territoryOf, territories: alignment.territories, params: null, metrics: null, note: notes.get(args.name) ?? "" };
          return { scenarios: summaries(), removed };
        }
        case "restore_scenario":
          gone.delete(args.removed.name);
          others.set(args.removed.name, true);
          notes.set(args.removed.name, args.removed.note);
          return summaries();
        case "compare_scenarios": {
          if (!fixture.compare) throw { kind: "request", message: "no comparison in this fixture" };
          // Quotas asked for: the fixture's, as the real `tessera compare --quota-*` set them for exactly that
          // request; a measure the units lack is refused as Rust words it.
          const q = args.quota ?? null;
          const known = fixture.compareQuotas;
          const same = q !== null && known && JSON.stringify(q) === JSON.stringify(known.request);
          const error =
            q === null || same
              ? null
              : measures.includes(q.potential)
                ? `the fixture has no quotas for ${JSON.stringify(q)}`
                : `quota: the units have no measure "${q.potential}"`;
          return {
            ...structuredClone(fixture.compare),
            frontPlans: 0,
            quotas: same ? structuredClone(known.quotas) : [],
            quotaError: error,
          };
        }
        case "delete_scenario":
          others.delete(args.name);
          return summaries();
        case "open_scenario":
          if (planOf.has(args.name)) {
            editing = args.name;
            alignment = structuredClone(planOf.get(args.name));
          }
          return {
            name: args.name === editing || !others.has(args.name) ? editing : args.name,
            alignment: structuredClone(alignment),
            figures: figures(),
            undoSteps: done.length,
            redoSteps: undone.length,
            locked,
          };
        case "reassign_units": {
          // As the session refuses an edit of locked units.
          const held = args.units.filter((u) => locked.includes(u)).length;
          if (held > 0) {
            throw { kind: "request", message: `${held} of these units ${held === 1 ? "is" : "are"} locked; unlock ${held === 1 ? "it" : "them"} first.` };
          }
          const edit = args.units
            .filter((u) => alignment.territoryOf[u] !== args.territory)
            .map((u) => [u, alignment.territoryOf[u], args.territory]);
          if (edit.length === 0) return null;
          done.push(edit);
          undone = [];
          return apply(edit.map(([u, , to]) => [u, to]));
        }
        case "undo_edit": {
          const edit = done.pop();
          if (!edit) return null;
          undone.unshift(edit);
          return apply([...edit].reverse().map(([u, from]) => [u, from]));
        }
        case "redo_edit": {
          const edit = undone.shift();
          if (!edit) return null;
          done.push(edit);
          return apply(edit.map(([u, , to]) => [u, to]));
        }
        // The native dialogs answer what a test put in `window.__TESSERA_DIALOG__` (nothing: cancelled); an
        // `{ error }` answer is thrown as Rust's error payload.
        case "choose_workbook":
        case "choose_import_file":
        case "choose_export_path":
        case "choose_scenario_file":
        case "choose_save_path": {
          const key = {
            choose_workbook: "workbook",
            choose_save_path: "save",
            choose_export_path: "export",
            choose_scenario_file: "scenarioFile",
          }[cmd] ?? args.kind;
          const answer = window.__TESSERA_DIALOG__?.[key] ?? null;
          if (answer?.error) throw answer.error;
          return answer;
        }
        // `window.__TESSERA_NEW_SCENARIO__`: `{ error }` to refuse the file; otherwise the new scenario has the
        // plan "current" has now, and the `outside` units (default none) are answered as Rust lists them.
        case "new_scenario_from_file": {
          const how = window.__TESSERA_NEW_SCENARIO__ ?? {};
          if (how.error) throw how.error;
          const r = args.request;
          const name = r.name || r.path.split("/").pop().replace(/\.[^.]*$/, "");
          if (summaries().some((sc) => sc.name === name)) {
            throw { kind: "request", message: `A scenario called "${name}" exists already; type another name, or delete or rename that one first.` };
          }
          others.set(name, true);
          planOf.set(name, structuredClone(alignment));
          return {
            name,
            territories: alignment.territories.length,
            unitCount: alignment.territoryOf.length,
            warnings: [],
            outside: how.outside ?? [],
            scenarios: summaries(),
          };
        }
        // `window.__TESSERA_EXPORT__`: `{ error }` to refuse the export; otherwise it "wrote" `bytes` (default
        // 12,345) in `millis`, naming the baseline as Rust does (the one asked for, else "current").
        case "export_scenario_file": {
          const how = window.__TESSERA_EXPORT__ ?? {};
          if (how.error) throw how.error;
          const r = args.request;
          const labels = { xlsx: "Excel workbook", csv: "Assignment CSV", geojson: "Territory polygons (GeoJSON)", gpkg: "GeoPackage (every scenario's territories)", html: "HTML report", json: "Figures (JSON)", "units-geojson": "Units with their territory (GeoJSON)" };
          const baseline = r.baseline ?? (r.scenario === "current" ? null : "current");
          return {
            path: r.path,
            fileName: r.path.split("/").pop(),
            scenario: r.scenario,
            label: labels[r.format],
            baseline: r.format === "json" || r.format === "units-geojson" ? null : baseline,
            bytes: how.bytes ?? 12345,
            millis: how.millis ?? 420,
          };
        }
        case "create_workbook": {
          // `window.__TESSERA_CREATE__`: `{ error }` to refuse the import; otherwise the new workbook is the
          // fixture's data under the chosen name, answered with `{ warnings }` as its `importWarnings` (an
          // `open_workbook` of it later has none, as in Rust). Progress goes over the channel as Rust sends it; with
          // `window.__TESSERA_HOLD_IMPORT__` set, the import waits after its first report until
          // `window.__TESSERA_RELEASE_IMPORT__()` or `cancel_import`.
          const send = (index, message) => callbacks.get(args.onProgress?.id)?.({ index, message });
          send(0, { stage: "reading units", fraction: 0.1, bestMaxDev: null, bestTravel: null });
          importCancelled = false;
          if (window.__TESSERA_HOLD_IMPORT__) await new Promise((resolve) => (releaseImport = resolve));
          releaseImport = null;
          if (importCancelled) throw { kind: "cancelled", message: `${args.request.units}: the import was cancelled` };
          send(1, { stage: "writing the workbook", fraction: 0.25, bestMaxDev: null, bestTravel: null });
          const outcome = window.__TESSERA_CREATE__;
          if (outcome?.error) throw outcome.error;
          const path = args.request.out;
          const name = path.replace(/^.*[\\/]/, "").replace(/\.tessera$/, "");
          created.set(path, { ...fixture.summary, name, path });
          send(2, { stage: "opening the workbook", fraction: 1, bestMaxDev: null, bestTravel: null });
          const warnings = outcome?.warnings ?? [];
          return warnings.length > 0 ? { ...created.get(path), importWarnings: warnings } : created.get(path);
        }
        case "cancel_import": {
          const running = releaseImport !== null;
          importCancelled = running;
          releaseImport?.();
          return running;
        }
        case "open_workbook": {
          if (args.path === fixture.summary.path) return fixture.summary;
          if (created.has(args.path)) return created.get(args.path);
          throw { kind: "not_chosen", message: `${args.path} cannot be opened as a workbook: not chosen` };
        }
        // Overlay teams (issue 14): `fixture.teams` lists them (default: one team), `fixture.teamOutlines` has
        // each team's outlines by name; the units are the fixture's whatever the team.
        case "list_teams":
          return teamsInfo();
        case "select_team":
          if (!teams.some((t) => t.name === args.name)) {
            throw { kind: "workbook", message: `no team named ${JSON.stringify(args.name)}` };
          }
          window.__TESSERA_TEAM__ = args.name;
          return fixture.summary;
        // `fixture.teamChoices`: what the Add team form offers; add/rename/delete follow the workbook's rules
        // that the tests look at (a taken name, the default team stays) in Rust's words.
        case "team_choices":
          return fixture.teamChoices ?? { columns: [], unitMeasures: fixture.summary.measures, accountMeasures: [] };
        case "add_team": {
          const r = args.request;
          const name = r.name.trim();
          if (name === "") throw { kind: "request", message: "Team “” cannot be added: a team needs a name." };
          if (teams.some((t) => t.name === name)) {
            throw { kind: "request", message: `Team “${name}” cannot be added: the workbook has a team of this name.` };
          }
          const filter = r.filter === null ? null : `${r.filter.column} = ${r.filter.value}`;
          teams.push({ name, default: false, filter, measure: r.measure, tolerance: r.tolerance, reps: r.reps === null ? 0 : 2, scenarios: 0, locks: 0, named: 0 });
          addedTeams.add(name);
          return teamsInfo();
        }
        case "rename_team": {
          const to = args.to.trim();
          if (teams.some((t) => t.name === to)) {
            throw { kind: "request", message: `Team “${args.from}” cannot be renamed: the workbook has a team named "${to}".` };
          }
          const team = teams.find((t) => t.name === args.from);
          team.name = to;
          if (addedTeams.delete(args.from)) addedTeams.add(to);
          if (shownTeam() === args.from) window.__TESSERA_TEAM__ = to;
          return teamsInfo();
        }
        case "delete_team": {
          const team = teams.find((t) => t.name === args.name);
          if (team.default) throw { kind: "request", message: `Team “${args.name}” cannot be deleted: it is the default team.` };
          teams = teams.filter((t) => t !== team);
          if (shownTeam() === args.name) window.__TESSERA_TEAM__ = teams[0].name;
          return teamsInfo();
        }
        case "team_outlines": {
          const outlines = fixture.teamOutlines?.[args.team];
          return outlines ? { team: args.team, scenario: "current", outlines } : null;
        }
        case "recent_workbooks":
          return window.__TESSERA_RECENT__ ?? fixture.recent ?? [];
        case "forget_recent":
          window.__TESSERA_RECENT__ = (window.__TESSERA_RECENT__ ?? []).filter((r) => r.path !== args.path);
          return window.__TESSERA_RECENT__;
        default:
          throw { kind: "ipc", message: `mock IPC: unknown command ${cmd} ${JSON.stringify(args)}` };
      }
    },
  };
}
