//! Security checks of what Tessera ships: the CLI works with no network at all and makes no socket calls, no
//! shipped crate has a network code path, the desktop shell's CSP admits only its own origin, and an export
//! never writes outside the path the planner named (whatever the scenario is called).
//!
//! The namespace and strace tests need `unshare` (user + network namespaces) and `strace`; where the machine
//! refuses them they say so on stderr and pass when run by hand, and fail under `TESSERA_STRICT=1`, which
//! scripts/test-all.sh sets (support/needs.rs). The source and configuration checks run everywhere.
//! RELIABILITY.md lists how to rerun each.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/needs.rs"]
mod needs;

use tessera_workbook::{Scenario, Workbook};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn sample(name: &str) -> String {
    root()
        .join("sample-data")
        .join(name)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn assert_ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `tessera import` then `tessera plan` on the sample data, then `tessera export` of the imported workbook,
/// each prefixed by `wrap(subcommand)` (a command that runs the rest of its arguments; empty: none). Returns
/// each subcommand's name and output.
fn import_plan_export(dir: &Path, wrap: &dyn Fn(&str) -> Vec<String>) -> Vec<(String, Output)> {
    let workbook = dir.join("us.tessera");
    let plan = dir.join("plan.csv");
    let export = dir.join("current.geojson");
    let (units, adjacency, reps) = (
        sample("us-counties.csv"),
        sample("us-county-adjacency.csv"),
        sample("reps.csv"),
    );
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "import",
            "--units",
            &units,
            "--adjacency",
            &adjacency,
            "--reps",
            &reps,
            "--out",
            s(&workbook),
        ],
        vec![
            "plan",
            "--units",
            &units,
            "--adjacency",
            &adjacency,
            "--reps",
            &reps,
            "--out",
            s(&plan),
            "--restarts",
            "1",
            "--time-limit",
            "5",
            "--threads",
            "1",
        ],
        vec!["export", s(&workbook), "--scenario", "current", "--out", s(&export)],
    ];
    runs.into_iter()
        .map(|args| {
            let wrapper = wrap(args[0]);
            let mut cmd = match wrapper.split_first() {
                Some((program, rest)) => {
                    let mut cmd = Command::new(program);
                    cmd.args(rest).arg(env!("CARGO_BIN_EXE_tessera"));
                    cmd
                }
                None => Command::new(env!("CARGO_BIN_EXE_tessera")),
            };
            let out = cmd.args(&args).output().expect("run tessera");
            (args[0].to_string(), out)
        })
        .collect()
}

// ---------------------------------------------------------------- no network at run time

#[test]
fn cli_import_plan_and_export_succeed_in_a_network_namespace_without_interfaces() {
    if !needs::runs(
        "unshare",
        &["-rn", "true"],
        "user and network namespaces for the no-network check",
    ) {
        return;
    }
    // The namespace really has no way out: only the loopback interface, which is down.
    let dev = Command::new("unshare")
        .args(["-rn", "cat", "/proc/net/dev"])
        .output()
        .expect("unshare cat");
    let text = String::from_utf8_lossy(&dev.stdout);
    let interfaces: Vec<&str> = text
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(interfaces, ["lo"], "the namespace has other interfaces:\n{text}");
    let routes = Command::new("unshare")
        .args(["-rn", "cat", "/proc/net/route"])
        .output()
        .expect("unshare cat");
    let routes = String::from_utf8_lossy(&routes.stdout);
    assert_eq!(routes.lines().skip(1).count(), 0, "the namespace has routes:\n{routes}");

    let dir = tempfile::tempdir().expect("tempdir");
    let outputs = import_plan_export(dir.path(), &|_| vec!["unshare".into(), "-rn".into()]);
    for (what, out) in &outputs {
        assert_ok(&format!("tessera {what}"), out);
    }
    assert_eq!(outputs.len(), 3, "import, plan and export all ran");
    let plan = std::fs::read_to_string(dir.path().join("plan.csv")).expect("plan written");
    assert_eq!(plan.lines().count(), 3108 + 1, "one row per county plus the header");
    let wb = Workbook::open_read_only(dir.path().join("us.tessera")).expect("workbook reopens");
    assert_eq!(wb.dataset().expect("dataset").units.len(), 3108);
    let geojson = std::fs::read_to_string(dir.path().join("current.geojson")).expect("export written");
    assert!(geojson.contains("FeatureCollection"));
}

