// Approximate centroids [longitude, latitude] of countries by ISO 3166-1 alpha-3 (what Registry and
// HyperNodeRegistry store as a node's location). Enough for dots on a world map; not geodesy.
export const CENTROIDS: Record<string, [number, number]> = {
  ARG: [-64, -34], AUS: [134, -25], AUT: [14.5, 47.5], BEL: [4.5, 50.5], BGR: [25, 42.7], BRA: [-53, -10],
  CAN: [-100, 58], CHE: [8.2, 46.8], CHL: [-71, -35], CHN: [104, 35], COL: [-73, 4], CZE: [15.5, 49.8],
  DEU: [10.4, 51.2], DNK: [9.5, 56], EGY: [30, 26.5], ESP: [-3.7, 40.2], EST: [25.5, 58.7], FIN: [26, 64],
  FRA: [2.4, 46.6], GBR: [-2, 54], GRC: [22, 39], HKG: [114.2, 22.3], HRV: [16, 45.2], HUN: [19.5, 47.2],
  IDN: [117, -2], IND: [79, 22], IRL: [-8, 53.2], ISL: [-18.5, 65], ISR: [35, 31.4], ITA: [12.6, 42.8],
  JPN: [138, 36.5], KEN: [38, 0.2], KOR: [127.8, 36.4], LTU: [24, 55.3], LUX: [6.1, 49.8], LVA: [24.8, 56.9],
  MAR: [-6.5, 32], MEX: [-102, 23.6], MYS: [102, 4], NGA: [8, 9.6], NLD: [5.3, 52.2], NOR: [9, 61.5],
  NZL: [172, -41.5], PER: [-75, -9.2], PHL: [122, 12.5], POL: [19.4, 52], PRT: [-8.2, 39.6], ROU: [25, 45.9],
  RUS: [90, 61.5], SAU: [45, 24], SGP: [103.8, 1.35], SRB: [20.9, 44], SVK: [19.5, 48.7], SVN: [14.9, 46.1],
  SWE: [16, 62.5], THA: [101, 15.5], TUR: [35, 39], TWN: [121, 23.7], UKR: [31.2, 49], ARE: [54, 24],
  USA: [-98.5, 39.5], VNM: [106, 16], ZAF: [24.7, -29], QAT: [51.2, 25.3], PAK: [69.4, 30], BGD: [90.3, 23.7],
  KAZ: [67, 48], DZA: [2.6, 28], ETH: [39.6, 8.6], URY: [-56, -32.8], VEN: [-66, 7], CYP: [33.2, 35],
  MLT: [14.4, 35.9], GEO: [43.4, 42.3], ARM: [45, 40.1], BLR: [28, 53.7], MDA: [28.4, 47.2],
};
