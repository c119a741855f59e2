//! The adjacency graph between units, stored as compressed sparse rows.

/// Undirected graph over unit indices `0..n`: which units touch.
///
/// Stored as compressed sparse rows, so `neighbors(i)` is a slice. Self-loops and repeated edges are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// Builds the graph on `n` nodes from undirected edges `(a, b)`.
    ///
    /// # Panics
    /// If an edge names a node `>= n` (a caller bug: importers map ids to indices first).
    pub fn from_edges(n: usize, edges: &[(u32, u32)]) -> Self {
        let mut deg = vec![0usize; n];
        for &(a, b) in edges {
            assert!((a as usize) < n && (b as usize) < n, "edge ({a}, {b}) outside 0..{n}");
            if a != b {
                deg[a as usize] += 1;
                deg[b as usize] += 1;
            }
        }
        let mut offsets = vec![0usize; n + 1];
        for i in 0..n {
            offsets[i + 1] = offsets[i] + deg[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[n]];
        for &(a, b) in edges {
            if a != b {
                targets[fill[a as usize]] = b;
                fill[a as usize] += 1;
                targets[fill[b as usize]] = a;
                fill[b as usize] += 1;
            }
        }
        // Sort and dedup each row, then compact.
        let mut out_offsets = vec![0usize; n + 1];
        let mut out = Vec::with_capacity(targets.len());
        for i in 0..n {
            let row = &mut targets[offsets[i]..offsets[i + 1]];
            row.sort_unstable();
            let start = out.len();
            for &t in row.iter() {
                if out.len() == start || out[out.len() - 1] != t {
                    out.push(t);
                }
            }
            out_offsets[i + 1] = out.len();
        }
        Adjacency {
            offsets: out_offsets,
            targets: out,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// True when the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of undirected edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// The neighbours of node `i`, sorted.
    pub fn neighbors(&self, i: usize) -> &[u32] {
        &self.targets[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Every undirected edge once, as `(a, b)` with `a < b`.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.len()).flat_map(move |a| {
            self.neighbors(a)
                .iter()
                .filter(move |&&b| (a as u32) < b)
                .map(move |&b| (a as u32, b))
        })
    }

    /// Connected components: a component label per node and the number of components.
    pub fn components(&self) -> (Vec<u32>, usize) {
        self.components_where(|_, _| true)
    }

    /// Connected components of the subgraph that keeps only edges for which `keep(a, b)` holds.
    pub fn components_where(&self, keep: impl Fn(usize, usize) -> bool) -> (Vec<u32>, usize) {
        let n = self.len();
        let mut comp = vec![u32::MAX; n];
        let mut stack = Vec::new();
        let mut count = 0u32;
        for s in 0..n {
            if comp[s] != u32::MAX {
                continue;
            }
            comp[s] = count;
            stack.push(s);
            while let Some(v) = stack.pop() {
                for &u in self.neighbors(v) {
                    let u = u as usize;
                    if comp[u] == u32::MAX && keep(v, u) {
                        comp[u] = count;
                        stack.push(u);
                    }
                }
            }
            count += 1;
        }
        (comp, count as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_self_loops_and_repeated_edges() {
        let g = Adjacency::from_edges(3, &[(0, 1), (1, 0), (1, 1), (1, 2)]);
        assert_eq!(g.neighbors(1), &[0, 2]);
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.edges().collect::<Vec<_>>(), vec![(0, 1), (1, 2)]);
    }

    #[test]
    fn counts_components() {
        let g = Adjacency::from_edges(5, &[(0, 1), (3, 4)]);
        let (comp, k) = g.components();
        assert_eq!(k, 3);
        assert_eq!(comp[0], comp[1]);
        assert_ne!(comp[1], comp[2]);
        assert_eq!(comp[3], comp[4]);
    }
}
