import type { FeatureCollection } from "geojson";
// The base layer ships inside the bundle: no request is ever made for it, in the window or in tests.
import statesText from "../../sample-data/us-states.geojson?raw";
import { TauriBackend, inTauri } from "./api";
import { MapView } from "./map";
import {
  mountCompareView,
  mountContextMenu,
  mountDatasetPanel,
  mountExplorePanel,
  mountFiguresPanel,
  mountHoverPanel,
  mountImportDialog,
  mountMessageBar,
  mountOptimizeDialog,
  mountShortcutsSheet,
  mountStatus,
  mountWorkbookMenu,
} from "./panels";
import { showTeamOverlay } from "./map/teamOverlay";
import { mountTeamBar } from "./panels/teamBar";
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
  // The compare view lives in its own module; its button joins the Workbook toolbar.
  menu.append(mountCompareView(store, backend));
  mountDatasetPanel(byId("side-panel"), store, menu);
  const openOptimize = mountOptimizeDialog(store);
  mountFiguresPanel(byId("figures-panel"), store, openOptimize);
  mountHoverPanel(byId("hover-panel"), store);
  // The trade-off front of "Explore trade-offs", over the map so the plan picked on it is drawn beside it.
  mountExplorePanel(byId("map").parentElement ?? document.body, store);
  mountStatus(byId("status"), store);
  mountMessageBar(byId("messages"), store);
  const view = new MapView(byId("map"), store, JSON.parse(statesText) as FeatureCollection);
  // Overlay teams (issue 14): the team selector and another team's outlines on top of the map.
  mountTeamBar(
    byId("map").parentElement ?? document.body,
    store,
    backend,
    (outlines) => showTeamOverlay(view.map, outlines),
    openOptimize,
  );
  const showShortcuts = mountShortcutsSheet();
  bindShortcuts(store, { fitAll: () => view.fitAll(), showShortcuts });
  mountContextMenu(store, { fitAll: () => view.fitAll(), showShortcuts });
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

/**
 * Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes, through the workbook's history; L locks the unit under the
 * pointer; F fits all units; ? shows every shortcut (panels/shortcutsSheet.ts lists them: keep both in step).
 */
function bindShortcuts(store: Store, actions: { fitAll: () => void; showShortcuts: () => void }): void {
  window.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    // Keys typed while a dialog is open belong to it.
    if (document.querySelector("dialog[open]") !== null) return;
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
    } else if (!mod && key === "f") {
      actions.fitAll();
    } else if (e.key === "?") {
      e.preventDefault();
      actions.showShortcuts();
    }
  });
}

start();
