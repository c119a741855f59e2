import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from "maplibre-gl";
import { UNASSIGNED_COLOR } from "../state";
import { programs, UNIT_TEXTURE_WIDTH, type Program } from "./glPrograms";
import { FILL_STRIDE, POINT_STRIDE, SEGMENT_STRIDE, type UnitMeshes } from "./meshes";
import { isTerritoryBorder } from "./territoryBorders";

/**
 * The map's own WebGL layers: the land and state outlines, the units (fills, thin outlines, points), the
 * territory borders and the reps' home bases, drawn by MapLibre as custom layers from meshes built on the main
 * thread ({@link ./meshes}). They replace GeoJSON and vector-tile sources that MapLibre's one worker had to tile
 * first: cold, that worker took ~0.4 s to start and ~0.8 s more to tile an opening (BENCHMARKS.md, "Opening on a
 * quiet machine"), while these draw in the first frame after the units arrive.
 */

type GL = WebGLRenderingContext | WebGL2RenderingContext;

/** A colour as premultiplied RGBA floats (MapLibre blends custom layers with ONE, ONE_MINUS_SRC_ALPHA). */
type Rgba = [number, number, number, number];

/** `#rrggbb` / `#rgb` (any other text: `fallback`) as 0..255 bytes. */
export function parseHex(color: string, fallback: readonly [number, number, number] = [0, 0, 0]): [number, number, number] {
  const m6 = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (m6) return [parseInt(m6[1] as string, 16), parseInt(m6[2] as string, 16), parseInt(m6[3] as string, 16)];
  const m3 = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (m3) return [0, 1, 2].map((i) => parseInt((m3[i + 1] as string).repeat(2), 16)) as [number, number, number];
  return [...fallback];
}

/** `#rrggbb` at `opacity`, premultiplied, as GL floats. */
function rgba(color: string, opacity = 1): Rgba {
  const [r, g, b] = parseHex(color);
  return [(r / 255) * opacity, (g / 255) * opacity, (b / 255) * opacity, opacity];
}

/** Linear interpolation of a value from `v0` at zoom `z0` to `v1` at `z1`, held beyond (MapLibre's `interpolate`). */
export function byZoom(zoom: number, z0: number, v0: number, z1: number, v1: number): number {
  const t = Math.max(0, Math.min(1, (zoom - z0) / (z1 - z0)));
  return v0 + (v1 - v0) * t;
}

/** A vertex buffer, uploaded to the GPU on the first draw after it changed. */
class Vertices {
  private data: Float32Array = new Float32Array(0);
  private buffer: WebGLBuffer | null = null;
  private uploaded = false;

  constructor(private readonly stride: number) {}

  set(data: Float32Array): void {
    this.data = data;
    this.uploaded = false;
  }

  /** Vertices held. */
  get count(): number {
    return this.data.length / this.stride;
  }

  /**
   * Draws the vertices as `mode` with `program` (in use), its `attributes` (name, float count) read from each
   * vertex in order; the attribute arrays are disabled again afterwards.
   */
  draw(gl: GL, program: Program, mode: number, attributes: readonly [string, number][]): void {
    if (this.buffer === null) this.buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    if (!this.uploaded) {
      gl.bufferData(gl.ARRAY_BUFFER, this.data, gl.STATIC_DRAW);
      this.uploaded = true;
    }
    const enabled: number[] = [];
    let offset = 0;
    for (const [name, size] of attributes) {
      const at = program.attribute(name);
      if (at >= 0) {
        gl.enableVertexAttribArray(at);
        gl.vertexAttribPointer(at, size, gl.FLOAT, false, this.stride * 4, offset * 4);
        enabled.push(at);
      }
      offset += size;
    }
    gl.drawArrays(mode, 0, this.count);
    for (const at of enabled) gl.disableVertexAttribArray(at);
  }
}


/**
 * The six corners of a segment's quad, as (side of the line, end: -1 at the first end, 1 at the second):
 * p+n, p-n, q-n and p+n, q-n, q+n.
 */
const SEGMENT_CORNERS = new Float32Array([1, -1, -1, -1, -1, 1, 1, -1, -1, 1, 1, 1]);
/** The six corners of a point's quad, (±1, ±1). */
const POINT_CORNERS = new Float32Array([-1, -1, 1, -1, 1, 1, -1, -1, 1, 1, -1, 1]);