/// The system calls that reach a network, traced with `execve` so each trace shows whose it is.
const NETWORK_CALLS: &str = "socket,socketpair,connect,bind,listen,accept,accept4,sendto,sendmsg,recvfrom";

/// Runs `program args` under `strace -f`, tracing [`NETWORK_CALLS`] and `execve` into `trace`.
fn strace_args(trace: &Path) -> Vec<String> {
    // -s: strings in full, so the execve line names the program and subcommand.
    ["strace", "-f", "-qq", "-s", "4096", "-e"]
        .into_iter()
        .map(String::from)
        .chain([format!("trace=execve,{NETWORK_CALLS}"), "-o".into(), s(trace).into()])
        .collect()
}

/// The lines of an strace log (`-f`: each starts with a process id) that are not `execve`: the network calls.
fn network_calls(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .filter(|line| {
            let call = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
            !call.starts_with("execve(") && !call.trim().is_empty()
        })
        .collect()
}

#[test]
fn cli_import_plan_and_export_make_no_socket_system_call() {
    if !needs::runs(
        "strace",
        &["-f", "-qq", "-o", "/dev/null", "true"],
        "strace (ptrace) for the system-call check",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // The check does catch a socket: a control run on bash opening a TCP connection (refused, as nothing
    // listens on port 9), so an empty list below means "no call", not "strace saw nothing".
    let control = dir.path().join("trace-control");
    let out = Command::new("strace")
        .args(&strace_args(&control)[1..])
        .args(["bash", "-c", "(echo >/dev/tcp/127.0.0.1/9) 2>/dev/null; true"])
        .output()
        .expect("strace bash");
    assert_ok("strace bash", &out);
    let text = std::fs::read_to_string(&control).expect("control trace");
    let calls = network_calls(&text);
    assert!(
        calls.iter().any(|c| c.contains("socket(AF_INET")),
        "the check missed a socket: {text}"
    );

    // Each command into its own trace file, each checked: it traced that command, and no network call.
    let trace = |what: &str| dir.path().join(format!("trace-{what}"));
    let outputs = import_plan_export(dir.path(), &|what| strace_args(&trace(what)));
    let names: Vec<&str> = outputs.iter().map(|(what, _)| what.as_str()).collect();
    assert_eq!(names, ["import", "plan", "export"]);
    for (what, out) in &outputs {
        assert_ok(&format!("strace tessera {what}"), out);
        let text = std::fs::read_to_string(trace(what)).unwrap_or_else(|e| panic!("trace of {what}: {e}"));
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains("execve(")
                && first.contains(env!("CARGO_BIN_EXE_tessera"))
                && first.contains(&format!("\"{what}\"")),
            "the trace of {what} does not start with its execve: {first}"
        );
        let calls = network_calls(&text);
        assert!(
            calls.is_empty(),
            "tessera {what} made network calls:\n{}",
            calls.join("\n")
        );
    }
}

// ---------------------------------------------------------------- no network in the code

/// The source folders that ship: the libraries, the CLI and the desktop shell's Rust side.
const SHIPPED: [&str; 4] = ["optimizer", "workbook", "cli", "src-tauri/src"];

/// Network APIs of std, tokio and the usual HTTP / socket crates.
const NETWORK_APIS: [&str; 20] = [
    "std::net",
    "core::net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "UnixStream",
    "ToSocketAddrs",
    "tokio::net",
    "async_std::net",
    "reqwest",
    "hyper::",
    "ureq",
    "isahc",
    "surf::",
    "curl::",
    "attohttpc",
    "tungstenite",
    "websocket",
    "tauri_plugin_http",
    "tauri_plugin_shell",
];

