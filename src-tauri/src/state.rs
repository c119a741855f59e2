//! The app's state: the open workbook (at most one per window for now), why start-up failed if it did, the
//! files the planner chose in Tessera's dialogs (the only ones the window may name) and the recent workbooks.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tessera_optimizer::Progress;
use tessera_workbook::{Dataset, Workbook};

use crate::dto::RecentEntry;
use crate::dto::{NamedAccountDto, WorkbookSummary};
use crate::error::AppError;
use crate::explore::{Exploration, GrowingExploration};
use crate::recent::RecentList;
use crate::scope::{not_chosen, FileScope, Purpose};
use crate::session::Session;

/// A workbook the window shows, with its dataset read once on opening.
#[derive(Debug)]
pub struct OpenWorkbook {
    /// The workbook file (holds the owner lock while open).
    pub workbook: Workbook,
    /// Its dataset, read at open time so summaries and alignments need no further reads.
    pub dataset: Dataset,
    /// The scenario being edited, once the window chose one.
    pub session: Option<Session>,
    /// What the window is told about the shown team's accounts (read at open and when the team changes).
    named: AccountsSeen,
}

impl OpenWorkbook {
    /// The side panel's summary of this workbook.
    pub fn summary(&self) -> WorkbookSummary {
        let mut summary = WorkbookSummary::new(self.workbook.path(), &self.dataset);
        summary.named_accounts.clone_from(&self.named.points);
        summary.named_unplaced = self.named.unplaced;
        summary.account_count = self.named.count;
        summary
    }

    /// Shows team `name` (overlay teams, issue 14): the workbook acts on it, its dataset is read, and the
    /// editing session of the previous team is dropped. Answers the summary for that team.
    ///
    /// # Errors
    /// The workbook's error for an unknown team (naming the teams there are) or an unreadable dataset; the
    /// previous team stays shown then.
    pub fn show_team(&mut self, name: &str) -> Result<WorkbookSummary, AppError> {
        let previous = self.workbook.team_name()?;
        self.workbook.select_team(name)?;
        match self.workbook.dataset() {
            Ok(dataset) => {
                // Each team names its own accounts (schema 7): the map draws the shown team's.
                let named = match accounts_seen(&self.workbook, &dataset) {
                    Ok(named) => named,
                    Err(e) => {
                        self.workbook.select_team(&previous)?;
                        return Err(e);
                    }
                };
                self.dataset = dataset;
                self.named = named;
                self.session = None;
                Ok(self.summary())
            }
            Err(e) => {
                self.workbook.select_team(&previous)?;
                Err(e.into())
            }
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    open: Option<OpenWorkbook>,
    startup_error: Option<String>,
}

/// Managed by Tauri (`app.manage`) and shared by every command. Commands run on worker threads, so the state
/// sits behind a mutex; every command holds it only for one workbook call.
#[derive(Debug, Default)]
pub struct AppState {
    inner: Mutex<Inner>,
    /// The optimizer run in progress, if any: its handle cancels it. Apart from `inner`, so Cancel never waits
    /// for the run (which does not hold `inner`).
    running: Mutex<Option<Progress>>,
    /// The import in progress (New from CSV), if any: its handle cancels it. Apart from `inner` too.
    importing: Mutex<Option<Progress>>,
    /// The last exploration's front, so the planner can pick plans from its chart. Never locked while `inner`
    /// is held (take what is needed, release, then lock `inner`).
    explored: Mutex<Option<Exploration>>,
    /// The exploration in progress, shared with its run's thread, which updates the plans shown as the front
    /// grows; the planner picks from them. Never locked while `inner` is held.
    growing: Arc<Mutex<Option<GrowingExploration>>>,
    /// Files the planner chose this run; see [`crate::scope`].
    scope: Mutex<FileScope>,
    /// The recent workbooks, and the file they are kept in once the app knows its config folder.
    recent: Mutex<(RecentList, Option<PathBuf>)>,
}

impl AppState {
    /// An empty state: no workbook open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens the workbook at `path` and makes it the current one. On failure the previous workbook stays open.
    /// Opening the workbook that is already open just returns its summary (a second handle would find the
    /// file locked by the first).
    ///
    /// # Errors
    /// [`AppError::Workbook`] when the file cannot be opened or read.
    pub fn open(&self, path: &Path) -> Result<WorkbookSummary, AppError> {
        if let Some(wb) = self
            .lock()?
            .open
            .as_ref()
            .filter(|wb| same_file(wb.workbook.path(), path))
        {
            return Ok(wb.summary());
        }
        let workbook = Workbook::open(path)?;
        let dataset = workbook.dataset()?;
        let named = accounts_seen(&workbook, &dataset)?;
        let opened = OpenWorkbook {
            workbook,
            dataset,
            session: None,
            named,
        };
        let summary = opened.summary();
        let mut inner = self.lock()?;
        inner.open = Some(opened);
        inner.startup_error = None;
        Ok(summary)
    }

    /// Opens the workbook at `path` if the planner chose it: in the Open dialog, by creating it, or from the
    /// recent workbooks (or start-up named it). Anything else is refused, whatever the window asks. On success
    /// it becomes the newest recent workbook.
    ///
    /// # Errors
    /// [`AppError::NotChosen`] for any other path; as [`AppState::open`].
    pub fn open_chosen(&self, path: &Path) -> Result<WorkbookSummary, AppError> {
        let allowed = self.scope()?.allows(Purpose::Workbook, path) || self.recent()?.0.contains(path);
        if !allowed {
            return Err(not_chosen(Purpose::Workbook, path));
        }
        let summary = self.open(path)?;
        self.remember(path);
        Ok(summary)
    }

    /// Allows `path` for `purpose`: the planner chose it in a dialog, or start-up named it.
    pub fn allow(&self, purpose: Purpose, path: &Path) {
        if let Ok(mut scope) = self.scope() {
            scope.allow(purpose, path);
        }
    }

    /// Withdraws `path` for `purpose` (a one-use consent, once used).
    pub fn revoke(&self, purpose: Purpose, path: &Path) {
        if let Ok(mut scope) = self.scope() {
            scope.revoke(purpose, path);
        }
    }

    /// `path`, canonical, if it was allowed for `purpose`.
    ///
    /// # Errors
    /// [`AppError::NotChosen`] when it was not.
    pub fn check(&self, purpose: Purpose, path: &Path) -> Result<PathBuf, AppError> {
        self.scope()?.check(purpose, path)
    }

    /// Keeps the recent workbooks in `file` from now on: reads the list there (an unreadable one counts as
    /// empty), adds what was opened before (at start-up) and writes it back.
    pub fn use_recent_file(&self, file: PathBuf) {
        if let Ok(mut recent) = self.recent() {
            let mut list = RecentList::load(&file);
            for path in recent.0.paths().iter().rev() {
                list.push(path);
            }
            *recent = (list, Some(file));
            save_recent(&recent);
        }
    }

    /// Drops `path` from the recent workbooks (the planner's "Forget", for one that is gone) and saves the list.
    /// It is no longer allowed to open unless chosen again. Returns the list as it is now.
    ///
    /// # Errors
    /// [`AppError::Poisoned`] only.
    pub fn forget_recent(&self, path: &Path) -> Result<Vec<RecentEntry>, AppError> {
        let mut recent = self.recent()?;
        if recent.0.remove(path) {
            save_recent(&recent);
        }
        Ok(recent.0.entries())
    }

    /// The recent workbooks, newest first, each marked whether it still exists.
    ///
    /// # Errors
    /// [`AppError::Poisoned`] only.
    pub fn recent_workbooks(&self) -> Result<Vec<RecentEntry>, AppError> {
        Ok(self.recent()?.0.entries())
    }

    /// Makes `path` the newest recent workbook and saves the list (a failure to save is logged: the list is a
    /// convenience, not the planner's data).
    fn remember(&self, path: &Path) {
        if let Ok(mut recent) = self.recent() {
            recent.0.push(path);
            save_recent(&recent);
        }
    }

    fn scope(&self) -> Result<MutexGuard<'_, FileScope>, AppError> {
        self.scope.lock().map_err(|_| AppError::Poisoned)
    }

    fn recent(&self) -> Result<MutexGuard<'_, (RecentList, Option<PathBuf>)>, AppError> {
        self.recent.lock().map_err(|_| AppError::Poisoned)
    }

