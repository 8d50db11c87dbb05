// Generated eras for the simulator: N ScalerNodes × M HyperNodes with keys derived from a seed,
// every challenge and answer really signed, the era batches each side would send, a share of the
// nodes down and k byzantine participants (DESIGN §6) — deterministic, so a seed names an era.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "icn/core/era_batch.hpp"
#include "icn/core/result.hpp"
#include "icn/core/secp256k1.hpp"

namespace icn::sim {

struct SimParams {
  uint32_t scaler_nodes = 20;
  uint32_t hyper_nodes = 4;
  // Share of the ScalerNodes that do not challenge in an era (no batch, no answers): chosen per
  // era from the seed, round(down_rate × N) of them.
  double down_rate = 0;
  // Byzantine participants, alternating: the even ones are HyperNodes that omit answered hashes
  // from their batch (every tenth UP node's), the odd ones daemons that replace one entry with a
  // forged one (a challenge the HyperNode never saw, "answered" with the daemon's own signature),
  // picked from the last UP node down; the forged entry is the one for HyperNode (node % M).
  uint32_t byzantine = 0;
  uint64_t seed = 1;
  uint64_t chain_id = 31337;
  Address settlement;  // with chain_id: the EIP-712 domain every message is signed in
};

// The participants: ScalerNode i (0-based) has id i + 1, HyperNode j id j + 1.
class SimNetwork {
 public:
  static Result<SimNetwork> create(const SimParams& params);

  const SimParams& params() const { return params_; }
  const Hash& domain() const { return domain_; }
  const PrivateKey& daemon_key(size_t node) const { return daemon_keys_[node]; }
  const PrivateKey& hyper_node_key(size_t hn) const { return hyper_node_keys_[hn]; }
  const Address& daemon(size_t node) const { return daemons_[node]; }
  const Address& hyper_node_signer(size_t hn) const { return signers_[hn]; }
  static U256 scaler_node_id(size_t node) { return U256(node + 1); }
  static U256 hyper_node_id(size_t hn) { return U256(hn + 1); }

 private:
  SimParams params_;
  Hash domain_{};
  std::vector<PrivateKey> daemon_keys_, hyper_node_keys_;
  std::vector<Address> daemons_, signers_;
};

// Who misbehaves in an era (0-based indices), so tests and reports can check the verdict.
struct EraCast {
  std::vector<uint32_t> down_nodes;            // ascending
  std::vector<uint32_t> omitting_hyper_nodes;  // ascending, distinct
  std::vector<uint32_t> forging_nodes;         // ascending, distinct
};

// Which nodes are down and who is byzantine in `era` (cheap: no signatures).
EraCast cast_era(const SimParams& params, uint64_t era);

// An era's batches as the satellites receive them: canonical protocol JSON, the daemons' batches
// (ascending node) then the HyperNodes' (ascending HyperNode).
struct GeneratedEra {
  uint64_t era = 0;
  EraCast cast;
  std::vector<std::string> batches;
  uint64_t challenges = 0;  // daemon entries over all batches
};

// Signs everything on `threads` threads (1M challenges are 2M signatures).
Result<GeneratedEra> generate_era(const SimNetwork& network, uint64_t era, unsigned threads = 2);

// The era from `cache_dir` when generated before with the same parameters, else generated and
// stored there (written atomically). `visit` is called for every batch in order; the batches are
// streamed from the file, so the caller holds one batch at a time.
struct CachedEra {
  EraCast cast;
  uint64_t batches = 0;
  uint64_t challenges = 0;
  bool from_cache = false;
  double generate_seconds = 0;  // 0 when from the cache
  std::filesystem::path file;
};
Result<CachedEra> ensure_cached_era(const SimNetwork& network, uint64_t era,
                                    const std::filesystem::path& cache_dir, unsigned threads = 2);
// Streams a cached era's batches (one canonical JSON text per line after the header line).
Status for_each_cached_batch(const std::filesystem::path& file,
                             const std::function<Status(std::string_view batch)>& visit);

// The file name an era is cached under: every parameter that changes its bytes is in it.
std::string cache_file_name(const SimParams& params, uint64_t era);

}  // namespace icn::sim
