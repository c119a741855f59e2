/** The map: offline style, its own WebGL layers for the base map and the units, bounds. */
export { MapView } from "./mapView";
export { baseStyle } from "./style";
export { boundsOf, type Bounds } from "./bounds";
