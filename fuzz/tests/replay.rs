//! Replays the curated seeds (`seeds/<target>/`) and every fuzz regression input
//! (`../workbook/tests/data/fuzz-regressions/<target>-*`) through the fuzz target bodies on the stable
//! toolchain, so the corpus is exercised by `cargo test` even where libFuzzer cannot run.
//! A panic in a target body fails the test and names the file.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 6] = [
    ("units_csv", tessera_fuzz::units_csv),
    ("reps_csv", tessera_fuzz::reps_csv),
    ("plan_csv", tessera_fuzz::plan_csv),
    ("adjacency_csv", tessera_fuzz::adjacency_csv),
    ("polygons_geojson", tessera_fuzz::polygons_geojson),
    ("open_workbook", tessera_fuzz::open_workbook),
];

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

#[test]
fn every_seed_and_regression_input_runs_without_panicking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut total = 0;
    for (name, body) in TARGETS {
        let seeds = files(&root.join("seeds").join(name), "");
        assert!(!seeds.is_empty(), "no seeds for {name}");
        let regressions = files(
            &root.join("../workbook/tests/data/fuzz-regressions"),
            &format!("{name}-"),
        );
        for file in seeds.iter().chain(&regressions) {
            let bytes = std::fs::read(file).unwrap();
            let r = std::panic::catch_unwind(|| body(&bytes));
            assert!(r.is_ok(), "{name} panicked on {}", file.display());
            total += 1;
        }
    }
    eprintln!("replayed {total} inputs");
}
