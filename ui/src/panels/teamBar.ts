import type { FeatureCollection } from "geojson";
import { BackendError, type Backend, type TeamsInfo } from "../api";
import type { Store } from "../state";
import { el } from "./format";
import { mountTeamActions } from "./teamActions";
import "./teamBar.css";

/**
 * The team bar over the map (overlay teams, issue 14), shown while a workbook is open: a selector that switches
 * the team shown (its units, reps and scenarios load as a newly opened workbook's do), the "Teams" menu that
 * adds, renames and deletes teams (`teamActions.ts`), and, with two or more teams, a checkbox that draws another
 * team's territory outlines on top (`drawOutlines`, thin violet dashes; with three or more teams, a second
 * selector picks which). The outlines are the other team's "current" scenario, else its latest; the bar says
 * which. A team just added is shown at once, and the bar offers to design its first territories
 * (`openOptimize`, the Optimize dialog as "Design territories").
 */
export function mountTeamBar(
  parent: HTMLElement,
  store: Store,
  backend: Backend,
  drawOutlines: (outlines: FeatureCollection | null) => void,
  openOptimize?: (only: string[]) => void,
): HTMLElement {
  const bar = el("div", "team-bar");
  bar.hidden = true;
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Teams");
  const head = el("div", "team-bar-head");
  const label = el("label", "team-bar-label", "Team ");
  const select = document.createElement("select");
  select.className = "team-select";
  label.append(select);
  head.append(label);
  const overlay = el("label", "team-overlay-toggle");
  const check = document.createElement("input");
  check.type = "checkbox";
  check.className = "team-overlay-check";
  const otherSelect = document.createElement("select");
  otherSelect.className = "team-overlay-select";
  const overlayText = el("span", "team-overlay-text", "");
  overlay.append(check, overlayText, otherSelect);
  const note = el("p", "team-bar-note");
  // After "Add team": the new team has no territories yet; the bar offers to design them.
  const offer = el("div", "team-bar-offer");
  offer.hidden = true;
  bar.append(head, overlay, note, offer);
  parent.append(bar);

  let info: TeamsInfo | null = null;
  // The team the offer is about: it goes once another team is shown or the team has a scenario.
  let offerFor: string | null = null;
  mountTeamActions(head, backend, {
    info: () => info,
    took: (t) => {
      info = t;
      render();
    },
    show: (name) => store.showTeam(name),
    added: (name) => {
      const text = el("span", "team-bar-offer-text", `Team “${name}” added. It has no territories yet.`);
      const design = el("button", "team-design", "Design its territories…");
      design.type = "button";
      design.addEventListener("click", () => {
        offer.hidden = true;
        openOptimize?.([]);
      });
      design.hidden = openOptimize === undefined;
      offer.replaceChildren(text, design);
      offer.hidden = false;
      offerFor = name;
    },
  });

  // Each refresh or draw supersedes the previous one still on its way.
  let asked = 0;
  const fail = (e: unknown): void => {
    note.textContent = BackendError.from(e).message;
    note.classList.add("panel-error");
  };
  const others = (): string[] => (info?.teams ?? []).map((t) => t.name).filter((n) => n !== info?.selected);

  const draw = (): void => {
    const ask = ++asked;
    const other = otherSelect.value;
    note.classList.remove("panel-error");
    if (!check.checked || other === "") {
      note.textContent = "";
      drawOutlines(null);
      return;
    }
    note.textContent = `Loading ${other}'s territories…`;
    backend
      .teamOutlines(other)
      .then((o) => {
        if (ask !== asked) return;
        if (o === null) {
          note.textContent = `${other} has no scenario yet: no outlines to draw.`;
          drawOutlines(null);
          return;
        }
        note.textContent = `Outlines: ${other}, scenario “${o.scenario}” (${o.outlines.features.length} territories)`;
        drawOutlines(o.outlines);
      })
      .catch((e: unknown) => {
        if (ask === asked) fail(e);
      });
  };

  // The team whose tolerance the figures panel took last: another team shown takes its own (or the default).
  let tolerated: string | null = null;
  const render = (): void => {
    const teams = info?.teams ?? [];
    const selected = teams.find((t) => t.name === info?.selected);
    if (selected !== undefined && selected.name !== tolerated) {
      // A team's scenarios are judged by its tolerance, as in its exports and comparisons.
      if (tolerated !== null || selected.tolerance != null) store.setTolerance(selected.tolerance ?? 0.05);
      tolerated = selected.name;
    }
    bar.hidden = teams.length === 0;
    // One team: the menu alone (a small box); two or more: the selector and the outlines too. The messages
    // over the map make room for the bar (teamBar.css), so neither covers the other's buttons.
    const kind = teams.length === 0 ? "none" : teams.length === 1 ? "single" : "multi";
    bar.classList.toggle("team-bar-single", kind === "single");
    parent.dataset.teamBar = kind;
    if (offerFor !== null && (info?.selected !== offerFor || (teams.find((t) => t.name === offerFor)?.scenarios ?? 0) > 0)) {
      offerFor = null;
      offer.hidden = true;
    }
    // One team: the selector and the menu only (nothing to draw on top).
    overlay.hidden = teams.length < 2;
    if (teams.length < 2) check.checked = false;
    select.replaceChildren(
      ...teams.map((t) => {
        const o = new Option(t.filter === null ? t.name : `${t.name} (${t.filter})`, t.name);
        o.selected = t.name === info?.selected;
        return o;
      }),
    );
    const rest = others();
    const keep = rest.includes(otherSelect.value) ? otherSelect.value : (rest[0] ?? "");
    otherSelect.replaceChildren(...rest.map((n) => new Option(n, n, false, n === keep)));
    otherSelect.value = keep;
    // With one other team there is nothing to choose: its name is the checkbox's text.
    otherSelect.hidden = rest.length < 2;
    overlayText.textContent = rest.length < 2 ? ` Show ${keep}'s territories` : " Show the territories of";
    draw();
  };

  const refresh = (): void => {
    const ask = ++asked;
    backend
      .listTeams()
      .then((t) => {
        if (ask !== asked) return;
        info = t;
        render();
      })
      .catch((e: unknown) => {
        if (ask !== asked) return;
        info = null;
        render();
        fail(e);
      });
  };

  select.addEventListener("change", () => {
    if (store.getState().status === "loading") return;
    void store.showTeam(select.value);
  });
  check.addEventListener("change", draw);
  otherSelect.addEventListener("change", draw);
  store.subscribe((s, prev) => {
    // A workbook opened, or one loaded again (switching teams answers the same workbook's summary).
    const loaded = s.status === "ready" && prev.status === "loading";
    if (s.workbook === prev.workbook && !loaded) return;
    if (s.workbook === null) {
      info = null;
      render();
    } else {
      refresh();
    }
  });
  if (store.getState().workbook !== null) refresh();
  return bar;
}
