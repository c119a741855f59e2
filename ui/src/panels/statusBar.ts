import type { Store } from "../state";

/** A message over the map while loading or after a failure, so the planner never faces a blank screen. */
export function mountStatus(root: HTMLElement, store: Store): void {
  store.subscribe((s) => {
    const message = s.status === "loading" ? "Opening workbook…" : s.status === "error" ? s.error : null;
    root.textContent = message ?? "";
    root.hidden = message === null;
    root.classList.toggle("status-error", s.status === "error");
  });
  root.hidden = true;
}
