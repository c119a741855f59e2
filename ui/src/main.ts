import type { FeatureCollection } from "geojson";
// The base layer ships inside the bundle: no request is ever made for it, in the window or in tests.
import statesText from "../../sample-data/us-states.geojson?raw";
import { TauriBackend, inTauri } from "./api";
import { MapView } from "./map";
import {
  mountDatasetPanel,
  mountFiguresPanel,
  mountHoverPanel,
  mountImportDialog,
  mountOptimizeDialog,
  mountStatus,
  mountWorkbookMenu,
} from "./panels";
import { mountStart } from "./start";
import { Store } from "./state";
import "./styles.css";

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`index.html lacks #${id}`);
  return node;
}

function start(): void {
  const backend = new TauriBackend();
  const store = new Store(backend);
  const openImport = mountImportDialog(store, backend);
  const menu = mountWorkbookMenu(store, backend, openImport);
  mountDatasetPanel(byId("side-panel"), store, menu);
  mountFiguresPanel(byId("figures-panel"), store, mountOptimizeDialog(store));
  bindShortcuts(store);
  mountHoverPanel(byId("hover-panel"), store);
  mountStatus(byId("status"), store);
  const view = new MapView(byId("map"), store, JSON.parse(statesText) as FeatureCollection);
  // The start view when no workbook is open (and on the menu's Start button), with About.
  mountStart(byId("map").parentElement ?? document.body, menu, store, backend, openImport);
  // For the end-to-end test's latency measurement (ui/tests/e2e) and for diagnosing a planner's session from
  // the web inspector; nothing in the app reads it.
  (window as unknown as { __tessera: unknown }).__tessera = { store, map: view.map };
  if (!inTauri()) {
    // Opened as a plain web page: there is no backend to ask.
    byId("status").hidden = false;
    byId("status").textContent = "Tessera's window runs inside the desktop app (tessera-app).";
    return;
  }
  void store.loadCurrent();
}

/** Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes, through the workbook's history; Escape clears the selection. */
function bindShortcuts(store: Store): void {
  window.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === "z") {
      e.preventDefault();
      void (e.shiftKey ? store.redo() : store.undo());
    } else if (mod && key === "y") {
      e.preventDefault();
      void store.redo();
    } else if (!mod && key === "l") {
      // L locks the unit under the pointer, or unlocks it when it is locked.
      const unit = store.getState().hovered;
      if (unit !== null) void store.setLocks([unit], !store.getState().locked.has(unit));
    }
  });
}

start();
