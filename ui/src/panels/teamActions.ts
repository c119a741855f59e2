import { BackendError, type Backend, type Team, type TeamChoices, type TeamsInfo } from "../api";
import { el } from "./format";

/** What the team bar's menu needs from the bar around it. */
export interface TeamActionsHost {
  /** The teams as last listed, `null` before the first answer. */
  info(): TeamsInfo | null;
  /** Takes the teams a command answered (the bar redraws with them). */
  took(info: TeamsInfo): void;
  /** Shows team `name` (its units, reps and scenarios load as a newly opened workbook's). */
  show(name: string): Promise<void>;
  /** Team `name` was just added and is shown: the bar offers to design its first territories. */
  added(name: string): void;
}

/** Why the default team has no Delete (the menu says so rather than hiding it). */
export const DEFAULT_TEAM_STAYS =
  "The default team cannot be deleted: it holds the imported alignment, and the command line acts on it without --team. Rename it, or delete the other teams.";

/**
 * The team bar's "Teams" menu (overlay teams, issue 14): add a team, rename or delete the team shown. Each opens a
 * small form in the menu's box; a refusal (a taken name, a filter no account matches, a measure the team's units
 * lack) is shown there in the backend's words and the form stays open. The workbook does the work with the
 * functions `tessera teams --add / --rename / --delete` call, so the app and the command line have one set of
 * rules.
 *
 * Add offers what `tessera teams --add` takes: a name; the units (every unit, or those with accounts whose COLUMN
 * equals VALUE, both chosen from the accounts' columns and values); the measure to balance (a filtered team's are
 * those summed from its accounts); a tolerance; and reps from a CSV (without reps, its territories are counted
 * when it is designed). Delete names what goes with the team: its scenarios, reps, locks and named accounts.
 */
