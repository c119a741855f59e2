"""Builds sample-data/us-states.geojson: US state outlines, the map's offline base layer.

The outlines are the counties of ../shared/data/counties.geojson (us-atlas 3.0.1, Census cartographic boundary
files 2017, 1:10m; see sample-data/README.md) dissolved by `state_abbr`. us-atlas keeps shared arcs, so the
union of a state's counties has no slivers. The result is simplified (topology-preserving, per state) and
rounded so the file stays small enough to embed in the UI bundle. The simplification is a coverage
simplification (GEOS via shapely >= 2.1), so neighbouring states keep one shared border instead of two that drift
apart.

Usage (needs shapely from PyPI: `pip install shapely`):

    python3 sample-data/build/states.py [COUNTIES_GEOJSON] [OUT_GEOJSON]

Defaults: ../shared/data/counties.geojson relative to the repository root, and sample-data/us-states.geojson.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

# Degrees; ~1 km at mid latitudes: invisible at the zooms where states matter, and it shrinks the file ~5x.
SIMPLIFY_TOLERANCE = 0.01
DECIMALS = 3

ROOT = Path(__file__).resolve().parents[2]


def rounded(coords):
    """Rounds nested coordinate lists to DECIMALS places."""
    if isinstance(coords[0], (int, float)):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "counties.geojson"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "sample-data" / "us-states.geojson"
    counties = json.loads(src.read_text())["features"]
    by_state = defaultdict(list)
    for f in counties:
        by_state[f["properties"]["state_abbr"]].append(shape(f["geometry"]))
    abbrs = sorted(by_state)
    states = [unary_union(by_state[abbr]) for abbr in abbrs]
    simplified = shapely.coverage_simplify(states, SIMPLIFY_TOLERANCE)
    features = []
    for abbr, geom in zip(abbrs, simplified):
        g = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {"state": abbr},
                "geometry": {"type": g["type"], "coordinates": rounded(g["coordinates"])},
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"{out}: {len(features)} states, {out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