/** One texel per unit (see glPrograms.ts), uploaded on the first draw after it changed. */
class UnitTexture {
  bytes = new Uint8Array(4 * UNIT_TEXTURE_WIDTH);
  private texture: WebGLTexture | null = null;
  private dirty = true;

  /** Rows of {@link UNIT_TEXTURE_WIDTH} texels. */
  get rows(): number {
    return this.bytes.length / 4 / UNIT_TEXTURE_WIDTH;
  }

  /** Room for `count` units, every texel zero. */
  resize(count: number): void {
    const rows = Math.max(1, Math.ceil(count / UNIT_TEXTURE_WIDTH));
    this.bytes = new Uint8Array(4 * UNIT_TEXTURE_WIDTH * rows);
    this.dirty = true;
  }

  /** Sets texel `unit` to the bytes `r g b a`; returns whether it changed. */
  set(unit: number, r: number, g: number, b: number, a: number): boolean {
    const k = 4 * unit;
    const bytes = this.bytes;
    if (k + 3 >= bytes.length) return false;
    if (bytes[k] === r && bytes[k + 1] === g && bytes[k + 2] === b && bytes[k + 3] === a) return false;
    bytes[k] = r;
    bytes[k + 1] = g;
    bytes[k + 2] = b;
    bytes[k + 3] = a;
    this.dirty = true;
    return true;
  }

  /** Binds the texture to texture unit `slot` (uploading it if changed) and points `uniform` of `program` at it. */
  bind(gl: GL, program: Program, uniform: string, slot: number): void {
    gl.activeTexture(gl.TEXTURE0 + slot);
    if (this.texture === null) {
      this.texture = gl.createTexture();
      gl.bindTexture(gl.TEXTURE_2D, this.texture);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    } else {
      gl.bindTexture(gl.TEXTURE_2D, this.texture);
    }
    if (this.dirty) {
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, UNIT_TEXTURE_WIDTH, this.rows, 0, gl.RGBA, gl.UNSIGNED_BYTE, this.bytes);
      this.dirty = false;
    }
    gl.uniform1i(program.uniform(uniform), slot);
    gl.uniform2f(program.uniform("u_unit_size"), UNIT_TEXTURE_WIDTH, this.rows);
  }
}

/** What every draw of a frame needs: MapLibre's matrix, the viewport, zoom and pixel ratio. */
interface Frame {
  matrix: Float32Array;
  width: number;
  height: number;
  zoom: number;
  /** Device pixels per CSS pixel: widths and radii are given in CSS pixels. */
  ratio: number;
}

function frameOf(map: MapLibreMap, gl: GL, options: CustomRenderMethodInput): Frame {
  return {
    matrix: new Float32Array(options.defaultProjectionData.mainMatrix),
    width: gl.drawingBufferWidth,
    height: gl.drawingBufferHeight,
    zoom: map.getZoom(),
    ratio: map.getPixelRatio(),
  };
}

/** A custom layer whose drawing is `draw`, given the frame. */
function customLayer(id: string, draw: (gl: GL, frame: Frame) => void): CustomLayerInterface {
  let map: MapLibreMap | null = null;
  return {
    id,
    type: "custom",
    renderingMode: "2d",
    onAdd(m) {
      map = m;
    },
    render(gl, options) {
      if (map !== null) draw(gl, frameOf(map, gl, options));
    },
  };
}

/** Makes `p` the program in use, with the frame's matrix and viewport (for programs that take them). */
function useProgram(gl: GL, p: Program, frame: Frame): Program {
  gl.useProgram(p.program);
  gl.uniformMatrix4fv(p.uniform("u_matrix"), false, frame.matrix);
  const viewport = p.uniform("u_viewport");
  if (viewport !== null) gl.uniform2f(viewport, frame.width, frame.height);
  return p;
}

/** Draws `vertices` (x, y per vertex) as `mode` in one colour. */
function drawSolid(gl: GL, frame: Frame, vertices: Vertices, mode: number, color: Rgba): void {
  if (vertices.count === 0) return;
  const p = useProgram(gl, programs(gl).solid, frame);
  gl.uniform4fv(p.uniform("u_color"), color);
  vertices.draw(gl, p, mode, [["a_pos", 2]]);
}

/** Line drawing options: colour (premultiplied) and width in CSS pixels. */
interface LineStyle {
  color: Rgba;
  width: number;
}

