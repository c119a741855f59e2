/**
 * The shader programs of the map's own WebGL layers ({@link ./glLayers}). GLSL ES 1.00, so they run on the
 * WebGL 1 and 2 contexts MapLibre may have. Positions are Web Mercator (0..1), taken to clip space by MapLibre's
 * matrix; widths and radii are in device pixels, so lines and points keep their size at every zoom.
 *
 * Per-unit data lives in a texture, one texel per unit (`unitTexel`): the fill colour (rgb) and whether the unit
 * is hovered (alpha). Recolouring a unit rewrites a texel, never geometry.
 */

type GL = WebGLRenderingContext | WebGL2RenderingContext;

/** Texels per row of the per-unit textures (a power of two, so the row/column split is exact in float). */
export const UNIT_TEXTURE_WIDTH = 1024;

const UNIT_TEXEL = `
uniform vec2 u_unit_size;
vec2 unitTexel(float unit) {
  float row = floor(unit / u_unit_size.x);
  return (vec2(unit - row * u_unit_size.x, row) + 0.5) / u_unit_size;
}
`;

/** Fills: triangles coloured per unit, with the fill opacity (a hovered unit is opaque). */
const FILL_VERTEX = `
precision highp float;
attribute vec2 a_pos;
attribute float a_unit;
uniform mat4 u_matrix;
uniform sampler2D u_colors;
uniform float u_opacity;
varying vec4 v_color;
${UNIT_TEXEL}
void main() {
  vec4 c = texture2D(u_colors, unitTexel(a_unit));
  float alpha = c.a > 0.5 ? 1.0 : u_opacity;
  v_color = vec4(c.rgb * alpha, alpha);
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
}
`;
const VARYING_COLOR_FRAGMENT = `
precision highp float;
varying vec4 v_color;
void main() { gl_FragColor = v_color; }
`;

/** One colour for every vertex: the land, the thin unit outlines (as `gl.LINES`). */
const SOLID_VERTEX = `
precision highp float;
attribute vec2 a_pos;
uniform mat4 u_matrix;
void main() { gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0); }
`;
const SOLID_FRAGMENT = `
precision highp float;
uniform vec4 u_color;
void main() { gl_FragColor = u_color; }
`;

/**
 * Wide lines: each segment a quad widened in screen space, its ends squared off by half the width (so the
 * segments of a line overlap at their joins, with no notch), its sides faded over the last pixel
 * (antialiasing).
 */
const LINE_VERTEX = `
precision highp float;
attribute vec2 a_p;
attribute vec2 a_q;
attribute vec2 a_corner;
uniform mat4 u_matrix;
uniform vec2 u_viewport;
uniform float u_half;
varying float v_dist;
void main() {
  vec4 p = u_matrix * vec4(a_p, 0.0, 1.0);
  vec4 q = u_matrix * vec4(a_q, 0.0, 1.0);
  vec2 half_view = u_viewport * 0.5;
  vec2 sp = p.xy / p.w * half_view;
  vec2 sq = q.xy / q.w * half_view;
  vec2 d = sq - sp;
  float len = length(d);
  vec2 dir = len > 0.0 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  vec4 base = a_corner.y < 0.0 ? p : q;
  vec2 screen = (a_corner.y < 0.0 ? sp : sq) + (normal * a_corner.x + dir * a_corner.y) * u_half;
  gl_Position = vec4(screen / half_view * base.w, base.z, base.w);
  v_dist = a_corner.x * u_half;
}
`;
const LINE_FRAGMENT = `
precision highp float;
uniform vec4 u_color;
uniform float u_half;
varying float v_dist;
void main() { gl_FragColor = u_color * clamp(u_half - abs(v_dist), 0.0, 1.0); }
`;

/**
 * Points: a quad per point shaded as a disc with a ring outside its radius (as MapLibre's circles), filled
 * from the unit's colour, or with `u_fill` for fixed points (unit -1: the reps' home bases). A hovered unit gets
 * the hover ring.
 */
