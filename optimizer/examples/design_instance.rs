//! Designs territories for one instance folder (units.csv, adjacency.csv, instance.json) and prints figures.
//!
//! usage: cargo run --release -p tessera-optimizer --example design_instance -- INSTANCE_DIR [RESTARTS] [OUT.csv] [SEED]
//! A developer's loop for the optimizer; planners use `tessera plan`.

use std::error::Error;
use std::time::Instant;

use tessera_optimizer::{
    certify, design_territories, evaluate, Adjacency, DesignParams, Measure, Plan, ProblemSpec, Progress, Units,
};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .get(1)
        .ok_or("usage: design_instance INSTANCE_DIR [RESTARTS] [OUT.csv]")?;
    let restarts: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(8);
    let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}/instance.json"))?)?;
    let p = meta["territories"].as_u64().ok_or("instance.json: territories")? as usize;

    let mut rdr = csv::Reader::from_path(format!("{dir}/units.csv"))?;
    let (mut ids, mut lon, mut lat, mut w) = (vec![], vec![], vec![], vec![]);
    for r in rdr.records() {
        let r = r?;
        ids.push(r[0].to_string());
        lon.push(r[2].parse::<f64>()?);
        lat.push(r[3].parse::<f64>()?);
        w.push(r[4].parse::<f64>()?);
    }
    let units = Units::new(
        ids,
        lon,
        lat,
        vec![Measure {
            name: "workload".into(),
            values: w.clone(),
        }],
    )?;
    let mut edges = vec![];
    for r in csv::Reader::from_path(format!("{dir}/adjacency.csv"))?.records() {
        let r = r?;
        let a = units.index_of(&r[0]).ok_or("unknown id in adjacency")?;
        let b = units.index_of(&r[1]).ok_or("unknown id in adjacency")?;
        edges.push((a as u32, b as u32));
    }
    let adj = Adjacency::from_edges(units.len(), &edges);
    let problem = ProblemSpec::new(&units, &adj, p).build()?;
    let t0 = Instant::now();
    let seed: u64 = args.get(4).map(|s| s.parse()).transpose()?.unwrap_or(0);
    let d = design_territories(
        &problem,
        &DesignParams::default().restarts(restarts).seed(seed),
        &Progress::new(),
    )?;
    let secs = t0.elapsed().as_secs_f64();
    let plan = Plan::new(d.assignment.clone(), problem.names.clone());
    let e = evaluate(&units, &adj, &plan, &w, p, &[]);
    println!(
        "{dir}: {secs:.2}s restarts {} best {} travel {:.6e} max_dev {:.4} noncontig {}",
        d.restarts_done, d.best_restart, e.travel, e.max_dev, e.n_noncontiguous
    );
    let tc = Instant::now();
    let c = certify(&problem, &d.assignment, &d.centers)?;
    println!(
        "certificate: {:.2}s bound {:.6e} gap {:.2}% exact {}",
        tc.elapsed().as_secs_f64(),
        c.lower_bound,
        100.0 * c.gap,
        c.exact
    );
    for t in e.territories.iter().filter(|t| t.deviation.abs() > 0.05 + 1e-9) {
        println!(
            "  {} load {:.0} dev {:+.4} units {} center {:?}",
            t.name, t.load, t.deviation, t.n_units, t.center_unit
        );
    }
    if let Some(out) = args.get(3) {
        let mut wtr = csv::Writer::from_path(out)?;
        wtr.write_record(["id", "territory"])?;
        for (i, id) in units.ids().iter().enumerate() {
            wtr.write_record([id.as_str(), plan.names()[plan.territory_of()[i] as usize].as_str()])?;
        }
    }
    Ok(())
}
