import type { CustomLayerInterface, CustomRenderMethodInput, Map as MapLibreMap } from "maplibre-gl";
import { UNASSIGNED_COLOR } from "../state";
import { programs, UNIT_TEXTURE_WIDTH, type Program } from "./glPrograms";
import { FILL_STRIDE, POINT_STRIDE, SEGMENT_STRIDE, type UnitMeshes } from "./meshes";

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
   * Binds the buffer and points `attributes` (name, float count) of `program` at it, in order, one record per
   * vertex, or per instance with `perInstance`; returns the attribute locations enabled, for {@link disable}.
   */
  bind(gl: GL, program: Program, attributes: readonly [string, number][], perInstance = false): number[] {
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
        if (perInstance) instancing(gl).divisor(at, 1);
        enabled.push(at);
      }
      offset += size;
    }
    return enabled;
  }
}

/** Disables the attribute arrays `enabled`, their divisors back to 0 (MapLibre may draw without vertex array objects). */
function disable(gl: GL, enabled: readonly number[]): void {
  for (const at of enabled) {
    instancing(gl).divisor(at, 0);
    gl.disableVertexAttribArray(at);
  }
}

/** Instanced drawing: WebGL 2's own, or WebGL 1's ANGLE_instanced_arrays (in every browser MapLibre runs in). */
interface Instancing {
  divisor(at: number, divisor: number): void;
  draw(mode: number, vertices: number, instances: number): void;
}

const instancingOf = new WeakMap<GL, Instancing>();

