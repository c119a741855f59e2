//! `tessera explore`: the trade-off front between balance, travel and the workload moved from the current plan.
//!
//! The same inputs as `tessera plan` go through the same planning service (`Prepared::explore`); the result is a
//! directory: one plan CSV per plan on the front, `front.json` with each plan's figures and file name, and the
//! front drawn as `front.svg` and `front.png`. An existing exploration's files are only replaced with --force.
//! Caps, floors and mix bands (`--cap`, `--floor`, `--mix`, the flags `tessera plan` takes: `crate::limit_args`) are
//! hard limits: refused before the run when they provably cannot hold (exit 2), kept by every search, and said per
//! plan in front.json (`limits_kept`, `limits_broken`); exit 3 when no plan found keeps them all.

use std::path::{Path, PathBuf};

use serde_json::json;
use tessera_optimizer::genetic::BalanceFigure;
use tessera_workbook::export::write_plan_csv;
use tessera_workbook::figures::format_travel;
use tessera_workbook::planning::{prepare, FrontPlan, PlanInputs, PlanProgress, PlanRequest};

use crate::error::CliError;
use crate::front_chart::{self, Point};
use crate::inputs::DatasetArgs;
use crate::limit_args::{LimitArgs, Limits};
use crate::output::write_atomically;
use crate::plan::{load_inputs, with_flags, Loaded, Sources};
/// Arguments of `tessera explore`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// Number of territories (default with --reps: one per rep; with reps it must equal their number).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::inputs::parse_territories)]
    territories: Option<usize>,
    /// Directory to write the front to (created if missing): plan-NN.csv per plan, front.json, front.svg,
    /// front.png.
    #[arg(long)]
    out: PathBuf,
    /// Replace the files of an exploration already in --out (its plan-NN.csv files are removed first).
    #[arg(long)]
    force: bool,
    /// Explore the dataset of this workbook (its units, adjacency, reps and "current" scenario) instead of --units.
    #[arg(long, conflicts_with_all = ["units", "adjacency", "polygons", "reps"])]
    workbook: Option<PathBuf>,
    /// With --workbook: explore this team of the workbook (its units, reps, measure, tolerance, scenarios and locks;
    /// `tessera teams` lists them). Default: the default team.
    #[arg(long, value_name = "NAME", requires = "workbook")]
    team: Option<String>,
    /// The measure to balance (default: with --workbook the measure chosen in it, else `workload`).
    #[arg(long)]
    balance: Option<String>,
    /// The tightest tolerance explored, as a fraction (0.05 = ±5%; default: with --team, the team's tolerance
    /// when it has one, else 0.05); looser ones up to the current plan's max deviation are explored too.
    #[arg(long, allow_negative_numbers = true)]
    tolerance: Option<f64>,
    #[command(flatten)]
    limits: LimitArgs,
    /// The current plan (id,territory) moves are measured from; default: the units file's `territory` column
    /// (or the workbook's "current" scenario), if any.
    #[arg(long)]
    current: Option<PathBuf>,
    /// Explore only plans moving at most this fraction of the total workload (default: budgets of 10%, 30% and
    /// none).
    #[arg(long = "max-moved", allow_negative_numbers = true)]
    max_moved: Option<f64>,
    /// Locked units (id,territory): they never move.
    #[arg(long)]
    locks: Option<PathBuf>,
    /// The balance figure of the front: `max-dev` (largest deviation from target) or `cv` (coefficient of
    /// variation of the loads).
    #[arg(long = "front-balance", value_enum, default_value_t = FigureArg::MaxDev)]
    front_balance: FigureArg,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Deadline for the whole run, in seconds from the start of the command; the searches share it and the
    /// front found by then is written (Ctrl+C does the same at once).
    #[arg(long = "time-limit", default_value_t = 30.0, allow_negative_numbers = true)]
    time_limit: f64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// TrueType font for the chart's text (default: a usual system font such as DejaVu Sans).
    #[arg(long)]
    font: Option<PathBuf>,
}

/// The balance figures of `--front-balance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FigureArg {
    /// Largest relative deviation of a territory's load from its target.
    MaxDev,
    /// Coefficient of variation of the territory loads.
    Cv,
}

