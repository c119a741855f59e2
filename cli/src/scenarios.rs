//! `tessera scenarios`: list a workbook's scenarios with their headline figures, or manage them: duplicate,
//! rename, note, delete, or start one from a plan CSV or from territory polygons (GeoJSON).

use std::path::PathBuf;

use tessera_workbook::figures::format_travel;
use tessera_workbook::import::{scenario_from_file, ScenarioSource, ScenarioSourceError};

use crate::error::CliError;
use crate::inputs::{open_workbook_rw, open_workbook_team};

/// Arguments of `tessera scenarios`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("action").args(["duplicate", "rename", "note", "delete", "from_plan", "from_polygons"])))]
pub struct Args {
    /// The workbook.
    workbook: PathBuf,
    /// Act on this team of the workbook (`tessera teams` lists them; default: the default team).
    #[arg(long, value_name = "NAME")]
    team: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Copy scenario S (plan, parameters, figures, note) as --name.
    #[arg(long, value_name = "S", requires = "name")]
    duplicate: Option<String>,
    /// Rename scenario S to --name ("current" keeps its name; duplicate it instead).
    #[arg(long, value_name = "S", requires = "name")]
    rename: Option<String>,
    /// Set the note of scenario S to --text (an empty text removes it).
    #[arg(long, value_name = "S", requires = "text")]
    note: Option<String>,
    /// Delete scenario S with its history.
    #[arg(long, value_name = "S")]
    delete: Option<String>,
    /// A new scenario --name from a plan CSV (id,territory).
    #[arg(long, value_name = "CSV", requires = "name")]
    from_plan: Option<PathBuf>,
    /// A new scenario --name from territory polygons (GeoJSON, or a Shapefile: FILE.shp with its .shx and .dbf
    /// beside it): each unit goes to the polygon holding its point; units outside every polygon are listed and
    /// given to the nearest one.
    #[arg(long, value_name = "GEOJSON|SHP", requires = "name")]
    from_polygons: Option<PathBuf>,
    /// With --from-polygons: the feature property (Shapefile: the .dbf field) naming the territory (default:
    /// territory; GeoJSON features without it use their id).
    #[arg(long, default_value = "territory", requires = "from_polygons")]
    property: String,
    /// The new name (--duplicate, --rename, --from-plan, --from-polygons).
    #[arg(long)]
    name: Option<String>,
    /// The note (--note).
    #[arg(long)]
    text: Option<String>,
    /// Replace a scenario of that name (--from-plan, --from-polygons).
    #[arg(long)]
    replace: bool,
}

/// Runs `tessera scenarios`.
pub fn run(args: &Args) -> Result<(), CliError> {
    if args.duplicate.is_some()
        || args.rename.is_some()
        || args.note.is_some()
        || args.delete.is_some()
        || args.from_plan.is_some()
        || args.from_polygons.is_some()
    {
        return manage(args);
    }
    if args.name.is_some() || args.text.is_some() || args.replace {
        return Err(CliError::input(
            "--name, --text and --replace go with an action: --duplicate, --rename, --note, --delete, --from-plan or --from-polygons",
        ));
    }
    let wb = open_workbook_team(&args.workbook, args.team.as_deref())?;
    let mut list = wb.scenarios()?;
    // A scenario edited since its figures were stored has none stored: they are computed now.
    for s in list.iter_mut().filter(|s| s.metrics.is_null()) {
        s.metrics = wb.figures(&wb.scenario(&s.name)?)?;
    }
    if args.json {
        let v: Vec<_> = list
            .iter()
            .map(|s| {
                serde_json::json!({"name": s.name, "created": s.created, "modified": s.modified,
                    "territories": s.territories, "metrics": s.metrics, "params": s.params,
                    "undo_steps": s.undo_steps, "redo_steps": s.redo_steps, "note": s.note})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).map_err(|e| CliError::failure(e.to_string()))?
        );
        return Ok(());
    }
    if list.is_empty() {
        println!("{}: no scenarios", args.workbook.display());
        return Ok(());
    }
    println!(
        "{:<24} {:>11} {:>9} {:>22} {:>10}  {:<24}  note",
        "scenario", "territories", "max dev", "travel", "edits", "modified"
    );
    for s in &list {
        let num = |k: &str| s.metrics.get(k).and_then(|v| v.as_f64());
        println!(
            "{:<24} {:>11} {:>9} {:>22} {:>10}  {:<24}  {}",
            s.name,
            s.territories,
            num("max_dev")
                .map(|d| format!("{:.2}%", d * 100.0))
                .unwrap_or_else(|| "-".into()),
            num("travel").map(format_travel).unwrap_or_else(|| "-".into()),
            s.undo_steps,
            s.modified,
            s.note
        );
    }
    Ok(())
}

/// Duplicate, rename, note, delete, or a new scenario from a file.
fn manage(args: &Args) -> Result<(), CliError> {
    let mut wb = open_workbook_rw(&args.workbook, args.team.as_deref())?;
    let name = args.name.as_deref().unwrap_or_default();
    let shown = args.workbook.display();
    if let Some(from) = &args.duplicate {
        wb.duplicate_scenario(from, name)?;
        println!("{shown}: scenario {from:?} copied as {name:?}");
    } else if let Some(from) = &args.rename {
        wb.rename_scenario(from, name)?;
        println!("{shown}: scenario {from:?} renamed {name:?}");
    } else if let Some(s) = &args.note {
        wb.set_scenario_note(s, args.text.as_deref().unwrap_or_default())?;
        println!("{shown}: note of scenario {s:?} set");
    } else if let Some(s) = &args.delete {
        wb.delete_scenario(s)?;
        println!("{shown}: scenario {s:?} deleted");
    } else {
        if wb.scenario(name).is_ok() && !args.replace {
            return Err(CliError::input(format!(
                "--name {name:?}: the workbook has a scenario of this name; add --replace to replace it, or choose another name"
            )));
        }
        let dataset = wb.dataset()?;
        let source = match (&args.from_plan, &args.from_polygons) {
            (Some(csv), _) => ScenarioSource::PlanCsv(csv),
            (None, Some(path)) => ScenarioSource::Polygons {
                path,
                property: &args.property,
            },
            (None, None) => return Err(CliError::failure("no action")),
        };
        let built = scenario_from_file(&wb, &dataset, name, source).map_err(|e| match e {
            ScenarioSourceError::Import(e) => CliError::from(e),
            ScenarioSourceError::Workbook(e) => CliError::from(e),
        })?;
        for w in &built.warnings {
            eprintln!("warning: {w}");
        }
        if let (ScenarioSource::Polygons { path, .. }, false) = (source, built.outside.is_empty()) {
            eprintln!(
                "{}: {} of {} units fall outside every territory polygon; each was given to the nearest:",
                path.display(),
                built.outside.len(),
                dataset.units.len()
            );
            for o in &built.outside {
                eprintln!(
                    "  unit {} ({}, {}): nearest {:?}, {:.4}° away",
                    dataset.units.ids()[o.unit],
                    dataset.units.lon()[o.unit],
                    dataset.units.lat()[o.unit],
                    o.nearest,
                    o.distance_deg
                );
            }
        }
        let territories = built.scenario.plan.names().len();
        wb.save_scenario(&built.scenario)?;
        println!("{shown}: scenario {name:?} saved ({territories} territories)");
    }
    Ok(())
}