/// Crates that open connections; none may be a direct dependency of a shipped crate.
const NETWORK_CRATES: [&str; 14] = [
    "reqwest",
    "hyper",
    "ureq",
    "isahc",
    "surf",
    "curl",
    "attohttpc",
    "tungstenite",
    "tokio-tungstenite",
    "websocket",
    "socket2",
    "tauri-plugin-http",
    "tauri-plugin-shell",
    "tauri-plugin-updater",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if name != "target" && name != "gen" && name != "node_modules" {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn shipped_code_uses_no_network_api() {
    let mut files = Vec::new();
    for dir in SHIPPED {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} Rust files: wrong root?", files.len());
    let mut hits = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            for api in NETWORK_APIS {
                if line.contains(api) {
                    hits.push(format!("{}:{}: {api}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(hits.is_empty(), "network APIs in shipped code:\n{}", hits.join("\n"));
}

#[test]
fn shipped_crates_depend_on_no_network_crate() {
    for dir in ["optimizer", "workbook", "cli", "src-tauri"] {
        let manifest = std::fs::read_to_string(root().join(dir).join("Cargo.toml")).expect("read manifest");
        let mut section = String::new();
        for line in manifest.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.to_string();
                continue;
            }
            if !section.contains("dependencies") {
                continue;
            }
            let name = line.split(['=', '.', ' ']).next().unwrap_or_default();
            assert!(
                !NETWORK_CRATES.contains(&name),
                "{dir}/Cargo.toml {section} depends on the network crate {name}"
            );
        }
    }
}

// ---------------------------------------------------------------- the desktop shell's configuration

/// Sources a CSP directive may list: the app's own origin, inline data and blobs it made, and Tauri's IPC
/// (`ipc:`, and `http://ipc.localhost` where the webview lacks custom schemes): nothing remote.
const LOCAL_SOURCES: [&str; 6] = ["'self'", "'none'", "data:", "blob:", "ipc:", "http://ipc.localhost"];

fn tauri_conf() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("src-tauri/tauri.conf.json")).expect("read tauri.conf.json");
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

/// The CSP as (directive, sources); Tauri accepts it as one string or as an object of directives.
fn csp_directives(csp: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    match csp {
        serde_json::Value::String(text) => text
            .split(';')
            .filter(|d| !d.trim().is_empty())
            .map(|d| {
                let mut words = d.split_whitespace().map(str::to_string);
                let name = words.next().unwrap_or_default();
                (name, words.collect())
            })
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(name, v)| {
                let sources = match v {
                    serde_json::Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
                    serde_json::Value::Array(a) => a.iter().filter_map(|s| s.as_str()).map(str::to_string).collect(),
                    other => panic!("CSP directive {name} is {other}"),
                };
                (name.clone(), sources)
            })
            .collect(),
        other => panic!("the CSP must be set, found {other}"),
    }
}

/// Every `directive source` of the CSP whose source is not in [`LOCAL_SOURCES`].
fn non_local_sources(directives: &[(String, Vec<String>)]) -> Vec<String> {
    directives
        .iter()
        .flat_map(|(name, sources)| {
            sources
                .iter()
                .filter(|s| !LOCAL_SOURCES.contains(&s.as_str()))
                .map(move |s| format!("{name} {s}"))
        })
        .collect()
}

#[test]
fn a_remote_origin_or_wildcard_in_a_csp_is_caught() {
    let csp = serde_json::json!("default-src 'self'; connect-src 'self' https://tiles.example.com; img-src *");
    assert_eq!(
        non_local_sources(&csp_directives(&csp)),
        ["connect-src https://tiles.example.com", "img-src *"]
    );
    let csp = serde_json::json!({"default-src": "'self'", "script-src": "'self' 'unsafe-eval'"});
    assert_eq!(non_local_sources(&csp_directives(&csp)), ["script-src 'unsafe-eval'"]);
}

#[test]
fn desktop_csp_defaults_to_self_and_names_no_remote_origin() {
    let conf = tauri_conf();
    let security = &conf["app"]["security"];
    let directives = csp_directives(&security["csp"]);
    let default = directives
        .iter()
        .find(|(n, _)| n == "default-src")
        .expect("a default-src directive");
    assert_eq!(default.1, ["'self'"], "default-src must be 'self' alone");
    let remote = non_local_sources(&directives);
    assert!(
        remote.is_empty(),
        "the CSP admits sources that are not local: {remote:?}"
    );
    for (name, must_be) in [("object-src", "'none'"), ("base-uri", "'none'")] {
        if let Some((_, sources)) = directives.iter().find(|(n, _)| n == name) {
            assert_eq!(sources, &[must_be.to_string()], "{name}");
        }
    }
    // The CSP is not switched off for development builds, and no remote page may reach the IPC.
    assert!(security.get("devCsp").is_none_or(|v| !v.is_null()), "devCsp is null");
    assert!(security
        .get("dangerousDisableAssetCspModification")
        .is_none_or(|v| v == false));
    assert!(security.get("dangerousRemoteDomainIpcAccess").is_none());
}

#[test]
fn desktop_windows_load_only_the_bundled_ui() {
    let conf = tauri_conf();
    let dist = conf["build"]["frontendDist"].as_str().expect("frontendDist is a path");
    assert!(!dist.contains("://"), "frontendDist {dist} is a URL");
    if let Some(dev) = conf["build"]["devUrl"].as_str() {
        assert!(
            dev.starts_with("http://localhost") || dev.starts_with("http://127.0.0.1"),
            "devUrl {dev} is remote"
        );
    }
    for window in conf["app"]["windows"].as_array().expect("windows") {
        if let Some(url) = window["url"].as_str() {
            assert!(!url.contains("://"), "window {} loads {url}", window["label"]);
        }
    }
}

#[test]
fn desktop_capabilities_grant_no_shell_file_system_or_remote_access() {
    let dir = root().join("src-tauri/capabilities");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("capabilities folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        seen += 1;
        let cap: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read capability")).expect("JSON");
        assert!(
            cap.get("remote").is_none(),
            "{} lets remote pages call the app",
            path.display()
        );
        for permission in cap["permissions"].as_array().expect("permissions") {
            let id = permission
                .as_str()
                .or_else(|| permission["identifier"].as_str())
                .expect("permission id");
            for plugin in ["shell:", "fs:", "http:", "opener:", "process:", "updater:"] {
                assert!(!id.starts_with(plugin), "{} grants {id}", path.display());
            }
        }
    }
    assert!(seen > 0, "no capability file in {}", dir.display());
}

// ---------------------------------------------------------------- exports stay where the planner said

/// A workbook of the sample counties with one more scenario whose name is a path out of any folder.
fn workbook_with_hostile_scenario(dir: &Path, name: &str) -> PathBuf {
    let workbook = dir.join("w.tessera");
    let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["import", "--units", &sample("us-counties.csv"), "--out", s(&workbook)])
        .output()
        .expect("run tessera");
    assert_ok("tessera import", &out);
    let mut wb = Workbook::open(&workbook).expect("open");
    let plan = wb.scenario("current").expect("current scenario").plan;
    wb.save_scenario(&Scenario::new(name, plan))
        .expect("save hostile scenario");
    workbook
}

fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(tree(&path));
        }
        out.push(path);
    }
    out.sort();
    out
}

