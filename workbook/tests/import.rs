//! Importing the planner's files: dirty-but-valid input is read, bad input is refused with a message naming
//! file, line, column and rule, and the real instances in ../shared come out as their metadata says.
#![allow(clippy::unwrap_used)] // a test unwraps what it expects to succeed; a failure is the test failing

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use proptest::prelude::*;
use tessera_optimizer::Progress;
use tessera_workbook::import::{
    import_dataset, parse_adjacency, parse_plan, parse_polygons, parse_units, parse_units_with, read_adjacency,
    read_units, validate_territories, Contiguity, ImportRequest,
};
use tessera_workbook::{AdjacencySource, ImportError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

// An instance folder of ../shared (beside the repository), or `None` after a note, a failure under
// TESSERA_STRICT=1.
#[path = "../../tests/support/needs.rs"]
mod needs;
use needs::shared_instance;

fn units(text: &str) -> Result<tessera_workbook::import::UnitsFile, ImportError> {
    parse_units(Path::new("counties.csv"), text.as_bytes(), None).map(|(u, _)| u)
}

fn message(r: Result<impl std::fmt::Debug, ImportError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const GRID: &str = "id,lon,lat,workload\na,0.5,0.5,1\nb,1.5,0.5,2\nc,0.5,1.5,3\nd,1.5,1.5,4\n";

// ---------------------------------------------------------------- dirty but valid input

#[test]
fn european_csv_with_decimal_comma_and_latin1_names() {
    let (f, warnings) = read_units(&fixture("european.csv"), Some("workload")).unwrap();
    let u = &f.units;
    assert_eq!(u.ids(), ["01234", "01235", "01236"]);
    assert_eq!(u.lon()[0], 8.5417);
    assert_eq!(u.lat()[1], 46.2044);
    assert_eq!(u.measure("Workload").unwrap(), [1234.5, 980.25, 0.0]);
    assert_eq!(u.measure("Accounts").unwrap(), [12.0, 7.0, 3.0]);
    assert_eq!(f.balance.as_deref(), Some("Workload"));
    let names = &f.text_columns.iter().find(|c| c.name == "Name").unwrap().values;
    assert_eq!(names, &["Zürich Nord", "Genève", "Besançon"]);
    assert!(
        warnings.iter().any(|w| w.to_string().contains("read as Windows-1252")),
        "{warnings:?}"
    );
}

#[test]
fn excel_export_with_bom_crlf_quoted_zips_and_trailing_blanks() {
    let (f, warnings) = read_units(&fixture("excel-export.csv"), None).unwrap();
    assert_eq!(f.units.ids(), ["02134", "02135", "01001"]);
    assert_eq!(f.units.lon()[2], -72.6227);
    assert_eq!(f.units.measure("workload").unwrap(), [10.5, 8.0, 8.48]);
    assert_eq!(f.lines, [2, 3, 4]);
    let current = f.current.unwrap();
    assert_eq!(current.names(), ["T1", "T2"]);
    assert_eq!(current.territory_of(), [0, 0, 1]);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn header_aliases_any_case_and_tab_delimiter() {
    let f = units("ID\tLongitude\tLATITUDE\tPotential\nz1\t-80\t40\t5\n").unwrap();
    assert_eq!(f.units.ids(), ["z1"]);
    assert_eq!(f.units.measure("Potential").unwrap(), [5.0]);
    let f = units("Id,LNG,Lat\n7,-80,40\n").unwrap();
    assert!(f.units.measures().is_empty());
}

#[test]
fn columns_with_text_are_kept_aside_and_a_numeric_looking_one_is_reported() {
    let (f, warnings) = parse_units(
        Path::new("u.csv"),
        b"id,lon,lat,name,score\n1,2,2,Ann,3\n2,1,1,Bob,n/a\n",
        None,
    )
    .unwrap();
    assert!(f.units.measures().is_empty());
    let kept: Vec<_> = f.text_columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(kept, ["name", "score"]);
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].to_string(),
        "u.csv line 3: column \"score\" is not a measure: \"n/a\" is not a number; it was kept as text"
    );
}

#[test]
fn units_at_longitude_0_latitude_0_are_kept_and_reported() {
    let (f, warnings) = parse_units(Path::new("u.csv"), b"id,lon,lat\na,-80,40\nb,0,0\nc,0,0\nd,0,1\n", None).unwrap();
    assert_eq!(f.units.len(), 4);
    let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        messages,
        [
            "u.csv line 3: 2 units (the first \"b\") are at longitude 0, latitude 0, in the sea off West Africa: \
          usually a missing location"
        ]
    );
    let (_, warnings) = parse_units(Path::new("u.csv"), b"id,lon,lat\na,-80,40\nb,0,0\n", None).unwrap();
    assert!(warnings[0]
        .to_string()
        .contains("unit \"b\" is at longitude 0, latitude 0"));
}

#[test]
fn a_town_called_nan_is_text_not_a_broken_number() {
    let f = units("id,name,lon,lat,workload\n1,Nan,100.8,18.8,3\n2,Inf,101,19,4\n").unwrap();
    assert_eq!(f.text_columns[0].values, ["Nan", "Inf"]);
    assert_eq!(f.units.measure("workload").unwrap(), [3.0, 4.0]);
}

