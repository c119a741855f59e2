/** UI state: the store, its snapshot type and the territory colours. */
export { Store, formatBytes, type AppState, type ExploreRun, type ExportOutcome, type LoadStatus, type Listener, type OptimizeRun } from "./store";
export { PALETTE, TerritoryColorBook, UNASSIGNED_COLOR, colorSlots, territoryColors } from "./colors";
