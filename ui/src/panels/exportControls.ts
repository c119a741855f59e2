import type { ExportFormatName, WorkbookSummary } from "../api";
import { el } from "./format";

/**
 * The export formats as the menus offer them, the workbook's `ExportFormat` in the same order (`tessera export`
 * writes the same files). The Save dialog then lists them as filters; the extension typed there decides.
 */
export const EXPORT_FORMATS: readonly { name: ExportFormatName; label: string; title: string; accounts: boolean }[] = [
  { name: "xlsx", label: "Excel .xlsx", title: "Summary, territories, quotas, assignments, moves", accounts: true },
  { name: "csv", label: "CSV .csv", title: "Every unit with its territory, rep and columns", accounts: true },
  { name: "geojson", label: "Territories .geojson", title: "Territory polygons dissolved from their units", accounts: false },
  { name: "gpkg", label: "GeoPackage .gpkg", title: "The units and every scenario's territories, for QGIS", accounts: false },
  { name: "html", label: "Report .html", title: "A one-file report: figures, charts, maps, the realignment list", accounts: false },
  { name: "json", label: "Figures .json", title: "The scenario's figures", accounts: false },
  { name: "units-geojson", label: "Units .geojson", title: "The units with their territory", accounts: false },
];

/**
 * A format choice, "down to accounts" (only when the workbook has accounts; for CSV and Excel) and an Export…
 * button that calls `onExport` with the choice. `className` marks the row for tests and styles.
 */
export function exportControls(
  hasAccounts: boolean,
  onExport: (format: ExportFormatName, accounts: boolean) => void,
  className: string,
): HTMLElement {
  const row = el("div", `export-controls ${className}`);
  const select = el("select", "export-format");
  select.setAttribute("aria-label", "Export format");
  for (const f of EXPORT_FORMATS) {
    const option = new Option(f.label, f.name);
    option.title = f.title;
    select.append(option);
  }
  const accounts = el("input", "export-accounts");
  accounts.type = "checkbox";
  const accountsLabel = el("label", "export-accounts-label");
  accountsLabel.append(accounts, " accounts");
  accountsLabel.title = "Down to accounts: every account's territory (CSV), or accounts sheets (Excel)";
  accountsLabel.hidden = !hasAccounts;
  const sync = (): void => {
    const level = EXPORT_FORMATS.find((f) => f.name === select.value)?.accounts ?? false;
    accounts.disabled = !level;
    if (!level) accounts.checked = false;
  };
  select.addEventListener("change", sync);
  sync();
  const button = el("button", "export-button", "Export…");
  button.type = "button";
  button.title = "Choose where to save it (the native Save dialog)";
  button.addEventListener("click", () => onExport(select.value as ExportFormatName, accounts.checked && !accounts.disabled));
  row.append(select, accountsLabel, button);
  return row;
}

/**
 * Whether the shown team has accounts to export (imported with `tessera accounts`). The backend counts them: a
 * measure that happens to be named "accounts" (a units file's own column) is no account table.
 */
export function hasAccounts(workbook: WorkbookSummary | null): boolean {
  return (workbook?.accountCount ?? 0) > 0;
}