#[test]
fn excel_unicode_text_is_utf16_and_tab_delimited() {
    let text = "id\tLongitude\tLatitude\tName\r\n01234\t-72.5\t42\tSão Tomé\r\n";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (f, w) = parse_units(Path::new("unicode.txt"), &bytes, None).unwrap();
    assert_eq!(f.units.ids(), ["01234"]);
    assert_eq!(f.text_columns[0].values, ["São Tomé"]);
    assert!(w.is_empty());
    assert_eq!(f.units.lon(), [-72.5]);
}

#[test]
fn latin1_file_is_decoded_not_refused() {
    let bytes = b"id,name,lon,lat\nx,S\xe3o Paulo,-46.6,-23.5\n";
    let (f, w) = parse_units(Path::new("br.csv"), bytes, None).unwrap();
    assert_eq!(f.text_columns[0].values, ["São Paulo"]);
    assert_eq!(w.len(), 1);
    assert!(w[0]
        .to_string()
        .starts_with("br.csv: the file is not valid UTF-8; it was read as Windows-1252"));
}

// ---------------------------------------------------------------- bad input: every message checked

#[test]
fn missing_file() {
    let r = read_units(Path::new("no/such/counties.csv"), None);
    assert_eq!(message(r), "no/such/counties.csv: file not found");
}

#[test]
fn empty_file_and_header_without_rows() {
    assert_eq!(message(units("")), "counties.csv: the file is empty");
    assert_eq!(message(units("\r\n\r\n")), "counties.csv: the file is empty");
    assert_eq!(
        message(units("id,lon,lat\n,,\n")),
        "counties.csv: the file is empty (a header but no rows)"
    );
}

#[test]
fn missing_id_lon_or_lat_column() {
    assert_eq!(
        message(units("fips,lon,lat\n1,0,0\n")),
        "counties.csv: no id column; expected one of id, unit_id, unit, found the header [\"fips\", \"lon\", \"lat\"]"
    );
    assert!(message(units("id,lat\n1,0\n")).starts_with("counties.csv: no lon column; expected one of lon, lng"));
    assert!(message(units("id,lon\n1,0\n")).starts_with("counties.csv: no lat column; expected one of lat, latitude"));
}

#[test]
fn duplicate_id_names_both_lines() {
    assert_eq!(
        message(units("id,lon,lat\n13001,0,0\n13003,1,1\n13001,2,2\n")),
        "counties.csv line 4: duplicate id \"13001\", already on line 2"
    );
}

#[test]
fn non_numeric_balanced_measure() {
    let mut text = String::from("id,name,lon,lat,workload\n");
    for i in 0..15 {
        text += &format!("{i},\"County {i}, GA\",-84,33,{}\n", 100 + i);
    }
    text += "15,\"Bad, GA\",-84,33,abc\n";
    assert_eq!(
        message(units(&text)),
        "counties.csv line 17, column \"workload\" (#5): \"abc\" is not a number"
    );
    let r = parse_units(Path::new("u.csv"), b"id,lon,lat,calls\n1,0,0,\n", Some("Calls"));
    assert_eq!(
        message(r),
        "u.csv line 2, column \"calls\" (#4): the value is empty; a number is required"
    );
}

#[test]
fn nan_or_infinite_measure_in_any_numeric_column() {
    assert_eq!(
        message(units("id,lon,lat,potential\n1,0,0,3\n2,0,0,NaN\n")),
        "counties.csv line 3, column \"potential\" (#4): \"NaN\" is not a finite number"
    );
    assert_eq!(
        message(units("id,lon,lat,workload\n1,0,0,1e999\n")),
        "counties.csv line 2, column \"workload\" (#4): \"1e999\" is not a finite number"
    );
    assert_eq!(
        message(units("id,lon,lat\n1,-inf,0\n")),
        "counties.csv line 2, column \"lon\" (#2): \"-inf\" is not a finite number"
    );
}

#[test]
fn negative_workload() {
    assert_eq!(
        message(units("id,lon,lat,workload\n1,0,0,5\n2,0,0,-3\n")),
        "counties.csv line 3, column \"workload\" (#4): -3 is out of range; the balanced measure \"workload\" must be >= 0"
    );
    // A negative value in a measure that is not balanced (a change in sales) is allowed.
    let f = units("id,lon,lat,workload,growth\n1,0,0,5,-3\n").unwrap();
    assert_eq!(f.units.measure("growth").unwrap(), [-3.0]);
}

#[test]
fn unknown_balance_measure() {
    let r = parse_units(Path::new("u.csv"), b"id,lon,lat,calls\n1,0,0,4\n", Some("revenue"));
    assert_eq!(
        message(r),
        "u.csv: no numeric column \"revenue\" to balance; the numeric columns are [\"calls\"]"
    );
}

#[test]
fn fips_county_column_of_the_sample_accounts_is_text_not_a_measure() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data/accounts.csv");
    let (f, warnings) = read_units(&path, None).unwrap();
    let names: Vec<&str> = f.units.measures().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["workload", "potential_usd", "visits_per_year"]);
    assert!(
        f.text_columns.iter().any(|c| c.name == "county"),
        "county is kept as text"
    );
    assert!(
        warnings.iter().any(|w| w.message.contains("\"county\" holds codes")),
        "{warnings:?}"
    );
    assert_eq!(f.balance.as_deref(), Some("workload"));
}

