/** UI state: the store, its snapshot type and the territory colours. */
export { Store, type AppState, type ExploreRun, type LoadStatus, type Listener, type OptimizeRun } from "./store";
export { PALETTE, TerritoryColorBook, UNASSIGNED_COLOR, colorSlots, territoryColors } from "./colors";
