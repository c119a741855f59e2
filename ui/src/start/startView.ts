import { BackendError, type Backend, type RecentWorkbook } from "../api";
import { el } from "../panels/format";
import type { OpenImport } from "../panels/importDialog";
import { recentItems } from "../panels/workbookMenu";
import type { AppState, Store } from "../state";
import type { OpenAbout } from "./aboutDialog";
import type { StartBackend } from "./startBackend";
import "./start.css";

/** Whether the start view covers the map: always when no workbook is open (once nothing is loading), else when asked. */
export function startViewShown(s: Pick<AppState, "workbook" | "status">, asked: boolean): boolean {
  if (s.status === "loading") return false;
  return s.workbook === null || asked;
}

/** How many recent workbooks the start view lists (the Recent menu has them all). */
export const START_RECENT = 5;

/** What the start view needs besides the store: the backends, the import dialog and About. */
export interface StartViewDeps {
  store: Store;
  backend: Backend;
  start: StartBackend;
  openImport: OpenImport;
  openAbout: OpenAbout;
}

/** Shows the start view over a workbook (the side panel's Start button); it closes again on any open. */
export type ShowStart = () => void;

/**
 * The start view over the map when no workbook is open (or when asked): open the sample, open a file, new from
 * CSV, the recent workbooks, three lines on how Tessera works, and About. A failure to open (at start-up, or
 * here) is shown at its top. Mounted once into the map area; it hides while a workbook loads and once one is open.
 */
export function mountStartView(root: HTMLElement, deps: StartViewDeps): ShowStart {
  const { store, backend, start, openImport, openAbout } = deps;
  const view = el("section", "start-view");
  view.setAttribute("aria-label", "Start");
  root.append(view);
  let asked = false;
  let localError: string | null = null;

  const close = el("button", "start-close", "×");
  close.type = "button";
  close.title = "Back to the workbook";
  close.setAttribute("aria-label", "Close the start view");
  close.addEventListener("click", () => {
    asked = false;
    render(store.getState());
  });

  const error = el("p", "panel-error start-error");
  const fail = (e: unknown): void => {
    localError = BackendError.from(e).message;
    render(store.getState());
  };
  const busy = (): boolean => store.getState().status === "loading";
  const opened = (): void => {
    asked = false;
    localError = null;
  };

  const action = (className: string, label: string, detail: string, run: () => void): HTMLButtonElement => {
    const b = el("button", `start-action ${className}`);
    b.type = "button";
    b.append(el("span", "start-action-label", label), el("span", "start-action-detail", detail));
    b.addEventListener("click", run);
    return b;
  };
  const actions = el("div", "start-actions");
  actions.append(
    action("start-sample", "Open the sample", "3,108 US counties, 25 reps: your own copy to try things on", () => {
      if (busy()) return;
      opened();
      void start
        .openSample()
        .then((summary) => store.open(summary.path))
        .catch(fail);
    }),
    action("start-open", "Open a workbook…", "A .tessera file on this computer", () => {
      if (busy()) return;
      void backend
        .chooseWorkbook()
        .then((path) => {
          if (path === null) return;
          opened();
          return store.open(path);
        })
        .catch(fail);
    }),
    action("start-new", "New from CSV…", "Import units (ZIP codes, counties, accounts), reps and polygons", () => {
      openImport();
    }),
  );

  const recentList = el("ul", "recent-list start-recent");
  const showRecent = (entries: Promise<RecentWorkbook[]>): void => {
    void entries
      .then((list) =>
        recentList.replaceChildren(
          ...recentItems(list.slice(0, START_RECENT), openRecent, (path) => showRecent(backend.forgetRecent(path))),
        ),
      )
      .catch((e: unknown) => recentList.replaceChildren(el("li", "panel-error", BackendError.from(e).message)));
  };
  const openRecent = (path: string): void => {
    if (busy()) return;
    opened();
    void store.open(path).catch(fail);
  };

  const how = el("ol", "start-how");
  for (const line of [
    "Pick a territory (a row in Figures, or Alt+click the map), then click units to give them to it; " +
      "Shift+drag a box or Ctrl+drag a lasso for many.",
    "Optimize… designs balanced, compact, contiguous territories around your reps and saves them as a scenario " +
      "to compare, keep or delete.",
    "Every edit is saved in the workbook as you go; Ctrl+Z undoes, even after reopening it.",
  ]) {
    how.append(el("li", undefined, line));
  }

  const about = el("button", "start-about", "About Tessera and its data");
  about.type = "button";
  about.addEventListener("click", openAbout);

  const card = el("div", "start-card");
  card.append(
    close,
    el("h2", "start-title", "Tessera"),
    el("p", "start-lead", "Sales territory design on a map, offline. Each workbook is one file on this computer."),
    error,
    actions,
    el("h3", "start-heading", "Recent"),
    recentList,
    el("h3", "start-heading", "How it works"),
    how,
    about,
  );
  view.append(card);

  let shown = false;
  const render = (s: AppState): void => {
    const show = startViewShown(s, asked);
    view.hidden = !show;
    close.hidden = s.workbook === null;
    const message = localError ?? (s.status === "error" ? s.error : null);
    error.hidden = message === null;
    error.textContent = message ?? "";
    // The recent list is read when the view appears, so it is never stale (a workbook opened since, Forget) —
    // after this task: at start-up the view is mounted before the load begins, and must not ask for nothing.
    if (show && !shown) {
      queueMicrotask(() => {
        if (startViewShown(store.getState(), asked)) showRecent(backend.recentWorkbooks());
      });
    }
    shown = show;
  };
  store.subscribe((s, prev) => {
    // A workbook that finished opening closes the view; a failed open keeps it (with the reason).
    if (s.status === "ready" && prev.status !== "ready") asked = false;
    if (s.status === "loading") localError = null;
    render(s);
  });
  render(store.getState());

  return () => {
    asked = true;
    localError = null;
    render(store.getState());
  };
}
