//! Writing a Mapbox Vector Tile (MVT 2.1, a protocol buffer): one layer, features with a numeric id and a
//! geometry, no properties. Only what the units need; written by hand because it is ~100 lines of protobuf.

/// Geometry commands (MVT 2.1 §4.3.2).
const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

/// Feature geometry types (MVT 2.1 §4.3.4).
const POINT: u64 = 1;
const POLYGON: u64 = 3;

/// A tile coordinate: integers in the tile's frame (0..extent inside the tile, beyond it in the buffer).
pub type TilePoint = [i32; 2];

/// One layer of a vector tile being written. [`LayerWriter::finish`] gives the tile's bytes.
pub struct LayerWriter {
    name: String,
    extent: u32,
    /// The encoded `Feature` messages, each already framed as field 2 of the layer.
    features: Vec<u8>,
    /// Scratch for one feature's geometry commands.
    geometry: Vec<u32>,
}

impl LayerWriter {
    /// An empty layer called `name` with `extent` units across a tile.
    pub fn new(name: &str, extent: u32) -> Self {
        Self {
            name: name.to_string(),
            extent,
            features: Vec::new(),
            geometry: Vec::new(),
        }
    }

    /// Adds a point feature with id `id`.
    pub fn point(&mut self, id: u64, p: TilePoint) {
        self.geometry.clear();
        self.geometry.push(command(MOVE_TO, 1));
        self.geometry.push(zigzag(p[0]));
        self.geometry.push(zigzag(p[1]));
        self.push_feature(id, POINT);
    }

    /// Adds a polygon feature with id `id` from `rings`: each ring closed implicitly (no repeated last point),
    /// at least 3 points, exterior rings with positive area and their holes after them with negative area
    /// (MVT 2.1 §4.3.4.4, in the tile's y-down frame). Nothing is written when `rings` is empty.
    pub fn polygon(&mut self, id: u64, rings: &[Vec<TilePoint>]) {
        if rings.is_empty() {
            return;
        }
        self.geometry.clear();
        // The cursor carries over between rings: every coordinate is relative to the previous one.
        let mut cursor = [0i32, 0i32];
        for ring in rings {
            debug_assert!(ring.len() >= 3, "a ring has at least 3 points");
            let mut delta = |p: TilePoint, out: &mut Vec<u32>| {
                out.push(zigzag(p[0] - cursor[0]));
                out.push(zigzag(p[1] - cursor[1]));
                cursor = p;
            };
            self.geometry.push(command(MOVE_TO, 1));
            delta(ring[0], &mut self.geometry);
            self.geometry.push(command(LINE_TO, ring.len() as u32 - 1));
            for &p in &ring[1..] {
                delta(p, &mut self.geometry);
            }
            self.geometry.push(command(CLOSE_PATH, 1));
        }
        self.push_feature(id, POLYGON);
    }

    /// Frames the geometry in `self.geometry` as a feature with `id` and `kind`.
    fn push_feature(&mut self, id: u64, kind: u64) {
        let mut feature = Vec::with_capacity(8 + self.geometry.len() * 2);
        key(&mut feature, 1, VARINT);
        varint(&mut feature, id);
        key(&mut feature, 3, VARINT);
        varint(&mut feature, kind);
        let mut packed = Vec::with_capacity(self.geometry.len() * 2);
        for &g in &self.geometry {
            varint(&mut packed, u64::from(g));
        }
        bytes_field(&mut feature, 4, &packed);
        bytes_field(&mut self.features, 2, &feature);
    }

    /// The tile: this layer alone.
    pub fn finish(self) -> Vec<u8> {
        let mut layer = Vec::with_capacity(self.features.len() + self.name.len() + 16);
        key(&mut layer, 15, VARINT);
        varint(&mut layer, 2);
        bytes_field(&mut layer, 1, self.name.as_bytes());
        layer.extend_from_slice(&self.features);
        key(&mut layer, 5, VARINT);
        varint(&mut layer, u64::from(self.extent));
        let mut tile = Vec::with_capacity(layer.len() + 8);
        bytes_field(&mut tile, 3, &layer);
        tile
    }
}

const VARINT: u8 = 0;
const LENGTH_DELIMITED: u8 = 2;

fn command(id: u32, count: u32) -> u32 {
    (id & 7) | (count << 3)
}

