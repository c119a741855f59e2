//! RELIABILITY.md's claims about the tests hold: every test its tables cite exists, and the seed count it
//! states for the fuzz replay is the number of seed files. A renamed or deleted test, or a corpus that grew
//! or shrank without the page, fails here instead of leaving the page claiming a check nobody runs.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn reliability_md() -> String {
    std::fs::read_to_string(root().join("RELIABILITY.md")).expect("RELIABILITY.md")
}

/// The backticked names in the `test` column of every Markdown table of `page` whose header names one.
fn cited_tests(page: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut column: Option<usize> = None;
    for line in page.lines() {
        let line = line.trim();
        if !line.starts_with('|') {
            column = None;
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        match column {
            None => column = cells.iter().position(|c| *c == "test"),
            Some(k) => {
                let Some(cell) = cells.get(k) else { continue };
                // Code spans in the cell: `name`, `module::name`; prose in parentheses around them is skipped.
                for (n, span) in cell.split('`').enumerate() {
                    let is_name = !span.is_empty()
                        && span
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == ':');
                    if n % 2 == 1 && is_name {
                        names.push(span.rsplit("::").next().unwrap_or(span).to_string());
                    }
                }
            }
        }
    }
    names
}

/// Every `.rs` file of the repository's code (not build output or node modules).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !matches!(name, "target" | "node_modules" | "gen" | ".git") && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_test_column_parser_reads_names_and_module_paths() {
    let page = "\
| case | test | outcome |
|---|---|---|
| a | `one_name`, `table::two_names` (proptest) | ok |
| b | `three` (tests/cli.rs; `cargo test -p x --test cli killing`) | ok |

| a | b |
|---|---|
| `not_a_test` | x |
";
    assert_eq!(cited_tests(page), ["one_name", "two_names", "three"]);
}

#[test]
fn every_test_reliability_md_cites_exists() {
    let cited = cited_tests(&reliability_md());
    assert!(
        cited.len() >= 40,
        "found only {} cited tests: has the page's layout changed?",
        cited.len()
    );
    let mut sources = String::new();
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    for file in files {
        sources.push_str(&std::fs::read_to_string(&file).expect("read source"));
        sources.push('\n');
    }
    let missing: Vec<&String> = cited
        .iter()
        .filter(|name| !sources.contains(&format!("fn {name}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "RELIABILITY.md cites tests that do not exist: {missing:?}"
    );
}

#[test]
fn the_fuzz_seed_count_reliability_md_states_is_the_number_of_seed_files() {
    let page = reliability_md();
    let stated: usize = page
        .split("with all ")
        .nth(1)
        .and_then(|rest| rest.split(" seeds").next())
        .and_then(|n| n.trim().parse().ok())
        .expect("RELIABILITY.md states the replay ran \"with all N seeds\"");
    let seeds = root().join("fuzz/seeds");
    let mut count = 0;
    for target in std::fs::read_dir(&seeds).expect("fuzz/seeds") {
        count += std::fs::read_dir(target.expect("entry").path())
            .expect("a seed folder")
            .count();
    }
    assert_eq!(stated, count, "fuzz/seeds holds {count} files");
}
