//! `tessera plan`: design balanced, compact, contiguous territories and write the plan.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use tessera_optimizer::{
    certify_until, design_territories, evaluate, redesign_territories, DesignParams, Plan, ProblemSpec, Progress, Stop,
};
use tessera_workbook::export::write_plan_csv;
use tessera_workbook::{Scenario, Workbook};

use crate::error::CliError;
use crate::inputs::{load_dataset, load_plan, open_workbook, DatasetArgs};
use crate::output::write_atomically;

/// Arguments of `tessera plan`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// Number of territories (default with --reps: one per rep).
    #[arg(long)]
    territories: Option<usize>,
    /// Where to write the plan CSV (id,territory).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Plan the dataset of this workbook (its units, adjacency, reps and "current" scenario) instead of --units.
    #[arg(long, conflicts_with_all = ["units", "adjacency", "polygons", "reps"])]
    workbook: Option<PathBuf>,
    /// Save the plan, its parameters and metrics into --workbook as this scenario (one transaction; an existing
    /// scenario of the name is replaced whole).
    #[arg(long = "save-as", requires = "workbook")]
    save_as: Option<String>,
    /// The measure to balance.
    #[arg(long, default_value = "workload")]
    balance: String,
    /// Allowed deviation from the target load, as a fraction (0.05 = ±5%).
    #[arg(long, default_value_t = 0.05)]
    tolerance: f64,
    /// Secondary measures to balance as far as possible, as COLUMN:TOLERANCE (repeatable).
    #[arg(long = "also-balance", value_name = "COLUMN:TOL")]
    also_balance: Vec<String>,
    /// The current plan (id,territory); default: the units file's `territory` column, if any.
    #[arg(long)]
    current: Option<PathBuf>,
    /// Largest fraction of the total workload allowed to change territory (needs a current plan).
    #[arg(long = "max-moved")]
    max_moved: Option<f64>,
    /// Locked units (id,territory): they never move. With --workbook, the workbook's own locks (set in the app)
    /// hold as well; a unit locked in both places keeps the territory this file gives.
    #[arg(long)]
    locks: Option<PathBuf>,
    /// Re-optimise only these territories of the current plan (comma separated), leave the rest.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Seed of every random choice. The same seed and --restarts give the same plan on any machine when every
    /// restart finishes before the time limit (the usual case); a run cut short by the limit keeps the restarts
    /// that finished in time, which depends on the machine's speed, and says so.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Restarts from different seeds; the best plan wins.
    #[arg(long, default_value_t = 8)]
    restarts: usize,
    /// Deadline for the whole run, in seconds from the start: the best plan found by then is written (Ctrl+C
    /// does the same at once).
    #[arg(long = "time-limit", default_value_t = 30.0)]
    time_limit: f64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Where to write the metrics JSON (figures per territory, totals, certificate).
    #[arg(long)]
    metrics: Option<PathBuf>,
}

fn parse_also(s: &str) -> Result<(String, f64), CliError> {
    let bad = || {
        CliError::input(format!(
            "--also-balance {s:?}: expected COLUMN:TOLERANCE, e.g. potential:0.10"
        ))
    };
    let (name, tol) = s.rsplit_once(':').ok_or_else(bad)?;
    let tol: f64 = tol.parse().map_err(|_| bad())?;
    if !(0.0..1.0).contains(&tol) {
        return Err(bad());
    }
    Ok((name.to_string(), tol))
}

