//! Solves the transport-zips-491 min-cost-flow instance with Tessera's network simplex and prints JSON:
//! `{"cost": …, "solve_seconds": …}` where solve_seconds is the best of 3 solves, parsing excluded.
//!
//! `cargo run -p tessera-optimizer --release --example solve_transport [INSTANCE_DIR] [REPEATS]`
//! (the default folder is ../shared/instances/transport-zips-491). bench/flow/run.sh runs it beside OR-Tools.
//!
//! `… --example solve_transport -- --random UNITS CENTRES [SEED] [REPEATS]` solves a seeded random instance
//! (k = 8 nearest centres plus an escape sink) through `flow::transportation` instead.
//!
//! `… --example solve_transport -- --write-random DIR UNITS CENTRES [SEED]` writes a seeded random instance
//! in the transport-zips-491 CSV format (escape arcs left to the loader), so that OR-Tools can solve the very
//! same network (bench/flow/run.sh does).

#[path = "../../bench/flow/transport_instance.rs"]
mod transport_instance;

use std::time::Instant;
use transport_instance::{default_dir, TransportInstance};

fn random(mut args: impl Iterator<Item = String>) {
    let mut num = |default: u64| args.next().and_then(|a| a.parse().ok()).unwrap_or(default);
    let (units, centres, seed, repeats) = (num(30_000) as usize, num(491) as usize, num(42), num(3).max(1));
    let (supplies, capacities, arcs) = transport_instance::random(units, centres, 8, seed);
    let mut best = f64::INFINITY;
    let mut cost = 0;
    for _ in 0..repeats {
        let t0 = Instant::now();
        match tessera_optimizer::flow::transportation(&supplies, &capacities, &arcs) {
            Ok(sol) => cost = sol.cost,
            Err(e) => {
                eprintln!("solve failed: {e}");
                std::process::exit(1);
            }
        }
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{{\"solver\": \"tessera transportation\", \"units\": {units}, \"centres\": {centres}, \"seed\": {seed}, \
         \"cost\": {cost}, \"solve_seconds\": {best:.4}}}"
    );
}

fn write_random(mut args: impl Iterator<Item = String>) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "bench/out/flow/random".into()));
    let mut num = |default: u64| args.next().and_then(|a| a.parse().ok()).unwrap_or(default);
    let (units, centres, seed) = (num(30_000) as usize, num(491) as usize, num(42));
    let (supplies, capacities, arcs) = transport_instance::random(units, centres, 8, seed);
    std::fs::create_dir_all(&dir)?;
    let mut s = String::from("unit,id,supply\n");
    for (i, b) in supplies.iter().enumerate() {
        let _ = writeln!(s, "{i},u{i},{b}");
    }
    std::fs::write(dir.join("supplies.csv"), s)?;
    // The generator's last sink is its own escape; the CSV network gets the README's escape hub instead.
    let mut s = String::from("center,unit_id,capacity\n");
    for (c, cap) in capacities[..centres].iter().enumerate() {
        let _ = writeln!(s, "{c},c{c},{cap}");
    }
    std::fs::write(dir.join("centers.csv"), s)?;
    let mut s = String::from("unit,center,cost\n");
    for &(i, c, w) in arcs.iter().filter(|a| a.1 < centres) {
        let _ = writeln!(s, "{i},{c},{w}");
    }
    std::fs::write(dir.join("arcs.csv"), s)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--random") {
        args.next();
        return random(args);
    }
    if args.peek().map(String::as_str) == Some("--write-random") {
        args.next();
        if let Err(e) = write_random(args) {
            eprintln!("{e}");
            std::process::exit(2);
        }
        return;
    }
    let dir = args.next().map(Into::into).unwrap_or_else(default_dir);
    let repeats: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let inst = match TransportInstance::load(&dir) {
        Ok(Some(inst)) => inst,
        Ok(None) => {
            eprintln!("no instance at {}", dir.display());
            std::process::exit(2);
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let net = inst.network();
    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..repeats {
        let t0 = Instant::now();
        let sol = net.solve();
        best = best.min(t0.elapsed().as_secs_f64());
        result = Some(sol);
    }
    match result {
        Some(Ok(sol)) => println!(
            "{{\"solver\": \"tessera network simplex\", \"nodes\": {}, \"arcs\": {}, \"cost\": {}, \"pivots\": {}, \
             \"solve_seconds\": {:.4}}}",
            net.node_count(),
            net.arc_count(),
            sol.cost,
            sol.pivots(),
            best
        ),
        Some(Err(e)) => {
            eprintln!("solve failed: {e}");
            std::process::exit(1);
        }
        None => unreachable!("at least one repeat"),
    }
}
