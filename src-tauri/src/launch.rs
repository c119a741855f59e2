//! Which workbook the window opens at start-up.
//!
//! In order: the first command-line argument, else `TESSERA_WORKBOOK`, else the bundled sample
//! `sample-data/us-counties.tessera`, looked for beside the executable, in the repository the executable was
//! built in (`target/<profile>/` → `../../`), and in the current directory and its parent.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The sample workbook, relative to the repository root (or an installed app's folder).
pub const SAMPLE_WORKBOOK: &str = "sample-data/us-counties.tessera";

/// Environment variable naming a workbook to open when no argument is given.
pub const WORKBOOK_ENV: &str = "TESSERA_WORKBOOK";

/// Where the start-up workbook came from, for the log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The first command-line argument.
    Argument,
    /// The `TESSERA_WORKBOOK` variable.
    Environment,
    /// The bundled sample, found by search.
    Sample,
}

/// What start-up should open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Open this workbook.
    Open(PathBuf, Origin),
    /// Nothing to open: the sample was not found in any of these places.
    SampleMissing(Vec<PathBuf>),
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
}

/// Chooses the start-up workbook from the process's arguments (without the program name), the value of
/// `TESSERA_WORKBOOK`, the executable's path and the current directory. Pure, so it is tested without a window.
pub fn choose(
    args: impl IntoIterator<Item = OsString>,
    env: Option<OsString>,
    exe: Option<&Path>,
    cwd: Option<&Path>,
) -> Choice {
    // Flags (a leading `-`) are the toolkit's or the OS's, never a workbook.
    if let Some(arg) = args.into_iter().find(|a| !a.to_string_lossy().starts_with('-')) {
        return Choice::Open(PathBuf::from(arg), Origin::Argument);
    }
    if let Some(path) = env.filter(|v| !v.is_empty()) {
        return Choice::Open(PathBuf::from(path), Origin::Environment);
    }
    let candidates = sample_candidates(exe, cwd);
    match candidates.iter().find(|p| p.is_file()) {
        Some(found) => Choice::Open(found.clone(), Origin::Sample),
        None => Choice::SampleMissing(candidates),
    }
}

/// Places the sample workbook may be, most specific first, without duplicates.
fn sample_candidates(exe: Option<&Path>, cwd: Option<&Path>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
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
        let choice = choose([os("a.tessera"), os("b.tessera")], Some(os("env.tessera")), None, None);
        assert_eq!(choice, Choice::Open(PathBuf::from("a.tessera"), Origin::Argument));
    }

    #[test]
    fn flags_are_not_workbooks() {
        let choice = choose([os("--some-flag")], Some(os("env.tessera")), None, None);
        assert_eq!(choice, Choice::Open(PathBuf::from("env.tessera"), Origin::Environment));
    }

    #[test]
    fn empty_env_is_ignored() {
        let choice = choose(
            Vec::<OsString>::new(),
            Some(os("")),
            None,
            Some(Path::new("/nowhere/x")),
        );
        assert!(matches!(choice, Choice::SampleMissing(_)));
    }

    #[test]
    fn sample_is_found_in_the_repository_of_a_target_binary() {
        let repo = tempfile::tempdir().expect("temp dir");
        let sample = repo.path().join(SAMPLE_WORKBOOK);
        std::fs::create_dir_all(sample.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&sample, b"").expect("write");
        let exe = repo.path().join("target/debug/tessera-app");
        let choice = choose(Vec::<OsString>::new(), None, Some(&exe), Some(Path::new("/")));
        assert_eq!(choice, Choice::Open(sample, Origin::Sample));
    }

    #[test]
    fn missing_sample_lists_where_it_looked() {
        let choice = choose(
            Vec::<OsString>::new(),
            None,
            Some(Path::new("/opt/t/bin/app")),
            Some(Path::new("/w/src")),
        );
        let Choice::SampleMissing(searched) = choice else {
            panic!("expected SampleMissing")
        };
        assert_eq!(
            searched,
            ["/opt/t/bin", "/opt", "/w/src", "/w"]
                .map(|d| Path::new(d).join(SAMPLE_WORKBOOK))
                .to_vec()
        );
        assert!(Choice::missing_message(&searched).contains("/w/src/sample-data/us-counties.tessera"));
    }
}
