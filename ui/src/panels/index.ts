/** The panels around the map: dataset summary, hover figures and the status line. */
export { mountDatasetPanel } from "./datasetPanel";
export { mountHoverPanel } from "./hoverPanel";
export { mountStatus } from "./statusBar";
export { mountFiguresPanel } from "./figuresPanel";
export { mountOptimizeDialog } from "./optimizeDialog";
