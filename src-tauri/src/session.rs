//! The editing session: which scenario the planner works on, its live figures, and the translation between
//! the window's unit/territory indices and the workbook's unit ids/territory names.
//!
//! The figures themselves are `tessera_optimizer::metrics::IncrementalFigures`; this module only wires them
//! to the workbook's history, so an edit costs O(moved units) plus the touched territories, never a full
//! evaluation.

use std::collections::HashMap;
use std::time::Instant;

use tessera_optimizer::metrics::IncrementalFigures;
use tessera_workbook::accounts::NamedLoads;
use tessera_workbook::import::default_measure_of;
use tessera_workbook::store::{Edit, Move};
use tessera_workbook::{Dataset, Workbook};

use crate::dto::{AlignmentDto, EditOutcome, FiguresDto, FiguresUpdateDto};
use crate::error::AppError;

/// The scenario being edited and its figures.
#[derive(Debug)]
pub struct Session {
    /// The scenario's name in the workbook.
    pub scenario: String,
    /// The balanced measure (`None`: every unit weighs 1).
    pub measure: Option<String>,
    figures: IncrementalFigures,
    index: HashMap<String, usize>,
    /// Locked units (index → territory name), which hand edits leave alone as the optimizer does.
    locked: HashMap<usize, String>,
    /// The workbook's named accounts, counted for their territories in every figure.
    named: NamedLoads,
}

impl Session {
    /// Starts editing `scenario` of `workbook`, balancing `measure` (the default measure when `None`).
    ///
    /// # Errors
    /// [`AppError::Workbook`] when the scenario cannot be read; [`AppError::Request`] for an unknown measure.
    pub fn open(
        workbook: &Workbook,
        dataset: &Dataset,
        scenario: &str,
        measure: Option<String>,
    ) -> Result<Session, AppError> {
        let plan = workbook.scenario(scenario)?.plan;
        let units = &dataset.units;
        // The planner's choice kept in the workbook (at import) comes before the workbook crate's default rule;
        // with no measure at all every unit weighs 1.
        let measure = measure
            .or_else(|| workbook.balance_measure().ok().flatten())
            .or_else(|| default_measure_of(units).map(str::to_string));
        let weights = match &measure {
            Some(name) => units
                .measure(name)
                .ok_or_else(|| AppError::Request(format!("The workbook has no measure called {name:?}.")))?
                .to_vec(),
            None => vec![1.0; units.len()],
        };
        // One territory per rep when the workbook has reps (empty ones count), else the scenario's territories.
        let p = if dataset.reps.is_empty() {
            plan.territory_count().max(1)
        } else {
            dataset.reps.len()
        };
        let figures = IncrementalFigures::new(units, &dataset.adjacency, &plan, &weights, p, &dataset.reps);
        let index = units.ids().iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
        let locked = workbook.locks()?.into_iter().collect();
        let named = workbook.named_loads()?;
        Ok(Session {
            scenario: scenario.to_string(),
            measure,
            figures,
            index,
            locked,
            named,
        })
    }

    /// The scenario's alignment over the session's territories (plan territories, then empty ones).
    pub fn alignment(&self, dataset: &Dataset) -> AlignmentDto {
        AlignmentDto::new(&self.figures.plan(), &dataset.adjacency)
    }

    /// Locked unit indices, sorted.
    pub fn locked_units(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.locked.keys().map(|&u| u as u32).collect();
        v.sort_unstable();
        v
    }

    /// Locks `units` (indices) to their current territory (`lock`), or unlocks them, in the workbook. Returns
    /// the locked units afterwards.
    ///
    /// # Errors
    /// [`AppError::Request`] for an index out of range; the workbook's write errors.
    pub fn set_locked(&mut self, workbook: &mut Workbook, units: &[u32], lock: bool) -> Result<Vec<u32>, AppError> {
        let of = self.figures.territory_of();
        if let Some(u) = units.iter().find(|&&u| u as usize >= of.len()) {
            return Err(AppError::Request(format!("There is no unit number {u}.")));
        }
        let units: Vec<usize> = units.iter().map(|&u| u as usize).collect();
        if lock {
            let pairs: Vec<(usize, String)> = units
                .iter()
                .map(|&u| (u, self.figures.names()[of[u] as usize].clone()))
                .collect();
            workbook.lock_units(&pairs)?;
            self.locked.extend(pairs);
        } else {
            workbook.unlock_units(&units)?;
            for u in &units {
                self.locked.remove(u);
            }
        }
        Ok(self.locked_units())
    }