#[test]
fn a_column_with_leading_zeros_is_a_code_and_cannot_be_balanced() {
    let text = "id,lon,lat,district,calls\na,0,0,12,3\nb,0,0,04,5\n";
    let f = units(text).unwrap();
    assert!(f.units.measure("district").is_none());
    assert_eq!(f.text_columns[0].values, ["12", "04"], "codes keep their zeros");
    assert_eq!(
        f.balance.as_deref(),
        Some("calls"),
        "the default measure is the first non-code one"
    );
    assert_eq!(
        message(parse_units(Path::new("u.csv"), text.as_bytes(), Some("district"))),
        "u.csv: column \"district\" holds codes, not amounts (\"04\" has a leading zero, as codes have and \
         amounts do not), so it cannot be balanced; choose a measure such as workload"
    );
    // Asked for a measure that is absent, the planner is offered measures only, never the codes.
    assert_eq!(
        message(parse_units(Path::new("u.csv"), text.as_bytes(), Some("revenue"))),
        "u.csv: no numeric column \"revenue\" to balance; the numeric columns are [\"calls\"]"
    );
}

#[test]
fn lon_lat_out_of_range() {
    assert_eq!(
        message(units("id,lon,lat\n1,-84.4,33.7\n2,33.7,-184.4\n")),
        "counties.csv line 3, column \"lat\" (#3): -184.4 is out of range; latitude must be within -90..=90"
    );
    assert_eq!(
        message(units("id,longitude,lat\n1,200,33\n")),
        "counties.csv line 2, column \"longitude\" (#2): 200 is out of range; longitude must be within -180..=180"
    );
}

#[test]
fn a_column_named_twice_is_refused() {
    assert_eq!(
        message(units("id,lon,lat,Workload,workload\n1,0,0,1,2\n")),
        "counties.csv: the header names column \"workload\" twice (#4 and #5)"
    );
}

#[test]
fn row_longer_than_header_is_refused() {
    assert_eq!(
        message(units("id,lon,lat\n1,0,0,extra\n")),
        "counties.csv line 2: the row has 4 fields but the header has 3"
    );
}

#[test]
fn adjacency_id_not_in_units() {
    let u = units(GRID).unwrap().units;
    let r = parse_adjacency(Path::new("adj.csv"), b"a,b\na,b\nb,zz\n", &u);
    assert_eq!(
        message(r),
        "adj.csv line 3, column \"b\" (#2): unit \"zz\" is not among the units"
    );
}

#[test]
fn adjacency_reads_other_column_names_skips_self_pairs_and_dedups() {
    let u = units(GRID).unwrap().units;
    let (e, w) = parse_adjacency(
        Path::new("adj.csv"),
        b"fips_a,fips_b,type\na,b,rook\nb,a,rook\nc,c,x\n",
        &u,
    )
    .unwrap();
    assert_eq!(e, [(0, 1)]);
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].to_string(),
        "adj.csv line 4: unit \"c\" is paired with itself; the row was skipped"
    );
    let r = parse_adjacency(Path::new("adj.csv"), b"left,right\na,b\n", &u);
    assert!(message(r).starts_with("adj.csv: no a and b column"));
}

#[test]
fn plan_id_not_in_units_and_unassigned_unit() {
    let u = units(GRID).unwrap().units;
    let r = parse_plan(Path::new("plan.csv"), b"id,territory\na,1\nq,2\n", &u);
    assert_eq!(
        message(r),
        "plan.csv line 3, column \"id\" (#1): unit \"q\" is not among the units"
    );
    let r = parse_plan(Path::new("plan.csv"), b"id,territory\na,1\nb,1\nc,2\n", &u);
    assert_eq!(message(r), "plan.csv: unit \"d\" has no territory");
}

#[test]
fn plan_with_center_column_and_a_repeated_unit() {
    let u = units(GRID).unwrap().units;
    let (p, w) = parse_plan(
        Path::new("plan.csv"),
        b"id,territory,center\na,T,b\nb,T,b\nc,U,d\nd,U,d\na,U,d\n",
        &u,
    )
    .unwrap();
    assert_eq!(p.plan.territory_of(), [0, 0, 1, 1]);
    assert_eq!(p.centers, Some(vec![Some(1), Some(3)]));
    assert_eq!(w.len(), 1);
    assert!(w[0]
        .to_string()
        .starts_with("plan.csv line 6: unit \"a\" is listed again (first on line 2)"));
}

fn square_feature(id: &str, x: f64, y: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"id":{id}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
        x + 1.0,
        x + 1.0,
        y + 1.0,
        y + 1.0
    )
}

fn grid_geojson(ids: [&str; 4]) -> String {
    let f: Vec<String> = ids
        .iter()
        .zip([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)])
        .map(|(id, (x, y))| square_feature(id, x, y))
        .collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
        f.join(",\n")
    )
}

#[test]
fn polygons_match_string_and_number_ids_in_unit_order() {
    let u = units("id,lon,lat\n10,1.5,1.5\n11,0.5,0.5\n12,1.5,0.5\n13,0.5,1.5\n")
        .unwrap()
        .units;
    let (polys, _) = parse_polygons(
        Path::new("p.geojson"),
        grid_geojson(["11", "\"12\"", "13", "10"]).as_bytes(),
        &u,
    )
    .unwrap();
    let x0: Vec<f64> = polys.iter().map(|mp| mp.0[0].exterior().0[0].x).collect();
    assert_eq!(x0, [1.0, 0.0, 1.0, 0.0]);
}

