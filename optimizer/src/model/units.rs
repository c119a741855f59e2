//! Units and reps.

use std::collections::HashMap;

use crate::error::ModelError;
use crate::geodesy::GeoPoint;

/// One named numeric column of the units (workload, potential, accounts, ...).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    /// Column name as the planner knows it.
    pub name: String,
    /// One value per unit, in unit order.
    pub values: Vec<f64>,
}

/// The units territories are built from, stored column-wise.
///
/// Every unit has a unique id, a (lon, lat) position in degrees and a value for every measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    ids: Vec<String>,
    lon: Vec<f64>,
    lat: Vec<f64>,
    measures: Vec<Measure>,
    index: HashMap<String, usize>,
}

impl Units {
    /// Builds units from parallel columns.
    ///
    /// # Errors
    /// [`ModelError::DuplicateId`] when two units share an id.
    ///
    /// # Panics
    /// If the columns differ in length (a caller bug: importers check lengths row by row).
    pub fn new(ids: Vec<String>, lon: Vec<f64>, lat: Vec<f64>, measures: Vec<Measure>) -> Result<Self, ModelError> {
        assert_eq!(ids.len(), lon.len(), "ids and lon differ in length");
        assert_eq!(ids.len(), lat.len(), "ids and lat differ in length");
        for m in &measures {
            assert_eq!(ids.len(), m.values.len(), "measure {} differs in length", m.name);
        }
        let mut index = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            if let Some(&first) = index.get(id) {
                return Err(ModelError::DuplicateId {
                    id: id.clone(),
                    first,
                    second: i,
                });
            }
            index.insert(id.clone(), i);
        }
        Ok(Units {
            ids,
            lon,
            lat,
            measures,
            index,
        })
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Unit ids in order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Longitudes in degrees.
    pub fn lon(&self) -> &[f64] {
        &self.lon
    }

    /// Latitudes in degrees.
    pub fn lat(&self) -> &[f64] {
        &self.lat
    }

    /// All measures.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// The values of the measure called `name`, if there is one.
    pub fn measure(&self, name: &str) -> Option<&[f64]> {
        self.measures
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.values.as_slice())
    }

    /// Index of the unit with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Positions prepared for distance computations.
    pub fn geo_points(&self) -> Vec<GeoPoint> {
        self.lon
            .iter()
            .zip(&self.lat)
            .map(|(&x, &y)| GeoPoint::from_degrees(x, y))
            .collect()
    }
}

/// A sales rep: a home base territories are measured from and a capacity relative to a full-time rep.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rep {
    /// Rep id; a plan built for reps names its territories after them.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home base longitude in degrees.
    pub lon: f64,
    /// Home base latitude in degrees.
    pub lat: f64,
    /// Relative capacity (1.0 = full time; a 0.5 FTE rep gets half a target).
    pub capacity: f64,
}