/** Draws segment quads ({@link wideLineVertices}) as wide lines. */
function drawLines(gl: GL, frame: Frame, segments: Vertices, style: LineStyle): void {
  if (segments.count === 0) return;
  const p = useProgram(gl, programs(gl).line, frame);
  // Half the width, plus the faded pixel on each side.
  gl.uniform1f(p.uniform("u_half"), (style.width * frame.ratio) / 2 + 0.5);
  gl.uniform4fv(p.uniform("u_color"), style.color);
  segments.draw(gl, p, gl.TRIANGLES, [
    ["a_p", 2],
    ["a_q", 2],
    ["a_corner", 2],
  ]);
}

/** Floats per vertex of a wide line's quad ({@link quadVertices} of segments): both ends, then the corner. */
const WIDE_STRIDE = 6;

/**
 * Each record of `records` (`stride` floats, of which the first `keep` are kept) as the six vertices of a
 * quad: the kept floats, then the corner from `corners` (two floats per vertex). The shaders widen the quads to
 * a size in screen pixels.
 */
export function quadVertices(records: Float32Array, stride: number, keep: number, corners: Float32Array): Float32Array {
  const count = records.length / stride;
  const out = new Float32Array(count * 6 * (keep + 2));
  let o = 0;
  for (let k = 0; k < count; k++) {
    const r = stride * k;
    for (let c = 0; c < 6; c++) {
      for (let i = 0; i < keep; i++) out[o++] = records[r + i] as number;
      out[o++] = corners[2 * c] as number;
      out[o++] = corners[2 * c + 1] as number;
    }
  }
  return out;
}

/** `segments` ({@link SEGMENT_STRIDE}) as wide-line quads: both ends and the corner per vertex. */
export function wideLineVertices(segments: Float32Array): Float32Array {
  return quadVertices(segments, SEGMENT_STRIDE, 4, SEGMENT_CORNERS);
}

/** Point drawing options, sizes in CSS pixels (colours straight, not premultiplied: the shader covers). */
interface PointStyle {
  radius: number;
  stroke: number;
  strokeHover: number;
  fill: Rgba;
  strokeColor: Rgba;
  strokeColorHover: Rgba;
  colors?: UnitTexture;
}

/** Draws point quads ({@link discVertices}) as discs. */
function drawPoints(gl: GL, frame: Frame, points: Vertices, style: PointStyle): void {
  if (points.count === 0) return;
  const p = useProgram(gl, programs(gl).point, frame);
  gl.uniform1f(p.uniform("u_radius"), style.radius * frame.ratio);
  gl.uniform1f(p.uniform("u_stroke"), style.stroke * frame.ratio);
  gl.uniform1f(p.uniform("u_stroke_hover"), style.strokeHover * frame.ratio);
  gl.uniform4fv(p.uniform("u_fill"), style.fill);
  gl.uniform4fv(p.uniform("u_stroke_color"), style.strokeColor);
  gl.uniform4fv(p.uniform("u_stroke_color_hover"), style.strokeColorHover);
  // Fixed-colour points never read the colour texture, but the sampler must point at a valid texture.
  (style.colors ?? emptyTexture).bind(gl, p, "u_colors", 0);
  points.draw(gl, p, gl.TRIANGLES, [
    ["a_pos", 2],
    ["a_unit", 1],
    ["a_corner", 2],
  ]);
}

/** Floats per vertex of a disc's quad ({@link discVertices}): the point, its unit, the corner. */
const DISC_STRIDE = 5;

/** `points` ({@link POINT_STRIDE}) as quads the shader shades as discs: the point, its unit and the corner per vertex. */
export function discVertices(points: Float32Array): Float32Array {
  return quadVertices(points, POINT_STRIDE, POINT_STRIDE, POINT_CORNERS);
}

const emptyTexture = new UnitTexture();

/** The land colour under the units (the base map's state polygons). */
const LAND = rgba("#f3f1ec");
/** State outlines: colour and width by zoom (0.8 px at zoom 3 to 2 px at zoom 8). */
const STATE_OUTLINE = rgba("#3d4852");
/** Territory borders: colour, opacity, width 1.2 px at zoom 3 to 2.6 px at zoom 8. */
const TERRITORY_BORDER = rgba("#243b53", 0.9);
/** The thin unit outlines' colour (its opacity grows with the zoom) and a point unit's ring. */
const UNIT_OUTLINE = "#52606d";
const UNIT_RING = rgba(UNIT_OUTLINE);
/** A hovered point unit's ring; the reps' discs. */
const DARK = rgba("#1f2933");
const WHITE = rgba("#ffffff");

