/**
 * The data the backend sends the window. These mirror `src-tauri/src/dto.rs` field for field (serde
 * `rename_all = "camelCase"`); change both together.
 */

/** What kind of geometry the units have: polygons when the workbook holds them, else points. */
export type GeometryKind = "polygons" | "points";

/** A summary of the open workbook's dataset, enough for the side panel. */
export interface WorkbookSummary {
  /** The workbook's display name (its file name without extension). */
  name: string;
  /** The workbook's path on disk. */
  path: string;
  /** Number of units (counties, ZIP codes, accounts...). */
  unitCount: number;
  /** Names of the numeric measures, in import order (the first is the default workload). */
  measures: string[];
  /** Whether the units are drawn as polygons or points. */
  geometry: GeometryKind;
  /** Number of edges in the adjacency graph. */
  adjacencyEdges: number;
  /** Reps with their home bases. */
  reps: Rep[];
  /**
   * What the import that just created this workbook noted, each naming its file and line where it has them
   * (links dropped, islands joined, territories matching no rep). Only in `createWorkbook`'s answer.
   */
  importWarnings?: string[];
  /** Accounts named to a territory whatever their unit, where the map marks them (absent: none). */
  namedAccounts?: NamedAccount[];
  /** Named accounts the map cannot place (no point of their own and no unit). */
  namedUnplaced?: number;
  /** Accounts of the shown team (absent: none imported). */
  accountCount?: number;
}

/** An account named to a territory (or rep id): it counts for that territory whatever unit it lies in. */
export interface NamedAccount {
  id: string;
  territory: string;
  lon: number;
  lat: number;
  /** False when marked at its unit's point (the account has no coordinates of its own). */
  ownPoint: boolean;
}

/** A rep and their home base. */
export interface Rep {
  id: string;
  name: string;
  lon: number;
  lat: number;
  /** Relative capacity (1.0 = full time). */
  capacity: number;
}

/**
 * The current alignment: territory names and, for every unit in unit order, the index of its territory in
 * `territories`. Unit order is the order of the features in the units GeoJSON.
 */
export interface Alignment {
  territories: string[];
  territoryOf: number[];
  /** Pairs `[a, b]` (`a < b`) of territories that have adjacent units. */
  adjacent: [number, number][];
}

/** A GeoJSON geometry as the backend sends it (only the kinds units can have). */
export type UnitGeometry =
  | { type: "Point"; coordinates: [number, number] }
  | { type: "Polygon"; coordinates: [number, number][][] }
  | { type: "MultiPolygon"; coordinates: [number, number][][][] };

/** One unit as a GeoJSON feature: `properties.id` is the unit id, the other numeric properties its measures. */
export interface UnitFeature {
  type: "Feature";
  id?: string | number;
  properties: { id: string; [key: string]: unknown };
  geometry: UnitGeometry;
}

/** The units of the open workbook, in unit order. */
export interface UnitCollection {
  type: "FeatureCollection";
  features: UnitFeature[];
}

/** A text column of the units (a name, a state, a code): one value per unit, in unit order. Mirrors `TextColumnDto`. */
export interface TextColumn {
  name: string;
  values: string[];
}

/** An error from the backend, already worded for the planner. */
export interface BackendErrorPayload {
  /** A stable machine-readable kind (`no_workbook`, `workbook`, ...). */
  kind: string;
  /** A readable message naming the file and what is wrong. */
  message: string;
}

/** A scenario as the scenario list shows it. */
export interface ScenarioSummary {
  name: string;
  /** Number of territories. */
  territories: number;
  /** Last change, ISO 8601. */
  modified: string;
  /** Edits that can be undone. */
  undoSteps: number;
  /** Undone edits that can be redone. */
  redoSteps: number;
  /** The planner's note ("" or absent when none). */
  note?: string;
}

/** A deleted scenario, whole, so the window can undo the delete (`restoreScenario`). */
export interface RemovedScenario {
  name: string;
  territoryOf: number[];
  territories: string[];
  params: unknown;
  metrics: unknown;
  note: string;
}

/** One territory's row of the figures panel. Territory `i` is the alignment's territory `i`. */
export interface TerritoryFigures {
  /** Territory name (a rep id when it belongs to a rep). */
  name: string;
  /** The rep's display name, when the territory is named after a rep. */
  rep: string | null;
  /** Load of the balanced measure. */
  load: number;
  target: number;
  /** Signed relative deviation from the target. */
  deviation: number;
  /** Workload-weighted km from the members to the center. */
  travel: number;
  /** Number of units. */
  units: number;
  /** Whether the territory is one connected piece. */
  connected: boolean;
  components: number;
  /** Load of every measure, in the order of {@link Figures.measures}. */
  loads: number[];
  /** Accounts named to this territory whatever their unit (counted in its loads); absent from older backends. */
  namedAccounts?: number;
}

