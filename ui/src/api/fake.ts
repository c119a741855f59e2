import { BackendError, type Backend } from "./backend";
import type { Alignment, UnitCollection, WorkbookSummary } from "./types";

/** One workbook the fake backend can "open". */
export interface FakeWorkbook {
  summary: WorkbookSummary;
  units: UnitCollection;
  alignment: Alignment | null;
}

/**
 * An in-memory backend for tests: serves fixed workbooks by path and records every call, so tests can check
 * what the UI asked for. Calls resolve on a later microtask, as real IPC does.
 */
export class FakeBackend implements Backend {
  readonly calls: string[] = [];
  private current: FakeWorkbook | null;

  constructor(
    private readonly workbooks: Record<string, FakeWorkbook>,
    initialPath: string | null = null,
    private readonly startupError: string | null = null,
  ) {
    this.current = initialPath === null ? null : (workbooks[initialPath] ?? null);
  }

  async currentWorkbook(): Promise<WorkbookSummary | null> {
    this.calls.push("currentWorkbook");
    await Promise.resolve();
    if (this.startupError !== null) throw new BackendError({ kind: "workbook", message: this.startupError });
    return this.current?.summary ?? null;
  }

  async openWorkbook(path: string): Promise<WorkbookSummary> {
    this.calls.push(`openWorkbook ${path}`);
    await Promise.resolve();
    const wb = this.workbooks[path];
    if (wb === undefined) throw new BackendError({ kind: "workbook", message: `${path}: no such file` });
    this.current = wb;
    return wb.summary;
  }

  async unitsGeojson(): Promise<UnitCollection> {
    this.calls.push("unitsGeojson");
    await Promise.resolve();
    return structuredClone(this.open().units);
  }

  async currentAlignment(): Promise<Alignment | null> {
    this.calls.push("currentAlignment");
    await Promise.resolve();
    return this.open().alignment;
  }

  private open(): FakeWorkbook {
    if (this.current === null) throw new BackendError({ kind: "no_workbook", message: "No workbook is open." });
    return this.current;
  }
}