#[test]
fn a_closed_line_is_rebuilt_a_self_crossing_polygon_keeps_its_valid_part_and_each_is_named() {
    use geo::Validation;
    let u = units("id,lon,lat\nline,0.5,0.5\nopen,5,5\nbowtie,2.5,0.5\nmixed,8,8\n")
        .unwrap()
        .units;
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"line"},"geometry":{"type":"LineString",
         "coordinates":[[0,0],[1,0],[1,1],[0,1],[0,0]]}},
        {"type":"Feature","properties":{"id":"open"},"geometry":{"type":"LineString","coordinates":[[5,5],[6,6]]}},
        {"type":"Feature","properties":{"id":"bowtie"},"geometry":{"type":"Polygon",
         "coordinates":[[[2,0],[3,1],[3,0],[2,1],[2,0]]]}},
        {"type":"Feature","properties":{"id":"mixed"},"geometry":{"type":"MultiPolygon","coordinates":[
         [[[8,8],[9,8],[9,9],[8,9],[8,8]]], [[[10,0],[11,1],[11,0],[10,1],[10,0]]]]}}]}"#;
    let (polys, w) = parse_polygons(Path::new("p.geojson"), text.as_bytes(), &u).unwrap();
    assert_eq!(polys[0].0.len(), 1, "the closed line is its square");
    assert!(polys[1].0.is_empty() && polys[2].0.is_empty(), "{polys:?}");
    assert_eq!(polys[3].0.len(), 1, "the valid square of the multipolygon is kept");
    assert!(polys.iter().all(|mp| mp.is_valid()));
    let messages: Vec<&str> = w.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("feature 1 (id \"line\") is a LineString") && messages[0].contains("rebuilt"));
    assert!(messages[1].starts_with("feature 2 (id \"open\") is a LineString") && messages[1].contains("dropped"));
    assert!(
        messages[2].starts_with("feature 3 (id \"bowtie\") is not a valid polygon ("),
        "{}",
        messages[2]
    );
    assert!(messages[2].contains("dropped"), "{}", messages[2]);
    assert!(messages[3].contains("only its valid part was kept"), "{}", messages[3]);
}

#[test]
fn polygon_id_not_in_units() {
    let u = units(GRID).unwrap().units;
    let r = parse_polygons(
        Path::new("p.geojson"),
        grid_geojson(["\"a\"", "\"b\"", "\"zz\"", "\"d\""]).as_bytes(),
        &u,
    );
    assert_eq!(
        message(r),
        "p.geojson: feature 3 has id \"zz\", which is not among the units"
    );
}

#[test]
fn unit_without_polygon_and_wrong_geometry() {
    let u = units(GRID).unwrap().units;
    let text = grid_geojson(["\"a\"", "\"b\"", "\"c\"", "\"d\""]).replace(&square_feature("\"d\"", 1.0, 1.0), "");
    let text = text.replace(",\n\n]", "\n]");
    let r = parse_polygons(Path::new("p.geojson"), text.as_bytes(), &u);
    assert_eq!(
        message(r),
        "p.geojson: unit \"d\" has no polygon (1 units in all have none)"
    );
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},
        "geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
    let r = parse_polygons(Path::new("p.geojson"), text.as_bytes(), &u);
    assert_eq!(
        message(r),
        "p.geojson: feature 1 (id \"a\"): geometry type \"Point\" is not Polygon or MultiPolygon"
    );
    let r = parse_polygons(Path::new("p.geojson"), br#"{"type":"Feature"}"#, &u);
    assert!(message(r).starts_with("p.geojson: the top level: expected a FeatureCollection"));
}

#[test]
fn projected_polygon_coordinates_are_refused() {
    let u = units(GRID).unwrap().units;
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},
        "geometry":{"type":"Polygon","coordinates":[[[500000,4100000],[500100,4100000],[500100,4100100],[500000,4100000]]]}}]}"#;
    let r = parse_polygons(Path::new("p.geojson"), text.as_bytes(), &u);
    assert_eq!(
        message(r),
        "p.geojson: feature 1 (id \"a\"): position (500000, 4100000) is not a (longitude, latitude) in degrees; \
         export the polygons in WGS 84 (EPSG:4326)"
    );
}

#[test]
fn ids_that_lost_their_leading_zeros_get_a_hint() {
    let u = units("id,lon,lat\n01234,-72,42\n02134,-71,42\n").unwrap().units;
    let r = parse_plan(Path::new("plan.csv"), b"id,territory\n1234,A\n02134,A\n", &u);
    assert_eq!(
        message(r),
        "plan.csv line 2, column \"id\" (#1): unit \"1234\" is not among the units; the units have \"01234\": were \
         leading zeros lost (a spreadsheet reading ids as numbers)? Keep ids as text"
    );
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
        square_feature("2134", -71.5, 41.5)
    );
    let m = message(parse_polygons(Path::new("p.geojson"), text.as_bytes(), &u));
    assert!(
        m.starts_with("p.geojson: feature 1 has id \"2134\", which is not among the units; the units have \"02134\""),
        "{m}"
    );
}

#[test]
fn invalid_json_names_line_and_column() {
    let u = units(GRID).unwrap().units;
    let r = parse_polygons(
        Path::new("p.geojson"),
        b"{\"type\": \"FeatureCollection\",\n  \"features\": [,]}",
        &u,
    );
    let m = message(r);
    assert!(m.starts_with("p.geojson line 2, column 16: invalid JSON: "), "{m}");
    let r = parse_polygons(Path::new("p.geojson"), b"   \n", &u);
    assert_eq!(message(r), "p.geojson: the file is empty");
}