    /// The path of the open workbook, if one is open.
    pub fn open_path(&self) -> Option<PathBuf> {
        self.lock()
            .ok()?
            .open
            .as_ref()
            .map(|wb| wb.workbook.path().to_path_buf())
    }

    /// Closes the current workbook (releasing its lock), if one is open.
    pub fn close(&self) {
        if let Ok(mut inner) = self.lock() {
            inner.open = None;
        }
    }

    /// Registers `progress` as the run in progress.
    ///
    /// # Errors
    /// [`AppError::Busy`] when a run is already in progress.
    pub fn start_run(&self, progress: Progress) -> Result<(), AppError> {
        let mut running = self.running.lock().map_err(|_| AppError::Poisoned)?;
        if running.is_some() {
            return Err(AppError::Busy);
        }
        *running = Some(progress);
        Ok(())
    }

    /// Forgets the run in progress (it finished).
    pub fn end_run(&self) {
        if let Ok(mut running) = self.running.lock() {
            *running = None;
        }
    }

    /// Asks the run in progress, if any, to stop and keep its best plan. Returns whether one was running.
    pub fn cancel_run(&self) -> bool {
        match self.running.lock() {
            Ok(running) => running.as_ref().map(Progress::cancel).is_some(),
            Err(_) => false,
        }
    }

    /// Keeps `exploration` as the last one (replacing the one before).
    pub fn keep_exploration(&self, exploration: Exploration) {
        if let Ok(mut e) = self.explored.lock() {
            *e = Some(exploration);
        }
    }

    /// Drops the last exploration: its plans are another team's once the window shows a different team.
    pub fn forget_exploration(&self) {
        if let Ok(mut e) = self.explored.lock() {
            *e = None;
        }
    }

