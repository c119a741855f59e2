import type { Store } from "../state";

/**
 * A message over the map while a workbook loads. Failures are explained in the side panel (they can be long:
 * paths, places searched), so the map area is not covered by a second copy.
 */
export function mountStatus(root: HTMLElement, store: Store): void {
  store.subscribe((s) => {
    root.hidden = s.status !== "loading";
    root.textContent = s.status === "loading" ? "Opening workbook…" : "";
  });
  root.hidden = true;
}
