//! The README's "A tour of the CLI" runs as written: every command of its fenced `sh` blocks, in order, in one
//! temporary folder (with `sample-data` linked in), with the `tessera` binary cargo built for this test as
//! `$T`. Each must exit 0, or the code its comment names: `# exits 3: the tolerance is not met` at the end
//! of the command's first line, or on a comment line of its own just above it (exit codes: DESIGN.md §6).
//!
//! The `cargo build` line and the `T=` assignment are not run: this test already has the binary, and sets
//! `T` itself. Anything else in the blocks runs through `sh -c`, as a planner would paste it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The heading of the section whose commands are run.
const SECTION: &str = "## A tour of the CLI";

/// Longest a single command may take (the tour's plans stop at their 30 s default time limit; a debug build
/// on a loaded machine is slower).
const COMMAND_LIMIT: Duration = Duration::from_secs(600);

/// One command of the tour: the shell text (continuation lines joined) and the exit code it must give.
#[derive(Debug, PartialEq)]
struct TourCommand {
    /// README line of the command's start (1-based).
    line: usize,
    /// The command as `sh -c` runs it, without its comment.
    text: String,
    /// Expected exit code: 0 unless a comment says `exits N`.
    exit: i32,
}

/// The expected exit code a comment states (`exits 3: why`), if any.
fn stated_exit(comment: &str) -> Option<i32> {
    let rest = comment.trim_start_matches('#').trim();
    let rest = rest.strip_prefix("exits ")?;
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    code.parse().ok()
}

/// Splits `line` into the command and its trailing comment (a `#` that starts a word outside quotes).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let (mut single, mut double) = (false, false);
    let mut previous = ' ';
    for (k, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return (&line[..k], Some(&line[k..])),
            _ => {}
        }
        previous = c;
    }
    (line, None)
}

/// The commands of `section`'s fenced `sh` blocks in `readme`, in order.
fn tour_commands(readme: &str, section: &str) -> Vec<TourCommand> {
    let mut commands = Vec::new();
    let (mut in_section, mut in_block) = (false, false);
    let mut pending_exit: Option<i32> = None;
    let mut current: Option<TourCommand> = None;
    for (k, raw) in readme.lines().enumerate() {
        if raw.starts_with("## ") {
            in_section = raw.trim() == section;
            continue;
        }
        if !in_section {
            continue;
        }
        if raw.starts_with("```") {
            in_block = raw.trim() == "```sh";
            pending_exit = None;
            continue;
        }
        if !in_block {
            continue;
        }
        let (code, comment) = split_comment(raw);
        let code = code.trim();
        if let Some(cmd) = current.as_mut() {
            // A continuation of the previous line.
            cmd.text.push(' ');
            cmd.text.push_str(code.trim_end_matches('\\').trim());
        } else if code.is_empty() {
            // A comment line (or a blank one) between commands: it may state the next command's exit code.
            pending_exit = match comment {
                Some(c) => stated_exit(c).or(pending_exit),
                None => None,
            };
            continue;
        } else {
            current = Some(TourCommand {
                line: k + 1,
                text: code.trim_end_matches('\\').trim().to_string(),
                exit: comment.and_then(stated_exit).or(pending_exit.take()).unwrap_or(0),
            });
        }
        if !code.ends_with('\\') {
            commands.extend(current.take());
        }
    }
    commands
}

/// Whether the tour leaves `cmd` out: building the binary, and naming it `T`.
fn is_setup(cmd: &TourCommand) -> bool {
    cmd.text.starts_with("cargo build") || cmd.text.starts_with("T=")
}

#[test]
fn the_tour_parser_joins_lines_strips_comments_and_reads_stated_exit_codes() {
    let readme = "\
# Tessera
```sh
not in the section
```
## A tour of the CLI
```sh
cargo build --release -p tessera-cli     # the binary
T=target/release/tessera
# A comment line.
$T import --units a.csv \\
   --out w.tessera                     # \"current\": the alignment
# exits 3: the budget cannot fix the imbalance
$T plan --units a.csv --out p.csv
$T plan --tolerance 0 --out 'p #1.csv'   # exits 3: whole units cannot meet 0%
$T scenarios w.tessera
```
Text.
## Next
```sh
$T not this
```
";
    let cmds = tour_commands(readme, SECTION);
    let got: Vec<(&str, i32)> = cmds.iter().map(|c| (c.text.as_str(), c.exit)).collect();
    assert_eq!(
        got,
        [
            ("cargo build --release -p tessera-cli", 0),
            ("T=target/release/tessera", 0),
            ("$T import --units a.csv --out w.tessera", 0),
            ("$T plan --units a.csv --out p.csv", 3),
            ("$T plan --tolerance 0 --out 'p #1.csv'", 3),
            ("$T scenarios w.tessera", 0),
        ]
    );
    assert_eq!(cmds[2].line, 10);
    assert_eq!(cmds.iter().filter(|c| is_setup(c)).count(), 2);
}

/// Runs `text` with `sh -c` in `dir`, `$T` the tessera binary; returns its exit code and output, or fails
/// after [`COMMAND_LIMIT`].
fn run(dir: &Path, text: &str) -> (Option<i32>, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(text)
        .env("T", env!("CARGO_BIN_EXE_tessera"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sh");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > COMMAND_LIMIT {
            let _ = child.kill();
            panic!("`{text}` ran past {COMMAND_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("output");
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), shown)
}

#[test]
fn every_command_of_the_readme_cli_tour_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let commands = tour_commands(&readme, SECTION);
    let runnable: Vec<&TourCommand> = commands.iter().filter(|c| !is_setup(c)).collect();
    assert!(
        runnable.iter().filter(|c| c.text.starts_with("$T ")).count() >= 5,
        "found too few tessera commands in the README's {SECTION:?}: {commands:?}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(root.join("sample-data"), dir.path().join("sample-data")).expect("link sample-data");
    for cmd in runnable {
        let started = Instant::now();
        let (code, output) = run(dir.path(), &cmd.text);
        eprintln!(
            "README.md:{}: exit {code:?} in {:.1} s: {}",
            cmd.line,
            started.elapsed().as_secs_f64(),
            cmd.text
        );
        assert_eq!(
            code,
            Some(cmd.exit),
            "README.md line {}: `{}` exited {code:?}, the README says {}:\n{output}",
            cmd.line,
            cmd.text,
            cmd.exit
        );
    }
}