function instancing(gl: GL): Instancing {
  let i = instancingOf.get(gl);
  if (i !== undefined) return i;
  if ("drawArraysInstanced" in gl) {
    const gl2 = gl;
    i = {
      divisor: (at, d) => gl2.vertexAttribDivisor(at, d),
      draw: (mode, vertices, instances) => gl2.drawArraysInstanced(mode, 0, vertices, instances),
    };
  } else {
    const ext = gl.getExtension("ANGLE_instanced_arrays");
    if (ext === null) throw new Error("WebGL: no instanced drawing (ANGLE_instanced_arrays)");
    i = {
      divisor: (at, d) => ext.vertexAttribDivisorANGLE(at, d),
      draw: (mode, vertices, instances) => ext.drawArraysInstancedANGLE(mode, 0, vertices, instances),
    };
  }
  instancingOf.set(gl, i);
  return i;
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

/** Draws `vertices` (x, y per vertex) as `mode` in one colour. */
function drawSolid(gl: GL, frame: Frame, vertices: Vertices, mode: number, color: Rgba): void {
  if (vertices.count === 0) return;
  const p = programs(gl).solid;
  gl.useProgram(p.program);
  gl.uniformMatrix4fv(p.uniform("u_matrix"), false, frame.matrix);
  gl.uniform4fv(p.uniform("u_color"), color);
  const enabled = vertices.bind(gl, p, [["a_pos", 2]]);
  gl.drawArrays(mode, 0, vertices.count);
  disable(gl, enabled);
}

/** Line drawing options: colour (premultiplied) and width in CSS pixels. */
interface LineStyle {
  color: Rgba;
  width: number;
  /** Territory borders only: skip segments inside one territory (per `territories`). */
  territories?: UnitTexture;
}

/** Draws segments ({@link SEGMENT_STRIDE}) as wide lines. */
function drawLines(gl: GL, frame: Frame, segments: Vertices, style: LineStyle): void {
  if (segments.count === 0) return;
  const p = programs(gl).line;
  gl.useProgram(p.program);
  gl.uniformMatrix4fv(p.uniform("u_matrix"), false, frame.matrix);
  gl.uniform2f(p.uniform("u_viewport"), frame.width, frame.height);
  // Half the width, plus the faded pixel on each side.
  gl.uniform1f(p.uniform("u_half"), (style.width * frame.ratio) / 2 + 0.5);
  gl.uniform4fv(p.uniform("u_color"), style.color);
  gl.uniform1f(p.uniform("u_territory_test"), style.territories ? 1 : 0);
  style.territories?.bind(gl, p, "u_territories", 1);
  const enabled = [
    ...segmentCorners.bind(gl, p, [["a_corner", 2]]),
    ...segments.bind(
      gl,
      p,
      [
        ["a_p", 2],
        ["a_q", 2],
        ["a_units", 2],
      ],
      true,
    ),
  ];
  instancing(gl).draw(gl.TRIANGLES, 6, segments.count);
  disable(gl, enabled);
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

/** Draws points ({@link POINT_STRIDE}) as discs. */
function drawPoints(gl: GL, frame: Frame, points: Vertices, style: PointStyle): void {
  if (points.count === 0) return;
  const p = programs(gl).point;
  gl.useProgram(p.program);
  gl.uniformMatrix4fv(p.uniform("u_matrix"), false, frame.matrix);
  gl.uniform2f(p.uniform("u_viewport"), frame.width, frame.height);
  gl.uniform1f(p.uniform("u_radius"), style.radius * frame.ratio);
  gl.uniform1f(p.uniform("u_stroke"), style.stroke * frame.ratio);
  gl.uniform1f(p.uniform("u_stroke_hover"), style.strokeHover * frame.ratio);
  gl.uniform4fv(p.uniform("u_fill"), style.fill);
  gl.uniform4fv(p.uniform("u_stroke_color"), style.strokeColor);
  gl.uniform4fv(p.uniform("u_stroke_color_hover"), style.strokeColorHover);
  // Fixed-colour points never read the colour texture, but the sampler must point at a valid texture.
  (style.colors ?? emptyTexture).bind(gl, p, "u_colors", 0);
  const enabled = [
    ...pointCorners.bind(gl, p, [["a_corner", 2]]),
    ...points.bind(
      gl,
      p,
      [
        ["a_pos", 2],
        ["a_unit", 1],
      ],
      true,
    ),
  ];
  instancing(gl).draw(gl.TRIANGLES, 6, points.count);
  disable(gl, enabled);
}

const emptyTexture = new UnitTexture();
const segmentCorners = new Vertices(2);
segmentCorners.set(SEGMENT_CORNERS);
const pointCorners = new Vertices(2);
pointCorners.set(POINT_CORNERS);

/** The land colour under the units (the base map's state polygons). */
const LAND = rgba("#f3f1ec");
/** State outlines: colour and width by zoom (0.8 px at zoom 3 to 2 px at zoom 8). */
const STATE_OUTLINE = "#3d4852";
/** Territory borders: colour, opacity, width 1.2 px at zoom 3 to 2.6 px at zoom 8. */
const TERRITORY_BORDER = rgba("#243b53", 0.9);
/** The radius (CSS px) of a point unit's disc at `zoom`: 2.5 px at zoom 3 to 7 px at zoom 10. */
export function pointUnitRadius(zoom: number): number {
  return byZoom(zoom, 3, 2.5, 10, 7);
}

/** Fill opacity of a unit (a hovered one is opaque). */
const FILL_OPACITY = 0.85;

/** The base map: land polygons (under the units) and state outlines (over them). */
export class BaseMapLayers {
  private readonly land = new Vertices(2);
  private readonly outlines = new Vertices(SEGMENT_STRIDE);

  /** `land`: triangles, x, y per vertex ({@link ./meshes.polygonFillMesh}); `outlines`: segments ({@link ./meshes.lineMesh}). */
  constructor(land: Float32Array, outlines: Float32Array) {
    this.land.set(land);
    this.outlines.set(outlines);
  }

  /** The land layer, drawn first. */
  landLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => drawSolid(gl, frame, this.land, gl.TRIANGLES, LAND));
  }

  /** The state outlines layer, over the units. */
  outlineLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) =>
      drawLines(gl, frame, this.outlines, { color: rgba(STATE_OUTLINE), width: byZoom(frame.zoom, 3, 0.8, 8, 2) }),
    );
  }
}

/**
 * The units as the map shows them: fills coloured by territory, thin outlines, point units as discs, and the
 * territory borders over them. Colours, hover and territories are per-unit texels: an edit rewrites a few.
 */
export class UnitGraphics {
  private readonly fills = new Vertices(FILL_STRIDE);
  private readonly segments = new Vertices(SEGMENT_STRIDE);
  private readonly points = new Vertices(POINT_STRIDE);
  private readonly colors = new UnitTexture();
  private readonly territories = new UnitTexture();
  private count = 0;
  /** Whether the territory borders are drawn (there is an alignment). */
  private bordersShown = false;
  private hovered: number | null = null;