/** Every territory's figures and the plan's totals, computed in Rust. */
export interface Figures {
  /** The balanced measure (`null`: unit count). */
  measure: string | null;
  measures: string[];
  /** Target of a full territory. */
  target: number;
  /** Largest absolute deviation. */
  maxDev: number;
  /** Coefficient of variation of the loads. */
  cv: number;
  /** Total travel, km. */
  travel: number;
  /** Territories that are not connected. */
  noncontiguous: number;
  territories: TerritoryFigures[];
}

/**
 * An edit's figures: the totals, and the rows of only the territories the edit changed (an edit touches two
 * territories of hundreds; sending all of them made every answer ~100 KB on 30,000 ZIP codes).
 */
export interface FiguresUpdate {
  target: number;
  maxDev: number;
  cv: number;
  travel: number;
  noncontiguous: number;
  /** `[territory index, its figures]` for each territory whose figures changed; a new territory comes last. */
  territories: [number, TerritoryFigures][];
}

/** The scenario being edited: its alignment (empty territories included) and figures. */
export interface ScenarioView {
  name: string;
  alignment: Alignment;
  figures: Figures;
  undoSteps: number;
  redoSteps: number;
  /** Locked unit indices, sorted. */
  locked: number[];
}

/** What an edit, undo or redo changed. */
export interface EditOutcome {
  /** `[unit, territory]` pairs, in the order applied. */
  changed: [number, number][];
  /** The territory names, only when the edit added a territory. */
  territories: string[] | null;
  /** The totals and the changed territories' rows (the others are as before). */
  figures: FiguresUpdate;
  undoSteps: number;
  redoSteps: number;
  /** Microseconds the figures update took in Rust. */
  figuresMicros: number;
  /** Microseconds the workbook write took in Rust. */
  writeMicros: number;
  /** Microseconds of the whole command in Rust (write, figures, undo/redo counts), before serialization. */
  backendMicros: number;
}

/** What the Optimize dialog asks for. Mirrors `src-tauri/src/optimize.rs` `OptimizeRequest`. */
export interface OptimizeRequest {
  /** Number of territories; `null`: one per rep. */
  territories: number | null;
  measure: string;
  /** e.g. 0.05 for ±5%. */
  tolerance: number;
  /** Start from the scenario being edited. */
  keepCurrent: boolean;
  /** Disruption budget: largest fraction of the workload that may change territory (`null`: no limit). */
  maxMoved: number | null;
  respectLocks: boolean;
  /** Seconds. */
  timeLimit: number;
  /** Re-optimise only these territories (names) of the scenario being edited. */
  only: string[];
  seed: number;
  /** Hard caps on every territory (`units`: the number of units), as `tessera plan --cap`. */
  caps?: TerritoryLimit[];
  /** Hard floors on every territory, as `tessera plan --floor`. */
  floors?: TerritoryLimit[];
  /** Hard segment mix bands on every territory, as `tessera plan --mix`. */
  mixes?: MixBand[];
}

/** A band on every territory's share of one segment: `segment=A:0.2..0.4` (ends are fractions; `null`: open). */
export interface MixBand {
  column: string;
  segment: string;
  lo: number | null;
  hi: number | null;
}

/** A cap or floor: every territory's `measure` (or number of `units`) at most / at least `value`. */
export interface TerritoryLimit {
  measure: string;
  value: number;
}

/** A progress report of a run: the best figures so far. */
export interface OptimizeProgress {
  stage: string;
  /** 0 to 1. */
  fraction: number;
  bestMaxDev: number | null;
  /** The whole plan's travel, also when only some territories are rebalanced. */
  bestTravel: number | null;
  /**
   * Territories of the best plan in several pieces. The optimizer ranks plans by this first, then by deviation:
   * a new best plan may have a larger deviation and fewer pieces.
   */
  bestNoncontiguous: number | null;
}

/** Whether a run keeps one promise (`tolerance`, `contiguity`, `disruption_budget`, `also_balance:<measure>`). */
export interface PlanPromise {
  name: string;
  kept: boolean;
  /** Why it is not kept, in the planner's words (empty when kept). */
  why: string;
}