#[test]
fn territories_zero_or_more_than_units() {
    assert_eq!(
        message(validate_territories(0, 10)),
        "the number of territories must be at least 1, got 0"
    );
    assert_eq!(
        message(validate_territories(11, 10)),
        "11 territories requested but there are only 10 units; each territory needs one"
    );
    assert!(validate_territories(10, 10).is_ok());
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", GRID);
    let r = import_dataset(&ImportRequest::new(&u).territories(5));
    assert_eq!(
        message(r),
        "5 territories requested but there are only 4 units; each territory needs one"
    );
}

// ---------------------------------------------------------------- whole imports

#[test]
fn import_without_adjacency_uses_delaunay() {
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", GRID);
    // A 1-degree square triangulates into 4 sides (111 km) and one diagonal (157 km).
    let req = ImportRequest::new(&u).territories(2);
    let (d, w) = import_dataset(&req.clone().max_edge_km(None)).unwrap();
    assert_eq!(d.adjacency_source, AdjacencySource::Delaunay);
    assert_eq!(d.adjacency.edge_count(), 5);
    assert!(d.bridged.is_empty() && w.is_empty());
    // By default the diagonal is longer than 150 km and goes; the sides keep the square connected.
    let (d, w) = import_dataset(&req).unwrap();
    assert_eq!(d.adjacency.edge_count(), 4);
    assert_eq!(d.adjacency.components().1, 1);
    assert_eq!(w.len(), 1);
    assert!(
        w[0].message.starts_with("1 link longer than 150 km dropped"),
        "{}",
        w[0]
    );
    assert!(d.polygons.is_none() && d.reps.is_empty() && d.current.is_none());
}

#[test]
fn import_prefers_the_adjacency_file_and_bridges_its_islands() {
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", GRID);
    let a = write(dir.path(), "adj.csv", "a,b\na,b\nc,d\n");
    let p = write(
        dir.path(),
        "p.geojson",
        &grid_geojson(["\"a\"", "\"b\"", "\"c\"", "\"d\""]),
    );
    let (d, w) = import_dataset(&ImportRequest::new(&u).adjacency(&a).polygons(&p)).unwrap();
    assert_eq!(d.adjacency_source, AdjacencySource::File);
    assert_eq!(d.bridged.len(), 1);
    assert_eq!(d.adjacency.edge_count(), 3);
    assert_eq!(d.adjacency.components().1, 1);
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("were linked"), "{}", w[0]);
    assert_eq!(d.polygons.as_ref().map(Vec::len), Some(4));
}

#[test]
fn import_from_polygons_rook_and_queen() {
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", GRID);
    let p = write(
        dir.path(),
        "p.geojson",
        &grid_geojson(["\"a\"", "\"b\"", "\"c\"", "\"d\""]),
    );
    let (queen, _) = import_dataset(&ImportRequest::new(&u).polygons(&p)).unwrap();
    assert_eq!(queen.adjacency_source, AdjacencySource::PolygonsQueen);
    assert_eq!(queen.adjacency.edge_count(), 6);
    let (rook, _) = import_dataset(&ImportRequest::new(&u).polygons(&p).contiguity(Contiguity::Rook)).unwrap();
    assert_eq!(rook.adjacency_source, AdjacencySource::PolygonsRook);
    assert_eq!(
        rook.adjacency.edges().collect::<Vec<_>>(),
        [(0, 1), (0, 2), (1, 3), (2, 3)]
    );
}

#[test]
fn import_fails_whole_when_one_file_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", GRID);
    let r = write(
        dir.path(),
        "reps.csv",
        "id,name,lon,lat,capacity\nr1,Ann,0,0,1\nr1,Bob,1,1,1\n",
    );
    let m = message(import_dataset(&ImportRequest::new(&u).reps(&r)));
    assert!(
        m.ends_with("reps.csv line 3: duplicate id \"r1\", already on line 2"),
        "{m}"
    );
    let r = write(
        dir.path(),
        "reps.csv",
        "id,name,lon,lat,capacity\nr1,Ann,0,0,1\nr2,Bob,1,1,0.5\n",
    );
    let (d, _) = import_dataset(&ImportRequest::new(&u).reps(&r)).unwrap();
    assert_eq!(d.reps.len(), 2);
    assert_eq!(d.reps[1].capacity, 0.5);
}

#[test]
fn territories_not_named_after_reps_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let reps = write(
        dir.path(),
        "reps.csv",
        "id,name,lon,lat,capacity\nr1,Ann,0,0,1\nr2,Bob,1,1,1\n",
    );
    let warned = |units: &str| {
        let u = write(dir.path(), "u.csv", units);
        let (_, w) = import_dataset(&ImportRequest::new(&u).reps(&reps)).unwrap();
        w.into_iter()
            .map(|w| w.to_string())
            .find(|m| m.contains("match no rep id"))
    };
    let named_after_reps = "id,lon,lat,workload,territory\na,0,0,1,r1\nb,1,0,2,r1\nc,0,1,3,r2\n";
    assert_eq!(warned(named_after_reps), None);
    // A rep name where an id was meant: that territory belongs to no rep.
    let m = warned("id,lon,lat,workload,territory\na,0,0,1,Ann\nb,1,0,2,Ann\nc,0,1,3,r2\n").expect("a warning");
    assert!(m.contains("u.csv"), "{m}");
    assert!(
        m.contains("1 of the 2 territories in the territory column (\"Ann\") match no rep id in"),
        "{m}"
    );
    assert!(m.contains("reps.csv"), "{m}");
}

// ---------------------------------------------------------------- real data from ../shared

