//! Overlay teams in the window (issue 14): which teams the workbook has, switching the team shown, another
//! team's territory outlines to draw over the map, and managing teams from the team bar (add, rename, delete).
//! Thin: the workbook does the work with the functions `tessera teams` calls (`Workbook::teams`, `select_team`,
//! `team_outlines`, `team_choices`, `add_team`, `rename_team`, `delete_team`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::ipc::Response;
use tauri::State;
use tessera_workbook::import::read_reps;
use tessera_workbook::store::{NewTeam, TeamFilter};
use tessera_workbook::WorkbookError;

use crate::dto::WorkbookSummary;
use crate::error::AppError;
use crate::scope::Purpose;
use crate::state::AppState;

/// One team, as the team selector lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamDto {
    /// Its name.
    pub name: String,
    /// Whether it is the default team.
    pub default: bool,
    /// Its account filter ("segment = A"), `None` for every unit.
    pub filter: Option<String>,
    /// The measure it balances, when one was chosen.
    pub measure: Option<String>,
    /// Its tolerance (0.05 = ±5%), when one was set.
    pub tolerance: Option<f64>,
    /// Number of reps.
    pub reps: usize,
    /// Number of scenarios.
    pub scenarios: usize,
    /// Number of locked units.
    pub locks: usize,
    /// Number of accounts it named.
    pub named: usize,
}

/// The workbook's teams and the one shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamsDto {
    /// Every team, the default first.
    pub teams: Vec<TeamDto>,
    /// The team the window shows.
    pub selected: String,
}

/// The open workbook's teams and the one shown.
///
/// # Errors
/// [`AppError::NoWorkbook`]; the workbook's read errors.
#[tauri::command(async)]
pub fn list_teams(state: State<'_, AppState>) -> Result<TeamsDto, AppError> {
    teams_of(&state)
}

/// What [`list_teams`] answers.
///
/// # Errors
/// As [`list_teams`].
pub fn teams_of(state: &AppState) -> Result<TeamsDto, AppError> {
    state.with_workbook(|wb| {
        let teams = wb
            .workbook
            .teams()?
            .into_iter()
            .map(|t| TeamDto {
                filter: t.filter.as_ref().map(ToString::to_string),
                name: t.name,
                default: t.default,
                measure: t.measure,
                tolerance: t.tolerance,
                reps: t.reps,
                scenarios: t.scenarios,
                locks: t.locks,
                named: t.named,
            })
            .collect();
        Ok(TeamsDto {
            teams,
            selected: wb.workbook.team_name()?,
        })
    })
}

/// Shows team `name`: its units, reps and scenarios replace the current team's (the window then loads them as
/// for a newly opened workbook), and the last exploration is dropped. Answers the workbook's summary for that
/// team.
///
/// # Errors
/// [`AppError::NoWorkbook`]; the workbook's error naming the teams there are for an unknown team.
#[tauri::command(async)]
pub fn select_team(name: String, state: State<'_, AppState>) -> Result<WorkbookSummary, AppError> {
    let summary = state.with_workbook_mut(|wb| wb.show_team(&name))?;
    // The last exploration's plans cover the previous team's units: none may be saved into this one.
    state.forget_exploration();
    Ok(summary)
}

/// Team `team`'s territory outlines as `{"team", "scenario", "outlines"}` (`outlines` a GeoJSON
/// FeatureCollection, one MultiPolygon per territory with `territory` and `units`), or `null` when the team has
/// no scenario. Its "current" scenario, else its most recently changed one. Sent as a JSON body as it is.
///
/// # Errors
/// [`AppError::NoWorkbook`]; the workbook's errors.
#[tauri::command(async)]
pub fn team_outlines(team: String, state: State<'_, AppState>) -> Result<Response, AppError> {
    team_outlines_text(&state, &team).map(Response::new)
}

/// The text [`team_outlines`] sends.
///
/// # Errors
/// As [`team_outlines`].
pub fn team_outlines_text(state: &AppState, team: &str) -> Result<String, AppError> {
    state.with_workbook_mut(|wb| {
        Ok(match wb.workbook.team_outlines(team)? {
            None => "null".to_string(),
            Some((scenario, geojson)) => format!(
                r#"{{"team":{},"scenario":{},"outlines":{geojson}}}"#,
                serde_json::Value::from(team),
                serde_json::Value::from(scenario)
            ),
        })
    })
}

/// An accounts column a new team's filter can name, with its values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterColumnDto {
    /// The column.
    pub name: String,
    /// Whether it holds numbers.
    pub numeric: bool,
    /// Its distinct values, sorted (at most 200).
    pub values: Vec<String>,
    /// Whether it has more values than listed.
    pub more: bool,
}

/// What the "Add team" form offers: what `tessera teams --add` accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamChoicesDto {
    /// The accounts' columns for the filter (empty without accounts: a team then plans every unit).
    pub columns: Vec<FilterColumnDto>,
    /// The measures a team without a filter can balance.
    pub unit_measures: Vec<String>,
    /// The measures a filtered team can balance (summed from its accounts).
    pub account_measures: Vec<String>,
}

/// What "Add team" sends; mirrors `tessera teams --add NAME --filter --balance --tolerance --reps`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTeamRequest {
    /// The team's name.
    pub name: String,
    /// Its account filter's column and value; `None` for every unit.
    pub filter: Option<FilterRequest>,
    /// The measure it balances; `None` for the planning default.
    pub measure: Option<String>,
    /// Its tolerance as a fraction (0.05 = ±5%); `None` for the planning default.
    pub tolerance: Option<f64>,
    /// Its reps CSV, chosen in the import dialog; `None` for no reps (its territories are then counted).
    pub reps: Option<PathBuf>,
}

