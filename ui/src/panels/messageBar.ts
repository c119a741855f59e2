import type { AppState, Store } from "../state";
import { el } from "./format";
import { withRepNames } from "./resultExplanation";

/**
 * Messages over the top of the map: a refused edit (`notice`, e.g. a locked unit), what an edit did that a
 * planner may not have meant (`warning`: a territory split, a home base moved), with Undo and Dismiss, and what
 * a longer action is doing or did (`info`: an export and where it went). They float
 * over the map, so showing or hiding one never moves the table or the map.
 */
export function mountMessageBar(root: HTMLElement, store: Store): void {
  const render = (s: AppState): void => {
    const items: HTMLElement[] = [];
    // The backend words refusals with territory ids; the window names reps as the table does.
    if (s.notice !== null) items.push(message("notice", withRepNames(s.notice, s.workbook?.reps ?? []), store, false));
    if (s.warning !== null) items.push(message("warning", `Check this edit: ${s.warning}`, store, s.undoSteps > 0));
    if (s.info !== null) items.push(message("info", s.info, store, false));
    root.replaceChildren(...items);
    root.hidden = items.length === 0;
  };
  render(store.getState());
  store.subscribe((s, prev) => {
    if (s.notice !== prev.notice || s.warning !== prev.warning || s.info !== prev.info || s.undoSteps !== prev.undoSteps) {
      render(s);
    }
  });
}

function message(kind: "notice" | "warning" | "info", text: string, store: Store, undo: boolean): HTMLElement {
  const box = el("div", `message message-${kind}`);
  box.setAttribute("role", kind === "notice" ? "alert" : "status");
  box.append(el("span", "message-text", text));
  if (undo) {
    const button = el("button", "message-undo", "Undo");
    button.title = "Take back the last edit (Ctrl+Z)";
    button.addEventListener("click", () => void store.undo());
    box.append(button);
  }
  const close = el("button", "message-dismiss", "Dismiss");
  close.addEventListener("click", () => store.dismissMessage(kind));
  box.append(close);
  return box;
}