/// Runs `tessera plan`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let started = Instant::now();
    if args.out.is_none() && args.save_as.is_none() {
        return Err(CliError::input(
            "give --out PLAN.csv, or --workbook W --save-as NAME, or both",
        ));
    }
    if let Some(f) = args.max_moved {
        if !(0.0..=1.0).contains(&f) {
            return Err(CliError::input(format!(
                "--max-moved {f}: must be a fraction between 0 and 1"
            )));
        }
    }
    // Locks set in the app live in the workbook; a plan of that workbook keeps them like the app's optimizer.
    let (dataset, workbook_locks) = match &args.workbook {
        Some(path) => {
            let workbook = open_workbook(path)?;
            let dataset = workbook.dataset()?;
            if let Some(p) = args.territories {
                tessera_workbook::import::validate_territories(p, dataset.units.len())?;
            }
            (dataset, workbook.locks()?)
        }
        None => (
            load_dataset(&args.dataset, Some(&args.balance), args.territories)?,
            Vec::new(),
        ),
    };
    if dataset.reps.is_empty() && args.territories.is_none() {
        return Err(CliError::input(
            "give --territories P, or reps (--reps R.csv) for one territory per rep",
        ));
    }
    let units = &dataset.units;
    let current: Option<Plan> = match &args.current {
        Some(path) => Some(load_plan(path, &dataset)?),
        None => dataset.current.clone(),
    };
    let locks = merge_locks(
        workbook_locks,
        match &args.locks {
            Some(path) => load_locks(path, &dataset)?,
            None => Vec::new(),
        },
    );
    let also = args
        .also_balance
        .iter()
        .map(|s| parse_also(s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut spec = ProblemSpec::new(
        units,
        &dataset.adjacency,
        args.territories.unwrap_or(dataset.reps.len()),
    );
    spec.balance = args.balance.clone();
    spec.tolerance = args.tolerance;
    spec.also_balance = also;
    spec.reps = &dataset.reps;
    spec.current = current.as_ref();
    spec.max_moved = args.max_moved;
    spec.locks = locks;
    let problem = spec.build().map_err(|e| CliError::input(e.to_string()))?;

    let mut params = DesignParams::default().seed(args.seed).restarts(args.restarts);
    let t = args.time_limit;
    if !(t > 0.0 && t.is_finite()) {
        return Err(CliError::input(format!(
            "--time-limit {t}: must be a positive number of seconds"
        )));
    }
    // The limit is a deadline for the whole command, counted from its start (reading the inputs included).
    params = params.deadline(started + Duration::from_secs_f64(t));
    if let Some(t) = args.threads {
        params = params.threads(t);
    }
    let progress = progress_handle(args.restarts);
    let flag = progress.cancel_flag();
    // Ctrl+C asks the optimizer to stop and keep its best plan; failing to install the handler only loses that.
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));

    // The full assignment: either designed whole, or the current plan with only some territories redesigned.
    let (assignment, centers) = if args.only.is_empty() {
        let d = design_territories(&problem, &params, &progress).map_err(|e| CliError::input(e.to_string()))?;
        (d.assignment, d.centers)
    } else {
        let d = redesign_territories(&problem, &args.only, &params, &progress)
            .map_err(|e| CliError::input(format!("--only: {e}")))?;
        (d.assignment, d.centers)
    };
    if progress.is_cancelled() {
        eprintln!("stopped: keeping the best plan found so far");
    }

    let plan = Plan::new(assignment.clone(), problem.names.clone());
    if let Some(out) = &args.out {
        write_atomically(out, |w| {
            write_plan_csv(w, units.ids(), &plan).map_err(|e| e.to_string())
        })?;
    }

    let e = evaluate(
        units,
        &dataset.adjacency,
        &plan,
        &problem.weights,
        problem.p(),
        &dataset.reps,
    );
    // The certificate's flow solve takes seconds on the largest inputs: it gets what is left of the deadline
    // plus 5% of it for the reporting, and is left out (null) when that is not enough.
    let cert_stop = Stop::new(&progress, None).until(started + Duration::from_secs_f64(t * 1.05));
    let cert = certify_until(&problem, &assignment, &centers, &cert_stop)
        .ok()
        .flatten();
    if cert.is_none() {
        eprintln!("note: no travel certificate: the time limit left no time to compute it");
    }
    let moved = current.as_ref().map(|c| {
        let cur = c.territory_of();
        let moved: f64 = (0..units.len())
            .filter(|&i| c.names()[cur[i] as usize] != plan.names()[assignment[i] as usize])
            .map(|i| problem.weights[i])
            .sum();
        moved / problem.total()
    });
    let secondary: Vec<_> = problem
        .secondary
        .iter()
        .map(|s| {
            let total: f64 = s.values.iter().sum();
            let mut loads = vec![0.0; problem.p()];
            for (i, &t) in assignment.iter().enumerate() {
                loads[t as usize] += s.values[i];
            }
            let max_dev = (0..problem.p())
                .map(|t| {
                    let target = total * problem.targets[t] / problem.total();
                    if target > 0.0 {
                        ((loads[t] - target) / target).abs()
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max);
            json!({"name": s.name, "tolerance": s.tolerance, "max_dev": max_dev, "met": max_dev <= s.tolerance + 1e-9})
        })
        .collect();
    for s in &secondary {
        if s["met"] == false {
            eprintln!(
                "note: secondary measure {} could not be held within ±{}% (max deviation {:.2}%)",
                s["name"].as_str().unwrap_or("?"),
                s["tolerance"].as_f64().unwrap_or(0.0) * 100.0,
                s["max_dev"].as_f64().unwrap_or(0.0) * 100.0
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} territories: max deviation {:.2}%, travel {:.6e}, {} not contiguous{}{} ({seconds:.2} s)",
        problem.p(),
        e.max_dev * 100.0,
        e.travel,
        e.n_noncontiguous,
        cert.as_ref()
            .map(|c| format!(", within {:.2}% of the least travel for these centers", c.gap * 100.0))
            .unwrap_or_default(),
        moved
            .map(|m| format!(", {:.1}% of the workload moved", m * 100.0))
            .unwrap_or_default(),
    );
    let mut doc = serde_json::to_value(&e).map_err(|e| CliError::failure(e.to_string()))?;
    doc["measure"] = json!(problem.measure);
    doc["tolerance"] = json!(problem.tolerance);
    doc["certificate"] = json!(cert);
    doc["moved_fraction"] = json!(moved);
    doc["secondary"] = json!(secondary);
    doc["seed"] = json!(args.seed);
    doc["seconds"] = json!(seconds);
    doc["cancelled"] = json!(progress.is_cancelled());
    if let Some(path) = &args.metrics {
        let text = serde_json::to_string_pretty(&doc).map_err(|e| CliError::failure(e.to_string()))?;
        write_atomically(path, |w| w.write_all(text.as_bytes()).map_err(|e| e.to_string()))?;
    }
    if let (Some(path), Some(name)) = (&args.workbook, &args.save_as) {
        let mut wb = Workbook::open(path)?;
        let params = json!({
            "territories": problem.p(), "balance": problem.measure, "tolerance": problem.tolerance,
            "also_balance": args.also_balance, "max_moved": args.max_moved, "only": args.only,
            "seed": args.seed, "restarts": args.restarts, "time_limit": args.time_limit,
        });
        wb.save_scenario(&Scenario {
            name: name.clone(),
            plan,
            params,
            metrics: doc,
        })?;
        eprintln!("saved as scenario {name:?} in {}", path.display());
    }
    Ok(())
}

/// The workbook's locks with `extra` on top: one lock per unit, `extra` winning, in unit order.
fn merge_locks(workbook: Vec<(usize, String)>, extra: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let merged: std::collections::BTreeMap<usize, String> = workbook.into_iter().chain(extra).collect();
    merged.into_iter().collect()
}

/// Locks file: (unit index, territory) pairs; unlike a plan it need not name every unit.
fn load_locks(path: &std::path::Path, dataset: &tessera_workbook::Dataset) -> Result<Vec<(usize, String)>, CliError> {
    let (pairs, warnings) = tessera_workbook::import::read_locks(path, &dataset.units)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(pairs)
}

/// A progress handle that draws a bar with the best figures on a terminal, and stays quiet otherwise.
fn progress_handle(restarts: usize) -> Progress {
    if !std::io::stderr().is_terminal() {
        return Progress::new();
    }
    let bar = indicatif::ProgressBar::new(restarts as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} restarts  {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Progress::with_listener(move |r| {
        bar.set_position((r.fraction * restarts as f64).round() as u64);
        if let (Some(d), Some(t)) = (r.best_max_dev, r.best_travel) {
            bar.set_message(format!("best: max dev {:.2}%, travel {:.4e}", d * 100.0, t));
        }
        if r.fraction >= 1.0 {
            bar.finish_and_clear();
        }
    })
}
