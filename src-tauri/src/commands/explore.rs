//! "Explore trade-offs" from the Optimize dialog: run the planning service's exploration in the background, with
//! progress (and the front as it grows) over a channel and Cancel through `cancel_optimize`, as Optimize does;
//! then save a plan the planner picks on the chart as a scenario.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use tessera_workbook::planning::{plan_id, GrowingPlan, PlanProgress};
use tessera_workbook::Scenario;

use crate::commands::optimize::{optimize_inputs, segment_tables};
use crate::dto::ScenarioDto;
use crate::error::AppError;
use crate::explore::{
    id_text, picked_scenario, run, Exploration, ExploreResultDto, FrontBalance, FrontPointDto, GrowingExploration,
};
use crate::optimize::{fresh_name, OptimizeRequest};
use crate::state::{same_file, AppState};

/// What an exploration tells the window while it runs: the stage and fraction done as Optimize's progress,
/// and, now and then, the front found so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploreProgressDto {
    /// What the run is doing.
    pub stage: String,
    /// Fraction done, 0 to 1.
    pub fraction: f64,
    /// The front so far (figures as the search measured them), when this report carries it.
    pub front: Option<Vec<FrontPointDto>>,
}

/// Shortest time between two reports of the front (the chart redraws on each).
const FRONT_EVERY: Duration = Duration::from_millis(250);

/// Explores the trade-offs between balance, travel and the workload moved for `request` (the Optimize
/// dialog's), on a background thread, over `balance` (default: max deviation). Progress goes to
/// `on_progress`; Cancel (`cancel_optimize`) stops the run with the front found so far. The front is kept so a
/// plan can be picked ([`save_front_plan`]).
#[tauri::command]
pub async fn explore(
    request: OptimizeRequest,
    balance: Option<FrontBalance>,
    on_progress: Channel<ExploreProgressDto>,
    state: State<'_, AppState>,
) -> Result<ExploreResultDto, AppError> {
    let path = state.open_path().ok_or(AppError::NoWorkbook)?;
    let started = Instant::now();
    let last = std::sync::Arc::new(Mutex::new(Instant::now() - Duration::from_secs(1)));
    let stage = std::sync::Arc::new(Mutex::new(String::from("starting")));
    let progress = {
        let (channel, last, stage) = (on_progress.clone(), last.clone(), stage.clone());
        PlanProgress::with_listener(move |r| {
            if let Ok(mut s) = stage.lock() {
                s.clone_from(&r.stage);
            }
            if let Ok(mut last) = last.lock() {
                *last = Instant::now();
            }
            // A closed window just stops listening; the run goes on.
            let _ = channel.send(ExploreProgressDto {
                stage: r.stage.clone(),
                fraction: r.fraction,
                front: None,
            });
        })
    };
    let mut inputs = optimize_inputs(&state)?;
    if !request.mixes.is_empty() {
        inputs.segments = segment_tables(&state)?;
    }
    let inputs = Arc::new(inputs);
    state.start_run(progress.optimizer_progress().clone())?;
    let figure = balance.unwrap_or_default();
    // The plans shown as the front grows are kept here, where `save_growing_plan` finds them.
    let growing = state.growing();
    if let Ok(mut g) = growing.lock() {
        *g = Some(GrowingExploration::new(
            path.clone(),
            inputs.clone(),
            request.clone(),
            figure,
        ));
    }
    let job = {
        let progress = progress.clone();
        let limit = request.time_limit.max(1e-9);
        let growing = growing.clone();
        tauri::async_runtime::spawn_blocking(move || {
            let mut on_front = |front: &[GrowingPlan]| {
                let now = Instant::now();
                if let Ok(mut last) = last.lock() {
                    if now.duration_since(*last) < FRONT_EVERY {
                        return;
                    }
                    *last = now;
                }
                let stage = stage.lock().map(|s| s.clone()).unwrap_or_default();
                let points = match growing.lock() {
                    Ok(mut g) => g.as_mut().map(|g| g.show(front)),
                    Err(_) => None,
                };
                let _ = on_progress.send(ExploreProgressDto {
                    stage,
                    // The searches share the time limit: time spent is the best measure of the way done.
                    fraction: (started.elapsed().as_secs_f64() / limit).min(0.99),
                    front: points,
                });
            };
            run(&inputs, &request, figure, &progress, &mut on_front)
        })
    };
    let outcome = job.await;
    state.end_run();
    // Plans picked while the run went keep their scenarios on the finished front.
    let picked = growing
        .lock()
        .ok()
        .and_then(|mut g| g.take())
        .map(|g| g.saved)
        .unwrap_or_default();
    let outcome = outcome.map_err(|e| AppError::Request(format!("The exploration stopped unexpectedly: {e}")))??;
    let exploration = Exploration {
        workbook: path,
        saved: outcome
            .front
            .iter()
            .map(|f| picked.get(&plan_id(f.plan.territory_of())).cloned())
            .collect(),
        outcome,
    };
    let dto = exploration.dto();
    state.keep_exploration(exploration);
    Ok(dto)
}

/// A plan of the front saved as a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFrontPlan {
    /// The scenario's name.
    pub scenario: String,
    /// Whether this call saved it (false: it was saved before and is still there).
    pub created: bool,
    /// The plan's point, now naming its scenario.
    pub point: FrontPointDto,
    /// The workbook's scenarios, the new one included.
    pub scenarios: Vec<ScenarioDto>,
}