    /// The scenario's plan as edited so far.
    pub fn plan(&self) -> tessera_optimizer::Plan {
        self.figures.plan()
    }

    /// The current figures, named accounts counted for their territories (their load added when a measure is
    /// balanced; their number on every territory's row).
    pub fn figures(&self, dataset: &Dataset) -> FiguresDto {
        let mut evaluation = self.figures.evaluation();
        if let Some(measure) = &self.measure {
            self.named.add_to(&mut evaluation, measure);
        }
        let mut dto = FiguresDto::new(&evaluation, self.measure.clone(), &dataset.reps);
        for t in &mut dto.territories {
            t.named_accounts = self
                .named
                .territories
                .iter()
                .filter(|n| n.territory == t.name)
                .map(|n| n.accounts)
                .sum();
        }
        dto
    }

    /// Gives `units` (indices) to territory `territory` (index), recording the edit in the workbook's history
    /// first, so a failed write changes nothing. Units already in that territory are skipped; `None` when
    /// no unit moves.
    ///
    /// # Errors
    /// [`AppError::Request`] for an index out of range; the workbook's write errors.
    pub fn reassign(
        &mut self,
        workbook: &mut Workbook,
        dataset: &Dataset,
        units: &[u32],
        territory: u32,
    ) -> Result<Option<EditOutcome>, AppError> {
        let names = self.figures.names();
        if territory as usize >= names.len() {
            return Err(AppError::Request(format!("There is no territory number {territory}.")));
        }
        let of = self.figures.territory_of();
        let ids = dataset.units.ids();
        let mut moves = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for &u in units {
            let from = *of
                .get(u as usize)
                .ok_or_else(|| AppError::Request(format!("There is no unit number {u}.")))?;
            if from != territory && seen.insert(u) {
                moves.push(Move {
                    unit: ids[u as usize].clone(),
                    before: names[from as usize].clone(),
                    after: names[territory as usize].clone(),
                });
            }
        }
        let locked = units
            .iter()
            .filter(|u| self.locked.contains_key(&(**u as usize)))
            .count();
        if locked > 0 {
            return Err(AppError::Request(format!(
                "{locked} of these units {} locked; unlock {} first.",
                if locked == 1 { "is" } else { "are" },
                if locked == 1 { "it" } else { "them" }
            )));
        }
        if moves.is_empty() {
            return Ok(None);
        }
        let edit = Edit { moves };
        let started = Instant::now();
        workbook.record_edit(&self.scenario, &edit)?;
        let write_micros = started.elapsed().as_micros() as u64;
        Ok(Some(self.apply(workbook, dataset, &edit, false, started, write_micros)))
    }

    /// Takes back (`undo`) or reapplies the workbook's next history step of the scenario; `None` when there
    /// is none.
    ///
    /// # Errors
    /// The workbook's errors.
    pub fn step(
        &mut self,
        workbook: &mut Workbook,
        dataset: &Dataset,
        undo: bool,
    ) -> Result<Option<EditOutcome>, AppError> {
        let started = Instant::now();
        let edit = if undo {
            workbook.undo(&self.scenario)?
        } else {
            workbook.redo(&self.scenario)?
        };
        let write_micros = started.elapsed().as_micros() as u64;
        Ok(edit.map(|edit| self.apply(workbook, dataset, &edit, undo, started, write_micros)))
    }