/** The radius (CSS px) of a point unit's disc at `zoom`: 2.5 px at zoom 3 to 7 px at zoom 10. */
export function pointUnitRadius(zoom: number): number {
  return byZoom(zoom, 3, 2.5, 10, 7);
}

/** Widest line (device px) drawn as a plain 1 px `gl.LINES` line rather than a widened quad. */
const THIN_LINE_PX = 1.25;

/** Fill opacity of a unit (a hovered one is opaque). */
const FILL_OPACITY = 0.85;

/** The base map: land polygons (under the units) and state outlines (over them). */
export class BaseMapLayers {
  private readonly land = new Vertices(2);
  private readonly outlines = new Vertices(WIDE_STRIDE);
  private readonly thinOutlines = new Vertices(2);

  /**
   * `land`: triangles, x, y per vertex ({@link ./meshes.polygonFillMesh}); `outlines`: the state outlines as
   * segments and as line vertices ({@link ./meshes.outlineMesh}).
   */
  constructor(land: Float32Array, outlines: { segments: Float32Array; lines: Float32Array }) {
    this.land.set(land);
    this.outlines.set(wideLineVertices(outlines.segments));
    this.thinOutlines.set(outlines.lines);
  }

  /** The land layer, drawn first. */
  landLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => drawSolid(gl, frame, this.land, gl.TRIANGLES, LAND));
  }

  /**
   * The state outlines layer, over the units. Up to about a device pixel wide (the national view) they are
   * `gl.LINES`: widened quads of their 11,600 segments cost ~3 ms of every frame in software WebGL (bench/app
   * pan-zoom.mjs), for a line that looks the same.
   */
  outlineLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => {
      const width = byZoom(frame.zoom, 3, 0.8, 8, 2);
      if (width * frame.ratio <= THIN_LINE_PX) drawSolid(gl, frame, this.thinOutlines, gl.LINES, STATE_OUTLINE);
      else drawLines(gl, frame, this.outlines, { color: STATE_OUTLINE, width });
    });
  }
}

/**
 * The units as the map shows them: fills coloured by territory, thin outlines, point units as discs, and the
 * territory borders over them. Colours and hover are per-unit texels: an edit rewrites a few. The territory
 * borders are the segments between units of different territories, picked out on each change of alignment
 * (a pass over the segments: ~1 ms for the counties' 31,000), so a frame draws only those.
 */
export class UnitGraphics {
  private readonly fills = new Vertices(FILL_STRIDE);
  private readonly outlines = new Vertices(2);
  private readonly borders = new Vertices(WIDE_STRIDE);
  private readonly points = new Vertices(DISC_STRIDE);
  private readonly colors = new UnitTexture();
  /** Every outline segment with its units ({@link UnitMeshes.segments}), the territory borders' source. */
  private segments: Float32Array = new Float32Array(0);
  /** Each unit's territory (-1: none), as last set. */
  private territoryOf = new Int32Array(0);
  private count = 0;
  private hovered: number | null = null;

  constructor(private readonly map: MapLibreMap) {}

  /** Takes a new set of units: their meshes; every unit uncoloured, no territory, none hovered. */
  setUnits(meshes: UnitMeshes, count: number): void {
    this.fills.set(meshes.fills);
    this.outlines.set(meshes.outlines);
    this.points.set(discVertices(meshes.points));
    this.segments = meshes.segments;
    this.borders.set(new Float32Array(0));
    this.count = count;
    this.territoryOf = new Int32Array(count).fill(-1);
    this.colors.resize(count);
    const [r, g, b] = parseHex(UNASSIGNED_COLOR);
    for (let u = 0; u < count; u++) this.colors.set(u, r, g, b, 0);
    this.hovered = null;
    this.map.triggerRepaint();
  }

  /** Colours each of `units` (every unit when `null`) with `colorOf(unit)`; returns how many changed. */
  setColors(colorOf: (unit: number) => string, units: readonly number[] | null = null): number {
    let changed = 0;
    const fallback = parseHex(UNASSIGNED_COLOR);
    // A few territory colours for thousands of units: each text parsed once.
    const parsed = new Map<string, [number, number, number]>();
    const visit = (u: number): void => {
      if (u < 0 || u >= this.count) return;
      const text = colorOf(u);
      let rgb = parsed.get(text);
      if (rgb === undefined) parsed.set(text, (rgb = parseHex(text, fallback)));
      const [r, g, b] = rgb;
      if (this.colors.set(u, r, g, b, u === this.hovered ? 255 : 0)) changed++;
    };
    if (units === null) for (let u = 0; u < this.count; u++) visit(u);
    else units.forEach(visit);
    if (changed > 0) this.map.triggerRepaint();
    return changed;
  }

