import maplibregl from "maplibre-gl";
import { BackendError } from "../api";
import { el } from "../panels/format";
import { ATTRIBUTIONS, ATTRIBUTION_NOTICE } from "./attributions";
import type { StartBackend } from "./startBackend";

/** Shows About. */
export type OpenAbout = () => void;

/**
 * The About dialog: the app's name and version (asked of the backend each time it opens, so it is the running
 * binary's), its licence, the libraries the window is built on, and where the shipped data comes from with the
 * attributions its licences ask for.
 */
export function mountAboutDialog(backend: StartBackend): OpenAbout {
  const dialog = el("dialog", "optimize-dialog about-dialog");
  dialog.id = "about-dialog";
  dialog.setAttribute("aria-label", "About Tessera");
  document.body.append(dialog);
  const version = el("p", "about-version", "Version …");
  const close = el("button", "dialog-open about-close", "Close");
  close.type = "button";
  close.addEventListener("click", () => dialog.close());

  const data = el("dl", "about-data");
  for (const a of ATTRIBUTIONS) data.append(el("dt", undefined, a.what), el("dd", undefined, a.source));
  const buttons = el("div", "dialog-buttons");
  buttons.append(close);
  dialog.append(
    el("h2", "dialog-title", "Tessera"),
    version,
    el("p", undefined, "Offline sales territory design. Nothing leaves this computer: no tile server, no cloud."),
    el("p", "panel-muted", "Licence: MIT or Apache-2.0. Built on Tauri, MapLibre GL JS (BSD-3-Clause) and SQLite."),
    el("h3", "about-heading", "Data shipped with Tessera"),
    data,
    el("p", "about-notice", ATTRIBUTION_NOTICE),
    buttons,
  );

  return () => {
    if (!dialog.open) dialog.showModal();
    version.textContent = `Version … · MapLibre GL JS ${maplibregl.getVersion()}`;
    void backend
      .appInfo()
      .then((info) => {
        version.textContent =
          `Version ${info.version} · Tauri ${info.tauriVersion} · MapLibre GL JS ${maplibregl.getVersion()}`;
      })
      .catch((e: unknown) => {
        version.textContent = `Version unknown: ${BackendError.from(e).message}`;
      });
  };
}
