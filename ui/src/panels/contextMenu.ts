import type { Store } from "../state";
import { el } from "./format";

/**
 * The app's own right-click menu, instead of the web view's Back/Forward/Reload. Over a unit: lock or unlock it,
 * assign it to a territory, select its territory; anywhere: fit all units, keyboard shortcuts. Text fields keep
 * their usual menu (copy, paste). Escape, a click elsewhere or a scroll closes it.
 */
export function mountContextMenu(store: Store, actions: { fitAll: () => void; showShortcuts: () => void }): void {
  const menu = el("div", "context-menu");
  menu.setAttribute("role", "menu");
  menu.hidden = true;
  document.body.append(menu);
  const close = (): void => {
    menu.hidden = true;
    menu.replaceChildren();
  };
  const item = (label: string, run: () => void, title?: string): HTMLButtonElement => {
    const button = el("button", "context-item", label);
    button.type = "button";
    button.setAttribute("role", "menuitem");
    if (title !== undefined) button.title = title;
    button.addEventListener("click", () => {
      close();
      run();
    });
    return button;
  };

  window.addEventListener("contextmenu", (e) => {
    const target = e.target as HTMLElement | null;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    e.preventDefault();
    const s = store.getState();
    // The unit under the pointer, when the click is on the map.
    const onMap = target?.closest("#map") != null;
    const unit = onMap ? s.hovered : null;
    const items: HTMLElement[] = [];
    if (unit !== null && s.scenario !== null && s.alignment !== null) {
      const feature = s.units?.features[unit];
      items.push(el("div", "context-title", String(feature?.properties.id ?? unit)));
      const locked = s.locked.has(unit);
      items.push(item(locked ? "Unlock unit" : "Lock unit", () => void store.setLocks([unit], !locked), "L"));
      const t = store.territoryOf(unit);
      if (t !== null) {
        const name = s.figures?.territories[t]?.rep ?? s.alignment.territories[t] ?? "";
        items.push(item(`Select territory ${name}`, () => store.selectTerritory(t)));
      }
      items.push(el("div", "context-title", "Assign to"));
      const list = el("div", "context-list");
      s.alignment.territories.forEach((name, k) => {
        if (k === t) return;
        const label = s.figures?.territories[k]?.rep ?? name;
        const button = item(label, () => void store.reassign([unit], k));
        const swatch = el("span", "swatch");
        swatch.style.backgroundColor = s.territoryColors[k] ?? "";
        button.prepend(swatch);
        list.append(button);
      });
      items.push(list);
      items.push(el("hr", "context-sep"));
    }
    items.push(item("Fit all units", actions.fitAll, "F"));
    items.push(item("Keyboard shortcuts", actions.showShortcuts, "?"));
    menu.replaceChildren(...items);
    menu.hidden = false;
    // Inside the window, whichever way it fits.
    const { innerWidth: w, innerHeight: h } = window;
    const rect = menu.getBoundingClientRect();
    menu.style.left = `${Math.max(0, Math.min(e.clientX, w - rect.width - 4))}px`;
    menu.style.top = `${Math.max(0, Math.min(e.clientY, h - rect.height - 4))}px`;
  });
  window.addEventListener("mousedown", (e) => {
    if (!menu.hidden && !menu.contains(e.target as Node)) close();
  });
  window.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !menu.hidden) close();
  });
  window.addEventListener("wheel", () => !menu.hidden && close(), { passive: true });
}
