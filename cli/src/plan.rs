//! `tessera plan`: design balanced, compact, contiguous territories and write the plan.
//!
//! Everything between reading the files and writing the results is the planning service
//! (`tessera_workbook::planning`), the same the app's Optimize calls: this module only maps flags to a request,
//! refuses conflicting flags and overwrites before the run, and reports the result and its promises.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use tessera_optimizer::Plan;
use tessera_workbook::accounts::NamedLoads;
use tessera_workbook::export::write_plan_csv;
use tessera_workbook::figures::format_travel;
use tessera_workbook::planning::{prepare, AlsoBalance, PlanInputs, PlanProgress, PlanRequest, SearchMethod};
use tessera_workbook::store::CURRENT;
use tessera_workbook::Workbook;

use crate::error::CliError;
use crate::inputs::{load_dataset, load_plan, open_workbook_rw, open_workbook_team, DatasetArgs};
use crate::limit_args::{LimitArgs, Limits};
use crate::output::Output;

/// The tolerance when neither --tolerance nor the team sets one.
pub(crate) const DEFAULT_TOLERANCE: f64 = 0.05;

/// The measure balanced when neither --balance nor the workbook names one.
const DEFAULT_MEASURE: &str = "workload";

/// Arguments of `tessera plan`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    dataset: DatasetArgs,
    /// Number of territories (default with --reps: one per rep; with reps it must equal their number).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::inputs::parse_territories)]
    territories: Option<usize>,
    /// Where to write the plan CSV (id,territory); `-` for standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace existing --out and --metrics files.
    #[arg(long)]
    force: bool,
    /// Plan the dataset of this workbook (its units, adjacency, reps and "current" scenario) instead of --units.
    #[arg(long, conflicts_with_all = ["units", "adjacency", "polygons", "reps"])]
    workbook: Option<PathBuf>,
    /// With --workbook: plan this team of the workbook (its units, reps, measure, tolerance, scenarios and locks;
    /// `tessera teams` lists them). Default: the default team.
    #[arg(long, value_name = "NAME", requires = "workbook")]
    team: Option<String>,
    /// Save the plan, its parameters and metrics into --workbook as this scenario (one transaction). An existing
    /// scenario of the name (such as "current", the imported alignment) is only replaced with --replace.
    #[arg(long = "save-as", requires = "workbook")]
    save_as: Option<String>,
    /// Replace the --save-as scenario if the workbook already has one of that name.
    #[arg(long, requires = "save_as")]
    replace: bool,
    /// The measure to balance (default: with --workbook the measure chosen in it, else `workload`).
    #[arg(long)]
    balance: Option<String>,
    /// Allowed deviation from the target load, as a fraction (0.05 = ±5%; default: with --team, the team's
    /// tolerance when it has one, else 0.05).
    #[arg(long, allow_negative_numbers = true)]
    tolerance: Option<f64>,
    /// Secondary measures to balance as far as possible, as COLUMN:TOLERANCE (repeatable).
    #[arg(long = "also-balance", value_name = "COLUMN:TOL", allow_hyphen_values = true)]
    also_balance: Vec<String>,
    #[command(flatten)]
    limits: LimitArgs,
    /// The current plan (id,territory); default: the units file's `territory` column, if any.
    #[arg(long)]
    current: Option<PathBuf>,
    /// Largest fraction of the total workload allowed to change territory (needs a current plan).
    #[arg(long = "max-moved", allow_negative_numbers = true)]
    max_moved: Option<f64>,
    /// Locked units (id,territory): they never move. With --workbook, the workbook's own locks (set in the app)
    /// hold as well; a unit locked in both places keeps the territory this file gives.
    #[arg(long)]
    locks: Option<PathBuf>,
    /// Re-optimise only these territories of the current plan (comma separated), leave the rest.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Seed of every random choice. The same seed and --restarts (given, or the default for the instance's
    /// size) give the same plan on any machine when every restart finishes before the time limit; a run cut
    /// short by the limit keeps the restarts that finished in time, which depends on the machine's speed, and
    /// says so.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Restarts from different seeds, the best plan wins and is then redrawn region by region with the work
    /// the restarts leave (the restart search only). Default: 6, fewer on large instances (units × √territories
    /// over 100,000: 2 for 20,000 units into 100 territories), set by the instance's size alone.
    #[arg(long)]
    restarts: Option<usize>,
    /// How to search: `restarts` of location–allocation, the best kept; or `genetic`, a memetic genetic search
    /// that recombines whole territories of good plans until --time-limit (or --generations) and returns the
    /// best plan found. The genetic search cannot re-optimise --only some territories.
    #[arg(long, value_enum, default_value_t = SearchArg::Restarts)]
    search: SearchArg,
    /// Generations of the genetic search (default: as many as --time-limit allows). With a number, the same
    /// seed gives the same plan on any machine, as long as the time limit does not cut the search short.
    #[arg(long)]
    generations: Option<usize>,
    /// Deadline for the whole run, in seconds from the start of the command: the best plan found by then is
    /// written (Ctrl+C does the same at once).
    #[arg(long = "time-limit", default_value_t = 30.0, allow_negative_numbers = true)]
    time_limit: f64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Where to write the metrics JSON (figures per territory, totals, certificate, promises); `-` for standard
    /// output.
    #[arg(long)]
    metrics: Option<PathBuf>,
}