fn edge_set(d: &tessera_workbook::Dataset) -> BTreeSet<(String, String)> {
    let ids = d.units.ids();
    d.adjacency
        .edges()
        .map(|(a, b)| {
            let (x, y) = (ids[a as usize].clone(), ids[b as usize].clone());
            if x < y {
                (x, y)
            } else {
                (y, x)
            }
        })
        .collect()
}

#[test]
fn georgia_adjacency_file_and_polygon_queen_agree() {
    let Some(dir) = shared_instance("georgia") else { return };
    let req = ImportRequest::new(dir.join("units.csv")).territories(10);
    let (from_file, w) = import_dataset(&req.clone().adjacency(dir.join("adjacency.csv"))).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(from_file.units.len(), 159);
    assert_eq!(from_file.adjacency.edge_count(), 431);
    assert!(from_file.bridged.is_empty());
    let total: f64 = from_file.units.measure("workload").unwrap().iter().sum();
    assert_eq!(total, 6_478_216.0);

    let (queen, _) = import_dataset(&req.clone().polygons(dir.join("units.geojson"))).unwrap();
    assert_eq!(queen.adjacency_source, AdjacencySource::PolygonsQueen);
    assert!(queen.bridged.is_empty());
    assert_eq!(
        edge_set(&queen),
        edge_set(&from_file),
        "queen contiguity from the polygons = adjacency.csv"
    );
    assert_eq!(queen.polygons.as_ref().map(Vec::len), Some(159));

    // instance.json: 416 of the 431 pairs share a border, 15 touch only at a corner.
    let (rook, _) = import_dataset(&req.polygons(dir.join("units.geojson")).contiguity(Contiguity::Rook)).unwrap();
    assert_eq!(rook.adjacency.edge_count(), 416);
    assert!(edge_set(&rook).is_subset(&edge_set(&queen)));
}

#[test]
fn conus_polygons_reproduce_the_adjacency_file_and_its_two_island_bridges_plus_one_t_junction() {
    let Some(dir) = shared_instance("conus") else { return };
    let (from_file, _) =
        import_dataset(&ImportRequest::new(dir.join("units.csv")).adjacency(dir.join("adjacency.csv"))).unwrap();
    assert_eq!(from_file.units.len(), 3107);
    assert_eq!(from_file.adjacency.edge_count(), 9102);
    let (queen, w) =
        import_dataset(&ImportRequest::new(dir.join("units.csv")).polygons(dir.join("units.geojson"))).unwrap();
    let ids = queen.units.ids();
    let mut bridges: Vec<(String, String)> = queen
        .bridged
        .iter()
        .map(|&(a, b)| (ids[a as usize].clone(), ids[b as usize].clone()))
        .map(|(x, y)| if x < y { (x, y) } else { (y, x) })
        .collect();
    bridges.sort();
    // Dukes–Nantucket (MA) and San Juan–Skagit (WA), as in the data README.
    assert_eq!(
        bridges,
        [
            ("25007".to_string(), "25019".to_string()),
            ("53055".to_string(), "53057".to_string())
        ]
    );
    // Two bridge warnings, and one for Falls Church, VA (51610), a LineString in us-atlas 1:10m.
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w.iter().any(|w| w.message.contains("\"51610\") is a LineString")));
    let (q, f) = (edge_set(&queen), edge_set(&from_file));
    let only_polygons: Vec<_> = q.difference(&f).collect();
    let only_file: Vec<_> = f.difference(&q).collect();
    // One pair more than the file: San Joaquin (06077) has a vertex lying exactly on Santa Clara's (06085)
    // edge x = -121.47097 without a vertex of Santa Clara there. The polygons touch at that point, so they are
    // queen neighbours; libpysal's Queen, which compares vertices only, misses such a T-junction contact.
    assert_eq!(
        only_polygons,
        [&("06077".to_string(), "06085".to_string())],
        "only in the file: {only_file:?}"
    );
    assert!(only_file.is_empty(), "only in the file: {only_file:?}");

    // instance.json: 8,704 of the pairs share a border (rook), 396 only a corner, and 2 are bridges.
    let req = ImportRequest::new(dir.join("units.csv")).polygons(dir.join("units.geojson"));
    let (rook, _) = import_dataset(&req.contiguity(Contiguity::Rook)).unwrap();
    let rook_pairs = rook.adjacency.edge_count() - rook.bridged.len();
    assert_eq!(rook_pairs, 8704);
}

/// Delaunay-derived adjacency of a ZIP instance must be connected and, with the default 150 km cut, equal to
/// the instance's own adjacency.csv (built the same way by the peers' scripts, per its instance.json).
fn delaunay_reproduces_the_instance(name: &str, n: usize, edges: usize, dropped: usize, readded: usize) {
    let Some(dir) = shared_instance(name) else { return };
    let (d, w) = import_dataset(&ImportRequest::new(dir.join("units.csv"))).unwrap();
    assert_eq!(d.units.len(), n);
    assert_eq!(d.adjacency_source, AdjacencySource::Delaunay);
    assert!(d.bridged.is_empty(), "a triangulation is connected by construction");
    assert_eq!(d.adjacency.components().1, 1);
    assert_eq!(d.adjacency.edge_count(), edges);
    let cut = format!("{dropped} links longer than 150 km dropped");
    assert!(w.iter().any(|w| w.message.starts_with(&cut)), "{w:?}");
    assert!(
        w.iter().any(|w| w.message.contains(&format!("{readded} kept"))),
        "{w:?}"
    );
    let (file, _) = read_adjacency(&dir.join("adjacency.csv"), &d.units).unwrap();
    let derived: Vec<(u32, u32)> = d.adjacency.edges().collect();
    assert_eq!(derived, file, "Delaunay + 150 km cut = adjacency.csv");
}