const POINT_VERTEX = `
precision highp float;
attribute vec2 a_pos;
attribute vec2 a_corner;
attribute float a_unit;
uniform mat4 u_matrix;
uniform vec2 u_viewport;
uniform sampler2D u_colors;
uniform float u_radius;
uniform float u_stroke;
uniform float u_stroke_hover;
uniform vec4 u_fill;
uniform vec4 u_stroke_color;
uniform vec4 u_stroke_color_hover;
varying vec2 v_offset;
varying vec4 v_fill;
varying vec4 v_stroke;
varying float v_stroke_width;
${UNIT_TEXEL}
void main() {
  float hovered = 0.0;
  v_fill = u_fill;
  if (a_unit >= 0.0) {
    vec4 c = texture2D(u_colors, unitTexel(a_unit));
    v_fill = vec4(c.rgb, 1.0);
    hovered = c.a;
  }
  v_stroke_width = hovered > 0.5 ? u_stroke_hover : u_stroke;
  v_stroke = hovered > 0.5 ? u_stroke_color_hover : u_stroke_color;
  float outer = u_radius + v_stroke_width + 1.0;
  vec4 p = u_matrix * vec4(a_pos, 0.0, 1.0);
  v_offset = a_corner * outer;
  gl_Position = p + vec4(v_offset / (u_viewport * 0.5) * p.w, 0.0, 0.0);
}
`;
const POINT_FRAGMENT = `
precision highp float;
uniform float u_radius;
varying vec2 v_offset;
varying vec4 v_fill;
varying vec4 v_stroke;
varying float v_stroke_width;
void main() {
  float d = length(v_offset);
  float inside = clamp(u_radius - d + 0.5, 0.0, 1.0);
  float covered = clamp(u_radius + v_stroke_width - d + 0.5, 0.0, 1.0);
  gl_FragColor = mix(v_stroke, v_fill, inside) * covered;
}
`;

/** A linked program with its attribute and uniform locations looked up by name. */
export class Program {
  readonly program: WebGLProgram;
  private readonly uniforms = new Map<string, WebGLUniformLocation | null>();
  private readonly attributes = new Map<string, number>();

  constructor(
    private readonly gl: GL,
    vertex: string,
    fragment: string,
  ) {
    const program = gl.createProgram();
    if (program === null) throw new Error("WebGL: cannot create a program");
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, vertex));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragment));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new Error(`WebGL: program does not link: ${gl.getProgramInfoLog(program) ?? ""}`);
    }
    this.program = program;
  }

  /** The location of uniform `name` (null when the compiler dropped it as unused). */
  uniform(name: string): WebGLUniformLocation | null {
    let at = this.uniforms.get(name);
    if (at === undefined) {
      at = this.gl.getUniformLocation(this.program, name);
      this.uniforms.set(name, at);
    }
    return at;
  }

  /** The location of attribute `name` (-1 when unused). */
  attribute(name: string): number {
    let at = this.attributes.get(name);
    if (at === undefined) {
      at = this.gl.getAttribLocation(this.program, name);
      this.attributes.set(name, at);
    }
    return at;
  }
}

function compile(gl: GL, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (shader === null) throw new Error("WebGL: cannot create a shader");
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new Error(`WebGL: shader does not compile: ${gl.getShaderInfoLog(shader) ?? ""}`);
  }
  return shader;
}

/** The programs of one GL context. */
export interface Programs {
  fill: Program;
  solid: Program;
  line: Program;
  point: Program;
}

const programsOf = new WeakMap<GL, Programs>();

/** The programs for `gl`, compiled on first use. */
export function programs(gl: GL): Programs {
  let p = programsOf.get(gl);
  if (p === undefined) {
    p = {
      fill: new Program(gl, FILL_VERTEX, VARYING_COLOR_FRAGMENT),
      solid: new Program(gl, SOLID_VERTEX, SOLID_FRAGMENT),
      line: new Program(gl, LINE_VERTEX, LINE_FRAGMENT),
      point: new Program(gl, POINT_VERTEX, POINT_FRAGMENT),
    };
    programsOf.set(gl, p);
  }
  return p;
}