/// The search methods of `--search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchArg {
    /// Restarts of location–allocation.
    Restarts,
    /// The memetic genetic search.
    Genetic,
}

fn parse_also(s: &str) -> Result<AlsoBalance, CliError> {
    let bad = || {
        CliError::input(format!(
            "--also-balance {s:?}: expected COLUMN:TOLERANCE, e.g. potential:0.10"
        ))
    };
    let (name, tol) = s.rsplit_once(':').ok_or_else(bad)?;
    // The tolerance's range is the service's rule (and message); here only its form is checked.
    let tol: f64 = tol.trim().parse().map_err(|_| bad())?;
    Ok(AlsoBalance {
        measure: name.to_string(),
        tolerance: tol,
    })
}

/// Refuses what would silently override or overwrite something, before anything runs.
fn check_outputs(args: &Args) -> Result<(Option<Output>, Option<Output>), CliError> {
    // clap's `requires` lets these through when defaults are involved; the rule is checked here in any case.
    if args.save_as.is_some() && args.workbook.is_none() {
        return Err(CliError::input(
            "--save-as needs --workbook W: the scenario is saved into that workbook (to plan files, drop --save-as \
             and give --out)",
        ));
    }
    if args.replace && args.save_as.is_none() {
        return Err(CliError::input(
            "--replace needs --save-as NAME: it replaces that scenario",
        ));
    }
    match (args.search, args.restarts, args.generations) {
        (SearchArg::Genetic, Some(_), _) => {
            return Err(CliError::input(
                "--restarts with --search genetic: the genetic search has no restarts; give --generations N or \
                 --time-limit S to bound it, or drop --search genetic",
            ))
        }
        (SearchArg::Restarts, _, Some(_)) => {
            return Err(CliError::input(
                "--generations needs --search genetic: the restart search counts --restarts instead",
            ))
        }
        _ => {}
    }
    let out = args.out.as_deref().map(Output::parse);
    let metrics = args.metrics.as_deref().map(Output::parse);
    if out.is_none() && args.save_as.is_none() {
        return Err(CliError::input(
            "give --out PLAN.csv (or --out - for standard output), or --workbook W --save-as NAME, or both",
        ));
    }
    if out.as_ref().is_some_and(Output::is_stdout) && metrics.as_ref().is_some_and(Output::is_stdout) {
        return Err(CliError::input(
            "--out - and --metrics - would both write to standard output: send one of them to a file",
        ));
    }
    if let Some(o) = &out {
        o.check("--out", args.force)?;
    }
    if let Some(m) = &metrics {
        m.check("--metrics", args.force)?;
    }
    Ok((out, metrics))
}

/// Refuses to replace an existing scenario (above all the imported alignment) without --replace.
fn check_save_as(workbook: &Workbook, args: &Args) -> Result<(), CliError> {
    let Some(name) = &args.save_as else { return Ok(()) };
    if args.replace || !workbook.scenarios()?.iter().any(|s| &s.name == name) {
        return Ok(());
    }
    let what = if name == CURRENT {
        "holds the imported alignment (the one --max-moved measures moves from)".to_string()
    } else {
        "exists".to_string()
    };
    Err(CliError::input(format!(
        "--save-as {name:?}: scenario {name:?} {what}; add --replace to replace it, or choose another name"
    )))
}