/** A finished run, saved as scenario `scenario`. */
export interface OptimizeResult {
  scenario: string;
  maxDev: number;
  travel: number;
  noncontiguous: number;
  /** The run was cancelled; this is the best plan found until then. */
  cancelled: boolean;
  /** Every promise of the request, kept or not, with the reason. Mirrors `commands/optimize.rs` `PromiseDto`. */
  promises: PlanPromise[];
  /** What the planner should know about the request, found before the run. */
  notes: string[];
  /** The workbook's scenarios, the new one included. */
  scenarios: ScenarioSummary[];
  /** What explains the result, as the planning service reported it. Mirrors `ExplainedDto`. */
  explained: ExplainedResult;
}

/** The figures behind a result: what was balanced, what moved, travel before and after, the certificate. */
export interface ExplainedResult {
  measure: string;
  /** e.g. 0.05 for ±5%. */
  tolerance: number;
  /** Target load of a full territory, in the measure. */
  target: number;
  territories: number;
  units: number;
  cv: number;
  /** The disruption budget (share of the measure), if the run had one. */
  maxMoved: number | null;
  /** Share of the measure that changed territory, when the run started from the current plan. */
  movedFraction: number | null;
  /** Units that changed territory, when the run started from the current plan. */
  movedUnits: number | null;
  /** The starting plan, measured as the result is. */
  before: { maxDev: number; travel: number; noncontiguous: number } | null;
  /** At most `gap` more travel than any plan within the tolerance with these centers; `exact` false: close bound. */
  certificate: { gap: number; exact: boolean } | null;
}

/** Which file of an import is being chosen. Mirrors `src-tauri/src/commands/files.rs` `ImportKind`. */
export type ImportKind = "units" | "polygons" | "reps" | "adjacency";

/** What a column of a units CSV is, as the importer reads it. Mirrors `tessera_workbook::import::ColumnRole`. */
export type ColumnRole = "id" | "name" | "lon" | "lat" | "territory" | "measure" | "code" | "text" | "ignored";

/** One column of a units preview. */
export interface ColumnPreview {
  name: string;
  role: ColumnRole;
  /** For a text column that starts with numbers: the line of its first cell that is not one. */
  firstTextLine: number | null;
  /** For a `code` column (numbers that name, such as FIPS or ZIP codes): why, in words. */
  codeReason: string | null;
}

/** A warning about a file that still imports. */
export interface ImportWarning {
  path: string | null;
  line: number | null;
  message: string;
}

/** The start of a units CSV and what the importer will make of it. Mirrors `UnitsPreview`. */
export interface UnitsPreview {
  path: string;
  columns: ColumnPreview[];
  /** The first rows, one cell per column. */
  rows: string[][];
  /** 1-based line of each shown row. */
  lines: number[];
  sampledRows: number;
  /** True when the sample is the whole file. */
  complete: boolean;
  /** Data rows: exact when `complete`, else estimated from the file size. */
  rowEstimate: number;
  /** Numeric columns that are not codes: the measures that can be balanced. */
  measures: string[];
  /** The measure balanced unless the planner picks another, by the workbook crate's rule. */
  defaultMeasure: string | null;
  /** What keeps the file from importing (a missing id or coordinate column). */
  problems: string[];
  warnings: ImportWarning[];
}

/** A file chosen in the import dialog (a units file comes with its preview). */
export interface ChosenFile {
  kind: ImportKind;
  path: string;
  name: string;
  preview: UnitsPreview | null;
}

/** What "Create workbook" sends. Every path was chosen in Tessera's dialogs. */
export interface CreateWorkbookRequest {
  units: string;
  polygons: string | null;
  reps: string | null;
  adjacency: string | null;
  balance: string | null;
  out: string;
}

/** A recent workbook; `exists` is false when the file has gone. */
export interface RecentWorkbook {
  name: string;
  path: string;
  exists: boolean;
}

/** Progress of "New from CSV": the stage (reading units, deriving adjacency, writing the workbook, ...) and the
 * fraction of the whole import done, 0 to 1. Mirrors `ProgressDto` as `create_workbook` sends it. */
export interface ImportProgress {
  stage: string;
  fraction: number;
}

/**
 * Two to four scenarios compared with the first (Rust `tessera_workbook::compare::Comparison`). Keys are
 * snake_case because this is the very JSON `tessera compare --out -` prints: one format for scripts and window.
 */
export interface Comparison {
  measure: string;
  /** Every measure, in the order of `loads`, `moved` and `values`. */
  measures: string[];
  travel_unit: string;
  scenarios: ComparedScenario[];
  territories: ComparedTerritory[];
  moves: MovedUnit[];
}

/** One scenario's headline figures and what moved against the baseline. */
export interface ComparedScenario {
  scenario: string;
  territories: number;
  max_dev: number;
  cv: number;
  travel: number;
  n_noncontiguous: number;
  units_moved: number;
  moved: number[];
  changed_territories: string[];
}

