import { BackendError, type Backend, type RecentWorkbook } from "../api";
import type { Store } from "../state";
import { el } from "./format";
import type { OpenImport } from "./importDialog";

/**
 * The side panel's Workbook toolbar: "Open…" (native dialog), "New from CSV…" (the import dialog) and
 * "Recent ▸" (the last workbooks, newest first; gone ones greyed out, with "Forget" to drop them from the list).
 * One element, kept across the panel's
 * re-renders. Opening goes through the backend's scope check like any open.
 */
export function mountWorkbookMenu(store: Store, backend: Backend, openImport: OpenImport): HTMLElement {
  const bar = el("nav", "workbook-menu");
  bar.setAttribute("aria-label", "Workbook");
  const message = el("p", "panel-error workbook-menu-error");
  message.hidden = true;
  const fail = (e: unknown): void => {
    message.textContent = BackendError.from(e).message;
    message.hidden = false;
  };
  // One open at a time: the backend keeps whichever open finished last.
  const busy = (): boolean => store.getState().status === "loading";

  const open = el("button", "menu-button menu-open", "Open…");
  open.type = "button";
  open.title = "Open a Tessera workbook";
  open.addEventListener("click", () => {
    if (busy()) return;
    message.hidden = true;
    void backend
      .chooseWorkbook()
      .then((path) => (path === null ? undefined : store.open(path)))
      .catch(fail);
  });

  const create = el("button", "menu-button menu-new", "New from CSV…");
  create.type = "button";
  create.title = "Create a workbook by importing a units CSV (and optional polygons, reps, adjacency)";
  create.addEventListener("click", () => {
    message.hidden = true;
    openImport();
  });

  const recent = el("details", "menu-recent");
  const summary = el("summary", "menu-button", "Recent ▸");
  const list = el("ul", "recent-list");
  recent.append(summary, list);
  const showing = (entries: Promise<RecentWorkbook[]>): void => {
    void entries
      .then((list_) => list.replaceChildren(...recentItems(list_, openRecent, forget)))
      .catch((e: unknown) => list.replaceChildren(el("li", "panel-error", BackendError.from(e).message)));
  };
  const openRecent = (path: string): void => {
    recent.open = false;
    if (!busy()) void store.open(path);
  };
  const forget = (path: string): void => showing(backend.forgetRecent(path));
  recent.addEventListener("toggle", () => {
    if (!recent.open) return;
    list.replaceChildren(el("li", "panel-muted", "Loading…"));
    showing(backend.recentWorkbooks());
  });

  bar.append(open, create, recent, message);
  return bar;
}

/**
 * The recent workbooks as list items; a gone file is shown, greyed, cannot be clicked, and has a "Forget"
 * button that drops it from the list.
 */
export function recentItems(
  entries: RecentWorkbook[],
  open: (path: string) => void,
  forget: (path: string) => void = () => {},
): HTMLElement[] {
  if (entries.length === 0) return [el("li", "panel-muted", "No recent workbooks yet.")];
  return entries.map((entry) => {
    const item = el("li", entry.exists ? "recent-item" : "recent-item missing");
    const b = el("button", "recent-button", entry.name);
    b.type = "button";
    b.title = entry.exists ? entry.path : `${entry.path} (not found: moved or deleted)`;
    b.disabled = !entry.exists;
    b.addEventListener("click", () => open(entry.path));
    item.append(b);
    if (!entry.exists) {
      item.append(el("span", "panel-muted", " missing"));
      const drop = el("button", "recent-forget", "Forget");
      drop.type = "button";
      drop.title = `Remove ${entry.path} from the recent workbooks`;
      drop.addEventListener("click", () => forget(entry.path));
      item.append(drop);
    }
    return item;
  });
}