/// A filter `COLUMN = VALUE`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FilterRequest {
    /// An accounts column.
    pub column: String,
    /// The value its accounts must have.
    pub value: String,
}

/// What the "Add team" form may choose from.
///
/// # Errors
/// [`AppError::NoWorkbook`]; the workbook's read errors.
#[tauri::command(async)]
pub fn team_choices(state: State<'_, AppState>) -> Result<TeamChoicesDto, AppError> {
    team_choices_of(&state)
}

/// What [`team_choices`] answers.
///
/// # Errors
/// As [`team_choices`].
pub fn team_choices_of(state: &AppState) -> Result<TeamChoicesDto, AppError> {
    state.with_workbook(|wb| {
        let c = wb.workbook.team_choices()?;
        Ok(TeamChoicesDto {
            columns: c
                .columns
                .into_iter()
                .map(|c| FilterColumnDto {
                    name: c.name,
                    numeric: c.numeric,
                    values: c.values,
                    more: c.more,
                })
                .collect(),
            unit_measures: c.unit_measures,
            account_measures: c.account_measures,
        })
    })
}

/// Adds a team, as `tessera teams --add` does; the window then shows it (`select_team`). Answers the teams.
///
/// # Errors
/// [`AppError::NotChosen`] for a reps file not chosen in the import dialog; [`AppError::Import`] for a reps
/// file that cannot be read (naming its line and column); [`AppError::Request`] saying why the team cannot be
/// added (a taken name, a filter no account matches, a measure its units lack, a tolerance outside 0–100%).
#[tauri::command(async)]
pub fn add_team(request: NewTeamRequest, state: State<'_, AppState>) -> Result<TeamsDto, AppError> {
    add_team_to(&state, &request)
}

/// What [`add_team`] does.
///
/// # Errors
/// As [`add_team`].
pub fn add_team_to(state: &AppState, request: &NewTeamRequest) -> Result<TeamsDto, AppError> {
    let reps = match &request.reps {
        Some(path) => read_reps(&state.check(Purpose::Import, path)?)?.0,
        None => Vec::new(),
    };
    let team = NewTeam {
        name: request.name.clone(),
        filter: request.filter.as_ref().map(|f| TeamFilter {
            column: f.column.trim().to_string(),
            value: f.value.trim().to_string(),
        }),
        measure: request.measure.clone().filter(|m| !m.trim().is_empty()),
        tolerance: request.tolerance,
        reps,
    };
    state.with_workbook_mut(|wb| wb.workbook.add_team(&team).map_err(|e| in_words(e, "added")))?;
    teams_of(state)
}

/// Renames team `from` to `to` (the default team too: it stays the default). Answers the teams.
///
/// # Errors
/// [`AppError::Request`] for an unknown team, or a name that is empty or taken.
#[tauri::command(async)]
pub fn rename_team(from: String, to: String, state: State<'_, AppState>) -> Result<TeamsDto, AppError> {
    rename_team_in(&state, &from, &to)
}

/// What [`rename_team`] does.
///
/// # Errors
/// As [`rename_team`].
pub fn rename_team_in(state: &AppState, from: &str, to: &str) -> Result<TeamsDto, AppError> {
    state.with_workbook_mut(|wb| wb.workbook.rename_team(from, to).map_err(|e| in_words(e, "renamed")))?;
    teams_of(state)
}

/// Deletes team `name` with its reps, scenarios, locks and named accounts. When it is the team shown, the window
/// shows the default team after (the caller loads it, `select_team`). Answers the teams.
///
/// # Errors
/// [`AppError::Request`] for an unknown team or the default team (which cannot be deleted).
#[tauri::command(async)]
pub fn delete_team(name: String, state: State<'_, AppState>) -> Result<TeamsDto, AppError> {
    let teams = delete_team_in(&state, &name)?;
    state.forget_exploration();
    Ok(teams)
}

/// What [`delete_team`] does.
///
/// # Errors
/// As [`delete_team`].
pub fn delete_team_in(state: &AppState, name: &str) -> Result<TeamsDto, AppError> {
    state.with_workbook_mut(|wb| {
        let shown = wb.workbook.team_name()?;
        wb.workbook.delete_team(name).map_err(|e| in_words(e, "deleted"))?;
        if shown == name {
            // The workbook acts on the default team now: show it, so the window never holds a deleted team's
            // units, reps or editing session.
            let default = wb.workbook.team_name()?;
            wb.show_team(&default)?;
        }
        Ok(())
    })?;
    teams_of(state)
}

/// A team that cannot be added, renamed or deleted, said as the planner reads it in the team bar: what was
/// asked and why not, without the file's path (the window shows one workbook).
fn in_words(e: WorkbookError, done: &str) -> AppError {
    match e {
        WorkbookError::InvalidTeam { team, detail, .. } => {
            AppError::Request(format!("Team “{team}” cannot be {done}: {detail}."))
        }
        WorkbookError::NoTeam { name, teams, .. } => AppError::Request(format!(
            "The workbook has no team “{name}” (its teams: {}).",
            teams.join(", ")
        )),
        e => e.into(),
    }
}