#[test]
fn zips_east_delaunay_is_connected_and_matches_the_adjacency_file() {
    delaunay_reproduces_the_instance("zips-east", 5370, 15986, 57, 0);
    let Some(dir) = shared_instance("zips-east") else {
        return;
    };
    let (f, _) = read_units(&dir.join("units.csv"), None).unwrap();
    assert_eq!(f.units.ids()[0], "01001", "ZIP ids keep their leading zero");
}

#[test]
fn zips_conus_large_delaunay_matches_the_adjacency_file() {
    delaunay_reproduces_the_instance("zips-conus-large", 29546, 88140, 270, 1);
}

// ---------------------------------------------------------------- big files

/// A units file of `n` rows on a grid over the US, CRLF line ends, ids with leading zeros.
fn big_units(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 40);
    out.push_str("id,lon,lat,workload,name\r\n");
    for i in 0..n {
        let (x, y) = (i % 1000, i / 1000);
        out.push_str(&format!(
            "{i:07},{:.4},{:.4},{},u{i}\r\n",
            -120.0 + x as f64 * 0.05,
            30.0 + y as f64 * 0.01,
            i % 97
        ));
    }
    out.into_bytes()
}

#[test]
fn large_units_file_reports_progress_and_can_be_cancelled() {
    let bytes = big_units(200_000);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress = Progress::with_listener(move |r| sink.lock().unwrap().push(r.fraction));
    let (f, _) = parse_units_with(Path::new("big.csv"), &bytes, None, &progress).unwrap();
    assert_eq!(f.units.len(), 200_000);
    assert_eq!(f.units.ids()[199_999], "0199999");
    assert_eq!(f.lines[199_999], 200_001);
    let fractions = seen.lock().unwrap().clone();
    assert!(fractions.len() >= 4, "{fractions:?}");
    assert!(
        fractions.windows(2).all(|w| w[0] <= w[1]) && fractions.last() == Some(&1.0),
        "{fractions:?}"
    );

    let progress = Progress::new();
    progress.cancel();
    let r = parse_units_with(Path::new("big.csv"), &bytes, None, &progress);
    assert_eq!(message(r), "big.csv: the import was cancelled");
}

/// The dirty-input check of issue 5: a million-row units file (about 10 s in a debug build, 1 s in release;
/// peak memory about 300 MB in all, a few hundred bytes a unit, since rows are streamed into columns).
#[test]
fn million_row_units_file_imports() {
    let bytes = big_units(1_000_000);
    let start = std::time::Instant::now();
    let (f, _) = parse_units(Path::new("million.csv"), &bytes, Some("workload")).unwrap();
    eprintln!(
        "1,000,000 rows ({} MB) parsed in {:?}",
        bytes.len() >> 20,
        start.elapsed()
    );
    assert_eq!(f.units.len(), 1_000_000);
    assert_eq!(f.text_columns[0].values[999_999], "u999999");
}

// ---------------------------------------------------------------- never a panic

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_as_units_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_units(Path::new("fuzz.csv"), &bytes, Some("workload"));
        let _ = parse_units(Path::new("fuzz.csv"), &bytes, None);
    }

    #[test]
    fn csv_like_text_as_units_never_panics(
        text in "(id|lon|lat|workload|territory|x)[,;](lon|lat|LNG|y)[,;](lat|lon|workload)\r?\n([-0-9a-z.,;\"]{0,12}\r?\n){0,6}"
    ) {
        let _ = parse_units(Path::new("fuzz.csv"), text.as_bytes(), None);
    }

    #[test]
    fn arbitrary_json_as_polygons_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let u = units(GRID).unwrap().units;
        let _ = parse_polygons(Path::new("fuzz.geojson"), &bytes, &u);
        let _ = parse_adjacency(Path::new("fuzz.csv"), &bytes, &u);
        let _ = parse_plan(Path::new("fuzz.csv"), &bytes, &u);
        let _ = tessera_workbook::import::parse_reps(Path::new("fuzz.csv"), &bytes);
    }

    #[test]
    fn arbitrary_bytes_as_accounts_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        use tessera_workbook::import::{parse_accounts, parse_named, AttachBy};
        let _ = parse_accounts(Path::new("fuzz.csv"), &bytes, &AttachBy::Column("key".into()), Some("rep"));
        let _ = parse_accounts(Path::new("fuzz.csv"), &bytes, &AttachBy::Point, None);
        let _ = parse_named(Path::new("fuzz.csv"), &bytes, &["a".to_string(), "b".to_string()]);
    }

    /// Every account parsed is attached to a unit whose id is its key, or equal to it but for leading zeros,
    /// or to none; never to another unit.
    #[test]
    fn accounts_attach_only_to_the_unit_their_key_names(
        rows in proptest::collection::vec(("[a-d]{1,2}", "0{0,2}[0-9]{1,2}", "[0-9]{1,3}"), 1..12)
    ) {
        use tessera_workbook::accounts::attach_by_key;
        use tessera_workbook::import::{parse_accounts, AttachBy};
        let mut text = String::from("id,key,w\n");
        for (id, key, w) in &rows {
            text.push_str(&format!("{id},{key},{w}\n"));
        }
        let Ok((file, _)) = parse_accounts(Path::new("a.csv"), text.as_bytes(), &AttachBy::Column("key".into()), None)
        else {
            return Ok(()); // a repeated id: refused, as it must be
        };
        let ids: Vec<String> = ["1", "01", "7", "12", "300"].iter().map(|s| s.to_string()).collect();
        let units = tessera_optimizer::Units::new(ids.clone(), vec![0.0; 5], vec![0.0; 5], vec![]).unwrap();
        let keys = &file.keys.as_ref().unwrap().1;
        let a = attach_by_key(&units, keys);
        prop_assert_eq!(a.unit_of.len(), file.len());
        let bare = |s: &str| s.trim_start_matches('0').to_string();
        for (k, u) in keys.iter().zip(&a.unit_of) {
            match u {
                Some(u) => prop_assert!(ids[*u] == *k || bare(&ids[*u]) == bare(k), "{} -> {}", k, ids[*u]),
                // "1" and "01" share a bare form, so "001" matches neither; any other key with a unit is matched.
                None => prop_assert!(!ids.contains(k) && (bare(k) == "1" || !ids.iter().any(|i| bare(i) == bare(k)))),
            }
        }
    }
}

