// `icn sim`: generated eras through the REAL satellite — post_batch (decode, chain checks against
// an in-memory registry of the generated keys, signature check, durable SQLite store) and
// compute_era (verdicts, settlement, resultsRoot, dataRoot) — timed, with the machine's raw keccak
// and secp256k1 recover rates measured in the same run to compare with.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "icn/sim/era_generator.hpp"

namespace icn::sim {

struct SimOptions {
  SimParams params;
  uint64_t eras = 1;
  uint64_t first_era = 1;
  std::filesystem::path cache_dir;  // generated eras (kept between runs)
  std::filesystem::path work_dir;   // the satellite's database (created; emptied first)
  unsigned threads = 2;             // generation only: the satellite is measured as it runs
  // Concurrent post_batch callers, as the satellite's HTTP workers serve concurrent senders;
  // their inserts share group commits (one fsync per group).
  unsigned senders = 16;
  // Also run core's compute_era_verdicts on the stored batches (untimed) to report misreporting
  // HyperNodes and dropped entries, which the stored EraState does not keep.
  bool detail = true;
  double calibration_seconds = 0.3;  // per primitive
};

struct EraFigures {
  uint64_t era = 0;
  uint64_t batches = 0;
  uint64_t challenges = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  bool from_cache = false;
  double generate_seconds = 0;
  double ingest_seconds = 0;   // wall time of every post_batch (`senders` at once)
  double compute_seconds = 0;  // compute_era: verdicts, settlement, roots, signing, store
  double ingest_cpu_seconds = 0, compute_cpu_seconds = 0;  // process CPU (user + system)
  uint64_t up = 0, down = 0;  // from the stored EraState (bit 0 of each node's DOWN history)
  bool has_verdict = false;
  // detail only:
  uint64_t misreporting_hyper_nodes = 0;
  uint64_t dropped_entries = 0;
  uint64_t omitted_entries = 0;
  std::string results_root, data_root;
  EraCast cast;
};

struct Calibration {
  double keccak64_per_second = 0;  // keccak256 of a 64-byte input (one Merkle node)
  double recover_per_second = 0;   // recover_address: ecrecover + keccak of the public key
};

struct SimReport {
  SimParams params;
  std::vector<EraFigures> eras;
  Calibration calibration;
  uint64_t batches = 0, challenges = 0;
  double ingest_seconds = 0, compute_seconds = 0, satellite_seconds = 0;
  double cpu_seconds = 0;  // process CPU over the satellite's work (shared machines: compare)
  double batches_per_second = 0, challenges_per_second = 0;
  // Signature checks the satellite makes: each batch at ingest and again in the verdict, plus
  // two per mismatched entry; their cost at the calibrated recover rate, the rest is hashing,
  // decoding and storing.
  uint64_t signature_checks = 0;
  double signature_seconds = 0;
  double other_seconds = 0;
  double signature_share = 0;
  // challenges/s ÷ keccak64/s: the satellite's rate in units of the raw hash rate.
  double challenges_per_keccak = 0;
  uint64_t peak_rss_kib = 0;  // high-water mark while the satellite worked (generation excluded)
  uint64_t database_bytes = 0;
};

Calibration calibrate(double seconds_per_primitive);
Result<SimReport> run_sim(const SimOptions& options);
nlohmann::json to_json(const SimReport& report);
std::string to_table(const SimReport& report);

}  // namespace icn::sim
