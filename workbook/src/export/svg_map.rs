//! Map images as SVG for the HTML report: a scenario's territories in their colours with the reps' home bases,
//! and the diff map, where every unit whose territory changed is drawn in red over the territories' outlines
//! (its title says from → to, shown on hover in a browser).
//!
//! Projection: equirectangular around the mean latitude (x = lon · cos φ₀, y = −lat), fitted to the width;
//! enough for a picture of a region, with no tiles and nothing fetched.

use std::fmt::Write as _;

use geo::MultiPolygon;
use tessera_optimizer::Plan;

use crate::Dataset;

/// Territory fill colours (the app's palette, ui/src/state/colors.ts).
pub const PALETTE: [&str; 12] = [
    "#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5", "#ffed6f", "#bc80bd", "#ccebc5",
    "#e5c494", "#a6cee3",
];

/// A palette index per territory of `plan`, neighbours (by unit adjacency) apart where the palette allows:
/// greedy in name order, so a territory's colour depends on its name and its neighbours, not on numbering.
pub fn territory_colors(dataset: &Dataset, plan: &Plan) -> Vec<usize> {
    territory_colors_keeping(dataset, plan, &std::collections::HashMap::new())
}

/// Palette indices for several scenarios shown side by side: a territory keeps its colour in every one of them
/// (the first scenario that has its name sets it, as [`territory_colors`] would), so what changed between the
/// maps is what moved, not a reshuffled palette. Territories new in a later scenario get colours apart from
/// their neighbours there where the palette allows.
pub fn territory_colors_across(dataset: &Dataset, plans: &[&Plan]) -> Vec<Vec<usize>> {
    let mut kept: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    plans
        .iter()
        .map(|plan| {
            let slots = territory_colors_keeping(dataset, plan, &kept);
            for (name, &slot) in plan.names().iter().zip(&slots) {
                kept.entry(name.clone()).or_insert(slot);
            }
            slots
        })
        .collect()
}

/// [`territory_colors`], with the territories named in `kept` keeping that palette index.
fn territory_colors_keeping(
    dataset: &Dataset,
    plan: &Plan,
    kept: &std::collections::HashMap<String, usize>,
) -> Vec<usize> {
    let p = plan.names().len();
    let of = plan.territory_of();
    let mut neighbors = vec![std::collections::BTreeSet::new(); p];
    for (a, b) in dataset.adjacency.edges() {
        let (ta, tb) = (of[a as usize] as usize, of[b as usize] as usize);
        if ta != tb {
            neighbors[ta].insert(tb);
            neighbors[tb].insert(ta);
        }
    }
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| plan.names()[a].cmp(&plan.names()[b]));
    let mut slot = vec![usize::MAX; p];
    let mut uses = [0usize; PALETTE.len()];
    for (t, name) in plan.names().iter().enumerate() {
        if let Some(&k) = kept.get(name) {
            slot[t] = k;
            uses[k] += 1;
        }
    }
    for t in order {
        if slot[t] != usize::MAX {
            continue;
        }
        let taken: Vec<usize> = neighbors[t]
            .iter()
            .map(|&n| slot[n])
            .filter(|&s| s != usize::MAX)
            .collect();
        let best = (0..PALETTE.len())
            .filter(|s| !taken.contains(s))
            .min_by_key(|&s| (uses[s], s))
            .unwrap_or(t % PALETTE.len());
        slot[t] = best;
        uses[best] += 1;
    }
    slot
}

/// Maps lon/lat to SVG pixels.
struct Frame {
    k: f64,
    min_x: f64,
    max_y: f64,
    scale: f64,
    width: f64,
    height: f64,
}