#[test]
fn polygon_tolerance_joins_borders_digitised_apart() {
    // Two squares 1e-6 degrees (about 10 cm) apart: islands by default, neighbours with a 1e-5 tolerance.
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "u.csv", "id,lon,lat\na,0.5,0.5\nb,1.5,0.5\n");
    let features = [
        square_feature("\"a\"", 0.0, 0.0),
        square_feature("\"b\"", 1.000001, 0.0),
    ];
    let p = write(
        dir.path(),
        "p.geojson",
        &format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    );
    let (d, w) = import_dataset(&ImportRequest::new(&u).polygons(&p)).unwrap();
    assert_eq!(d.bridged, [(0, 1)]);
    assert_eq!(w.len(), 1);
    let (d, w) = import_dataset(&ImportRequest::new(&u).polygons(&p).polygon_tolerance(1e-5)).unwrap();
    assert!(d.bridged.is_empty() && w.is_empty());
    assert_eq!(d.adjacency.edge_count(), 1);
}

/// A GeoJSON Point or MultiPolygon geometry as a geo geometry, to check it with geo's validity rules.
fn geo_geometry(g: &serde_json::Value) -> geo::Geometry<f64> {
    let coord = |p: &serde_json::Value| geo::coord! { x: p[0].as_f64().unwrap(), y: p[1].as_f64().unwrap() };
    let ring = |r: &serde_json::Value| geo::LineString::new(r.as_array().unwrap().iter().map(coord).collect());
    match g["type"].as_str().unwrap() {
        "Point" => geo::Geometry::Point(geo::Point(coord(&g["coordinates"]))),
        "MultiPolygon" => geo::Geometry::MultiPolygon(geo::MultiPolygon::new(
            g["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let rings = p.as_array().unwrap();
                    geo::Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
                })
                .collect(),
        )),
        other => panic!("unexpected geometry type {other}"),
    }
}

#[test]
fn sample_county_51610_line_is_dropped_with_a_warning_and_every_export_is_valid() {
    use geo::Validation;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
    let req = ImportRequest::new(sample.join("us-counties.csv")).polygons(sample.join("us-counties.geojson"));
    let (ds, w) = import_dataset(&req).unwrap();
    let i = ds.units.index_of("51610").unwrap();
    let polygons = ds.polygons.as_ref().unwrap();
    assert!(polygons[i].0.is_empty(), "the line is no outline: {:?}", polygons[i]);
    let warning = w
        .iter()
        .find(|w| w.message.contains("\"51610\") is a LineString"))
        .unwrap();
    assert!(warning.message.contains("dropped"), "{warning}");
    // Falls Church keeps its neighbours: its line touches Arlington (51013) and Fairfax (51059).
    let neighbours: Vec<&str> = ds
        .adjacency
        .neighbors(i)
        .iter()
        .map(|&j| ds.units.ids()[j as usize].as_str())
        .collect();
    assert!(
        neighbours.contains(&"51013") || neighbours.contains(&"51059"),
        "{neighbours:?}"
    );
    for (k, mp) in polygons.iter().enumerate() {
        assert!(
            mp.is_valid(),
            "unit {} imported invalid: {:?}",
            ds.units.ids()[k],
            mp.check_validation()
        );
    }

    // GeoJSON export: every feature's geometry is valid.
    let v: serde_json::Value = serde_json::from_str(&tessera_workbook::export::plan_geojson(&ds, None)).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), ds.units.len());
    for f in features {
        let g = geo_geometry(&f["geometry"]);
        assert!(
            g.is_valid(),
            "exported feature {} is invalid: {:?}",
            f["id"],
            g.check_validation()
        );
    }
    assert_eq!(features[i]["geometry"]["type"], "Point");

    // GeoPackage: the workbook's units table, read back, holds only valid outlines.
    let dir = tempfile::tempdir().unwrap();
    let wb = tessera_workbook::Workbook::create(dir.path().join("s.tessera"), &ds).unwrap();
    let back = wb.dataset().unwrap();
    for (k, mp) in back.polygons.as_ref().unwrap().iter().enumerate() {
        assert!(
            mp.is_valid(),
            "unit {} stored invalid: {:?}",
            back.units.ids()[k],
            mp.check_validation()
        );
    }
}
