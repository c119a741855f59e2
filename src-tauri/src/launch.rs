//! Which workbook the window opens at start-up.
//!
//! In order: the first command-line argument, else `TESSERA_WORKBOOK`, else the last workbook the planner had
//! open (the newest recent workbook; when it is gone the window says so and shows its start view), else the
//! bundled sample `sample-data/us-counties.tessera`, looked for in the app's resource folder (an installed
//! package's, e.g. `/usr/lib/Tessera/` from the .deb), beside the executable, in the repository the executable
//! was built in (`target/<profile>/` → `../../`), and in the current directory and its parent.
//!
//! The bundled sample is never opened itself: editing writes into a workbook, and the sample must stay as
//! shipped (an installed copy may not even be writable). The planner gets their own copy,
//! `Tessera/sample.tessera` in their documents folder ([`sample_copy_path`]), made on the first run and reused
//! on later ones ([`ensure_sample_copy`]), so edits to it are kept like any other workbook's.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The sample workbook, relative to the repository root (or an installed app's folder).
pub const SAMPLE_WORKBOOK: &str = "sample-data/us-counties.tessera";

/// Environment variable naming a workbook to open when no argument is given.
pub const WORKBOOK_ENV: &str = "TESSERA_WORKBOOK";

/// The planner's copy of the sample, relative to their documents folder.
pub const SAMPLE_COPY: &str = "Tessera/sample.tessera";

/// Where the start-up workbook came from, for the log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The first command-line argument.
    Argument,
    /// The `TESSERA_WORKBOOK` variable.
    Environment,
    /// The workbook open when the app last ran (the newest recent workbook).
    LastWorkbook,
}

/// What start-up should open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Open this workbook.
    Open(PathBuf, Origin),
    /// Open the planner's `copy` of the `bundled` sample, making it first if it is not there
    /// ([`ensure_sample_copy`]).
    Sample {
        /// The sample as shipped: read, never written.
        bundled: PathBuf,
        /// The planner's copy, in their documents folder.
        copy: PathBuf,
    },
    /// Nothing to open: the sample was not found in any of these places.
    SampleMissing(Vec<PathBuf>),
    /// The sample was found but there is no documents (or home) folder to copy it into.
    NoDocumentsFolder(PathBuf),
    /// The last workbook the planner had open is no longer there (moved or deleted).
    LastWorkbookGone(PathBuf),
}

impl Choice {
    /// The message the window shows when there is nothing to open.
    pub fn missing_message(searched: &[PathBuf]) -> String {
        let places: Vec<String> = searched.iter().map(|p| format!("  {}", p.display())).collect();
        format!(
            "No workbook was given and the sample workbook was not found. Looked in:\n{}\n\
             Build it with the `tessera import` command (see the README), or start Tessera with a workbook path \
             (tessera-app PATH or {WORKBOOK_ENV}=PATH).",
            places.join("\n")
        )
    }

    /// The message the window shows when the last workbook is gone.
    pub fn last_gone_message(path: &Path) -> String {
        format!(
            "The workbook you had open last, {}, is no longer there (moved or deleted). Open it where it is now, \
             or open the sample.",
            path.display()
        )
    }

    /// The message the window shows when the sample has no folder to be copied into.
    pub fn no_documents_message(bundled: &Path) -> String {
        format!(
            "No workbook was given, and the sample {} cannot be opened: Tessera opens a copy of it in your documents \
             folder, and none was found (no home folder). Start Tessera with a workbook path (tessera-app PATH or \
             {WORKBOOK_ENV}=PATH).",
            bundled.display()
        )
    }
}

/// The planner's copy of the sample inside `documents` (their documents folder).
pub fn sample_copy_path(documents: &Path) -> PathBuf {
    documents.join(SAMPLE_COPY)
}

/// The planner's documents folder: the platform's (XDG_DOCUMENTS_DIR on Linux), else `Documents` in their
/// home folder (a Linux desktop without xdg-user-dirs has none configured), else `None`.
pub fn documents_folder() -> Option<PathBuf> {
    dirs::document_dir().or_else(|| dirs::home_dir().map(|h| h.join("Documents")))
}

