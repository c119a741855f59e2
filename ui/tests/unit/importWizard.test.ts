import { describe, expect, it } from "vitest";
import { BackendError, type ChosenFile, type UnitsPreview } from "../../src/api";
import { FakeBackend } from "./fakeBackend";
import {
  EMPTY_WIZARD,
  blocker,
  chose,
  choseMeasure,
  cleared,
  createRequest,
  defaultMeasure,
  cancelRequested,
  failed,
  indeterminate,
  measureChoices,
  progressLabel,
  progressed,
  roleLabel,
  started,
  stopped,
  suggestedName,
} from "../../src/panels/importWizard";
import { Store } from "../../src/state";
import { gridWorkbook } from "./fixtures";

function preview(columns: [string, UnitsPreview["columns"][number]["role"]][], defaultM: string | null): UnitsPreview {
  return {
    path: "/data/units.csv",
    columns: columns.map(([name, role]) => ({ name, role, firstTextLine: null, codeReason: null })),
    rows: [columns.map(() => "1")],
    lines: [2],
    sampledRows: 1,
    complete: true,
    rowEstimate: 1,
    measures: columns.filter(([, r]) => r === "measure").map(([n]) => n),
    defaultMeasure: defaultM,
    problems: [],
    warnings: [],
  };
}

function unitsFile(p: UnitsPreview): ChosenFile {
  return { kind: "units", path: "/data/units.csv", name: "units.csv", preview: p };
}

const COUNTIES = preview(
  [
    ["id", "id"],
    ["name", "name"],
    ["lon", "lon"],
    ["lat", "lat"],
    ["population", "measure"],
    ["Workload", "measure"],
    ["notes", "text"],
    ["territory", "territory"],
  ],
  "Workload",
);

describe("import wizard state", () => {
  it("offers only numeric columns as measures and picks workload by default", () => {
    expect(measureChoices(COUNTIES)).toEqual(["population", "Workload"]);
    expect(defaultMeasure(COUNTIES)).toBe("Workload");
    const s = chose(EMPTY_WIZARD, unitsFile(COUNTIES));
    expect(s.measure).toBe("Workload");
    expect(blocker(s)).toBeNull();
  });

  it("takes the measures and the default from the backend's preview, never recomputing them", () => {
    // The backend skipped workload (say it was refused) and chose potential; a FIPS column is a code.
    const backendChose = preview(
      [
        ["id", "id"],
        ["lon", "lon"],
        ["lat", "lat"],
        ["workload", "measure"],
        ["potential", "measure"],
        ["county", "code"],
      ],
      "potential",
    );
    expect(defaultMeasure(backendChose)).toBe("potential");
    expect(chose(EMPTY_WIZARD, unitsFile(backendChose)).measure).toBe("potential");
    expect(measureChoices(backendChose)).toEqual(["workload", "potential"]);
    expect(choseMeasure(chose(EMPTY_WIZARD, unitsFile(backendChose)), "county").measure).toBe("potential");
    expect(roleLabel("code")).toBe("code (text)");
  });

  it("follows the backend's default without workload, and picks none without numeric columns", () => {
    const noWorkload = preview(
      [
        ["id", "id"],
        ["lon", "lon"],
        ["lat", "lat"],
        ["accounts", "measure"],
        ["potential", "measure"],
      ],
      "accounts",
    );
    expect(defaultMeasure(noWorkload)).toBe("accounts");
    expect(defaultMeasure({ ...noWorkload, defaultMeasure: null })).toBeNull();
    const textOnly = preview(
      [
        ["id", "id"],
        ["lon", "lon"],
        ["lat", "lat"],
        ["notes", "text"],
      ],
      null,
    );
    const s = chose(EMPTY_WIZARD, unitsFile(textOnly));
    expect(s.measure).toBeNull();
    expect(blocker(s)).toBeNull(); // units count equally
  });

  it("ignores a measure that is not a numeric column", () => {
    const s = chose(EMPTY_WIZARD, unitsFile(COUNTIES));
    expect(choseMeasure(s, "population").measure).toBe("population");
    expect(choseMeasure(s, "notes").measure).toBe("Workload");
    expect(choseMeasure(s, "lat").measure).toBe("Workload");
  });

  it("blocks Create until a units file without problems is chosen", () => {
    expect(blocker(EMPTY_WIZARD)).toBe("Choose a units CSV first.");
    const broken = { ...COUNTIES, problems: ["units.csv: no latitude column; name one lat, latitude, y"] };
    expect(blocker(chose(EMPTY_WIZARD, unitsFile(broken)))).toContain("no latitude column");
    expect(blocker({ ...chose(EMPTY_WIZARD, unitsFile(COUNTIES)), busy: true })).toBe("Importing…");
  });

  it("builds the request with the optional files and the save path", () => {
    let s = chose(EMPTY_WIZARD, unitsFile(COUNTIES));
    s = chose(s, { kind: "reps", path: "/data/reps.csv", name: "reps.csv", preview: null });
    s = chose(s, { kind: "polygons", path: "/data/p.geojson", name: "p.geojson", preview: null });
    s = cleared(s, "polygons");
    s = choseMeasure(s, "population");
    expect(suggestedName(s)).toBe("units.tessera");
    expect(createRequest(s, "/out/new.tessera")).toEqual({
      units: "/data/units.csv",
      polygons: null,
      reps: "/data/reps.csv",
      adjacency: null,
      balance: "population",
      out: "/out/new.tessera",
    });
  });

  it("shows an import error, ends the run, and a new choice clears it", () => {
    const running = { ...chose(EMPTY_WIZARD, unitsFile(COUNTIES)), busy: true };
    const message = '/data/units.csv line 3, column "Workload" (#6): "lots" is not a number';
    const s = failed(running, message);
    expect(s.busy).toBe(false);
    expect(s.error).toBe(message);
    expect(s.units?.name).toBe("units.csv"); // the choices stay, so the planner can fix the file and retry
    expect(chose(s, unitsFile(COUNTIES)).error).toBeNull();
  });
});