/// The map's extent in projected coordinates `[min_x, max_x, min_y, max_y]` (x = lon · cos φ₀): the units'
/// points from the 0.1st to the 99.9th percentile on each axis, widened by 5%, so one unit with a wrong
/// position (a ZIP at 0°, 0°) does not shrink the whole map to a corner; see [`units_off_map`].
fn extent(dataset: &Dataset, k: f64) -> [f64; 4] {
    let u = &dataset.units;
    if u.is_empty() {
        return [0.0, 1.0, 0.0, 1.0];
    }
    let quantiles = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        let (lo, hi) = (at(0.001), at(0.999));
        let pad = ((hi - lo) * 0.05).max(0.05);
        (lo - pad, hi + pad)
    };
    let (min_x, max_x) = quantiles(u.lon().iter().map(|x| x * k).collect());
    let (min_y, max_y) = quantiles(u.lat().to_vec());
    [min_x, max_x, min_y, max_y]
}

/// The scale factor of longitudes: cos of the units' mean latitude.
fn lon_scale(dataset: &Dataset) -> f64 {
    let u = &dataset.units;
    (u.lat().iter().sum::<f64>() / u.len().max(1) as f64)
        .to_radians()
        .cos()
        .max(0.1)
}

/// Units whose point lies outside the map's extent (drawn off the picture), by index.
pub fn units_off_map(dataset: &Dataset) -> Vec<usize> {
    let k = lon_scale(dataset);
    let [min_x, max_x, min_y, max_y] = extent(dataset, k);
    let u = &dataset.units;
    (0..u.len())
        .filter(|&i| {
            let (x, y) = (u.lon()[i] * k, u.lat()[i]);
            !(min_x..=max_x).contains(&x) || !(min_y..=max_y).contains(&y)
        })
        .collect()
}

impl Frame {
    fn new(dataset: &Dataset, width: f64) -> Frame {
        let k = lon_scale(dataset);
        let [min_x, max_x, min_y, max_y] = extent(dataset, k);
        let scale = (width - 20.0) / (max_x - min_x).max(1e-9);
        let height = ((max_y - min_y) * scale + 20.0).min(width * 1.5);
        Frame {
            k,
            min_x,
            max_y,
            scale,
            width,
            height,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            10.0 + (lon * self.k - self.min_x) * self.scale,
            10.0 + (self.max_y - lat) * self.scale,
        )
    }

    fn open(&self, out: &mut String, title: &str) {
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img"><title>{t}</title><rect width="100%" height="100%" fill="#f4f6f8"/>"##,
            w = self.width,
            h = self.height,
            t = escape(title)
        );
    }

    fn path(&self, out: &mut String, mp: &MultiPolygon<f64>) {
        for p in &mp.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let mut first = true;
                let mut last = (f64::NAN, f64::NAN);
                for c in &ring.0 {
                    let (x, y) = self.xy(c.x, c.y);
                    // Points closer than a tenth of a pixel add bytes, not detail.
                    if !first && (x - last.0).abs() < 0.1 && (y - last.1).abs() < 0.1 {
                        continue;
                    }
                    let _ = write!(out, "{}{x:.1},{y:.1}", if first { "M" } else { "L" });
                    first = false;
                    last = (x, y);
                }
                out.push('Z');
            }
        }
    }
}

/// XML text escaping.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The territories of `plan` (shapes in plan order) filled in `colors`, reps' home bases as black dots.
pub fn territory_map(
    dataset: &Dataset,
    plan: &Plan,
    shapes: &[MultiPolygon<f64>],
    colors: &[usize],
    title: &str,
) -> String {
    let f = Frame::new(dataset, 900.0);
    let mut out = String::new();
    f.open(&mut out, title);
    for (t, shape) in shapes.iter().enumerate() {
        if shape.0.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            r##"<path fill="{}" stroke="#334" stroke-width="0.6" fill-rule="evenodd" d=""##,
            PALETTE[colors[t] % PALETTE.len()]
        );
        f.path(&mut out, shape);
        let _ = write!(out, r#""><title>{}</title></path>"#, escape(&plan.names()[t]));
    }
    for r in &dataset.reps {
        let (x, y) = f.xy(r.lon, r.lat);
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="#111"><title>{} ({})</title></circle>"##,
            escape(&r.name),
            escape(&r.id)
        );
    }
    out.push_str("</svg>");
    out
}

