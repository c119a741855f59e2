//! Running the `tessera` binary from the end-to-end tests: the repository's root, a run, a run that must
//! succeed. Each test binary uses what it needs of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root (sample-data/, docs/ and the shared instances next to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `tessera` with `args`, capturing its output.
pub fn tessera(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .output()
        .expect("run tessera")
}

/// Runs `tessera` with `args` and fails the test, showing its stderr and stdout, unless it succeeds.
pub fn ok(args: &[&str]) -> Output {
    let out = tessera(args);
    assert!(
        out.status.success(),
        "tessera {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

/// A path as the `&str` a command line takes.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The sample counties (units, adjacency, reps) imported into a new workbook at `wb`.
pub fn import_sample_counties(wb: &Path) {
    import_sample_counties_with(wb, &[]);
}

/// [`import_sample_counties`] with `extra` import flags (e.g. `--polygons`, the measure to balance).
pub fn import_sample_counties_with(wb: &Path, extra: &[&str]) {
    let sd = root().join("sample-data");
    let (units, adjacency, reps) = (
        sd.join("us-counties.csv"),
        sd.join("us-county-adjacency.csv"),
        sd.join("reps.csv"),
    );
    let mut args = vec![
        "import",
        "--units",
        s(&units),
        "--adjacency",
        s(&adjacency),
        "--reps",
        s(&reps),
        "--out",
        s(wb),
    ];
    args.extend_from_slice(extra);
    ok(&args);
}