describe("import progress and cancel", () => {
  const ready = chose(EMPTY_WIZARD, unitsFile(COUNTIES));

  it("shows the stage and the fraction, never going back, and the writing stage as busy", () => {
    let s = started(ready);
    expect([s.busy, s.progress?.fraction, blocker(s)]).toEqual([true, 0, "Importing…"]);
    s = progressed(s, { stage: "reading units", fraction: 0.125 });
    expect(progressLabel(s)).toBe("Reading units… 12%");
    expect(indeterminate(s)).toBe(false);
    s = progressed(s, { stage: "deriving adjacency", fraction: 0.1 }); // a late, smaller report
    expect(s.progress).toEqual({ stage: "deriving adjacency", fraction: 0.125 });
    s = progressed(s, { stage: "writing the workbook", fraction: 0.25 });
    expect(indeterminate(s)).toBe(true);
    expect(progressLabel(s)).toBe("Writing the workbook… 25%");
    // A report after the run ended (the channel is not ordered with the answer) changes nothing.
    const done = failed(s, "boom");
    expect(progressed(done, { stage: "opening the workbook", fraction: 1 })).toBe(done);
  });

  it("Cancel says so until the import stops, then keeps the choices and tells that nothing was written", () => {
    let s = progressed(started(ready), { stage: "reading units", fraction: 0.2 });
    s = cancelRequested(s);
    expect(s.cancelling).toBe(true);
    expect(progressLabel(s)).toBe("Cancelling… nothing will be written.");
    s = stopped(s);
    expect([s.busy, s.cancelling, s.progress, s.error]).toEqual([false, false, null, null]);
    expect(s.notice).toBe("Import cancelled; no workbook was written.");
    expect(s.units?.name).toBe("units.csv");
    expect(s.measure).toBe("Workload");
    expect(blocker(s)).toBeNull(); // ready to try again
    expect(started(s).notice).toBeNull();
    expect(cancelRequested(EMPTY_WIZARD)).toBe(EMPTY_WIZARD); // nothing running: nothing to cancel
  });

  it("the fake backend streams progress and a cancel rejects the import with the kind `cancelled`", async () => {
    const backend = new FakeBackend({});
    backend.importResult = gridWorkbook();
    backend.holdImport = true;
    const seen: string[] = [];
    const run = backend
      .createWorkbook(createRequest(ready, "/out/x.tessera"), (p) => seen.push(p.stage))
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(["reading units"]);
    expect(await backend.cancelImport()).toBe(true);
    const err = await run;
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).kind).toBe("cancelled");
    expect(seen).toEqual(["reading units"]);
    expect(await backend.cancelImport()).toBe(false);
    await expect(backend.openWorkbook("/out/x.tessera")).rejects.toBeInstanceOf(BackendError); // nothing made
  });
});

