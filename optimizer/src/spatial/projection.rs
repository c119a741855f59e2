//! Map (lon, lat) degrees to coordinates where plain Euclidean geometry is meaningful.

use crate::geodesy::EARTH_RADIUS_KM;

/// Projects (lon, lat) degrees to a local equirectangular plane in km, centred on the points' mean latitude.
///
/// Longitudes are scaled by the cosine of the mean latitude, so a triangulation of a state or a region is
/// not stretched east–west as one of raw degrees would be (at 45°N a degree of longitude is 0.71 of a degree of
/// latitude). Over a continent the scale is still off away from the mean latitude; Delaunay neighbours stay
/// sensible because the distortion is smooth.
///
/// # Panics
/// If `lon` and `lat` differ in length (a caller bug).
pub fn equirectangular_km(lon: &[f64], lat: &[f64]) -> Vec<[f64; 2]> {
    assert_eq!(lon.len(), lat.len(), "lon and lat differ in length");
    if lat.is_empty() {
        return Vec::new();
    }
    let mean_lat = lat.iter().sum::<f64>() / lat.len() as f64;
    let kx = mean_lat.to_radians().cos() * EARTH_RADIUS_KM.to_radians();
    let ky = EARTH_RADIUS_KM.to_radians();
    lon.iter().zip(lat).map(|(&x, &y)| [x * kx, y * ky]).collect()
}

/// Places (lon, lat) degrees on the unit sphere as 3-D unit vectors.
///
/// The straight-line (chord) distance between two such vectors grows monotonically with the great-circle
/// distance, so a nearest-neighbour query in 3-D gives the exact great-circle nearest neighbour with no
/// projection error anywhere on Earth.
///
/// # Panics
/// If `lon` and `lat` differ in length (a caller bug).
pub fn unit_sphere(lon: &[f64], lat: &[f64]) -> Vec<[f64; 3]> {
    assert_eq!(lon.len(), lat.len(), "lon and lat differ in length");
    lon.iter()
        .zip(lat)
        .map(|(&x, &y)| {
            let (lo, la) = (x.to_radians(), y.to_radians());
            [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests unwrap what they just built
mod tests {
    use super::*;
    use crate::geodesy::haversine_km;

    #[test]
    fn equirectangular_is_close_to_great_circle_over_short_distances() {
        let (lon, lat) = ([-84.39, -84.0], [33.75, 33.9]);
        let p = equirectangular_km(&lon, &lat);
        let planar = ((p[0][0] - p[1][0]).powi(2) + (p[0][1] - p[1][1]).powi(2)).sqrt();
        let gc = haversine_km(lon[0], lat[0], lon[1], lat[1]);
        assert!((planar - gc).abs() / gc < 1e-3, "{planar} vs {gc}");
    }

    #[test]
    fn unit_sphere_chord_orders_like_great_circle() {
        let lon = [0.0, 10.0, 0.0, 179.0];
        let lat = [0.0, 0.0, 20.0, 0.0];
        let s = unit_sphere(&lon, &lat);
        let chord = |a: [f64; 3], b: [f64; 3]| (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt();
        assert!(chord(s[0], s[1]) < chord(s[0], s[2]));
        assert!(chord(s[0], s[2]) < chord(s[0], s[3]));
        for v in s {
            assert!((v.iter().map(|c| c * c).sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }
}