/// Runs `tessera plan`.
pub fn run(args: &Args) -> Result<(), CliError> {
    // --time-limit is a deadline for the whole command, reading the inputs included.
    let started = std::time::Instant::now();
    let (out, metrics_out) = check_outputs(args)?;
    // Flags are checked before any file is read.
    let Limits { caps, floors, mixes } = args.limits.parse()?;
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
        |workbook| check_save_as(workbook, args),
    )?;
    // The default restart count depends on the instance's size only, so a seed keeps giving the same plan.
    let restarts = args.restarts.unwrap_or_else(|| {
        tessera_optimizer::default_restarts(dataset.units.len(), args.territories.unwrap_or(dataset.reps.len()))
    });
    let request = PlanRequest {
        territories: args.territories,
        measure,
        tolerance: args.tolerance.or(tolerance).unwrap_or(DEFAULT_TOLERANCE),
        also_balance: args
            .also_balance
            .iter()
            .map(|s| parse_also(s))
            .collect::<Result<_, _>>()?,
        max_moved: args.max_moved,
        only: args.only.clone(),
        caps,
        floors,
        mixes,
        seed: args.seed,
        restarts,
        time_limit: args.time_limit,
        threads: args.threads,
    };
    let inputs = PlanInputs {
        units: &dataset.units,
        adjacency: &dataset.adjacency,
        reps: &dataset.reps,
        current: current.as_ref(),
        locks: &locks,
    };
    let search = match args.search {
        SearchArg::Restarts => SearchMethod::Restarts,
        SearchArg::Genetic => SearchMethod::Genetic {
            generations: args.generations,
        },
    };
    let segments = crate::limit_args::segments_for(
        &request.mixes,
        args.workbook.as_deref(),
        args.dataset.units.as_deref(),
        &dataset,
    )?;
    let prepared = prepare(inputs, &request)
        .and_then(|p| p.with_named_loads(&named))
        .and_then(|p| p.with_segments(&segments))
        .and_then(|p| p.searching(search))
        .map_err(|e| with_flags(e.into()))?;
    let notes_before = prepared.notes().len();
    for note in prepared.notes() {
        eprintln!("note: {note}");
    }
    let progress = progress_handle(match search {
        SearchMethod::Restarts => Some(request.restarts),
        SearchMethod::Genetic { .. } => None,
    });
    let flag = progress.cancel_flag();
    // Ctrl+C asks the optimizer to stop and keep its best plan; failing to install the handler only loses that.
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    let outcome = prepared
        .counting_from(started)
        .run(&progress)
        .map_err(|e| with_flags(e.into()))?;
    // Notes the run itself added (e.g. no certificate in the time left).
    for note in outcome.notes.iter().skip(notes_before) {
        eprintln!("note: {note}");
    }
    if let Some(how) = &outcome.stopped {
        eprintln!("stopped: {how}; keeping the best plan found");
    }

    if let Some(out) = &out {
        out.write(|w| write_plan_csv(w, dataset.units.ids(), &outcome.plan).map_err(|e| e.to_string()))?;
    }
    let e = &outcome.evaluation;
    eprintln!(
        "{} territories: max deviation {:.2}%, travel {}, {} not contiguous{}{} ({:.2} s)",
        e.p,
        e.max_dev * 100.0,
        format_travel(e.travel),
        e.n_noncontiguous,
        outcome
            .certificate
            .as_ref()
            .map(|c| format!(", within {:.2}% of the least travel for these centers", c.gap * 100.0))
            .unwrap_or_else(|| ", no travel certificate".into()),
        outcome
            .moved_fraction
            .map(|m| format!(", {:.1}% of the {} moved", m * 100.0, request.measure))
            .unwrap_or_default(),
        outcome.seconds,
    );
    if let Some(m) = &metrics_out {
        let text = serde_json::to_string_pretty(&outcome.metrics).map_err(|e| CliError::failure(e.to_string()))?;
        m.write(|w| writeln!(w, "{text}").map_err(|e| e.to_string()))?;
    }
    if let (Some(path), Some(name)) = (&args.workbook, &args.save_as) {
        let mut wb = open_workbook_rw(path, args.team.as_deref())?;
        wb.save_scenario(&outcome.scenario(name.clone()))?;
        eprintln!("saved as scenario {name:?} in {}", path.display());
    }
    let broken: Vec<String> = outcome
        .broken_promises()
        .map(|p| format!("promise not kept: {}: {}", p.name, p.why))
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(CliError::promise_not_kept(broken.join("\n")))
    }
}

/// Where `tessera plan` and `tessera explore` read their inputs from: a workbook, or the dataset files; plus an
/// optional current plan and locks file.
pub(crate) struct Sources<'a> {
    pub workbook: Option<&'a Path>,
    /// The workbook's team (`None`: the default team).
    pub team: Option<&'a str>,
    pub dataset: &'a DatasetArgs,
    pub balance: Option<&'a str>,
    pub territories: Option<usize>,
    pub current: Option<&'a Path>,
    pub locks: Option<&'a Path>,
}