/** A figure before (baseline) and after; `null` where the territory does not exist on that side. */
export interface BeforeAfter {
  before: number | null;
  after: number | null;
}

/** One territory of a compared scenario. */
export interface ComparedTerritory {
  scenario: string;
  territory: string;
  rep: string | null;
  units: BeforeAfter;
  loads: BeforeAfter[];
  travel: BeforeAfter;
  deviation: BeforeAfter;
  gained: number;
  lost: number;
}

/** One unit of the realignment list. */
export interface MovedUnit {
  scenario: string;
  unit: string;
  from: string;
  from_rep: string | null;
  to: string;
  to_rep: string | null;
  values: number[];
}

/** What the compare view shows: the comparison, one SVG map per scenario and one diff map per compared one. */
export interface CompareResult {
  comparison: Comparison;
  maps: string[];
  diffMaps: string[];
  /** SVG charts: travel against balance, then each scenario's load per territory with the tolerance band. */
  charts: string[];
  /** Why there are no charts (no font found to draw their text), when there are none. */
  chartNote: string | null;
  /** Plans of the last exploration's front drawn on the travel–balance chart (0: none drawn). */
  frontPlans: number;
  /** Each scenario's quotas, in the order compared, when asked for and they could be set. */
  quotas: ScenarioQuotas[];
  /** Why the quotas asked for could not be set. */
  quotaError: string | null;
}

/**
 * How the manager asks for quotas: a total shared out by each territory's share of a potential measure,
 * optionally blended with a history measure (its weight 0..1), with a ramp-up share (0..1) for reps whose
 * territory changed. Mirrors `commands/compare.rs` `QuotaRequest` and `tessera compare --quota-*`.
 */
export interface QuotaRequest {
  total: number;
  potential: string;
  history: [string, number] | null;
  ramp: number | null;
}

/** One scenario's quotas, one row per territory. */
export interface ScenarioQuotas {
  scenario: string;
  rows: QuotaRow[];
}

/** A territory's quota, as `tessera compare`'s quotas.csv has it. */
export interface QuotaRow {
  territory: string;
  rep: string | null;
  /** Share of the total, 0..1. */
  share: number;
  quota: number;
  /** Its units differ from the baseline's: the ramp-up applies. */
  changed: boolean;
  rampQuota: number;
}

/** The balance figure a trade-off front is drawn over. */
export type FrontBalance = "max_dev" | "cv";

/** One plan on the trade-off chart. Mirrors `src-tauri/src/explore.rs` `FrontPointDto`. */
export interface FrontPoint {
  /** Its place on the finished front (what `saveFrontPlan` takes); `null` while the run goes. */
  index: number | null;
  /** The plan's id, the same while it stays on the growing front and on the finished one (what
   * `saveGrowingPlan` takes while the run goes); `null` for the current plan. */
  id: string | null;
  maxDev: number;
  cv: number;
  travel: number;
  /** Share of the balanced measure moved from the current plan (0 without one). */
  movedFraction: number;
  /** Territories in several pieces (0 on the front; the current plan may have some). */
  noncontiguous: number;
  /** True when the plan keeps every cap, floor and mix band of the request (true without any). */
  keepsLimits: boolean;
  /** The caps, floors and bands it breaks, each with the territories beyond it and by how much (empty while the front grows). */
  brokenLimits: string[];
  /** The scenario it was saved as, once picked. */
  scenario: string | null;
}

/** Progress of an exploration: the stage and fraction, and now and then the front found so far. */
export interface ExploreProgress {
  stage: string;
  fraction: number;
  front: FrontPoint[] | null;
}

/** A finished exploration. Mirrors `ExploreResultDto`. */
export interface ExploreResult {
  front: FrontPoint[];
  /** The plan moves are measured from, when the run started from the scenario being edited. */
  current: FrontPoint | null;
  figure: FrontBalance;
  measure: string;
  /** Tolerance and disruption budget of every search run. */
  searches: { tolerance: number; max_moved: number | null }[];
  developed: number;
  /** The backend's note when the searches dropped children (no feasible flow for their allocation), else null. */
  droppedNote: string | null;
  cancelled: boolean;
  seconds: number;
}

/** A plan of the front saved as a scenario. */
export interface SavedFrontPlan {
  scenario: string;
  /** False when it had been saved before (picking it again). */
  created: boolean;
  point: FrontPoint;
  scenarios: ScenarioSummary[];
}

/**
 * A format a scenario is exported to, as `tessera export --format` names it. Mirrors the workbook's
 * `ExportFormat` (workbook/src/export/scenario_file.rs).
 */