#[test]
fn export_of_a_scenario_named_like_a_path_writes_only_the_named_file() {
    let root_dir = tempfile::tempdir().expect("tempdir");
    let work = root_dir.path().join("work");
    let chosen = root_dir.path().join("chosen");
    std::fs::create_dir_all(&work).expect("mkdir");
    std::fs::create_dir_all(&chosen).expect("mkdir");
    let hostile = "../../escaped/evil.csv";
    let workbook = workbook_with_hostile_scenario(&work, hostile);
    let before = tree(root_dir.path());
    for ext in ["csv", "geojson", "json"] {
        let target = chosen.join(format!("plan.{ext}"));
        let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
            .current_dir(&chosen)
            .args(["export", s(&workbook), "--scenario", hostile, "--out", s(&target)])
            .output()
            .expect("run tessera");
        assert_ok("tessera export", &out);
        assert!(target.is_file(), "{} not written", target.display());
    }
    let mut after = tree(root_dir.path());
    after.retain(|p| !before.contains(p));
    let expected: Vec<PathBuf> = ["csv", "geojson", "json"]
        .iter()
        .map(|e| chosen.join(format!("plan.{e}")))
        .collect();
    let mut expected = expected;
    expected.sort();
    // Only the three named files are new: no file named after the scenario, no leftover temporary file.
    assert_eq!(after, expected);
}

#[test]
fn export_to_a_relative_path_out_of_the_folder_writes_exactly_there_and_leaves_no_temporary_file() {
    let root_dir = tempfile::tempdir().expect("tempdir");
    let cwd = root_dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).expect("mkdir");
    let workbook = workbook_with_hostile_scenario(&cwd, "x");
    let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .current_dir(&cwd)
        .args(["export", s(&workbook), "--scenario", "x", "--out", "../x.csv"])
        .output()
        .expect("run tessera");
    assert_ok("tessera export --out ../x.csv", &out);
    // The planner's explicit path is honoured as written (`..` is theirs to use), and only that file appears.
    let written = std::fs::read_to_string(root_dir.path().join("x.csv")).expect("../x.csv written");
    assert!(written.starts_with("id,territory"), "{written}");
    let names: Vec<String> = std::fs::read_dir(root_dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["cwd", "x.csv"], "a temporary file was left beside the export");
}