    /// Applies `edit` (reversed when `backwards`) to the figures; the workbook already holds it (written from
    /// `command_started` on, in `write_micros`).
    fn apply(
        &mut self,
        workbook: &Workbook,
        dataset: &Dataset,
        edit: &Edit,
        backwards: bool,
        command_started: Instant,
        write_micros: u64,
    ) -> EditOutcome {
        let started = Instant::now();
        let before_names = self.figures.names().len();
        let mut moves = Vec::with_capacity(edit.moves.len());
        let ordered: Box<dyn Iterator<Item = &Move>> = if backwards {
            Box::new(edit.moves.iter().rev())
        } else {
            Box::new(edit.moves.iter())
        };
        for m in ordered {
            // The workbook checked every unit id against its units when it applied the edit.
            let Some(&unit) = self.index.get(&m.unit) else { continue };
            let to = if backwards { &m.before } else { &m.after };
            moves.push((unit, self.figures.territory_index(to)));
        }
        let touched = self.figures.apply(&moves);
        let figures = FiguresUpdateDto::new(self.figures(dataset), &touched);
        let figures_micros = started.elapsed().as_micros() as u64;
        let (undo_steps, redo_steps) = history_steps(workbook, &self.scenario);
        EditOutcome {
            changed: moves.iter().map(|&(u, t)| [u as u32, t]).collect(),
            territories: (self.figures.names().len() != before_names).then(|| self.figures.names().to_vec()),
            figures,
            undo_steps,
            redo_steps,
            figures_micros,
            write_micros,
            backend_micros: command_started.elapsed().as_micros() as u64,
        }
    }
}