fn zigzag(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

fn key(out: &mut Vec<u8>, field: u32, wire: u8) {
    varint(out, u64::from(field << 3 | u32::from(wire)));
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn bytes_field(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(out, field, LENGTH_DELIMITED);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
pub(crate) mod decode {
    //! A minimal reader of what [`super::LayerWriter`] writes, so tests can check tiles by their content.

    /// One decoded feature: id, type, and its geometry as absolute points per MoveTo…ClosePath run.
    #[derive(Debug, PartialEq)]
    pub struct Feature {
        pub id: u64,
        pub kind: u64,
        pub parts: Vec<Vec<[i32; 2]>>,
    }

    /// A decoded layer.
    #[derive(Debug)]
    pub struct Layer {
        pub version: u64,
        pub name: String,
        pub extent: u64,
        pub features: Vec<Feature>,
    }

    fn varint(b: &[u8], at: &mut usize) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
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

    /// Fields of a message: (field number, varint value or bytes).
    fn fields(b: &[u8]) -> Vec<(u64, Result<u64, &[u8]>)> {
        let mut at = 0;
        let mut out = Vec::new();
        while at < b.len() {
            let k = varint(b, &mut at);
            match k & 7 {
                0 => out.push((k >> 3, Ok(varint(b, &mut at)))),
                2 => {
                    let len = varint(b, &mut at) as usize;
                    out.push((k >> 3, Err(&b[at..at + len])));
                    at += len;
                }
                w => panic!("unexpected wire type {w}"),
            }
        }
        out
    }

    /// The single layer of `tile`.
    pub fn layer(tile: &[u8]) -> Layer {
        let top = fields(tile);
        assert_eq!(top.len(), 1, "one layer");
        let (3, Err(bytes)) = top[0] else {
            panic!("field 3 (layers) expected")
        };
        let mut layer = Layer {
            version: 0,
            name: String::new(),
            extent: 4096,
            features: Vec::new(),
        };
        for (field, value) in fields(bytes) {
            match (field, value) {
                (15, Ok(v)) => layer.version = v,
                (1, Err(s)) => layer.name = String::from_utf8(s.to_vec()).expect("utf-8 name"),
                (5, Ok(v)) => layer.extent = v,
                (2, Err(f)) => layer.features.push(feature(f)),
                other => panic!("unexpected layer field {other:?}"),
            }
        }
        layer
    }

    fn feature(b: &[u8]) -> Feature {
        let mut f = Feature {
            id: u64::MAX,
            kind: 0,
            parts: Vec::new(),
        };
        for (field, value) in fields(b) {
            match (field, value) {
                (1, Ok(v)) => f.id = v,
                (3, Ok(v)) => f.kind = v,
                (4, Err(packed)) => {
                    let mut at = 0;
                    let mut ints = Vec::new();
                    while at < packed.len() {
                        ints.push(varint(packed, &mut at) as u32);
                    }
                    f.parts = geometry(&ints);
                }
                other => panic!("unexpected feature field {other:?}"),
            }
        }
        f
    }

    fn geometry(ints: &[u32]) -> Vec<Vec<[i32; 2]>> {
        let unzig = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
        let (mut x, mut y) = (0i32, 0i32);
        let mut parts: Vec<Vec<[i32; 2]>> = Vec::new();
        let mut at = 0;
        while at < ints.len() {
            let (id, count) = (ints[at] & 7, ints[at] >> 3);
            at += 1;
            match id {
                1 | 2 => {
                    if id == 1 {
                        parts.push(Vec::new());
                    }
                    for _ in 0..count {
                        x += unzig(ints[at]);
                        y += unzig(ints[at + 1]);
                        at += 2;
                        parts.last_mut().expect("MoveTo first").push([x, y]);
                    }
                }
                7 => assert_eq!(count, 1, "ClosePath count"),
                other => panic!("unknown command {other}"),
            }
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::decode::layer;
    use super::*;

    #[test]
    fn zigzag_and_varints_follow_the_protobuf_encoding() {
        assert_eq!([zigzag(0), zigzag(-1), zigzag(1), zigzag(-2)], [0, 1, 2, 3]);
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
    }

    #[test]
    fn a_layer_reads_back_with_its_points_and_polygons() {
        let mut w = LayerWriter::new("units", 4096);
        w.point(7, [10, -20]);
        let square = vec![[0, 0], [100, 0], [100, 100], [0, 100]];
        let hole = vec![[10, 10], [10, 20], [20, 20], [20, 10]];
        w.polygon(3_000_000_000, &[square.clone(), hole.clone()]);
        w.polygon(9, &[]);
        let l = layer(&w.finish());
        assert_eq!((l.version, l.name.as_str(), l.extent), (2, "units", 4096));
        assert_eq!(l.features.len(), 2, "an empty polygon is not written");
        assert_eq!(
            l.features[0],
            decode::Feature {
                id: 7,
                kind: POINT,
                parts: vec![vec![[10, -20]]]
            }
        );
        assert_eq!(l.features[1].id, 3_000_000_000);
        assert_eq!(l.features[1].kind, POLYGON);
        assert_eq!(l.features[1].parts, vec![square, hole]);
    }

    #[test]
    fn an_empty_layer_is_still_a_valid_tile() {
        let l = layer(&LayerWriter::new("units", 4096).finish());
        assert!(l.features.is_empty());
        assert_eq!(l.name, "units");
    }
}
