//! What a test does when this machine lacks something it needs: the shared instances beside the repository
//! (`../shared`) or a tool (`strace`, `unshare`, ...).
//!
//! Run by hand, such a test says so on stderr and passes, since it can check nothing here. Under
//! `TESSERA_STRICT=1`, which `scripts/test-all.sh` (and so CI) sets, it fails instead: a run that silently
//! checked nothing must not be counted as a pass.
//!
//! Shared by the integration tests of every crate through `#[path = ".../tests/support/needs.rs"] mod needs;`,
//! so there is one rule for every skip. Each crate is one folder below the workspace root, so
//! `CARGO_MANIFEST_DIR/..` is the root wherever this file is compiled.
#![allow(dead_code)] // each test binary uses only some of these

use std::path::{Path, PathBuf};
use std::process::Command;

/// The variable that turns a skip into a failure when it is `1`.
pub const STRICT_VAR: &str = "TESSERA_STRICT";

/// The variable that points at another copy of the shared instances (default: `../shared` beside the root).
pub const SHARED_VAR: &str = "TESSERA_SHARED_DIR";

/// Whether a missing requirement must fail the test (`TESSERA_STRICT=1`).
pub fn strict() -> bool {
    std::env::var(STRICT_VAR).is_ok_and(|v| v == "1")
}

/// Reports that `what` is missing, so the calling test cannot check anything; the caller then returns.
///
/// # Panics
/// Under `TESSERA_STRICT=1`: the test fails, naming what is missing.
#[track_caller]
pub fn absent(what: &str) {
    let message = decide(strict(), what);
    eprintln!("note: {message}");
}

/// The message of a skip, or a panic when `strict` (split out of [`absent`] so the rule is testable without
/// changing the process environment).
#[track_caller]
fn decide(strict: bool, what: &str) -> String {
    assert!(
        !strict,
        "{what}, and {STRICT_VAR}=1 says this test must run, not skip: install what is missing \
         (scripts/install-deps.sh) or lay the shared instances beside the clone (../shared)"
    );
    format!("{what}; skipping this check (it would fail under {STRICT_VAR}=1)")
}

/// The workspace root (the folder of the root `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The shared data and instances (`$TESSERA_SHARED_DIR`, else `../shared` beside the root), or `None` after
/// [`absent`] when it has no `instances` folder.
#[track_caller]
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os(SHARED_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    if dir.join("instances").is_dir() {
        Some(dir)
    } else {
        absent(&format!(
            "the shared instances ({}) are absent",
            dir.join("instances").display()
        ));
        None
    }
}

/// One instance folder of the shared data, or `None` after [`absent`].
#[track_caller]
pub fn shared_instance(name: &str) -> Option<PathBuf> {
    let dir = shared()?.join("instances").join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        absent(&format!("the shared instance {} is absent", dir.display()));
        None
    }
}

/// Whether `cmd args` runs and exits 0 here; when not, [`absent`] says so (`why` names what the test needed
/// it for, e.g. "strace (ptrace) for the system-call check").
#[track_caller]
pub fn runs(cmd: &str, args: &[&str], why: &str) -> bool {
    let works = Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success());
    if !works {
        absent(&format!("`{cmd} {}` does not work here ({why})", args.join(" ")));
    }
    works
}

#[cfg(test)]
mod rule {
    use super::decide;

    #[test]
    fn a_missing_requirement_is_a_note_outside_strict_mode() {
        assert!(decide(false, "strace is absent").starts_with("strace is absent; skipping"));
    }

    #[test]
    #[should_panic(expected = "TESSERA_STRICT=1 says this test must run")]
    fn a_missing_requirement_fails_in_strict_mode() {
        decide(true, "strace is absent");
    }
}
