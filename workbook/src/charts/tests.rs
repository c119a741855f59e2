use super::*;

fn font() -> bool {
    match load_font(None) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("note: no system font, chart test checks nothing: {e}");
            false
        }
    }
}

#[test]
fn the_load_chart_marks_territories_outside_the_band() {
    if !font() {
        return;
    }
    let bar = |t: &str, load| LoadBar {
        territory: t.into(),
        load,
        target: 100.0,
    };
    let chart = Chart::Load {
        title: "load".into(),
        bars: vec![bar("a", 100.0), bar("b", 130.0), bar("c", 97.0)],
        tolerance: 0.05,
        measure: "workload".into(),
    };
    let svg = chart.svg().expect("svg");
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    // One bar outside the band (b) in red, two inside.
    assert_eq!(svg.matches("#E4574F").count(), 1, "{svg}");
    assert!(svg.contains("target ±5%"));
    let dir = tempfile::tempdir().expect("temp");
    let png = dir.path().join("load.png");
    chart.png(&png).expect("png");
    let bytes = std::fs::read(&png).expect("read");
    assert_eq!(&bytes[1..4], b"PNG");
}

#[test]
fn the_other_charts_draw_every_item() {
    if !font() {
        return;
    }
    let devs = Chart::Deviations {
        title: "d".into(),
        deviations: vec![-0.02, 0.01, 0.3],
        tolerance: 0.05,
    };
    assert!(
        devs.svg().expect("svg").contains("#E4574F"),
        "the 30% territory is out of the band"
    );
    let tb = Chart::TravelBalance {
        title: "t".into(),
        points: vec![
            ScenarioPoint {
                scenario: "current".into(),
                max_dev: 2.1,
                travel: 4.1e10,
            },
            ScenarioPoint {
                scenario: "balanced".into(),
                max_dev: 0.05,
                travel: 8.6e10,
            },
        ],
        front: vec![],
        travel_unit: "workload·km".into(),
    };
    let svg = tb.svg().expect("svg");
    assert!(svg.contains("\ncurrent\n") && svg.contains("\nbalanced\n"), "{svg}");
    assert!(svg.contains("bn workload·km"));
    assert!(!svg.contains("trade-off front"), "no front given, none drawn");
    assert!(!svg.contains("#984EA3"));

    // With a front: its plans as dots in the front's colour, one each, and the legend naming it.
    let Chart::TravelBalance { points, .. } = tb else {
        unreachable!()
    };
    let with_front = Chart::TravelBalance {
        title: "t".into(),
        points,
        front: vec![
            FrontPoint {
                max_dev: 0.9,
                travel: 4.2e10,
            },
            FrontPoint {
                max_dev: 0.1,
                travel: 6.0e10,
            },
            FrontPoint {
                max_dev: 0.04,
                travel: 9.5e10,
            },
        ],
        travel_unit: "workload·km".into(),
    };
    let svg = with_front.svg().expect("svg");
    assert!(svg.contains("trade-off front (3 plans)"), "{svg}");
    // Three dots, the legend's marker, and the joining line.
    assert!(svg.matches("#984EA3").count() >= 5, "{svg}");
}
