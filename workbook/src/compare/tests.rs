use tessera_optimizer::{Adjacency, Measure, Plan, Rep, Units};

use super::*;
use crate::export::Cell;
use crate::AdjacencySource;

/// Four units in a row a-b-c-d, workload 1, 2, 3, 4 and accounts 10, 20, 30, 40; reps R1 (west) and R2 (east).
fn row() -> Dataset {
    let units = Units::new(
        ["a", "b", "c", "d"].map(String::from).to_vec(),
        vec![0.0, 0.1, 0.2, 0.3],
        vec![0.0; 4],
        vec![
            Measure {
                name: "workload".into(),
                values: vec![1.0, 2.0, 3.0, 4.0],
            },
            Measure {
                name: "accounts".into(),
                values: vec![10.0, 20.0, 30.0, 40.0],
            },
        ],
    )
    .expect("units");
    let rep = |id: &str, name: &str, lon: f64| Rep {
        id: id.into(),
        name: name.into(),
        lon,
        lat: 0.0,
        capacity: 1.0,
    };
    Dataset {
        units,
        adjacency: Adjacency::from_edges(4, &[(0, 1), (1, 2), (2, 3)]),
        adjacency_source: AdjacencySource::File,
        bridged: vec![],
        polygons: None,
        reps: vec![rep("R1", "Ann", 0.0), rep("R2", "Bob", 0.3)],
        current: None,
    }
}

#[test]
fn summary_territories_and_moves_follow_the_units_that_changed() {
    let ds = row();
    let before = Plan::new(vec![0, 0, 1, 1], vec!["R1".into(), "R2".into()]);
    // The same territories numbered the other way round; c moves from R2 to R1.
    let after = Plan::new(vec![1, 1, 1, 0], vec!["R2".into(), "R1".into()]);
    let c = Comparison::new(
        &ds,
        &[
            Side {
                name: "current",
                plan: &before,
            },
            Side {
                name: "balanced",
                plan: &after,
            },
        ],
        "workload",
    )
    .expect("compare");
    assert_eq!(c.measures, ["workload", "accounts"]);
    let (base, other) = (&c.scenarios[0], &c.scenarios[1]);
    assert_eq!(base.units_moved, 0);
    assert!(base.changed_territories.is_empty());
    assert_eq!(other.units_moved, 1);
    assert_eq!(other.moved, [3.0, 30.0]);
    assert_eq!(other.changed_territories, ["R1", "R2"]);
    // Loads: before 3 / 7 (target 5: max dev 0.4); after 6 / 4 (0.2).
    assert!((base.max_dev - 0.4).abs() < 1e-12, "{}", base.max_dev);
    assert!((other.max_dev - 0.2).abs() < 1e-12, "{}", other.max_dev);

    let r1 = c.territories.iter().find(|t| t.territory == "R1").expect("R1");
    assert_eq!(r1.rep.as_deref(), Some("Ann"));
    assert_eq!((r1.units.before, r1.units.after), (Some(2.0), Some(3.0)));
    assert_eq!(
        (r1.loads[0].before, r1.loads[0].after, r1.loads[0].diff()),
        (Some(3.0), Some(6.0), 3.0)
    );
    assert_eq!(r1.loads[1].diff(), 30.0);
    assert_eq!((r1.gained, r1.lost), (1, 0));
    let r2 = c.territories.iter().find(|t| t.territory == "R2").expect("R2");
    assert_eq!((r2.gained, r2.lost), (0, 1));
    assert_eq!(r2.loads[0].diff(), -3.0);

    assert_eq!(c.moves.len(), 1);
    let m = &c.moves[0];
    assert_eq!((m.unit.as_str(), m.from.as_str(), m.to.as_str()), ("c", "R2", "R1"));
    assert_eq!((m.from_rep.as_deref(), m.to_rep.as_deref()), (Some("Bob"), Some("Ann")));
    assert_eq!(m.values, [3.0, 30.0]);

    // The tables carry the same numbers.
    let t = c.territory_table();
    let col = |h: &str| t.headers.iter().position(|x| x == h).expect(h);
    let r1_row = t.rows.iter().find(|r| r[1] == Cell::from("R1")).expect("row");
    assert_eq!(r1_row[col("workload_diff")], Cell::Number(3.0));
    assert_eq!(r1_row[col("accounts_after")], Cell::Number(60.0));
    let s = c.summary_table();
    assert_eq!(
        s.rows[1][s.headers.iter().position(|h| h == "units_moved").expect("col")],
        Cell::Number(1.0)
    );
}

#[test]
fn a_territory_in_one_scenario_only_has_an_empty_side() {
    let ds = row();
    let before = Plan::new(vec![0, 0, 1, 1], vec!["West".into(), "East".into()]);
    let after = Plan::new(vec![0, 0, 0, 0], vec!["All".into()]);
    let c = Comparison::new(
        &ds,
        &[
            Side {
                name: "a",
                plan: &before,
            },
            Side {
                name: "b",
                plan: &after,
            },
        ],
        "workload",
    )
    .expect("compare");
    let all = c.territories.iter().find(|t| t.territory == "All").expect("All");
    assert_eq!(all.units.before, None);
    assert_eq!(all.units.after, Some(4.0));
    assert_eq!(all.loads[0].diff(), 10.0);
    assert_eq!(c.scenarios[1].units_moved, 4);
    assert_eq!(c.scenarios[1].changed_territories, ["All", "East", "West"]);
}

#[test]
fn refuses_bad_requests_with_the_reason() {
    let ds = row();
    let p = Plan::new(vec![0, 0, 1, 1], vec!["R1".into(), "R2".into()]);
    let side = |name| Side { name, plan: &p };
    assert_eq!(
        Comparison::new(&ds, &[side("a")], "workload"),
        Err(CompareError::Count(1))
    );
    assert_eq!(
        Comparison::new(&ds, &[side("a"), side("a")], "workload"),
        Err(CompareError::Duplicate("a".into()))
    );
    let err = Comparison::new(&ds, &[side("a"), side("b")], "potential").expect_err("no such measure");
    assert!(err.to_string().contains("workload, accounts"), "{err}");
    let short = Plan::new(vec![0], vec!["R1".into()]);
    assert!(matches!(
        Comparison::new(
            &ds,
            &[
                side("a"),
                Side {
                    name: "s",
                    plan: &short
                }
            ],
            "workload"
        ),
        Err(CompareError::PlanSize { plan: 1, units: 4, .. })
    ));
}
