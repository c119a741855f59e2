/** The MapLibre map: offline style, unit layers with feature-state colours, bounds. */
export { MapView } from "./mapView";
export { baseStyle } from "./style";
export { boundsOf, type Bounds } from "./bounds";
export { UNITS_SOURCE } from "./unitLayers";
