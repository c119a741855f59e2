import type { FeatureCollection } from "geojson";
import { BackendError, type Backend, type TeamsInfo } from "../api";
import type { Store } from "../state";
import { el } from "./format";
import "./teamBar.css";

/**
 * The team bar over the map (overlay teams, issue 14), shown only when the workbook has two or more teams: a
 * selector that switches the team shown (its units, reps and scenarios load as a newly opened workbook's do),
 * and a checkbox that draws another team's territory outlines on top (`drawOutlines`, thin violet dashes; with
 * three or more teams, a second selector picks which). The outlines are the other team's "current" scenario,
 * else its latest; the bar says which.
 */
export function mountTeamBar(
  parent: HTMLElement,
  store: Store,
  backend: Backend,
  drawOutlines: (outlines: FeatureCollection | null) => void,
): HTMLElement {
  const bar = el("div", "team-bar");
  bar.hidden = true;
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Teams");
  const label = el("label", "team-bar-label", "Team ");
  const select = document.createElement("select");
  select.className = "team-select";
  label.append(select);
  const overlay = el("label", "team-overlay-toggle");
  const check = document.createElement("input");
  check.type = "checkbox";
  check.className = "team-overlay-check";
  const otherSelect = document.createElement("select");
  otherSelect.className = "team-overlay-select";
  const overlayText = el("span", "team-overlay-text", "");
  overlay.append(check, overlayText, otherSelect);
  const note = el("p", "team-bar-note");
  bar.append(label, overlay, note);
  parent.append(bar);

  let info: TeamsInfo | null = null;
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

  const render = (): void => {
    const teams = info?.teams ?? [];
    bar.hidden = teams.length < 2;
    if (bar.hidden) {
      drawOutlines(null);
      return;
    }
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
