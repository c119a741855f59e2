import { el } from "./format";

/** Every keyboard shortcut and gesture of the window, as the sheet lists them. */
export const SHORTCUTS: [string, string][] = [
  ["Click a territory's row", "select it and make it the one edits give units to"],
  ["Alt+click a unit", "make its territory the active one"],
  ["Click a unit", "give it to the active territory"],
  ["Shift+drag", "give every unit in the box to the active territory"],
  ["Ctrl+drag", "lasso: give every unit inside to the active territory"],
  ["Ctrl+click rows", "select several territories (Rebalance selected)"],
  ["L", "lock or unlock the unit under the pointer"],
  ["Right-click a unit", "lock, assign to…, select its territory"],
  ["Ctrl+Z", "undo"],
  ["Ctrl+Shift+Z or Ctrl+Y", "redo"],
  ["F", "fit all units on the map"],
  ["?", "this sheet"],
  ["Escape", "close a dialog or menu"],
];

/** The keyboard shortcuts sheet: a dialog opened with "?" (and from the map's "?" button and right-click menu). */
export function mountShortcutsSheet(): () => void {
  const dialog = el("dialog", "shortcuts-sheet");
  dialog.id = "shortcuts-sheet";
  const table = el("table", "shortcuts-table");
  for (const [key, what] of SHORTCUTS) {
    const tr = el("tr");
    const k = el("th", undefined);
    k.append(el("kbd", undefined, key));
    tr.append(k, el("td", undefined, what));
    table.append(tr);
  }
  const close = el("button", "dialog-close", "Close");
  close.addEventListener("click", () => dialog.close());
  const buttons = el("div", "dialog-buttons");
  buttons.append(close);
  dialog.append(el("h2", "dialog-title", "Keyboard shortcuts"), table, buttons);
  document.body.append(dialog);
  return () => {
    if (!dialog.open) dialog.showModal();
  };
}
