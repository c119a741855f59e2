//! One scenario prepared for export: its figures evaluated once, its quotas, and what moved against a
//! baseline, laid out as the tables every format writes (assignment CSV, XLSX sheets, the HTML report) and as
//! territory GeoJSON.

use std::collections::HashMap;

use tessera_optimizer::{evaluate, Evaluation, Plan};

use super::dissolve::{territory_shapes, TerritoryShapes};
use super::quotas::{quotas, Quota, QuotaError, QuotaParams};
use super::{Cell, Table};
use crate::accounts::NamedLoads;
use crate::compare::{CompareError, Comparison, Side};
use crate::figures::TRAVEL_UNIT;
use crate::Dataset;

/// A scenario with everything its exports show.
pub struct ScenarioExport<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// Scenario name.
    pub name: String,
    /// Its plan.
    pub plan: &'a Plan,
    /// The balanced measure the figures use.
    pub measure: String,
    /// The plan's figures on that measure.
    pub evaluation: Evaluation,
    /// The baseline and the comparison with it (moves, per-territory before/after), when one was given and
    /// it is not the scenario itself.
    pub comparison: Option<Comparison>,
    /// Quotas, when asked for.
    pub quotas: Option<Vec<Quota>>,
    /// The baseline's plan, when compared.
    pub baseline_plan: Option<&'a Plan>,
    /// The units' text columns (names, states), written in the assignments after the rep.
    pub text: Vec<crate::store::UnitText>,
    /// Named accounts counted in the figures ([`ScenarioExport::with_named`]); empty by default.
    pub named: NamedLoads,
}