export type ExportFormatName = "xlsx" | "csv" | "geojson" | "gpkg" | "html" | "json" | "units-geojson";

/** Where an export goes, as chosen in the Save dialog. Mirrors `commands/export.rs` `ChosenExport`. */
export interface ChosenExport {
  path: string;
  fileName: string;
  /** The format the file's extension picks (the one asked for when the name had none). */
  format: ExportFormatName;
}

/** What to export. Mirrors `commands/export.rs` `ExportRequest`. */
export interface ExportRequest {
  scenario: string;
  /** The file, as `chooseExportPath` answered it. */
  path: string;
  format: ExportFormatName;
  /** Down to accounts (CSV, XLSX; the workbook must have accounts). */
  accounts?: boolean;
  /** The scenario moves are counted against (default: "current"). */
  baseline?: string | null;
  /** Quotas, as the compare view asks for them (XLSX, HTML). */
  quota?: QuotaRequest | null;
}

/** What an export wrote. Mirrors `commands/export.rs` `ExportDone`. */
export interface ExportDone {
  path: string;
  fileName: string;
  scenario: string;
  /** What the file holds ("Excel workbook", ...). */
  label: string;
  /** The baseline moves were counted against, when there was one. */
  baseline: string | null;
  bytes: number;
  millis: number;
}

/** What a new scenario's territories come from: a plan CSV, or territory polygons (GeoJSON, Shapefile). */
export type ScenarioFileKind = "plan" | "polygons";

/** A file chosen for a new scenario. Mirrors `commands/scenarios.rs` `ChosenScenarioFile`. */
export interface ChosenScenarioFile {
  kind: ScenarioFileKind;
  path: string;
  fileName: string;
}

/** A unit outside every territory polygon, given to the nearest territory. */
export interface OutsideUnit {
  unit: string;
  nearest: string;
  distanceDeg: number;
}

/** A scenario made from a file. Mirrors `commands/scenarios.rs` `NewScenario`. */
export interface NewScenario {
  name: string;
  territories: number;
  unitCount: number;
  /** What reading the plan CSV noted (file and line). */
  warnings: string[];
  /** Units outside every polygon: listed to the planner, never dropped. */
  outside: OutsideUnit[];
  scenarios: ScenarioSummary[];
}

// Overlay teams (issue 14) ---------------------------------------------------------------------------------

/** One team of the workbook: its own reps, units (all, or those with accounts matching its filter), scenarios. */
export interface Team {
  name: string;
  /** Whether it is the default team (what the CLI acts on without --team). */
  default: boolean;
  /** Its account filter ("segment = A"), `null` for every unit. */
  filter: string | null;
  /** The measure it balances, `null` when none was chosen (the planning default). */
  measure?: string | null;
  /** Its tolerance (0.05 = ±5%), `null` when none was set. */
  tolerance?: number | null;
  /** Number of reps. */
  reps?: number;
  /** Number of scenarios. */
  scenarios: number;
  /** Number of locked units. */
  locks?: number;
  /** Number of accounts it named. */
  named?: number;
}

/** An accounts column a new team's filter can name. Mirrors `commands::teams::FilterColumnDto`. */
export interface FilterColumn {
  name: string;
  numeric: boolean;
  /** Its distinct values, sorted (at most 200). */
  values: string[];
  /** Whether it has more values than listed. */
  more: boolean;
}

/** What the "Add team" form offers: what `tessera teams --add` accepts. */
export interface TeamChoices {
  /** The accounts' columns for the filter; empty without accounts (a team then plans every unit). */
  columns: FilterColumn[];
  /** The measures a team without a filter can balance. */
  unitMeasures: string[];
  /** The measures a filtered team can balance (summed from its accounts). */
  accountMeasures: string[];
}

/** What "Add team" sends; mirrors `tessera teams --add NAME --filter --balance --tolerance --reps`. */
export interface NewTeamRequest {
  name: string;
  filter: { column: string; value: string } | null;
  measure: string | null;
  /** A fraction (0.05 = ±5%), `null` for the planning default. */
  tolerance: number | null;
  /** A reps CSV chosen in the import dialog, `null` for no reps. */
  reps: string | null;
}

/** The workbook's teams and the one the window shows. */
export interface TeamsInfo {
  teams: Team[];
  selected: string;
}

/** Another team's territory outlines to draw over the map: its "current" scenario, else its latest one. */
export interface TeamOutlines {
  team: string;
  scenario: string;
  /** One MultiPolygon per territory, with properties `territory` and `units`. */
  outlines: import("geojson").FeatureCollection;
}