/// Files of an exploration in its directory.
fn is_exploration_file(name: &str) -> bool {
    matches!(name, "front.json" | "front.svg" | "front.png") || (name.starts_with("plan-") && name.ends_with(".csv"))
}

/// Refuses a --out that is a file, or a directory already holding an exploration, unless --force; with
/// --force, lists the old plan files to remove once the new front is ready.
fn check_out(out: &Path, force: bool) -> Result<Vec<PathBuf>, CliError> {
    if out.exists() && !out.is_dir() {
        return Err(CliError::input(format!(
            "--out {}: this is a file; explore writes a directory of plans (give a directory path)",
            out.display()
        )));
    }
    let mut existing = Vec::new();
    if out.is_dir() {
        let entries = std::fs::read_dir(out).map_err(|e| CliError::input(format!("--out {}: {e}", out.display())))?;
        for e in entries.flatten() {
            if is_exploration_file(&e.file_name().to_string_lossy()) {
                existing.push(e.path());
            }
        }
    }
    if !existing.is_empty() && !force {
        existing.sort();
        return Err(CliError::input(format!(
            "--out {}: the directory already holds an exploration ({} and {} other files); add --force to replace \
             them, or choose another directory",
            out.display(),
            existing[0]
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            existing.len() - 1
        )));
    }
    Ok(existing)
}