export function mountTeamActions(parent: HTMLElement, backend: Backend, host: TeamActionsHost): HTMLDetailsElement {
  const menu = el("details", "team-actions");
  const toggle = el("summary", "team-actions-toggle", "Teams ▾");
  toggle.title = "Add, rename or delete a team";
  const box = el("div", "team-actions-box");
  menu.append(toggle, box);
  parent.append(menu);

  const shown = (): Team | null => {
    const info = host.info();
    return info?.teams.find((t) => t.name === info.selected) ?? null;
  };
  const close = (): void => {
    menu.open = false;
  };
  const error = el("p", "team-form-error panel-error");
  const showError = (e: unknown): void => {
    error.textContent = BackendError.from(e).message;
  };
  const button = (cls: string, text: string, onClick: () => void): HTMLButtonElement => {
    const b = el("button", `team-action ${cls}`, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  };
  /** Runs `work` with the form's buttons disabled; a refusal is shown under the form. */
  const busy = async (form: HTMLElement, work: () => Promise<void>): Promise<void> => {
    const buttons = [...form.querySelectorAll("button")];
    buttons.forEach((b) => (b.disabled = true));
    error.textContent = "";
    try {
      await work();
    } catch (e) {
      showError(e);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };

  /** The menu's items: Add, Rename and Delete the shown team (Delete disabled for the default team, saying why). */
  const items = (): void => {
    const team = shown();
    const add = button("team-add", "Add team…", () => void addForm());
    const rename = button("team-rename", `Rename “${team?.name ?? ""}”…`, renameForm);
    const del = button("team-delete", `Delete “${team?.name ?? ""}”…`, deleteForm);
    rename.disabled = team === null;
    del.disabled = team === null || team.default;
    const nodes: HTMLElement[] = [add, rename, del];
    if (team?.default) {
      const why = el("p", "team-delete-why", DEFAULT_TEAM_STAYS);
      del.title = DEFAULT_TEAM_STAYS;
      nodes.push(why);
    }
    box.replaceChildren(...nodes);
  };

  const field = (label: string, control: HTMLElement, hint?: string): HTMLElement => {
    const row = el("label", "team-field");
    row.append(el("span", "team-field-label", label), control);
    if (hint !== undefined) row.append(el("span", "team-field-hint", hint));
    return row;
  };
  const formOf = (title: string, ...rows: HTMLElement[]): HTMLFormElement => {
    const form = el("form", "team-form");
    form.addEventListener("submit", (e) => e.preventDefault());
    error.textContent = "";
    form.append(el("p", "team-form-title", title), ...rows, error);
    box.replaceChildren(form);
    return form;
  };
  const actions = (...buttons: HTMLButtonElement[]): HTMLElement => {
    const row = el("div", "team-form-actions");
    row.append(...buttons, button("team-cancel", "Cancel", items));
    return row;
  };

  const addForm = async (): Promise<void> => {
    let choices: TeamChoices;
    try {
      choices = await backend.teamChoices();
    } catch (e) {
      showError(e);
      box.replaceChildren(error);
      return;
    }
    const name = el("input", "team-name-input");
    name.placeholder = "e.g. Key accounts";
    const column = el("select", "team-filter-column");
    column.append(new Option("every unit", ""));
    for (const c of choices.columns) column.append(new Option(`accounts with ${c.name} =`, c.name));
    column.disabled = choices.columns.length === 0;
    const value = el("select", "team-filter-value");
    const measure = el("select", "team-measure");
    const tolerance = el("input", "team-tolerance-input");
    tolerance.type = "number";
    tolerance.min = "0.1";
    tolerance.max = "99";
    tolerance.step = "0.5";
    tolerance.placeholder = "5";
    let reps: string | null = null;
    const repsText = el("span", "team-reps-file", "none: its territories are counted when designed");
    const repsButton = button("team-reps-choose", "Reps CSV…", () => {
      void backend
        .chooseImportFile("reps")
        .then((chosen) => {
          if (chosen === null) return;
          reps = chosen.path;
          repsText.textContent = chosen.name;
        })
        .catch(showError);
    });
    const repsRow = el("span", "team-reps");
    repsRow.append(repsButton, repsText);
    const sync = (): void => {
      const c = choices.columns.find((x) => x.name === column.value);
      value.hidden = c === undefined;
      value.replaceChildren(...(c?.values ?? []).map((v) => new Option(v, v)));
      if (c?.more) {
        // A note, not a value: a filter is a segment, and the list stops at the first values.
        const note = new Option(`(the first ${c.values.length} values only)`, "");
        note.disabled = true;
        value.append(note);
      }
      const measures = c === undefined ? choices.unitMeasures : choices.accountMeasures;
      const keep = measure.value;
      measure.replaceChildren(new Option("planning default", ""), ...measures.map((m) => new Option(m, m)));
      measure.value = measures.includes(keep) ? keep : "";
    };
    column.addEventListener("change", sync);
    sync();
    const unitsRow = el("span", "team-filter");
    unitsRow.append(column, value);
    const form = formOf(
      "Add a team",
      field("Name", name),
      field(
        "Units",
        unitsRow,
        choices.columns.length === 0 ? "The workbook has no accounts: a team plans every unit." : undefined,
      ),
      field("Balance", measure),
      field("Tolerance ±%", tolerance, "empty: the planning default, ±5%"),
      field("Reps", repsRow),
    );
    const submit = button("team-add-submit", "Add team", () => {
      void busy(form, async () => {
        const tol = tolerance.value.trim();
        const pct = tol === "" ? null : Number(tol);
        if (pct !== null && !(pct > 0 && pct < 100)) {
          throw new BackendError({ kind: "request", message: `Tolerance ${tol}%: give a number between 0 and 100.` });
        }
        const info = await backend.addTeam({
          name: name.value,
          filter: column.value === "" ? null : { column: column.value, value: value.value },
          measure: measure.value === "" ? null : measure.value,
          tolerance: pct === null ? null : pct / 100,
          reps,
        });
        host.took(info);
        const added = name.value.trim();
        close();
        await host.show(added);
        host.added(added);
      });
    });
    form.append(actions(submit));
    name.focus();
  };

  const renameForm = (): void => {
    const team = shown();
    if (team === null) return;
    const name = el("input", "team-name-input");
    name.value = team.name;
    const form = formOf(`Rename “${team.name}”`, field("New name", name));
    const submit = button("team-rename-submit", "Rename", () => {
      void busy(form, async () => {
        host.took(await backend.renameTeam(team.name, name.value));
        close();
      });
    });
    form.append(actions(submit));
    name.select();
  };

  const deleteForm = (): void => {
    const team = shown();
    if (team === null || team.default) return;
    const n = (count: number | undefined, one: string): string =>
      `${count ?? 0} ${one}${(count ?? 0) === 1 ? "" : "s"}`;
    const what = [
      n(team.scenarios, "scenario"),
      n(team.reps, "rep"),
      n(team.locks, "locked unit"),
      n(team.named, "named account"),
    ];
    const form = formOf(
      `Delete “${team.name}”?`,
      el(
        "p",
        "team-delete-what",
        `Its ${what.slice(0, -1).join(", ")} and ${what.at(-1) ?? ""} go with it. This cannot be undone. The other teams, the units and the accounts stay.`,
      ),
    );
    const submit = button("team-delete-submit danger", "Delete team", () => {
      void busy(form, async () => {
        const info = await backend.deleteTeam(team.name);
        host.took(info);
        close();
        // The window showed the deleted team: the workbook shows the default one now; load it.
        await host.show(info.selected);
      });
    });
    form.append(actions(submit));
  };

  menu.addEventListener("toggle", () => {
    if (menu.open) items();
  });
  // A click outside closes the menu (as the scenario list's does).
  document.addEventListener("pointerdown", (e) => {
    if (menu.open && e.target instanceof Node && !menu.contains(e.target)) close();
  });
  return menu;
}
