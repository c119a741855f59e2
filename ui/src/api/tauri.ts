import { invoke } from "@tauri-apps/api/core";
import { BackendError, type Backend } from "./backend";
import type { Alignment, UnitCollection, WorkbookSummary } from "./types";

/** The real backend: Tauri commands in `src-tauri/src/commands/`. */
export class TauriBackend implements Backend {
  currentWorkbook(): Promise<WorkbookSummary | null> {
    return call<WorkbookSummary | null>("current_workbook");
  }

  openWorkbook(path: string): Promise<WorkbookSummary> {
    return call<WorkbookSummary>("open_workbook", { path });
  }

  async unitsGeojson(): Promise<UnitCollection> {
    // The command answers with raw bytes (an ArrayBuffer) so 2+ MB of GeoJSON is not JSON-encoded twice.
    const raw = await call<ArrayBuffer | string>("units_geojson");
    const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
    return JSON.parse(text) as UnitCollection;
  }

  currentAlignment(): Promise<Alignment | null> {
    return call<Alignment | null>("current_alignment");
  }
}

/** True when the page runs inside the Tauri window (its IPC bridge is injected before our scripts run). */
export function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw BackendError.from(reason);
  }
}