/// The diff map: `after`'s territory outlines in grey, every unit whose territory name differs from
/// `before`'s in red (its polygon, or a dot for a point unit), titled "unit: from → to".
pub fn diff_map(
    dataset: &Dataset,
    before: &Plan,
    after: &Plan,
    after_shapes: &[MultiPolygon<f64>],
    title: &str,
) -> String {
    let f = Frame::new(dataset, 900.0);
    let mut out = String::new();
    f.open(&mut out, title);
    out.push_str(r##"<g fill="#ffffff" stroke="#8a94a6" stroke-width="0.6" fill-rule="evenodd">"##);
    for shape in after_shapes.iter().filter(|s| !s.0.is_empty()) {
        out.push_str(r#"<path d=""#);
        f.path(&mut out, shape);
        out.push_str(r#""/>"#);
    }
    out.push_str("</g>");
    let name = |p: &Plan, i: usize| p.names()[p.territory_of()[i] as usize].clone();
    out.push_str(r##"<g fill="#e4574f" stroke="#a02c26" stroke-width="0.4">"##);
    let u = &dataset.units;
    for i in 0..u.len() {
        let (from, to) = (name(before, i), name(after, i));
        if from == to {
            continue;
        }
        let label = format!("{}: {} → {}", u.ids()[i], from, to);
        let outline = dataset
            .polygons
            .as_ref()
            .map(|p| crate::outline::writable_outline(&p[i]));
        match outline.as_deref() {
            Some(mp) if !mp.0.is_empty() => {
                out.push_str(r#"<path d=""#);
                f.path(&mut out, mp);
                let _ = write!(out, r#""><title>{}</title></path>"#, escape(&label));
            }
            _ => {
                let (x, y) = f.xy(u.lon()[i], u.lat()[i]);
                let _ = write!(
                    out,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="2"><title>{}</title></circle>"#,
                    escape(&label)
                );
            }
        }
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_optimizer::{Adjacency, Units};

    /// Six units in a row, each touching the next.
    fn row() -> Dataset {
        let n = 6;
        Dataset {
            units: Units::new(
                (0..n).map(|i| format!("u{i}")).collect(),
                (0..n).map(|i| i as f64).collect(),
                vec![0.0; n],
                vec![],
            )
            .expect("units"),
            adjacency: Adjacency::from_edges(n, &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]),
            adjacency_source: crate::AdjacencySource::File,
            bridged: Vec::new(),
            polygons: None,
            reps: Vec::new(),
            current: None,
        }
    }

    #[test]
    fn a_territory_keeps_its_colour_in_every_scenario_side_by_side() {
        let ds = row();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // A | C in a row; then B appears between them. On its own the second scenario would be coloured in name
        // order (A, B, C get the first three colours), which would give C B's old colour.
        let before = Plan::new(vec![0, 0, 0, 1, 1, 1], names(&["A", "C"]));
        let after = Plan::new(vec![0, 0, 1, 1, 2, 2], names(&["A", "B", "C"]));
        let alone = territory_colors(&ds, &after);
        let side = territory_colors_across(&ds, &[&before, &after]);
        assert_eq!(
            side[0],
            territory_colors(&ds, &before),
            "the first scenario is coloured as on its own"
        );
        for (t, name) in after.names().iter().enumerate() {
            if let Some(b) = before.names().iter().position(|n| n == name) {
                assert_eq!(side[1][t], side[0][b], "{name} keeps its colour");
            }
        }
        // B is new: it differs from its neighbours A and C.
        assert_ne!(side[1][1], side[1][0]);
        assert_ne!(side[1][1], side[1][2]);
        // On its own the second scenario would have been coloured otherwise (the case this guards against).
        assert_ne!(alone, side[1], "the test needs a plan whose own colouring differs");
    }
}