describe("recent workbooks", () => {
  // The Forget button itself is in the browser test (unit tests have no DOM).
  it("the fake backend forgets an entry", async () => {
    const backend = new FakeBackend({});
    backend.recent = [
      { name: "a", path: "/a.tessera", exists: true },
      { name: "b", path: "/b.tessera", exists: false },
    ];
    expect((await backend.forgetRecent("/b.tessera")).map((r) => r.name)).toEqual(["a"]);
  });
});

describe("fake backend import commands", () => {
  it("create then open: the new workbook becomes current and recent", async () => {
    const backend = new FakeBackend({ "/data/grid.tessera": gridWorkbook() }, "/data/grid.tessera");
    backend.dialog = { units: unitsFile(COUNTIES), save: "/out/al.tessera" };
    backend.importResult = gridWorkbook();
    const store = new Store(backend);
    const chosen = await backend.chooseImportFile("units");
    expect(chosen?.preview?.measures).toEqual(["population", "Workload"]);
    const out = await backend.chooseSavePath("units.tessera");
    const summary = await backend.createWorkbook(createRequest(chose(EMPTY_WIZARD, chosen as ChosenFile), out ?? ""));
    await store.open(summary.path);
    expect(store.getState().workbook?.name).toBe("al");
    expect((await backend.recentWorkbooks()).map((r) => r.path)).toEqual(["/out/al.tessera"]);
  });

  it("the import's warnings come with the create, stay with the opened workbook until dismissed, not on a reopen", async () => {
    const backend = new FakeBackend({ "/data/grid.tessera": gridWorkbook() }, "/data/grid.tessera");
    const made = gridWorkbook();
    const warnings = [
      "/data/units.csv: 3 links longer than 150 km dropped from the Delaunay adjacency (0 kept because the graph would fall apart without them)",
      '/data/units.csv: 2 of the 2 territories in the territory column ("N", "S") match no rep id in /data/reps.csv; …',
    ];
    backend.importResult = { ...made, summary: { ...made.summary, importWarnings: warnings } };
    const store = new Store(backend);
    const request = { units: "/data/units.csv", polygons: null, reps: null, adjacency: null, balance: null, out: "/out/n.tessera" };
    const summary = await backend.createWorkbook(request);
    expect(summary.importWarnings).toEqual(warnings);
    await store.open(summary.path, summary.importWarnings ?? []);
    expect(store.getState().workbook?.name).toBe("n");
    expect(store.getState().importNotes).toEqual(warnings);
    // The summary the open answered has none: the notes are the store's, from the create.
    expect(store.getState().workbook?.importWarnings).toBeUndefined();

    let renders = 0;
    store.subscribe(() => renders++);
    store.dismissImportNotes();
    expect(store.getState().importNotes).toEqual([]);
    store.dismissImportNotes();
    expect(renders).toBe(1);

    // Opening again (or another workbook) shows no notes.
    await store.open(summary.path, summary.importWarnings ?? []);
    expect(store.getState().importNotes).toEqual(warnings);
    await store.open("/data/grid.tessera");
    expect(store.getState().importNotes).toEqual([]);
  });

  it("a refused import rejects with the backend's message", async () => {
    const backend = new FakeBackend({});
    backend.importResult = { kind: "import", message: "u.csv line 3: duplicate id \"a\", already on line 2" };
    const err = await backend
      .createWorkbook({ units: "u.csv", polygons: null, reps: null, adjacency: null, balance: null, out: "o.tessera" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).kind).toBe("import");
    expect((err as BackendError).message).toContain("line 3");
  });
});
