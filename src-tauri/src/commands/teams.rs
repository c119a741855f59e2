//! Overlay teams in the window (issue 14): which teams the workbook has, switching the team shown, and another
//! team's territory outlines to draw over the map. Thin: the workbook does the work (`Workbook::teams`,
//! `select_team`, `team_outlines`).

use serde::Serialize;
use tauri::ipc::Response;
use tauri::State;

use crate::dto::WorkbookSummary;
use crate::error::AppError;
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
    /// Number of scenarios.
    pub scenarios: usize,
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
                scenarios: t.scenarios,
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
