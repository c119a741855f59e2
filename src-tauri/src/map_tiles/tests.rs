use geo::{polygon, MultiPolygon};
use tessera_optimizer::{Adjacency, Units};
use tessera_workbook::{AdjacencySource, Dataset};

use super::clip::doubled_area;
use super::mvt::decode::{layer, Feature};
use super::*;

fn dataset(lon: Vec<f64>, lat: Vec<f64>, polygons: Option<Vec<MultiPolygon<f64>>>) -> Dataset {
    let n = lon.len();
    let ids = (0..n).map(|i| format!("u{i}")).collect();
    Dataset {
        units: Units::new(ids, lon, lat, vec![]).expect("units"),
        adjacency: Adjacency::from_edges(n, &[]),
        adjacency_source: AdjacencySource::Delaunay,
        bridged: vec![],
        polygons,
        reps: vec![],
        current: None,
    }
}

fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![polygon![
        (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size), (x: x, y: y)
    ]])
}

fn features(tiles: &UnitTiles, z: u8, x: u32, y: u32) -> Vec<Feature> {
    layer(&tiles.tile(z, x, y).expect("tile exists")).features
}

#[test]
fn points_land_where_web_mercator_puts_them() {
    // (0°, 0°) is the middle of the world tile; (-90°, 0°) a quarter across; (0°, 66.51°) a quarter down.
    let tiles = UnitTiles::new(&dataset(vec![0.0, -90.0, 0.0], vec![0.0, 0.0, 66.513_26], None));
    let f = features(&tiles, 0, 0, 0);
    let at: Vec<(u64, u64, [i32; 2])> = f.iter().map(|f| (f.id, f.kind, f.parts[0][0])).collect();
    assert_eq!(
        at,
        vec![(0, 1, [2048, 2048]), (1, 1, [1024, 2048]), (2, 1, [2048, 1024])]
    );
    // At zoom 1 the point at (-90°, 0°) is in the west tiles only (and on their shared edge).
    assert!(features(&tiles, 1, 1, 0).iter().all(|f| f.id != 1));
    assert!(features(&tiles, 1, 0, 1).iter().any(|f| f.id == 1));
}

#[test]
fn polygons_come_with_their_unit_index_and_exteriors_clockwise_holes_counter_clockwise() {
    let with_hole = MultiPolygon::new(vec![polygon!(
        exterior: [(x: 10.0, y: 10.0), (x: 20.0, y: 10.0), (x: 20.0, y: 20.0), (x: 10.0, y: 20.0), (x: 10.0, y: 10.0)],
        interiors: [[(x: 14.0, y: 14.0), (x: 16.0, y: 14.0), (x: 16.0, y: 16.0), (x: 14.0, y: 16.0), (x: 14.0, y: 14.0)]],
    )]);
    let tiles = UnitTiles::new(&dataset(
        vec![-95.0, 15.0],
        vec![40.0, 15.0],
        Some(vec![square(-100.0, 35.0, 10.0), with_hole]),
    ));
    let f = features(&tiles, 3, 4, 3);
    assert_eq!(f.iter().map(|f| (f.id, f.kind)).collect::<Vec<_>>(), vec![(1, 3)]);
    let rings = &f[0].parts;
    assert_eq!(rings.len(), 2, "exterior and hole");
    assert!(doubled_area(&rings[0]) > 0 && doubled_area(&rings[1]) < 0);
    assert!(rings
        .iter()
        .flatten()
        .all(|p| p.iter().all(|&c| (0..=4096).contains(&c))));
    let f = features(&tiles, 0, 0, 0);
    assert_eq!(f.iter().map(|f| f.id).collect::<Vec<_>>(), vec![0, 1]);
}

#[test]
fn a_unit_across_a_tile_edge_is_in_both_tiles_clipped_to_the_buffer() {
    // Straddles 0° longitude, the edge between the zoom 1 tiles x = 0 and x = 1; 10°N and up, so beyond the
    // southern tiles' buffer (128 / 4096 of 180°, about 5.6°).
    let tiles = UnitTiles::new(&dataset(vec![0.0], vec![30.0], Some(vec![square(-20.0, 10.0, 40.0)])));
    for x in [0, 1] {
        let f = features(&tiles, 1, x, 0);
        assert_eq!(f.len(), 1, "tile {x}");
        let xs: Vec<i32> = f[0].parts[0].iter().map(|p| p[0]).collect();
        let (lo, hi) = (*xs.iter().min().unwrap(), *xs.iter().max().unwrap());
        if x == 0 {
            assert_eq!(hi, 4096 + 128, "clipped at the buffer's edge");
            assert!(lo > 3000);
        } else {
            assert_eq!(lo, -128);
            assert!(hi < 1000);
        }
    }
    assert!(features(&tiles, 1, 0, 1).is_empty(), "nothing in the southern tiles");
}

#[test]
fn a_unit_under_a_pixel_is_left_out_at_low_zoom_and_drawn_zoomed_in() {
    // About 100 m across.
    let tiles = UnitTiles::new(&dataset(
        vec![-97.0],
        vec![38.0],
        Some(vec![square(-97.0, 38.0, 0.001)]),
    ));
    assert!(features(&tiles, 2, 0, 1).is_empty());
    let z = 14u8;
    let [mx, my] = mercator(-96.9995, 38.0005);
    let scale = f64::from(1u32 << z);
    let f = features(&tiles, z, (mx * scale) as u32, (my * scale) as u32);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].parts[0].len(), 4, "a square stays a square");
}

#[test]
fn tiles_that_do_not_exist_are_none() {
    let tiles = UnitTiles::new(&dataset(vec![0.0], vec![0.0], None));
    assert!(tiles.tile(2, 4, 0).is_none());
    assert!(tiles.tile(2, 0, 4).is_none());
    assert!(tiles.tile(MAX_ZOOM + 1, 0, 0).is_none());
    assert!(tiles.tile(MAX_ZOOM, (1 << MAX_ZOOM) - 1, 0).is_some());
}

#[test]
fn shared_tiles_project_once_for_every_caller_and_cut_as_the_tiler_does() {
    let ds = dataset(
        vec![-95.0, 15.0],
        vec![40.0, 15.0],
        Some(vec![square(-100.0, 35.0, 10.0), square(10.0, 10.0, 10.0)]),
    );
    let direct = UnitTiles::new(&ds);
    let shared = SharedTiles::project_in_background(&ds);
    // Callers racing the background thread all get the one projection.
    let got: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| std::ptr::from_ref(shared.get()) as usize))
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    });
    assert!(got.windows(2).all(|w| w[0] == w[1]), "one projection");
    assert!(shared.is_projected());
    for (z, x, y) in [(0, 0, 0), (3, 1, 3), (3, 4, 3)] {
        assert_eq!(shared.get().tile(z, x, y), direct.tile(z, x, y), "tile {z}/{x}/{y}");
    }
    // Not started in the background: the first tile projects.
    let lazy = SharedTiles::new(&ds);
    assert!(!lazy.is_projected());
    assert_eq!(lazy.get().tile(0, 0, 0), direct.tile(0, 0, 0));
}