  /** Marks `unit` as hovered (opaque fill, dark ring for a point); `null`: none. */
  setHovered(unit: number | null): void {
    const flag = (u: number | null, on: boolean): void => {
      if (u === null || u < 0 || u >= this.count) return;
      const k = 4 * u;
      const b = this.colors.bytes;
      this.colors.set(u, b[k] as number, b[k + 1] as number, b[k + 2] as number, on ? 255 : 0);
    };
    flag(this.hovered, false);
    this.hovered = unit;
    flag(unit, true);
    this.map.triggerRepaint();
  }

  /**
   * Each unit's territory (`-1`: none), which decides where the territory borders run; `null` (no alignment):
   * no territory borders at all. Only `units` are read when given (an edit's moved units).
   */
  setTerritories(territoryOf: readonly number[] | null, units: readonly number[] | null = null): void {
    if (territoryOf === null) {
      this.borders.set(new Float32Array(0));
    } else {
      if (units === null) for (let u = 0; u < this.count; u++) this.territoryOf[u] = territoryOf[u] ?? -1;
      else for (const u of units) if (u >= 0 && u < this.count) this.territoryOf[u] = territoryOf[u] ?? -1;
      this.borders.set(wideLineVertices(territoryBorderSegments(this.segments, this.territoryOf)));
    }
    this.map.triggerRepaint();
  }

  /** The units layer: fills, their thin outlines, point units. */
  unitsLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => {
      if (this.fills.count > 0) {
        const p = useProgram(gl, programs(gl).fill, frame);
        gl.uniform1f(p.uniform("u_opacity"), FILL_OPACITY);
        this.colors.bind(gl, p, "u_colors", 0);
        this.fills.draw(gl, p, gl.TRIANGLES, [
          ["a_pos", 2],
          ["a_unit", 1],
        ]);
        // Thin unit borders (1 px lines): faint at the national view, where a county is a few pixels, clearer
        // zoomed in.
        drawSolid(gl, frame, this.outlines, gl.LINES, rgba(UNIT_OUTLINE, byZoom(frame.zoom, 3, 0.3, 8, 0.55)));
      }
      drawPoints(gl, frame, this.points, {
        radius: pointUnitRadius(frame.zoom),
        stroke: 0.5,
        strokeHover: 2,
        fill: [0, 0, 0, 1],
        strokeColor: UNIT_RING,
        strokeColorHover: DARK,
        colors: this.colors,
      });
    });
  }

  /** The territory borders layer: the segments between units of different territories, and outer edges. */
  bordersLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) =>
      drawLines(gl, frame, this.borders, { color: TERRITORY_BORDER, width: byZoom(frame.zoom, 3, 1.2, 8, 2.6) }),
    );
  }
}

/**
 * The segments of `segments` ({@link SEGMENT_STRIDE}) on a territory border under `territoryOf`
 * ({@link isTerritoryBorder}: between two territories, or an outer edge).
 */
export function territoryBorderSegments(segments: Float32Array, territoryOf: Int32Array): Float32Array {
  const out = new Float32Array(segments.length);
  let n = 0;
  for (let o = 0; o < segments.length; o += SEGMENT_STRIDE) {
    if (!isTerritoryBorder(segments[o + 4] as number, segments[o + 5] as number, territoryOf)) continue;
    out.set(segments.subarray(o, o + SEGMENT_STRIDE), n);
    n += SEGMENT_STRIDE;
  }
  return out.slice(0, n);
}

/** The reps' home bases: dark discs with a white ring, over everything else. */
export class RepGraphics {
  private readonly points = new Vertices(DISC_STRIDE);

  constructor(private readonly map: MapLibreMap) {}

  /** Shows these home bases ({@link ./meshes.pointMesh}), replacing the earlier ones. */
  set(points: Float32Array): void {
    this.points.set(discVertices(points));
    this.map.triggerRepaint();
  }

  layer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) =>
      drawPoints(gl, frame, this.points, {
        radius: byZoom(frame.zoom, 3, 4, 10, 8),
        stroke: 2,
        strokeHover: 2,
        fill: DARK,
        strokeColor: WHITE,
        strokeColorHover: WHITE,
      }),
    );
  }
}
