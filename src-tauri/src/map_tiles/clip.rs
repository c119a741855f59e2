//! Clipping a polygon ring to a tile's square (with its buffer) and simplifying it at the tile's resolution.

/// A point in a tile's frame, before rounding: x right, y down, 0..extent inside the tile.
pub type Xy = [f64; 2];

/// `ring` (closed implicitly: no repeated last point) clipped to the square `lo..=hi` on both axes
/// (Sutherland–Hodgman, one axis-aligned edge at a time). Parts of the ring outside become runs along the square's
/// edges, which lie in the tile's buffer where MapLibre never draws them. Empty when nothing is inside.
pub fn clip_ring(ring: &[Xy], lo: f64, hi: f64) -> Vec<Xy> {
    if ring
        .iter()
        .all(|p| p[0] >= lo && p[0] <= hi && p[1] >= lo && p[1] <= hi)
    {
        return ring.to_vec();
    }
    let mut out = ring.to_vec();
    for (axis, bound, keep_below) in [(0, lo, false), (0, hi, true), (1, lo, false), (1, hi, true)] {
        out = clip_edge(&out, axis, bound, keep_below);
        if out.is_empty() {
            break;
        }
    }
    out
}

/// One Sutherland–Hodgman step: keeps the part of `ring` with `p[axis] <= bound` (`keep_below`) or `>= bound`.
fn clip_edge(ring: &[Xy], axis: usize, bound: f64, keep_below: bool) -> Vec<Xy> {
    let inside = |p: &Xy| if keep_below { p[axis] <= bound } else { p[axis] >= bound };
    let mut out = Vec::with_capacity(ring.len() + 4);
    let Some(&last) = ring.last() else { return out };
    let mut prev = last;
    for &p in ring {
        match (inside(&prev), inside(&p)) {
            (true, true) => out.push(p),
            (true, false) => out.push(crossing(prev, p, axis, bound)),
            (false, true) => {
                out.push(crossing(prev, p, axis, bound));
                out.push(p);
            }
            (false, false) => {}
        }
        prev = p;
    }
    out
}

/// Where segment `a`–`b` crosses `p[axis] == bound` (the two ends lie on either side).
fn crossing(a: Xy, b: Xy, axis: usize, bound: f64) -> Xy {
    let t = (bound - a[axis]) / (b[axis] - a[axis]);
    let mut p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    p[axis] = bound;
    p
}

/// Twice the signed area of `ring` (closed implicitly), positive when it turns clockwise on screen (y down).
pub fn doubled_area(ring: &[[i32; 2]]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1])
        })
        .sum()
}

/// `ring` (closed implicitly) simplified with Douglas–Peucker to within `tolerance` and rounded to whole tile
/// units, consecutive duplicates dropped. The ring's first point and its farthest point from it are always
/// kept, so a ring larger than the tolerance keeps at least a triangle's worth of points; the caller drops
/// rings left with fewer than 3 or no area.
pub fn simplify_and_round(ring: &[Xy], tolerance: f64) -> Vec<[i32; 2]> {
    let n = ring.len();
    if n < 3 {
        return Vec::new();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    // Split the ring at the point farthest from its first one, then simplify the two open halves.
    let far = (1..n)
        .max_by(|&a, &b| dist2(ring[a], ring[0]).total_cmp(&dist2(ring[b], ring[0])))
        .unwrap_or(0);
    keep[far] = true;
    let sq = tolerance * tolerance;
    // The second half runs from `far` back to the first point, which sits at index `n` (wrapping).
    let at = |i: usize| ring[i % n];
    let mut stack = vec![(0usize, far), (far, n)];
    while let Some((first, last)) = stack.pop() {
        let mut worst = 0.0;
        let mut index = 0;
        for i in first + 1..last {
            let d = segment_dist2(at(i), at(first), at(last));
            if d > worst {
                worst = d;
                index = i;
            }
        }
        if worst > sq {
            keep[index % n] = true;
            stack.push((first, index));
            stack.push((index, last));
        }
    }
    let mut out: Vec<[i32; 2]> = Vec::with_capacity(n / 2);
    for (i, p) in ring.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let q = [p[0].round() as i32, p[1].round() as i32];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

fn dist2(a: Xy, b: Xy) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

/// Squared distance from `p` to segment `a`–`b` (to `a` when the segment has no length).
fn segment_dist2(p: Xy, a: Xy, b: Xy) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist2(p, a);
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0);
    dist2(p, [a[0] + t * dx, a[1] + t * dy])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_inside_is_kept_as_it_is() {
        let ring = vec![[1.0, 1.0], [5.0, 1.0], [5.0, 5.0]];
        assert_eq!(clip_ring(&ring, 0.0, 10.0), ring);
    }

    #[test]
    fn a_ring_outside_clips_to_nothing() {
        assert!(clip_ring(&[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]], 0.0, 10.0).is_empty());
    }

    #[test]
    fn a_square_across_a_corner_keeps_the_part_inside() {
        // The square 5..15 against 0..10: the quarter 5..10 remains.
        let ring = vec![[5.0, 5.0], [15.0, 5.0], [15.0, 15.0], [5.0, 15.0]];
        let clipped = clip_ring(&ring, 0.0, 10.0);
        let rounded: Vec<[i32; 2]> = clipped.iter().map(|p| [p[0] as i32, p[1] as i32]).collect();
        assert_eq!(doubled_area(&rounded).abs(), 2 * 25);
        assert!(clipped
            .iter()
            .all(|p| (5.0..=10.0).contains(&p[0]) && (5.0..=10.0).contains(&p[1])));
    }

    #[test]
    fn simplifying_drops_points_within_the_tolerance_and_keeps_the_corners() {
        // A 100-unit square with a 0.3-unit bump in the middle of its last side.
        let ring = vec![[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [50.0, 100.3], [0.0, 100.0]];
        assert_eq!(
            simplify_and_round(&ring, 1.0),
            vec![[0, 0], [100, 0], [100, 100], [0, 100]]
        );
        // Within a tolerance of 0.1 the bump stays (rounded onto the side).
        assert_eq!(simplify_and_round(&ring, 0.1).len(), 5);
    }

    #[test]
    fn a_ring_smaller_than_the_tolerance_collapses() {
        let ring = vec![[0.0, 0.0], [0.2, 0.0], [0.2, 0.2], [0.0, 0.2]];
        assert!(simplify_and_round(&ring, 1.0).len() < 3);
    }

    #[test]
    fn area_is_positive_clockwise_on_screen() {
        // x right, y down: (0,0) → (10,0) → (10,10) turns clockwise as seen on screen.
        assert!(doubled_area(&[[0, 0], [10, 0], [10, 10], [0, 10]]) > 0);
        assert!(doubled_area(&[[0, 0], [0, 10], [10, 10], [10, 0]]) < 0);
    }
}