/// How many edits of `scenario` can be undone and redone (0, 0 when the workbook cannot say: the edit itself
/// is already committed, so a failed count must not report it as failed).
pub fn history_steps(workbook: &Workbook, scenario: &str) -> (usize, usize) {
    workbook.history_steps(scenario).unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use tessera_optimizer::{evaluate, Adjacency, Measure, Plan, Units};
    use tessera_workbook::store::CURRENT;
    use tessera_workbook::{AdjacencySource, Dataset, Workbook};

    use super::*;
    use crate::dto::TerritoryFiguresDto;

    /// A 6 × 5 grid of units in 4 territories (by quadrant), workload 1.37 × 1..=30 (not whole numbers, so
    /// sums patched in edit by edit may drift from sums taken afresh).
    fn grid() -> Dataset {
        let (w, h) = (6usize, 5usize);
        let n = w * h;
        let ids = (0..n).map(|i| format!("u{i}")).collect();
        let lon = (0..n).map(|i| -100.0 + (i % w) as f64 * 0.2).collect();
        let lat = (0..n).map(|i| 40.0 + (i / w) as f64 * 0.2).collect();
        let workload = Measure {
            name: "workload".into(),
            values: (1..=n).map(|v| v as f64 * 1.37).collect(),
        };
        let units = Units::new(ids, lon, lat, vec![workload]).expect("units");
        let mut edges: Vec<(u32, u32)> = Vec::new();
        for i in 0..n {
            if i % w + 1 < w {
                edges.push((i as u32, i as u32 + 1));
            }
            if i + w < n {
                edges.push((i as u32, (i + w) as u32));
            }
        }
        let quadrant = |i: usize| u32::from(i % w >= w / 2) + 2 * u32::from(i / w >= h / 2);
        Dataset {
            units,
            adjacency: Adjacency::from_edges(n, &edges),
            adjacency_source: AdjacencySource::Delaunay,
            bridged: vec![],
            polygons: None,
            reps: vec![],
            current: Some(Plan::new(
                (0..n).map(quadrant).collect(),
                ["SW", "SE", "NW", "NE"].map(String::from).to_vec(),
            )),
        }
    }

    /// `a` and `b` equal up to float rounding.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// The session's figures equal a fresh, full evaluation (`tessera_optimizer::evaluate`) of the plan it
    /// holds: every territory's load, target, deviation, travel, center, unit count, components and
    /// contiguity, and the totals (max deviation, CV, travel, non-contiguous count, unit and territory counts).
    fn assert_equals_a_fresh_evaluation(session: &Session, ds: &Dataset, when: &str) {
        let incremental = session.figures.evaluation();
        let weights = ds.units.measure("workload").expect("workload");
        // 4 territories: the grid's quadrants, as `Session::open` counts them (no reps).
        let fresh = evaluate(&ds.units, &ds.adjacency, &session.plan(), weights, 4, &ds.reps);
        let (a, b) = (&incremental, &fresh);
        assert_eq!(
            (a.n_units, a.p, a.n_noncontiguous),
            (b.n_units, b.p, b.n_noncontiguous),
            "{when}"
        );
        for (what, x, y) in [
            ("total", a.total, b.total),
            ("target", a.target, b.target),
            ("max_dev", a.max_dev, b.max_dev),
            ("cv", a.cv, b.cv),
            ("travel", a.travel, b.travel),
        ] {
            assert!(close(x, y), "{when}: {what} {x} (incremental) vs {y} (fresh)");
        }
        assert_eq!(a.territories.len(), b.territories.len(), "{when}: territories");
        for f in &b.territories {
            let i = a
                .territories
                .iter()
                .find(|t| t.name == f.name)
                .unwrap_or_else(|| panic!("{when}: no incremental row for {}", f.name));
            let at = format!("{when}: territory {}", f.name);
            assert_eq!(
                (i.n_units, i.components, i.connected, &i.center_unit),
                (f.n_units, f.components, f.connected, &f.center_unit),
                "{at}"
            );
            for (what, x, y) in [
                ("load", i.load, f.load),
                ("target", i.target, f.target),
                ("deviation", i.deviation, f.deviation),
                ("travel", i.travel, f.travel),
            ] {
                assert!(close(x, y), "{at}: {what} {x} (incremental) vs {y} (fresh)");
            }
            assert_eq!(i.loads.len(), f.loads.len(), "{at}: measures");
            for (x, y) in i.loads.iter().zip(&f.loads) {
                assert!(close(*x, *y), "{at}: a measure's load {x} vs {y}");
            }
        }
    }

    /// Each unit's territory name.
    fn names(plan: &Plan) -> Vec<String> {
        plan.territory_of()
            .iter()
            .map(|&t| plan.names()[t as usize].clone())
            .collect()
    }

    /// Random edits, undos and redos (a seeded loop): the rows each answer sends, patched into the rows the
    /// window holds, always equal the session's whole figures, and those equal a fresh full evaluation of the
    /// plan (`assert_equals_a_fresh_evaluation`); the undo/redo counts equal the workbook's scenario summary;
    /// the workbook holds exactly the plan shown.
    #[test]
    fn partial_figures_patched_in_equal_a_full_evaluation_after_random_edits() {
        edit_randomly(grid());
    }

    /// The same with a rep per territory (each measured from the rep's home base, its target scaled by the
    /// rep's capacity), the other way the session's figures are kept.
    #[test]
    fn with_reps_partial_figures_equal_a_full_evaluation_after_random_edits() {
        let mut ds = grid();
        ds.reps = [
            ("SW", -99.9, 40.1, 1.0),
            ("SE", -99.1, 40.3, 0.5),
            ("NW", -99.7, 40.7, 1.5),
            ("NE", -99.0, 40.9, 1.0),
        ]
        .map(|(id, lon, lat, capacity)| tessera_optimizer::Rep {
            id: id.into(),
            name: format!("Rep {id}"),
            lon,
            lat,
            capacity,
        })
        .to_vec();
        edit_randomly(ds);
    }

    /// 200 seeded random edits, undos and redos of `ds`'s current plan, checked after each as the doc of
    /// `partial_figures_patched_in_equal_a_full_evaluation_after_random_edits` says.
    fn edit_randomly(ds: Dataset) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("g.tessera"), &ds).expect("create");
        let mut session = Session::open(&wb, &ds, CURRENT, None).expect("session");
        let mut shown: Vec<TerritoryFiguresDto> = session.figures(&ds).territories;
        assert_equals_a_fresh_evaluation(&session, &ds, "at open");
        let mut seed: u64 = 42;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut partial = 0;
        for step in 0..200 {
            let outcome = match next(5) {
                0 => session.step(&mut wb, &ds, true),
                1 => session.step(&mut wb, &ds, false),
                _ => {
                    let units: Vec<u32> = (0..=next(3)).map(|_| next(30) as u32).collect();
                    session.reassign(&mut wb, &ds, &units, next(4) as u32)
                }
            }
            .expect("edit");
            let Some(outcome) = outcome else { continue };
            assert!(outcome.territories.is_none(), "no new territory");
            if outcome.figures.territories.len() < shown.len() {
                partial += 1;
            }
            for (t, row) in outcome.figures.territories {
                shown[t as usize] = row;
            }
            let full = session.figures(&ds);
            assert_eq!(shown, full.territories);
            assert_eq!(
                (outcome.figures.max_dev, outcome.figures.cv, outcome.figures.travel),
                (full.max_dev, full.cv, full.travel)
            );
            assert_eq!(outcome.figures.noncontiguous, full.noncontiguous);
            assert_equals_a_fresh_evaluation(&session, &ds, &format!("after step {step}"));
            let summary = wb
                .scenarios()
                .expect("summaries")
                .into_iter()
                .find(|s| s.name == CURRENT)
                .expect("current");
            assert_eq!(
                (outcome.undo_steps, outcome.redo_steps),
                (summary.undo_steps, summary.redo_steps)
            );
            assert_eq!(
                names(&wb.scenario(CURRENT).expect("scenario").plan),
                names(&session.plan())
            );
        }
        assert!(partial > 20, "most edits touch two of the four territories: {partial}");
    }

    /// Named accounts count in the live figures: their load in their territory's (the targets scaled to the
    /// larger total), their number on its row; a hand edit moving their unit leaves them where they are.
    #[test]
    fn named_accounts_count_in_the_live_figures_and_stay_when_their_unit_moves() {
        use tessera_workbook::accounts::attach_by_key;
        use tessera_workbook::import::{parse_accounts, AttachBy};
        use tessera_workbook::store::AccountsImport;

        let ds = grid();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut wb = Workbook::create(dir.path().join("g.tessera"), &ds).expect("create");
        // One account of 10 hours in every unit; the one in u0 (south-west) is named to NE.
        let mut csv = String::from("id,unit,hours\n");
        for i in 0..ds.units.len() {
            csv.push_str(&format!("a{i},u{i},10\n"));
        }
        let (file, _) = parse_accounts(
            std::path::Path::new("a.csv"),
            csv.as_bytes(),
            &AttachBy::Column("unit".into()),
            None,
        )
        .expect("accounts");
        let keys = &file.keys.as_ref().expect("keys").1;
        let attachment = attach_by_key(&ds.units, keys);
        wb.replace_accounts(&AccountsImport {
            file: &file,
            attachment: &attachment,
            attached_by: "column \"unit\"".into(),
            source: "a.csv".into(),
            sum_as: vec![],
        })
        .expect("import");
        wb.set_named_accounts(&[("a0".into(), "NE".into())]).expect("name");
        let ds = wb.dataset().expect("dataset");
        let mut session = Session::open(&wb, &ds, CURRENT, Some("hours".into())).expect("session");
        let row = |s: &Session, t: &str| {
            s.figures(&ds)
                .territories
                .into_iter()
                .find(|r| r.name == t)
                .expect("territory")
        };
        // 30 accounts of 10 hours: 300 in all, target 75. SW has 6 units but one account named away: 50; NE has
        // 9 units and the named one: 100.
        let (sw, ne) = (row(&session, "SW"), row(&session, "NE"));
        assert!(close(sw.load, 50.0) && close(ne.load, 100.0), "{} {}", sw.load, ne.load);
        assert!(close(sw.target, 75.0), "{}", sw.target);
        assert_eq!((sw.named_accounts, ne.named_accounts), (0, 1));
        // u0 goes to SE by hand: it brings no hours (its one account is named), NE keeps the named one.
        session
            .reassign(&mut wb, &ds, &[0], 1)
            .expect("edit")
            .expect("a unit moved");
        let (se, ne) = (row(&session, "SE"), row(&session, "NE"));
        assert!(close(ne.load, 100.0), "{}", ne.load);
        assert!(close(se.load, 60.0) && se.units == 7, "{} {}", se.load, se.units);
    }
}