/// Makes the planner's `copy` of the `bundled` sample unless it exists; `true` when it was made now.
///
/// The copy is written to a temporary file beside its place and moved there only when complete, without
/// replacing anything (a copy made meanwhile by another window wins), so a crash never leaves half a workbook
/// that later runs would reuse. The bundled file is only read.
///
/// # Errors
/// The I/O error of reading the sample or writing the copy, naming the file.
pub fn ensure_sample_copy(bundled: &Path, copy: &Path) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(copy).is_ok() {
        return Ok(false);
    }
    let named = |path: &Path, e: std::io::Error| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let folder = copy.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| named(folder, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sample-").suffix(".tessera");
    // Temporary files are private (0600); the copy is a document like any workbook (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut staged = builder.tempfile_in(folder).map_err(|e| named(folder, e))?;
    let mut from = std::fs::File::open(bundled).map_err(|e| named(bundled, e))?;
    std::io::copy(&mut from, staged.as_file_mut()).map_err(|e| named(copy, e))?;
    staged.as_file().sync_all().map_err(|e| named(copy, e))?;
    match staged.persist_noclobber(copy) {
        Ok(_) => Ok(true),
        // Another window made it between the check and now: theirs is complete too; use it.
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(named(copy, e.error)),
    }
}

/// Where the app runs from and what it remembers, for [`choose`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Places<'a> {
    /// The app's resource folder (Tauri's `resource_dir`: `/usr/lib/Tessera` for the installed .deb).
    pub resources: Option<&'a Path>,
    /// The executable's path.
    pub exe: Option<&'a Path>,
    /// The current directory.
    pub cwd: Option<&'a Path>,
    /// The planner's documents folder ([`documents_folder`]).
    pub documents: Option<&'a Path>,
    /// The workbook open when the app last ran (the newest recent workbook), if any.
    pub last: Option<&'a Path>,
}

/// Chooses the start-up workbook from the process's arguments (without the program name), the value of
/// `TESSERA_WORKBOOK` and the [`Places`]. Reads nothing but whether files exist, so it is tested without a
/// window.
pub fn choose(args: impl IntoIterator<Item = OsString>, env: Option<OsString>, places: Places<'_>) -> Choice {
    // Flags (a leading `-`) are the toolkit's or the OS's, never a workbook.
    if let Some(arg) = args.into_iter().find(|a| !a.to_string_lossy().starts_with('-')) {
        return Choice::Open(PathBuf::from(arg), Origin::Argument);
    }
    if let Some(path) = env.filter(|v| !v.is_empty()) {
        return Choice::Open(PathBuf::from(path), Origin::Environment);
    }
    let Places {
        resources,
        exe,
        cwd,
        documents,
        last,
    } = places;
    if let Some(last) = last {
        return if last.is_file() {
            Choice::Open(last.to_path_buf(), Origin::LastWorkbook)
        } else {
            Choice::LastWorkbookGone(last.to_path_buf())
        };
    }
    sample_choice(Places {
        resources,
        exe,
        cwd,
        documents,
        last: None,
    })
}

/// The sample part of [`choose`], also used when the planner asks for the sample from the start view:
/// [`Choice::Sample`] when the bundled sample is found and there is a documents folder for the copy,
/// [`Choice::NoDocumentsFolder`] or [`Choice::SampleMissing`] otherwise. `places.last` is not read.
pub fn sample_choice(places: Places<'_>) -> Choice {
    let Places {
        resources,
        exe,
        cwd,
        documents,
        ..
    } = places;
    let candidates = sample_candidates(resources, exe, cwd);
    match (candidates.iter().find(|p| p.is_file()), documents) {
        (Some(found), Some(documents)) => Choice::Sample {
            bundled: found.clone(),
            copy: sample_copy_path(documents),
        },
        (Some(found), None) => Choice::NoDocumentsFolder(found.clone()),
        (None, _) => Choice::SampleMissing(candidates),
    }
}

