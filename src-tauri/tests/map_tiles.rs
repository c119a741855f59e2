//! The `unit_tile` command on a real workbook file: the map's vector tiles of the open workbook's units.

use geo::{polygon, MultiPolygon};
use tessera_app::commands::workbook::unit_tile_bytes;
use tessera_app::{AppError, AppState};
use tessera_optimizer::{Adjacency, Measure, Units};
use tessera_workbook::{AdjacencySource, Dataset, Workbook};

/// Three one-degree squares in a row in Kansas (units 0, 1, 2 from west to east).
fn row_of_squares() -> Dataset {
    let square = |x: f64, y: f64| -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)
        ]])
    };
    let units = Units::new(
        ["a", "b", "c"].map(String::from).to_vec(),
        vec![-99.5, -98.5, -97.5],
        vec![38.5, 38.5, 38.5],
        vec![Measure {
            name: "workload".into(),
            values: vec![1.0, 2.0, 3.0],
        }],
    )
    .expect("distinct ids");
    Dataset {
        units,
        adjacency: Adjacency::from_edges(3, &[(0, 1), (1, 2)]),
        adjacency_source: AdjacencySource::PolygonsRook,
        bridged: Vec::new(),
        polygons: Some(vec![square(-100.0, 38.0), square(-99.0, 38.0), square(-98.0, 38.0)]),
        reps: Vec::new(),
        current: None,
    }
}

/// The feature ids in an MVT tile of one layer (field 3 → field 2 → field 1), read with a minimal protobuf walk.
fn feature_ids(tile: &[u8]) -> Vec<u64> {
    fn varint(b: &[u8], at: &mut usize) -> u64 {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let byte = b[*at];
            *at += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
    /// The length-delimited fields numbered `field` in message `b` (varint fields skipped).
    fn messages(b: &[u8], field: u64) -> Vec<&[u8]> {
        let (mut at, mut out) = (0, Vec::new());
        while at < b.len() {
            let key = varint(b, &mut at);
            if key & 7 == 0 {
                varint(b, &mut at);
                continue;
            }
            let len = varint(b, &mut at) as usize;
            if key >> 3 == field {
                out.push(&b[at..at + len]);
            }
            at += len;
        }
        out
    }
    let layers = messages(tile, 3);
    assert_eq!(layers.len(), 1);
    messages(layers[0], 2)
        .into_iter()
        .map(|f| {
            let mut at = 0;
            assert_eq!(varint(f, &mut at), 1 << 3, "the id comes first");
            varint(f, &mut at)
        })
        .collect()
}

#[test]
fn unit_tile_serves_the_open_workbooks_units_by_unit_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("row.tessera");
    drop(Workbook::create(&path, &row_of_squares()).expect("workbook written"));
    let state = AppState::new();
    assert!(matches!(unit_tile_bytes(&state, 0, 0, 0), Err(AppError::NoWorkbook)));

    state.open(&path).expect("opens");
    assert_eq!(
        feature_ids(&unit_tile_bytes(&state, 0, 0, 0).expect("world tile")),
        vec![0, 1, 2]
    );
    // At zoom 8 (tiles 1.4° wide) the squares' edges at 100°, 99°, 98° and 97°W fall 56.9, 57.6, 58.3 and 59.0
    // tiles across, so each tile x = 56, 57, 58 holds the units reaching into it (38.5°N is in row 98).
    let y = 98;
    assert_eq!(feature_ids(&unit_tile_bytes(&state, 8, 56, y).expect("tile")), vec![0]);
    assert_eq!(
        feature_ids(&unit_tile_bytes(&state, 8, 57, y).expect("tile")),
        vec![0, 1]
    );
    assert_eq!(
        feature_ids(&unit_tile_bytes(&state, 8, 58, y).expect("tile")),
        vec![1, 2]
    );
    // Far away: an empty layer, still a tile.
    assert!(feature_ids(&unit_tile_bytes(&state, 8, 0, 0).expect("tile")).is_empty());
    let Err(AppError::Request(message)) = unit_tile_bytes(&state, 3, 8, 0) else {
        panic!("a tile beyond the world is refused")
    };
    assert_eq!(message, "there is no map tile 3/8/0");
}

#[test]
fn tiles_are_served_while_another_command_holds_the_workbook_and_follow_close_and_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("row.tessera");
    drop(Workbook::create(&path, &row_of_squares()).expect("workbook written"));
    let state = AppState::new();
    state.open(&path).expect("opens");
    // A command holding the open workbook (the figures of `open_scenario`, say) while the map asks for a tile:
    // the tile comes without waiting for it (it used to wait for the same lock, and project the units in it).
    let served = std::thread::scope(|scope| {
        state
            .with_workbook(|_| {
                let (tx, rx) = std::sync::mpsc::channel();
                let state = &state;
                scope.spawn(move || {
                    let _ = tx.send(unit_tile_bytes(state, 0, 0, 0));
                });
                Ok(rx.recv_timeout(std::time::Duration::from_secs(20)))
            })
            .expect("workbook open")
    });
    let tile = served.expect("tile served while the workbook was held").expect("tile");
    assert_eq!(feature_ids(&tile), vec![0, 1, 2]);

    // Closed: no tiles; opened again: the tiles of the workbook open now.
    state.close();
    assert!(matches!(unit_tile_bytes(&state, 0, 0, 0), Err(AppError::NoWorkbook)));
    let mut two = row_of_squares();
    two.units = Units::new(
        ["a", "b"].map(String::from).to_vec(),
        vec![-99.5, -98.5],
        vec![38.5, 38.5],
        vec![Measure {
            name: "workload".into(),
            values: vec![1.0, 2.0],
        }],
    )
    .expect("distinct ids");
    two.adjacency = Adjacency::from_edges(2, &[(0, 1)]);
    two.polygons.as_mut().expect("polygons").truncate(2);
    let other = dir.path().join("two.tessera");
    drop(Workbook::create(&other, &two).expect("workbook written"));
    state.open(&other).expect("opens");
    assert_eq!(
        feature_ids(&unit_tile_bytes(&state, 0, 0, 0).expect("tile")),
        vec![0, 1]
    );
}