    /// The exploration in progress (none between runs), shared with the run's thread.
    pub fn growing(&self) -> Arc<Mutex<Option<GrowingExploration>>> {
        self.growing.clone()
    }

    /// Runs `f` on the last exploration, if it explored the workbook at `path`.
    ///
    /// # Errors
    /// [`AppError::Request`] when there is none for this workbook; whatever `f` returns.
    pub fn with_exploration<T>(
        &self,
        path: &Path,
        f: impl FnOnce(&mut Exploration) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut e = self.explored.lock().map_err(|_| AppError::Poisoned)?;
        match e.as_mut() {
            Some(x) if same_file(&x.workbook, path) => f(x),
            _ => Err(AppError::Request(
                "There is no exploration of this workbook to pick from; run Explore trade-offs first.".into(),
            )),
        }
    }

    /// Registers `progress` as the import in progress.
    ///
    /// # Errors
    /// [`AppError::Request`] when an import is already running (one at a time: each opens its workbook).
    pub fn start_import(&self, progress: Progress) -> Result<(), AppError> {
        let mut importing = self.importing.lock().map_err(|_| AppError::Poisoned)?;
        if importing.is_some() {
            return Err(AppError::Request(
                "A workbook is being created already; wait for it or cancel it first.".to_string(),
            ));
        }
        *importing = Some(progress);
        Ok(())
    }

    /// Forgets the import in progress (it finished, failed or stopped).
    pub fn end_import(&self) {
        if let Ok(mut importing) = self.importing.lock() {
            *importing = None;
        }
    }

    /// Asks the import in progress, if any, to stop; it then writes nothing. Returns whether one was running.
    pub fn cancel_import(&self) -> bool {
        match self.importing.lock() {
            Ok(importing) => importing.as_ref().map(Progress::cancel).is_some(),
            Err(_) => false,
        }
    }

    /// Records why no workbook could be opened at start-up; the window shows it instead of an empty map.
    pub fn set_startup_error(&self, message: String) {
        if let Ok(mut inner) = self.lock() {
            inner.startup_error = Some(message);
        }
    }

    /// The current workbook's summary; `None` when none is open.
    ///
    /// # Errors
    /// [`AppError::Startup`] when start-up tried to open a workbook and failed.
    pub fn current_summary(&self) -> Result<Option<WorkbookSummary>, AppError> {
        let inner = self.lock()?;
        match (&inner.open, &inner.startup_error) {
            (Some(wb), _) => Ok(Some(wb.summary())),
            (None, Some(message)) => Err(AppError::Startup(message.clone())),
            (None, None) => Ok(None),
        }
    }

    /// Runs `f` on the current workbook.
    ///
    /// # Errors
    /// [`AppError::NoWorkbook`] when none is open; whatever `f` returns.
    pub fn with_workbook<T>(&self, f: impl FnOnce(&OpenWorkbook) -> Result<T, AppError>) -> Result<T, AppError> {
        match &self.lock()?.open {
            Some(wb) => f(wb),
            None => Err(AppError::NoWorkbook),
        }
    }

    /// Runs `f` on the current workbook, which it may change (edits, scenarios).
    ///
    /// # Errors
    /// [`AppError::NoWorkbook`] when none is open; whatever `f` returns.
    pub fn with_workbook_mut<T>(
        &self,
        f: impl FnOnce(&mut OpenWorkbook) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        match &mut self.lock()?.open {
            Some(wb) => f(wb),
            None => Err(AppError::NoWorkbook),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, AppError> {
        self.inner.lock().map_err(|_| AppError::Poisoned)
    }
}

/// Whether `a` and `b` name the same file (compared canonically when both exist).
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| -> PathBuf { p.canonicalize().unwrap_or_else(|_| p.to_path_buf()) };
    canon(a) == canon(b)
}

/// Writes the recent workbooks to their file, once the app knows it. A failure is logged, not raised: the list is
/// a convenience, not the planner's data.
fn save_recent((list, file): &(RecentList, Option<PathBuf>)) {
    if let Some(file) = file {
        if let Err(e) = list.save(file) {
            eprintln!(
                "tessera-app: cannot write the recent workbooks to {}: {e}",
                file.display()
            );
        }
    }
}

/// The shown team's accounts as the window sees them: its named accounts where the map draws them, how many of
/// those could not be placed, and how many accounts the team has (the Export's "accounts" choice needs some).
#[derive(Debug, Default)]
struct AccountsSeen {
    points: Vec<NamedAccountDto>,
    unplaced: usize,
    count: usize,
}

/// What the window is told about the selected team's accounts in `workbook` (none when it has no accounts).
fn accounts_seen(workbook: &Workbook, dataset: &Dataset) -> Result<AccountsSeen, AppError> {
    Ok(match workbook.accounts()? {
        Some(accounts) => {
            let (points, unplaced) = accounts.named_points(&dataset.units);
            AccountsSeen {
                points: points.into_iter().map(NamedAccountDto::from).collect(),
                unplaced,
                count: accounts.len(),
            }
        }
        None => AccountsSeen::default(),
    })
}
