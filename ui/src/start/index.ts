/** First run and help: the start view over the map when no workbook is open, and About. */
import type { Backend } from "../api";
import { el } from "../panels/format";
import type { OpenImport } from "../panels/importDialog";
import type { Store } from "../state";
import { mountAboutDialog } from "./aboutDialog";
import { TauriStartBackend, type StartBackend } from "./startBackend";
import { mountStartView } from "./startView";

export { startViewShown } from "./startView";
export type { AppInfo, StartBackend } from "./startBackend";

/**
 * Mounts About and the start view into `mapArea`, and adds a "Start" button to the side panel's Workbook `menu`
 * that shows the start view over the open workbook.
 */
export function mountStart(
  mapArea: HTMLElement,
  menu: HTMLElement,
  store: Store,
  backend: Backend,
  openImport: OpenImport,
  start: StartBackend = new TauriStartBackend(),
): void {
  const openAbout = mountAboutDialog(start);
  const show = mountStartView(mapArea, { store, backend, start, openImport, openAbout });
  const button = el("button", "menu-button menu-start", "Start");
  button.type = "button";
  button.title = "The start view: the sample, open, new from CSV, recent workbooks, how it works, About";
  button.addEventListener("click", show);
  menu.append(button);
}
