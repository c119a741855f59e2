//! Replays the curated seeds (`seeds/<target>/`) and every fuzz regression input
//! (`../workbook/tests/data/fuzz-regressions/<target>-*`) through the fuzz target bodies on the stable
//! toolchain, so the corpus is exercised by `cargo test` even where libFuzzer cannot run.
//! scripts/test-all.sh runs it (`cargo test --manifest-path fuzz/Cargo.toml`), one test per target, so its
//! counts reach the closing line. A panic in a target body fails the test and names the file; so does an input
//! slower than libFuzzer's `-timeout` of the recorded runs.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Target = fn(&[u8]);

/// Every fuzz target (a file in `fuzz_targets/`, a folder in `seeds/`) and its body in `src/lib.rs`.
const TARGETS: [(&str, Target); 6] = [
    ("units_csv", tessera_fuzz::units_csv),
    ("reps_csv", tessera_fuzz::reps_csv),
    ("plan_csv", tessera_fuzz::plan_csv),
    ("adjacency_csv", tessera_fuzz::adjacency_csv),
    ("polygons_geojson", tessera_fuzz::polygons_geojson),
    ("open_workbook", tessera_fuzz::open_workbook),
];

/// Longest one input may take: the `-timeout=10` of the recorded libFuzzer runs (RELIABILITY.md §1).
const INPUT_LIMIT: Duration = Duration::from_secs(10);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    v.sort();
    v
}

/// Names of the entries of `dir` (file stems for files), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Replays every seed and regression input of `name` through its body; returns how many ran.
fn replay(name: &str) -> usize {
    let (_, body) = TARGETS.iter().find(|(n, _)| *n == name).unwrap();
    let seeds = files(&root().join("seeds").join(name), "");
    assert!(!seeds.is_empty(), "no seeds for {name}");
    let regressions = files(
        &root().join("../workbook/tests/data/fuzz-regressions"),
        &format!("{name}-"),
    );
    for file in seeds.iter().chain(&regressions) {
        let bytes = std::fs::read(file).unwrap();
        let started = Instant::now();
        let r = std::panic::catch_unwind(|| body(&bytes));
        assert!(r.is_ok(), "{name} panicked on {}", file.display());
        let took = started.elapsed();
        assert!(took <= INPUT_LIMIT, "{name} took {took:?} on {}", file.display());
    }
    eprintln!(
        "{name}: replayed {} seeds and {} regression inputs",
        seeds.len(),
        regressions.len()
    );
    seeds.len() + regressions.len()
}

#[test]
fn every_target_and_seed_folder_is_replayed() {
    let listed: Vec<String> = {
        let mut v: Vec<String> = TARGETS.iter().map(|(n, _)| n.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(
        names(&root().join("fuzz_targets")),
        listed,
        "fuzz_targets/ vs the replayed targets"
    );
    assert_eq!(names(&root().join("seeds")), listed, "seeds/ vs the replayed targets");
}

#[test]
fn units_csv_seeds_replay_without_panicking() {
    replay("units_csv");
}

#[test]
fn reps_csv_seeds_replay_without_panicking() {
    replay("reps_csv");
}

#[test]
fn plan_csv_seeds_replay_without_panicking() {
    replay("plan_csv");
}

#[test]
fn adjacency_csv_seeds_replay_without_panicking() {
    replay("adjacency_csv");
}

#[test]
fn polygons_geojson_seeds_replay_without_panicking() {
    replay("polygons_geojson");
}

#[test]
fn open_workbook_seeds_replay_without_panicking() {
    replay("open_workbook");
}