/// Why a scenario cannot be prepared for export.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrepareError {
    /// The units lack the measure.
    #[error("the units have no measure {0:?}")]
    NoMeasure(String),
    /// The comparison with the baseline failed.
    #[error(transparent)]
    Compare(#[from] CompareError),
    /// Quotas could not be set.
    #[error(transparent)]
    Quota(#[from] QuotaError),
}

impl<'a> ScenarioExport<'a> {
    /// Prepares scenario `name` (`plan`) for export, figures on `measure`, moves against `baseline` (name and
    /// plan; ignored when it is the scenario itself), quotas when `quota` is given.
    ///
    /// # Errors
    /// [`PrepareError`].
    pub fn new(
        dataset: &'a Dataset,
        name: &str,
        plan: &'a Plan,
        measure: &str,
        baseline: Option<(&str, &'a Plan)>,
        quota: Option<&QuotaParams>,
    ) -> Result<Self, PrepareError> {
        let weights = dataset
            .units
            .measure(measure)
            .ok_or_else(|| PrepareError::NoMeasure(measure.to_string()))?;
        let evaluation = evaluate(
            &dataset.units,
            &dataset.adjacency,
            plan,
            weights,
            plan.names().len().max(1),
            &dataset.reps,
        );
        let baseline = baseline.filter(|(b, _)| *b != name);
        let comparison = baseline
            .map(|(b, bp)| Comparison::new(dataset, &[Side { name: b, plan: bp }, Side { name, plan }], measure))
            .transpose()?;
        let quotas = quota
            .map(|q| quotas(dataset, plan, baseline.map(|(_, p)| p), q))
            .transpose()?;
        Ok(ScenarioExport {
            dataset,
            name: name.to_string(),
            plan,
            measure: measure.to_string(),
            evaluation,
            comparison,
            quotas,
            baseline_plan: baseline.map(|(_, p)| p),
            text: Vec::new(),
            named: NamedLoads::default(),
        })
    }

    /// The rep's name of territory `t`, when it is named after a rep.
    pub fn rep_name(&self, territory: &str) -> Option<String> {
        self.dataset
            .reps
            .iter()
            .find(|r| r.id == territory)
            .map(|r| r.name.clone())
    }

    /// Headline figures as `figure, value, unit` rows.
    pub fn summary_table(&self) -> Table {
        let e = &self.evaluation;
        let mut t = Table::new("summary", vec!["figure".into(), "value".into(), "unit".into()]);
        let mut row = |k: &str, v: Cell, u: &str| t.push(vec![k.into(), v, u.into()]);
        row("scenario", self.name.clone().into(), "");
        row("measure", self.measure.clone().into(), "");
        row("units", e.n_units.into(), "");
        row(
            "territories",
            e.territories.iter().filter(|t| t.n_units > 0).count().into(),
            "",
        );
        row("total", e.total.into(), &self.measure);
        row("target", e.target.into(), &self.measure);
        row("max_dev", e.max_dev.into(), "fraction");
        row("cv", e.cv.into(), "fraction");
        row("travel", e.travel.into(), TRAVEL_UNIT);
        row("noncontiguous", e.n_noncontiguous.into(), "territories");
        if let Some(c) = &self.comparison {
            let s = &c.scenarios[1];
            row("baseline", c.scenarios[0].scenario.clone().into(), "");
            row("units_moved", s.units_moved.into(), "");
            if let Some(m) = c.measure_index(&self.measure) {
                row("moved", s.moved[m].into(), &self.measure);
            }
            row("territories_changed", s.changed_territories.len().into(), "");
        }
        t
    }

    /// Per territory: rep, units, every measure's load, target, deviation, travel, contiguity (and quota).
    pub fn territory_table(&self) -> Table {
        let measures: Vec<&str> = self.dataset.units.measures().iter().map(|m| m.name.as_str()).collect();
        let mut headers: Vec<String> = ["territory", "rep", "units"].map(String::from).to_vec();
        headers.extend(measures.iter().map(|m| m.to_string()));
        headers.extend(["target", "deviation", "travel", "components", "contiguous"].map(String::from));
        let quota_of: HashMap<&str, &Quota> = self
            .quotas
            .iter()
            .flatten()
            .map(|q| (q.territory.as_str(), q))
            .collect();
        if self.quotas.is_some() {
            headers.push("quota".into());
        }
        if !self.named.is_empty() {
            headers.push("named_accounts".into());
        }
        let mut t = Table::new("territories", headers);
        for tm in &self.evaluation.territories {
            let mut row: Vec<Cell> = vec![
                tm.name.clone().into(),
                self.rep_name(&tm.name).into(),
                tm.n_units.into(),
            ];
            row.extend(tm.loads.iter().map(|&v| Cell::from(v)));
            row.extend([
                tm.target.into(),
                tm.deviation.into(),
                tm.travel.into(),
                tm.components.into(),
                if tm.connected { "yes" } else { "no" }.into(),
            ]);
            if self.quotas.is_some() {
                row.push(quota_of.get(tm.name.as_str()).map(|q| q.quota).into());
            }
            if !self.named.is_empty() {
                let n: usize = self
                    .named
                    .territories
                    .iter()
                    .filter(|x| x.territory == tm.name)
                    .map(|x| x.accounts)
                    .sum();
                row.push(n.into());
            }
            t.push(row);
        }
        t
    }

    /// The quotas: territory, rep, share, quota, changed, ramp-up quota (empty without quotas).
    pub fn quota_table(&self) -> Table {
        let headers = ["territory", "rep", "share", "quota", "changed", "ramp_quota"]
            .map(String::from)
            .to_vec();
        let mut t = Table::new("quotas", headers);
        for q in self.quotas.iter().flatten() {
            t.push(vec![
                q.territory.clone().into(),
                self.rep_name(&q.territory).into(),
                q.share.into(),
                q.quota.into(),
                if q.changed { "yes" } else { "no" }.into(),
                q.ramp_quota.into(),
            ]);
        }
        t
    }

    /// With the named accounts' loads counted for their territories in every figure
    /// ([`NamedLoads::add_to`]); the territory table then has a `named_accounts` column.
    pub fn with_named(mut self, named: NamedLoads) -> Self {
        named.add_to(&mut self.evaluation, &self.measure);
        self.named = named;
        self
    }

    /// With the units' text columns (see [`crate::Workbook::unit_text`]) in the assignments.
    pub fn with_text(mut self, text: Vec<crate::store::UnitText>) -> Self {
        self.text = text
            .into_iter()
            .filter(|c| c.values.len() == self.dataset.units.len())
            .collect();
        self
    }

    /// Every unit: id, territory, rep, the text columns, position and every measure (the assignment CSV;
    /// `tessera evaluate --plan` reads it back, since it needs only `id` and `territory`).
    pub fn assignment_table(&self) -> Table {
        let units = &self.dataset.units;
        let mut headers: Vec<String> = ["id", "territory", "rep"].map(String::from).to_vec();
        headers.extend(self.text.iter().map(|c| c.name.clone()));
        headers.extend(["lon", "lat"].map(String::from));
        headers.extend(units.measures().iter().map(|m| m.name.clone()));
        let rep: HashMap<&str, &str> = self
            .dataset
            .reps
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect();
        let mut t = Table::new("assignments", headers);
        for i in 0..units.len() {
            let name = &self.plan.names()[self.plan.territory_of()[i] as usize];
            let mut row: Vec<Cell> = vec![
                units.ids()[i].clone().into(),
                name.clone().into(),
                rep.get(name.as_str()).map(|s| s.to_string()).into(),
            ];
            row.extend(self.text.iter().map(|c| Cell::from(c.values[i].clone())));
            row.extend([units.lon()[i].into(), units.lat()[i].into()]);
            row.extend(units.measures().iter().map(|m| Cell::from(m.values[i])));
            t.push(row);
        }
        t
    }

    /// The realignment list against the baseline (headers only without one).
    pub fn move_table(&self) -> Table {
        match &self.comparison {
            Some(c) => c.move_table(),
            None => Table::new(
                "moves",
                vec!["scenario".into(), "unit".into(), "from".into(), "to".into()],
            ),
        }
    }

    /// The territories dissolved from their units (see [`territory_shapes`]).
    pub fn shapes(&self) -> TerritoryShapes {
        territory_shapes(self.dataset, self.plan)
    }

    /// The territories as a GeoJSON FeatureCollection: one feature per territory with units, its dissolved
    /// MultiPolygon, and properties `territory`, `rep`, `units`, every measure's load, `target`, `deviation`,
    /// `travel`, `contiguous` (and `quota`).
    pub fn territories_geojson(&self, shapes: &TerritoryShapes) -> String {
        let table = self.territory_table();
        let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
        let mut first = true;
        for (row, shape) in table.rows.iter().zip(&shapes.shapes) {
            if shape.0.is_empty() {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            let mut props = serde_json::Map::new();
            for (h, c) in table.headers.iter().zip(row) {
                let v = match c {
                    Cell::Text(s) => serde_json::Value::from(s.as_str()),
                    Cell::Number(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
                    Cell::Empty => serde_json::Value::Null,
                };
                props.insert(h.clone(), v);
            }
            out.push_str(r#"{"type":"Feature","id":"#);
            out.push_str(&serde_json::Value::from(row[0].csv_text()).to_string());
            out.push_str(r#","geometry":"#);
            super::geojson::multipolygon(&mut out, shape);
            out.push_str(r#","properties":"#);
            out.push_str(&serde_json::Value::Object(props).to_string());
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}
