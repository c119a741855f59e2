//! The progress a run reports covers the whole run: the restarts and then the regional redraw of the best plan,
//! the bar only moving forward and the "best so far" only getting better.

use std::sync::{Arc, Mutex};

use tessera_optimizer::{design_territories, Adjacency, DesignParams, Measure, ProblemSpec, Progress, Units};

/// A side × side grid of units with uneven weights, rook adjacency.
fn grid(side: usize) -> (Units, Adjacency) {
    let n = side * side;
    let ids = (0..n).map(|i| format!("u{i}")).collect();
    let lon = (0..n).map(|i| (i % side) as f64 * 0.02).collect();
    let lat = (0..n).map(|i| (i / side) as f64 * 0.02).collect();
    let values = (0..n).map(|i| 1.0 + (i % 5) as f64).collect();
    let units = Units::new(
        ids,
        lon,
        lat,
        vec![Measure {
            name: "workload".into(),
            values,
        }],
    )
    .expect("unique ids");
    let mut edges = Vec::new();
    for i in 0..n as u32 {
        if (i as usize) % side + 1 < side {
            edges.push((i, i + 1));
        }
        if (i as usize) / side + 1 < side {
            edges.push((i, i + side as u32));
        }
    }
    (units, Adjacency::from_edges(n, &edges))
}

#[test]
fn the_regional_redraw_reports_progress_after_the_restarts() {
    let (units, adj) = grid(30);
    let problem = ProblemSpec::new(&units, &adj, 12).build().expect("problem");
    let seen: Arc<Mutex<Vec<(String, f64, f64)>>> = Arc::default();
    let sink = seen.clone();
    let progress = Progress::with_listener(move |r| {
        sink.lock()
            .expect("reports")
            .push((r.stage.clone(), r.fraction, r.best_travel.unwrap_or(f64::NAN)));
    });
    let d = design_territories(&problem, &DesignParams::default().restarts(4).seed(1), &progress).expect("design");
    let seen = seen.lock().expect("reports").clone();
    let first_redraw = seen
        .iter()
        .position(|r| r.0 == "regional redraw")
        .expect("the redraw reports progress");
    assert!(first_redraw > 0, "the restarts report first: {seen:?}");
    assert!(
        seen[first_redraw..].iter().all(|r| r.0 == "regional redraw"),
        "{seen:?}"
    );
    // The restarts take a share of the bar below 1, the redraw the rest; the bar never goes back.
    assert!(
        seen[first_redraw - 1].1 < 1.0,
        "the restarts leave room for the redraw: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[1].1 >= w[0].1 && w[1].1 <= 1.0), "{seen:?}");
    // The redraw only keeps regions that travel less: its best so far never exceeds the restarts' best.
    let restarts_best = seen[first_redraw - 1].2;
    assert!(
        seen[first_redraw..]
            .iter()
            .all(|r| r.2 <= restarts_best * (1.0 + 1e-12)),
        "{seen:?}"
    );
    assert!(d.travel <= restarts_best * (1.0 + 1e-12));
}
