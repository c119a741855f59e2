//! Times "New from CSV" as the app runs it (`create_workbook_with`: import, write, open), stage by stage, and
//! optionally how long a Cancel takes to stop it.
//!
//! ```text
//! cargo run --release -p tessera-app --example create_workbook_timing -- UNITS.csv [MEASURE] [--runs N] [--cancel-after-ms MS]
//! ```
//!
//! The workbook is written to a temporary folder that is removed afterwards.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tessera_app::commands::files::{chosen_import, chosen_save_path, create_workbook_with};
use tessera_app::dto::{CreateWorkbookRequest, ImportKind};
use tessera_app::AppState;
use tessera_optimizer::Progress;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut units, mut measure, mut runs, mut cancel_after) = (None, None, 3usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().ok_or("--runs N")?.parse()?,
            "--cancel-after-ms" => cancel_after = Some(args.next().ok_or("--cancel-after-ms MS")?.parse::<u64>()?),
            _ if units.is_none() => units = Some(PathBuf::from(a)),
            _ => measure = Some(a),
        }
    }
    let units = units.ok_or("usage: create_workbook_timing UNITS.csv [MEASURE] [--runs N] [--cancel-after-ms MS]")?;
    let dir = tempfile::tempdir()?;
    let mut totals = Vec::new();
    for run in 1..=runs {
        let state = AppState::new();
        chosen_import(&state, ImportKind::Units, &units)?;
        let out = chosen_save_path(&state, &dir.path().join(format!("run{run}.tessera"))).path;
        let request = CreateWorkbookRequest {
            units: units.clone(),
            polygons: None,
            reps: None,
            adjacency: None,
            balance: measure.clone(),
            out,
        };
        let started = Instant::now();
        // Each stage's start, as the progress bar would show it.
        let stages: Arc<Mutex<Vec<(String, Duration)>>> = Arc::default();
        let sink = stages.clone();
        let progress = Progress::with_listener(move |r| {
            let mut s = sink.lock().expect("stages");
            if s.last().is_none_or(|(stage, _)| *stage != r.stage) {
                s.push((r.stage.clone(), started.elapsed()));
            }
        });
        let canceller = cancel_after.map(|ms| {
            let p = progress.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(ms));
                p.cancel();
                Instant::now()
            })
        });
        let result = create_workbook_with(&state, &request, &progress);
        let total = started.elapsed();
        let stages = stages.lock().expect("stages").clone();
        let line: Vec<String> = stages
            .iter()
            .map(|(s, t)| format!("{s} @{:.0} ms", t.as_secs_f64() * 1e3))
            .collect();
        match (result, canceller) {
            (Ok(summary), _) => println!(
                "run {run}: {} units in {:.0} ms [{}]",
                summary.unit_count,
                total.as_secs_f64() * 1e3,
                line.join(", ")
            ),
            (Err(e), Some(handle)) => {
                let cancelled_at = handle.join().map_err(|_| "canceller panicked")?;
                println!(
                    "run {run}: {} ({:.0} ms after the cancel) [{}]; files left in the folder: {}",
                    e.kind(),
                    cancelled_at.elapsed().as_secs_f64() * 1e3,
                    line.join(", "),
                    std::fs::read_dir(dir.path())?.count()
                );
            }
            (Err(e), None) => return Err(e.to_string().into()),
        }
        state.close();
        totals.push(total);
    }
    totals.sort();
    println!(
        "median of {runs}: {:.0} ms",
        totals[totals.len() / 2].as_secs_f64() * 1e3
    );
    Ok(())
}