/// Saves plan `index` of the last exploration's front as a scenario `explored N`, with the exploration's
/// parameters (and the plan's place on the front) and its figures. Picking the same plan again gives the
/// scenario saved before, while it exists.
///
/// # Errors
/// [`AppError::Request`] without an exploration of the open workbook or for an index off the front; the
/// workbook's write errors.
#[tauri::command(async)]
pub fn save_front_plan(index: usize, state: State<'_, AppState>) -> Result<SavedFrontPlan, AppError> {
    let path = state.open_path().ok_or(AppError::NoWorkbook)?;
    let (template, before) = state.with_exploration(&path, |x| {
        let off = || {
            AppError::Request(format!(
                "The front has {} plans; there is no plan {index}.",
                x.outcome.front.len()
            ))
        };
        let template = x.outcome.scenario(index, "").ok_or_else(off)?;
        let point = FrontPointDto::of(Some(index), &x.outcome.front[index], None);
        Ok((template, (x.saved.get(index).cloned().flatten(), point)))
    })?;
    let (saved_before, mut point) = before;
    let (name, created, scenarios) = save_once(&state, saved_before, template)?;
    state.with_exploration(&path, |x| {
        if let Some(slot) = x.saved.get_mut(index) {
            *slot = Some(name.clone());
        }
        Ok(())
    })?;
    point.scenario = Some(name.clone());
    Ok(SavedFrontPlan {
        scenario: name,
        created,
        point,
        scenarios,
    })
}

/// Saves plan `id` of the front of the exploration in progress (a point of the last reports of its growing
/// front) as a scenario `explored N`, with the exploration's parameters (`picked_while_running`) and its
/// figures as `tessera evaluate` measures them, while the search goes on. The plan stays saved when a better
/// one later pushes it off the front; picking it again gives the scenario saved before, while it exists, and
/// so does picking it on the finished front.
///
/// # Errors
/// [`AppError::Request`] when no exploration of the open workbook is running, or the front no longer shows
/// plan `id`; the workbook's write errors.
#[tauri::command(async)]
pub fn save_growing_plan(id: String, state: State<'_, AppState>) -> Result<SavedFrontPlan, AppError> {
    let path = state.open_path().ok_or(AppError::NoWorkbook)?;
    let key = u64::from_str_radix(&id, 16).map_err(|_| AppError::Request(format!("\"{id}\" is not a plan id.")))?;
    let growing = state.growing();
    let (inputs, request, figure, plan, saved_before) = {
        let g = growing.lock().map_err(|_| AppError::Poisoned)?;
        let g = g.as_ref().filter(|g| same_file(&g.workbook, &path)).ok_or_else(|| {
            AppError::Request("No exploration of this workbook is running; pick the plan on the finished front.".into())
        })?;
        let plan = g.plan(key).ok_or_else(|| {
            AppError::Request("That plan is no longer on the front (a better one took its place); pick another.".into())
        })?;
        (
            g.inputs.clone(),
            g.request.clone(),
            g.figure,
            plan,
            g.saved.get(&key).cloned(),
        )
    };
    // Measured and named outside every lock: the run goes on meanwhile.
    let (template, measured) = picked_scenario(&inputs, &request, figure, &plan.assignment, "")?;
    let (name, created, scenarios) = save_once(&state, saved_before, template)?;
    let mut recorded = false;
    if let Ok(mut g) = growing.lock() {
        if let Some(g) = g.as_mut().filter(|g| same_file(&g.workbook, &path)) {
            g.saved.insert(key, name.clone());
            recorded = true;
        }
    }
    if !recorded {
        // The run ended meanwhile: the plan is marked on the finished front, if it is there.
        let _ = state.with_exploration(&path, |x| {
            let k = x
                .outcome
                .front
                .iter()
                .position(|f| plan_id(f.plan.territory_of()) == key);
            if let Some(slot) = k.and_then(|k| x.saved.get_mut(k)) {
                *slot = Some(name.clone());
            }
            Ok(())
        });
    }
    let mut point = FrontPointDto::of(None, &measured, Some(name.clone()));
    point.id = Some(id_text(key));
    Ok(SavedFrontPlan {
        scenario: name,
        created,
        point,
        scenarios,
    })
}

/// Saves `template` as a new scenario `explored N`, unless the plan was saved before as `saved_before` and that
/// scenario still exists. Answers the name, whether it was created now, and the workbook's scenarios.
fn save_once(
    state: &AppState,
    saved_before: Option<String>,
    template: Scenario,
) -> Result<(String, bool, Vec<ScenarioDto>), AppError> {
    state.with_workbook_mut(|wb| {
        let taken: Vec<String> = wb.workbook.scenarios()?.into_iter().map(|s| s.name).collect();
        if let Some(name) = saved_before.filter(|n| taken.contains(n)) {
            let list = wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect();
            return Ok((name, false, list));
        }
        let name = fresh_name(&taken, "explored");
        let mut scenario = template;
        scenario.name.clone_from(&name);
        wb.workbook.save_scenario(&scenario)?;
        let list = wb.workbook.scenarios()?.into_iter().map(ScenarioDto::from).collect();
        Ok((name, true, list))
    })
}