/// Places the sample workbook may be, most specific first, without duplicates.
fn sample_candidates(resources: Option<&Path>, exe: Option<&Path>, cwd: Option<&Path>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    // An installed app's bundled resources (the package puts the sample there, read-only).
    roots.extend(resources.map(Path::to_path_buf));
    if let Some(dir) = exe.and_then(Path::parent) {
        roots.push(dir.to_path_buf());
        // A binary built in the repository lives in target/debug or target/release.
        if let Some(repo) = dir.parent().and_then(Path::parent) {
            roots.push(repo.to_path_buf());
        }
    }
    if let Some(dir) = cwd {
        roots.push(dir.to_path_buf());
        // Run from src-tauri/ (as `cargo run` in that folder does).
        if let Some(parent) = dir.parent() {
            roots.push(parent.to_path_buf());
        }
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for root in roots {
        let candidate = root.join(SAMPLE_WORKBOOK);
        if !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> OsString {
        OsString::from(s)
    }

    #[test]
    fn first_argument_wins_over_env_and_sample() {
        let last = Path::new("/home/p/Documents/last.tessera");
        let places = Places {
            last: Some(last),
            ..Places::default()
        };
        let choice = choose([os("a.tessera"), os("b.tessera")], Some(os("env.tessera")), places);
        assert_eq!(choice, Choice::Open(PathBuf::from("a.tessera"), Origin::Argument));
    }

    #[test]
    fn flags_are_not_workbooks() {
        let choice = choose([os("--some-flag")], Some(os("env.tessera")), Places::default());
        assert_eq!(choice, Choice::Open(PathBuf::from("env.tessera"), Origin::Environment));
    }

    #[test]
    fn empty_env_is_ignored() {
        let places = Places {
            cwd: Some(Path::new("/nowhere/x")),
            ..Places::default()
        };
        let choice = choose(Vec::<OsString>::new(), Some(os("")), places);
        assert!(matches!(choice, Choice::SampleMissing(_)));
    }

    #[test]
    fn sample_is_found_in_the_repository_of_a_target_binary() {
        let repo = tempfile::tempdir().expect("temp dir");
        let sample = repo.path().join(SAMPLE_WORKBOOK);
        std::fs::create_dir_all(sample.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&sample, b"").expect("write");
        let exe = repo.path().join("target/debug/tessera-app");
        let docs = Path::new("/home/p/Documents");
        let places = Places {
            exe: Some(&exe),
            cwd: Some(Path::new("/")),
            documents: Some(docs),
            ..Places::default()
        };
        let choice = choose(Vec::<OsString>::new(), None, places);
        assert_eq!(
            choice,
            Choice::Sample {
                bundled: sample.clone(),
                copy: docs.join("Tessera/sample.tessera")
            }
        );
        // Without a documents folder the sample is not opened in place either.
        let places = Places {
            documents: None,
            ..places
        };
        let choice = choose(Vec::<OsString>::new(), None, places);
        assert_eq!(choice, Choice::NoDocumentsFolder(sample));
    }

    #[test]
    fn the_sample_copy_is_made_on_the_first_run_and_reused_later_and_the_bundled_file_is_never_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bundled = dir.path().join("bundled.tessera");
        std::fs::write(&bundled, b"the sample as shipped").expect("write");
        // An installed sample may be read-only; the copy must still be the planner's to edit.
        let mut perms = std::fs::metadata(&bundled).expect("meta").permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&bundled, perms).expect("read-only");
        let copy = sample_copy_path(&dir.path().join("Documents"));

        assert!(ensure_sample_copy(&bundled, &copy).expect("first run copies"));
        assert_eq!(std::fs::read(&copy).expect("copy"), b"the sample as shipped");
        assert!(
            !std::fs::metadata(&copy).expect("meta").permissions().readonly(),
            "the copy is writable"
        );

        // The planner edits their copy; a later run opens it as it is, never copying the sample over it.
        std::fs::write(&copy, b"edited by the planner").expect("edit");
        assert!(!ensure_sample_copy(&bundled, &copy).expect("later run"));
        assert_eq!(std::fs::read(&copy).expect("copy"), b"edited by the planner");
        assert_eq!(std::fs::read(&bundled).expect("bundled"), b"the sample as shipped");
        let folder: Vec<_> = std::fs::read_dir(copy.parent().expect("folder"))
            .expect("list")
            .collect();
        assert_eq!(folder.len(), 1, "no staging file left beside the copy");
    }

    #[test]
    fn a_sample_that_cannot_be_read_leaves_no_copy() {
        let dir = tempfile::tempdir().expect("temp dir");
        let copy = sample_copy_path(dir.path());
        let err = ensure_sample_copy(&dir.path().join("absent.tessera"), &copy).expect_err("no sample");
        assert!(err.to_string().contains("absent.tessera"), "{err}");
        assert!(!copy.exists());
        let left: Vec<_> = std::fs::read_dir(copy.parent().expect("folder"))
            .expect("list")
            .collect();
        assert!(left.is_empty(), "no staging file left: {left:?}");
    }

    #[test]
    fn missing_sample_lists_where_it_looked() {
        let places = Places {
            resources: Some(Path::new("/usr/lib/Tessera")),
            exe: Some(Path::new("/opt/t/bin/app")),
            cwd: Some(Path::new("/w/src")),
            documents: Some(Path::new("/home/p/Documents")),
            last: None,
        };
        let choice = choose(Vec::<OsString>::new(), None, places);
        let Choice::SampleMissing(searched) = choice else {
            panic!("expected SampleMissing")
        };
        assert_eq!(
            searched,
            ["/usr/lib/Tessera", "/opt/t/bin", "/opt", "/w/src", "/w"]
                .map(|d| Path::new(d).join(SAMPLE_WORKBOOK))
                .to_vec()
        );
        assert!(Choice::missing_message(&searched).contains("/w/src/sample-data/us-counties.tessera"));
    }

    #[test]
    fn an_installed_app_finds_the_sample_in_its_resource_folder_first() {
        let install = tempfile::tempdir().expect("temp dir");
        // As the .deb lays it out: /usr/bin/tessera-app, /usr/lib/Tessera/sample-data/us-counties.tessera.
        let resources = install.path().join("usr/lib/Tessera");
        let sample = resources.join(SAMPLE_WORKBOOK);
        std::fs::create_dir_all(sample.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&sample, b"").expect("write");
        let exe = install.path().join("usr/bin/tessera-app");
        let docs = Path::new("/home/p/Documents");
        let places = Places {
            resources: Some(&resources),
            exe: Some(&exe),
            cwd: Some(Path::new("/")),
            documents: Some(docs),
            last: None,
        };
        let choice = choose(Vec::<OsString>::new(), None, places);
        assert_eq!(
            choice,
            Choice::Sample {
                bundled: sample,
                copy: docs.join(SAMPLE_COPY)
            }
        );
    }

    #[test]
    fn the_last_workbook_is_reopened_and_a_gone_one_is_reported_not_replaced_by_the_sample() {
        let dir = tempfile::tempdir().expect("temp dir");
        let last = dir.path().join("territories.tessera");
        std::fs::write(&last, b"").expect("write");
        let sample_root = dir.path().join("app");
        let sample = sample_root.join(SAMPLE_WORKBOOK);
        std::fs::create_dir_all(sample.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&sample, b"").expect("write");
        let places = Places {
            resources: Some(&sample_root),
            documents: Some(dir.path()),
            last: Some(&last),
            ..Places::default()
        };
        assert_eq!(
            choose(Vec::<OsString>::new(), None, places),
            Choice::Open(last.clone(), Origin::LastWorkbook)
        );
        // An argument still wins over the last workbook.
        assert_eq!(
            choose([os("b.tessera")], None, places),
            Choice::Open(PathBuf::from("b.tessera"), Origin::Argument)
        );
        std::fs::remove_file(&last).expect("delete");
        let choice = choose(Vec::<OsString>::new(), None, places);
        assert_eq!(choice, Choice::LastWorkbookGone(last.clone()));
        assert!(Choice::last_gone_message(&last).contains("territories.tessera"));
    }
}