/// Runs `tessera explore`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let stale = check_out(&args.out, args.force)?;
    // Flags are checked before any file is read.
    let Limits { caps, floors, mixes } = args.limits.parse()?;
    front_chart::load_font(args.font.as_deref())?;
    let Loaded {
        dataset,
        current,
        locks,
        measure,
        named,
        tolerance,
    } = load_inputs(
        &Sources {
            workbook: args.workbook.as_deref(),
            team: args.team.as_deref(),
            dataset: &args.dataset,
            balance: args.balance.as_deref(),
            territories: args.territories,
            current: args.current.as_deref(),
            locks: args.locks.as_deref(),
        },
        |_| Ok(()),
    )?;
    let mut request = PlanRequest::new(measure.clone());
    request.territories = args.territories;
    request.tolerance = args.tolerance.or(tolerance).unwrap_or(crate::plan::DEFAULT_TOLERANCE);
    request.max_moved = args.max_moved;
    request.seed = args.seed;
    request.time_limit = args.time_limit;
    request.threads = args.threads;
    request.caps = caps;
    request.floors = floors;
    request.mixes = mixes;
    let segments = crate::limit_args::segments_for(
        &request.mixes,
        args.workbook.as_deref(),
        args.dataset.units.as_deref(),
        &dataset,
    )?;
    let inputs = PlanInputs {
        units: &dataset.units,
        adjacency: &dataset.adjacency,
        reps: &dataset.reps,
        current: current.as_ref(),
        locks: &locks,
    };
    let prepared = prepare(inputs, &request)
        .and_then(|p| p.with_named_loads(&named))
        .and_then(|p| p.with_segments(&segments))
        .map_err(|e| with_flags(e.into()))?;
    for note in prepared.notes() {
        eprintln!("note: {note}");
    }
    let progress = PlanProgress::new();
    let flag = progress.cancel_flag();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    let figure = match args.front_balance {
        FigureArg::MaxDev => BalanceFigure::MaxDev,
        FigureArg::Cv => BalanceFigure::Cv,
    };
    let outcome = prepared
        .counting_from(started)
        .explore(figure, &progress)
        .map_err(|e| with_flags(e.into()))?;

    std::fs::create_dir_all(&args.out).map_err(|e| CliError::failure(format!("{}: {e}", args.out.display())))?;
    for old in stale {
        let _ = std::fs::remove_file(old);
    }
    let ids = dataset.units.ids();
    let balance_of = |f: &FrontPlan| match figure {
        BalanceFigure::MaxDev => f.evaluation.max_dev,
        BalanceFigure::Cv => f.evaluation.cv,
    };
    let row = |f: &FrontPlan, file: Option<&str>| {
        let mean = f.evaluation.target;
        json!({
            "file": file,
            "max_dev": f.evaluation.max_dev,
            "cv": f.evaluation.cv,
            "variance": (f.evaluation.cv * mean).powi(2),
            "travel": f.evaluation.travel,
            "moved_fraction": f.moved_fraction,
            "n_noncontiguous": f.evaluation.n_noncontiguous,
            // Caps, floors and mix bands: whether the plan keeps them all, and each one it breaks with the
            // territories beyond it and by how much.
            "limits_kept": f.keeps_limits(),
            "limits_broken": f.limits.iter().filter(|p| !p.kept).map(|p| json!({"name": p.name, "why": p.why})).collect::<Vec<_>>(),
        })
    };
    let width = outcome.front.len().to_string().len().max(2);
    let mut rows = Vec::new();
    for (k, f) in outcome.front.iter().enumerate() {
        let name = format!("plan-{:0width$}.csv", k + 1);
        write_atomically(&args.out.join(&name), |w| {
            write_plan_csv(w, ids, &f.plan).map_err(|e| e.to_string())
        })?;
        rows.push(row(f, Some(&name)));
    }
    let doc = json!({
        "measure": measure,
        "balance_figure": figure,
        "tolerance": request.tolerance,
        "seed": args.seed,
        "time_limit": args.time_limit,
        "seconds": outcome.seconds,
        "cancelled": outcome.cancelled,
        "plans_developed": outcome.developed,
        "children_dropped": outcome.dropped,
        "searches": outcome.runs,
        "current": outcome.current.as_ref().map(|c| row(c, None)),
        "plans": rows,
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| CliError::failure(e.to_string()))?;
    write_atomically(&args.out.join("front.json"), |w| {
        writeln!(w, "{text}").map_err(|e| e.to_string())
    })?;
    let points: Vec<Point> = outcome
        .front
        .iter()
        .map(|f| Point {
            balance: balance_of(f),
            travel: f.evaluation.travel,
            moved: f.moved_fraction,
        })
        .collect();
    // The current plan is on the front only when contiguous and not beaten; the legend says why it is not.
    let current_label = outcome
        .current
        .as_ref()
        .map_or(String::new(), |c| match c.evaluation.n_noncontiguous {
            0 => "current plan".to_string(),
            1 => "current plan (1 territory not contiguous)".to_string(),
            k => format!("current plan ({k} territories not contiguous)"),
        });
    let current_point = outcome.current.as_ref().map(|c| {
        (
            Point {
                balance: balance_of(c),
                travel: c.evaluation.travel,
                moved: 0.0,
            },
            current_label.as_str(),
        )
    });
    let label = match figure {
        BalanceFigure::MaxDev => "max deviation from target",
        BalanceFigure::Cv => "coefficient of variation of loads",
    };
    front_chart::draw(
        &points,
        current_point,
        label,
        &format!("{measure}·km"),
        &args.out.join("front.svg"),
        &args.out.join("front.png"),
    )
    .map_err(|e| CliError::failure(format!("{}: cannot draw the chart: {e}", args.out.display())))?;
    let lo = points.iter().map(|p| p.travel).fold(f64::INFINITY, f64::min);
    if let Some(note) = outcome.dropped_note() {
        eprintln!("note: {note}");
    }
    eprintln!(
        "{} plans on the front ({} searches, {} plans developed, {:.2} s){}; least travel {}; written to {}",
        points.len(),
        outcome.runs.len(),
        outcome.developed,
        outcome.seconds,
        if outcome.cancelled { ", cancelled" } else { "" },
        if lo.is_finite() {
            format_travel(lo)
        } else {
            "–".into()
        },
        args.out.display()
    );
    // The front holds plans breaking a cap, floor or band only when the search found none keeping them all.
    if !outcome.front.is_empty() && !outcome.front.iter().any(FrontPlan::keeps_limits) {
        let first = &outcome.front[0];
        let broken: Vec<String> = first
            .limits
            .iter()
            .filter(|p| !p.kept)
            .map(|p| format!("promise not kept: {}: {}", p.name, p.why))
            .collect();
        return Err(CliError::promise_not_kept(format!(
            "no plan found keeps every cap, floor and mix band: each plan's row in {} says which it breaks and by \
             how much; plan 1:\n{}",
            args.out.join("front.json").display(),
            broken.join("\n")
        )));
    }
    Ok(())
}
