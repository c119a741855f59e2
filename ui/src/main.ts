import type { FeatureCollection } from "geojson";
// The base layer ships inside the bundle: no request is ever made for it, in the window or in tests.
import statesText from "../../sample-data/us-states.geojson?raw";
import { TauriBackend, inTauri } from "./api";
import { MapView } from "./map";
import { mountDatasetPanel, mountHoverPanel, mountStatus } from "./panels";
import { Store } from "./state";
import "./styles.css";

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`index.html lacks #${id}`);
  return node;
}

function start(): void {
  const store = new Store(new TauriBackend());
  mountDatasetPanel(byId("side-panel"), store);
  mountHoverPanel(byId("hover-panel"), store);
  mountStatus(byId("status"), store);
  new MapView(byId("map"), store, JSON.parse(statesText) as FeatureCollection);
  if (!inTauri()) {
    // Opened as a plain web page: there is no backend to ask.
    byId("status").hidden = false;
    byId("status").textContent = "Tessera's window runs inside the desktop app (tessera-app).";
    return;
  }
  void store.loadCurrent();
}

start();
