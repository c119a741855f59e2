//! Times the map's vector tiles of a workbook's units (`src/map_tiles`): projecting the units once, then
//! cutting the tiles of a US-wide view (zoom 3, the tiles the map asks for first on the sample counties) and of
//! a closer one (zoom 6 around Kansas), with their sizes.
//!
//! ```text
//! cargo run --release -p tessera-app --example map_tile_timing -- WORKBOOK.tessera [--runs N]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use tessera_app::map_tiles::UnitTiles;
use tessera_workbook::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut path, mut runs) = (None, 5usize);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().ok_or("--runs N")?.parse()?,
            _ => path = Some(PathBuf::from(a)),
        }
    }
    let path = path.ok_or("usage: map_tile_timing WORKBOOK.tessera [--runs N]")?;
    let dataset = Workbook::open_read_only(&path)?.dataset()?;
    // Zoom 3: the contiguous US lies in x 1..=2, y 2..=3; zoom 6 around Kansas: x 13..=14, y 24..=25.
    let views: [(&str, u8, std::ops::RangeInclusive<u32>, std::ops::RangeInclusive<u32>); 2] = [
        ("US-wide, zoom 3", 3, 1..=2, 2..=3),
        ("Kansas, zoom 6", 6, 13..=14, 24..=25),
    ];
    for run in 0..runs {
        let t = Instant::now();
        let tiles = UnitTiles::new(&dataset);
        let mut line = format!(
            "run {run}: {} units projected in {:.1} ms",
            tiles.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
        for (name, z, xs, ys) in views.clone() {
            let t = Instant::now();
            let mut bytes = 0;
            let mut count = 0;
            for x in xs {
                for y in ys.clone() {
                    bytes += tiles.tile(z, x, y).ok_or("no such tile")?.len();
                    count += 1;
                }
            }
            line += &format!(
                "; {name}: {count} tiles, {:.0} kB, {:.1} ms",
                bytes as f64 / 1e3,
                t.elapsed().as_secs_f64() * 1e3
            );
        }
        println!("{line}");
    }
    Ok(())
}