/// The inputs of a planning command, read and checked.
pub(crate) struct Loaded {
    pub dataset: tessera_workbook::Dataset,
    /// The --current plan, else the dataset's own.
    pub current: Option<Plan>,
    /// The workbook's locks with the --locks file's.
    pub locks: Vec<(usize, String)>,
    /// The measure to balance: --balance, else the workbook's choice, else the default.
    pub measure: String,
    /// The workbook's named accounts' loads (none when planning files).
    pub named: NamedLoads,
    /// The team's tolerance, when it has one (none when planning files).
    pub tolerance: Option<f64>,
}

/// Reads a planning command's inputs. Locks set in the app live in the workbook; a plan of that workbook keeps
/// them like the app's optimizer. A workbook's own choice of measure (made at import or in the app) holds unless
/// --balance says otherwise. `check` sees the workbook, when there is one, before anything else is read.
pub(crate) fn load_inputs(
    from: &Sources<'_>,
    check: impl FnOnce(&Workbook) -> Result<(), CliError>,
) -> Result<Loaded, CliError> {
    let (dataset, workbook_locks, measure, named, tolerance) = match from.workbook {
        Some(path) => {
            let workbook = open_workbook_team(path, from.team)?;
            check(&workbook)?;
            let measure = match from.balance {
                Some(b) => b.to_string(),
                None => workbook.balance_measure()?.unwrap_or_else(|| DEFAULT_MEASURE.into()),
            };
            (
                workbook.dataset()?,
                workbook.locks()?,
                measure,
                workbook.named_loads()?,
                workbook.team_tolerance()?,
            )
        }
        None => {
            let measure = from.balance.unwrap_or(DEFAULT_MEASURE).to_string();
            let dataset = load_dataset(from.dataset, Some(&measure), from.territories)?;
            (dataset, Vec::new(), measure, NamedLoads::default(), None)
        }
    };
    let current = match from.current {
        Some(path) => Some(load_plan(path, &dataset)?),
        None => dataset.current.clone(),
    };
    let locks = merge_locks(
        workbook_locks,
        match from.locks {
            Some(path) => load_locks(path, &dataset)?,
            None => Vec::new(),
        },
    );
    Ok(Loaded {
        dataset,
        current,
        locks,
        measure,
        named,
        tolerance,
    })
}

/// Names the CLI's flags in the service's messages, which speak of "tolerance", "max-moved", ...
pub(crate) fn with_flags(mut e: CliError) -> CliError {
    for (word, flag) in [
        ("tolerance ", "--tolerance "),
        ("max-moved ", "--max-moved "),
        ("time limit ", "--time-limit "),
        ("restarts 0", "--restarts 0"),
        ("generations 0", "--generations 0"),
        ("also-balance ", "--also-balance "),
        ("cap ", "--cap "),
        ("floor ", "--floor "),
        ("mix ", "--mix "),
    ] {
        if e.message.starts_with(word) {
            e.message = format!("{flag}{}", &e.message[word.len()..]);
        }
    }
    e
}
/// The workbook's locks with `extra` on top: one lock per unit, `extra` winning, in unit order.
pub(crate) fn merge_locks(workbook: Vec<(usize, String)>, extra: Vec<(usize, String)>) -> Vec<(usize, String)> {
    let merged: std::collections::BTreeMap<usize, String> = workbook.into_iter().chain(extra).collect();
    merged.into_iter().collect()
}

/// Locks file: (unit index, territory) pairs; unlike a plan it need not name every unit.
pub(crate) fn load_locks(
    path: &std::path::Path,
    dataset: &tessera_workbook::Dataset,
) -> Result<Vec<(usize, String)>, CliError> {
    let (pairs, warnings) = tessera_workbook::import::read_locks(path, &dataset.units)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(pairs)
}

/// A progress handle that draws a bar with the best figures on a terminal, and stays quiet otherwise. Its travel
/// is the whole plan's, formatted as the final line formats it. With `restarts` the bar counts them; without
/// (the genetic search) it shows the share of the time limit or generations used.
fn progress_handle(restarts: Option<usize>) -> PlanProgress {
    if !std::io::stderr().is_terminal() {
        return PlanProgress::new();
    }
    let (len, template) = match restarts {
        Some(r) => (r, "{elapsed_precise} [{bar:30}] {pos}/{len} restarts  {msg}"),
        None => (100, "{elapsed_precise} [{bar:30}] {percent}%  {msg}"),
    };
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    PlanProgress::with_listener(move |r| {
        bar.set_position((r.fraction * len as f64).round() as u64);
        if let (Some(d), Some(t)) = (r.best_max_dev, r.best_travel) {
            bar.set_message(format!("best: max dev {:.2}%, travel {}", d * 100.0, format_travel(t)));
        }
        if r.fraction >= 1.0 {
            bar.finish_and_clear();
        }
    })
}
