//! [`Workbook::dataset`]: the dataset of an open workbook as the selected team sees it, read by `dataset_io` and
//! cut down to the team's units by `team_rows`.

use tessera_optimizer::spatial::{bridge_islands, delaunay_edges, equirectangular_km};
use tessera_optimizer::{Adjacency, Measure, Units};

use super::dataset_io::read_dataset;
use super::error::{Result, WorkbookError};
use super::file::Workbook;
use super::team_rows::TeamUnits;
use crate::{AdjacencySource, Dataset};

impl Workbook {
    /// Reads the dataset back: units (ids, positions, measures with their original names), adjacency and
    /// its source, bridges, polygons, the selected team's reps, and its current alignment (its scenario
    /// "current", if any).
    ///
    /// For the default team this is the stored dataset. Another team sees the units' measures summed from accounts
    /// over its own accounts (less those it named: they count for their territory, see [`Workbook::named_loads`]). A
    /// team with an account filter sees only the units holding at least one matching account, with only the
    /// measures summed from the matching accounts (a units file's own measure, such as a county's population,
    /// says nothing about one segment's accounts); its adjacency is a Delaunay triangulation of those units'
    /// points (the stored adjacency between them when they cannot be triangulated), with islands joined as at
    /// import.
    ///
    /// # Errors
    /// [`WorkbookError::Corrupt`] naming the table and row when the content breaks a rule (fids not 1..n,
    /// duplicate unit ids, an undecodable geometry, an edge outside the units, bad JSON);
    /// [`WorkbookError::InvalidTeam`] when a team's filter no longer matches any account.
    pub fn dataset(&self) -> Result<Dataset> {
        let view = self.team_units()?;
        let fids = view.as_ref().and_then(|v| v.fids.as_deref());
        let mut ds = read_dataset(&self.conn, &self.path, Some(self.team), fids)?;
        if let Some(view) = view {
            ds = self.team_dataset(ds, view)?;
        }
        Ok(ds)
    }

    /// The stored dataset `ds` (with the team's reps and current plan) cut to `view`'s units and measures.
    fn team_dataset(&self, ds: Dataset, view: TeamUnits) -> Result<Dataset> {
        let corrupt = |e: String| WorkbookError::corrupt(&self.path, e);
        let Some(fids) = view.fids else {
            // Every unit: the measures summed from accounts are the team's sums, the others stay.
            let mut measures: Vec<Measure> = ds.units.measures().to_vec();
            for (name, values) in view.sums {
                match measures.iter_mut().find(|m| m.name == name) {
                    Some(m) => m.values = values,
                    None => measures.push(Measure { name, values }),
                }
            }
            let units = Units::new(
                ds.units.ids().to_vec(),
                ds.units.lon().to_vec(),
                ds.units.lat().to_vec(),
                measures,
            )
            .map_err(|e| corrupt(format!("units: {e}")))?;
            return Ok(Dataset { units, ..ds });
        };
        let keep: Vec<usize> = fids.iter().map(|&f| (f - 1) as usize).collect();
        let pick_f = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        let ids: Vec<String> = keep.iter().map(|&i| ds.units.ids()[i].clone()).collect();
        let (lon, lat) = (pick_f(ds.units.lon()), pick_f(ds.units.lat()));
        let measures = view
            .sums
            .into_iter()
            .map(|(name, values)| Measure { name, values })
            .collect();
        let units = Units::new(ids, lon, lat, measures).map_err(|e| corrupt(format!("units: {e}")))?;
        let mut new_index = vec![u32::MAX; ds.units.len()];
        for (k, &i) in keep.iter().enumerate() {
            new_index[i] = k as u32;
        }
        // A team's units are scattered among the others: the stored adjacency between them is a few fragments
        // (on the sample counties' segment-A team, bridging them left a tree on which ±10% could not be reached:
        // 45% max deviation, against 9.99% on the triangulation). So a filtered team's units are neighbours when
        // they are neighbours in a Delaunay triangulation of their own points, as for a points-only import; the
        // stored adjacency between them is the fallback when the points cannot be triangulated (fewer than 3,
        // or all on one line).
        let mut edges: Vec<(u32, u32)> = if keep.len() >= 3 {
            delaunay_edges(&equirectangular_km(units.lon(), units.lat())).unwrap_or_default()
        } else {
            Vec::new()
        };
        let source = if edges.is_empty() {
            ds.adjacency_source.clone()
        } else {
            AdjacencySource::Delaunay
        };
        if edges.is_empty() {
            edges = ds
                .adjacency
                .edges()
                .filter_map(|(a, b)| {
                    let (a, b) = (new_index[a as usize], new_index[b as usize]);
                    (a != u32::MAX && b != u32::MAX).then_some((a, b))
                })
                .collect();
        }
        let adjacency = Adjacency::from_edges(keep.len(), &edges);
        let bridged = bridge_islands(units.lon(), units.lat(), &adjacency);
        let adjacency = if bridged.is_empty() {
            adjacency
        } else {
            let all: Vec<(u32, u32)> = edges.iter().chain(&bridged).copied().collect();
            Adjacency::from_edges(keep.len(), &all)
        };
        let polygons = ds.polygons.map(|p| keep.iter().map(|&i| p[i].clone()).collect());
        Ok(Dataset {
            units,
            adjacency,
            adjacency_source: source,
            bridged,
            polygons,
            reps: ds.reps,
            current: ds.current,
        })
    }
}