  constructor(private readonly map: MapLibreMap) {}

  /** Takes a new set of units: their meshes; every unit uncoloured, no territory, none hovered. */
  setUnits(meshes: UnitMeshes, count: number): void {
    this.fills.set(meshes.fills);
    this.segments.set(meshes.segments);
    this.points.set(meshes.points);
    this.count = count;
    this.colors.resize(count);
    this.territories.resize(count);
    const [r, g, b] = parseHex(UNASSIGNED_COLOR);
    for (let u = 0; u < count; u++) this.colors.set(u, r, g, b, 0);
    this.bordersShown = false;
    this.hovered = null;
    this.map.triggerRepaint();
  }

  /** Colours each of `units` (every unit when `null`) with `colorOf(unit)`; returns how many changed. */
  setColors(colorOf: (unit: number) => string, units: readonly number[] | null = null): number {
    let changed = 0;
    const fallback = parseHex(UNASSIGNED_COLOR);
    const visit = (u: number): void => {
      if (u < 0 || u >= this.count) return;
      const [r, g, b] = parseHex(colorOf(u), fallback);
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
   * no territory borders at all. Only `units` are rewritten when given (an edit's moved units).
   */
  setTerritories(territoryOf: readonly number[] | null, units: readonly number[] | null = null): void {
    this.bordersShown = territoryOf !== null;
    if (territoryOf !== null) {
      const visit = (u: number): void => {
        const t = (territoryOf[u] ?? -1) + 1;
        this.territories.set(u, t & 0xff, (t >> 8) & 0xff, (t >> 16) & 0xff, 255);
      };
      if (units === null) for (let u = 0; u < this.count; u++) visit(u);
      else units.forEach(visit);
    }
    this.map.triggerRepaint();
  }

  /** The units layer: fills, their thin outlines, point units. */
  unitsLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => {
      if (this.fills.count > 0) {
        const p = programs(gl).fill;
        gl.useProgram(p.program);
        gl.uniformMatrix4fv(p.uniform("u_matrix"), false, frame.matrix);
        gl.uniform1f(p.uniform("u_opacity"), FILL_OPACITY);
        this.colors.bind(gl, p, "u_colors", 0);
        const enabled = this.fills.bind(gl, p, [
          ["a_pos", 2],
          ["a_unit", 1],
        ]);
        gl.drawArrays(gl.TRIANGLES, 0, this.fills.count);
        disable(gl, enabled);
        // Thin unit borders: faint at the national view, where a county is a few pixels, clearer zoomed in.
        drawLines(gl, frame, this.segments, { color: rgba("#52606d", byZoom(frame.zoom, 3, 0.3, 8, 0.55)), width: 0.5 });
      }
      drawPoints(gl, frame, this.points, {
        radius: pointUnitRadius(frame.zoom),
        stroke: 0.5,
        strokeHover: 2,
        fill: [0, 0, 0, 1],
        strokeColor: rgba("#52606d"),
        strokeColorHover: rgba("#1f2933"),
        colors: this.colors,
      });
    });
  }

  /** The territory borders layer: the segments between units of different territories, and outer edges. */
  bordersLayer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) => {
      if (!this.bordersShown) return;
      drawLines(gl, frame, this.segments, {
        color: TERRITORY_BORDER,
        width: byZoom(frame.zoom, 3, 1.2, 8, 2.6),
        territories: this.territories,
      });
    });
  }
}

/** The reps' home bases: dark discs with a white ring, over everything else. */
export class RepGraphics {
  private readonly points = new Vertices(POINT_STRIDE);

  constructor(private readonly map: MapLibreMap) {}

  /** Shows these home bases ({@link ./meshes.pointMesh}), replacing the earlier ones. */
  set(points: Float32Array): void {
    this.points.set(points);
    this.map.triggerRepaint();
  }

  layer(id: string): CustomLayerInterface {
    return customLayer(id, (gl, frame) =>
      drawPoints(gl, frame, this.points, {
        radius: byZoom(frame.zoom, 3, 4, 10, 8),
        stroke: 2,
        strokeHover: 2,
        fill: rgba("#1f2933"),
        strokeColor: rgba("#ffffff"),
        strokeColorHover: rgba("#ffffff"),
      }),
    );
  }
}
