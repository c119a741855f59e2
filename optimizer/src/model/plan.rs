//! A plan: which territory each unit belongs to.

use std::collections::HashMap;

use crate::error::ModelError;
use crate::model::Units;

/// An assignment of every unit to one territory. Territories are numbered `0..names.len()` and keep the
/// names the planner knows them by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    territory_of: Vec<u32>,
    names: Vec<String>,
}

impl Plan {
    /// Builds a plan from a territory index per unit and the territories' names.
    ///
    /// # Panics
    /// If an index is `>= names.len()` (a caller bug).
    pub fn new(territory_of: Vec<u32>, names: Vec<String>) -> Self {
        assert!(
            territory_of.iter().all(|&t| (t as usize) < names.len()),
            "territory index out of range"
        );
        Plan { territory_of, names }
    }

    /// Builds a plan from `(unit id, territory name)` pairs, naming territories in order of first appearance.
    ///
    /// # Errors
    /// [`ModelError::UnknownUnit`] for an id not among `units`, [`ModelError::Unassigned`] for a unit with
    /// no pair. A repeated unit keeps its first territory, as the peer referee does.
    pub fn from_pairs<'a>(
        units: &Units,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ModelError> {
        let mut territory_of = vec![u32::MAX; units.len()];
        let mut names: Vec<String> = Vec::new();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        for (id, t) in pairs {
            let i = units
                .index_of(id)
                .ok_or_else(|| ModelError::UnknownUnit { id: id.to_string() })?;
            if territory_of[i] != u32::MAX {
                continue;
            }
            let k = match by_name.get(t) {
                Some(&k) => k,
                None => {
                    let k = names.len() as u32;
                    names.push(t.to_string());
                    by_name.insert(t.to_string(), k);
                    k
                }
            };
            territory_of[i] = k;
        }
        if let Some(i) = territory_of.iter().position(|&t| t == u32::MAX) {
            return Err(ModelError::Unassigned {
                id: units.ids()[i].clone(),
            });
        }
        Ok(Plan { territory_of, names })
    }

    /// Territory index of every unit.
    pub fn territory_of(&self) -> &[u32] {
        &self.territory_of
    }

    /// Territory names, by index.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of territories named in the plan.
    pub fn territory_count(&self) -> usize {
        self.names.len()
    }

    /// Moves unit `unit` to territory `territory`.
    ///
    /// # Panics
    /// If either index is out of range.
    pub fn assign(&mut self, unit: usize, territory: u32) {
        assert!((territory as usize) < self.names.len(), "territory index out of range");
        self.territory_of[unit] = territory;
    }

    /// Members of each territory, by index.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut m = vec![Vec::new(); self.names.len()];
        for (i, &t) in self.territory_of.iter().enumerate() {
            m[t as usize].push(i);
        }
        m
    }
}
