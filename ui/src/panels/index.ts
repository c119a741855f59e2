/** The panels around the map: dataset summary (with the Workbook menu), hover figures, the status line and dialogs. */
export { mountDatasetPanel } from "./datasetPanel";
export { mountHoverPanel } from "./hoverPanel";
export { mountStatus } from "./statusBar";
export { mountFiguresPanel } from "./figuresPanel";
export { mountOptimizeDialog } from "./optimizeDialog";
export { mountImportDialog } from "./importDialog";
export { mountWorkbookMenu } from "./workbookMenu";
export { mountMessageBar } from "./messageBar";
export { mountContextMenu } from "./contextMenu";
export { mountShortcutsSheet } from "./shortcutsSheet";
export { mountCompareView } from "./compareView";
export { mountExplorePanel } from "./explorePanel";
