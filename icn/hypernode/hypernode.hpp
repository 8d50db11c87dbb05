// The `icn hypernode` process: its config, and run() wiring the store, the challenge service, the
// HTTP API, the era loop (chain refresh, batch building) and the batch sender until a stop.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/u256.hpp"
#include "icn/hypernode/rate_limit.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/signals.hpp"

namespace icn::hypernode {

struct HyperNodeConfig {
  std::filesystem::path data_dir;  // required
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 7400;
  std::string rpc_url = "http://127.0.0.1:8545";
  std::filesystem::path deployment_file;  // required
  std::filesystem::path artifacts_dir;    // empty: the build's artifacts next to the binary
  std::filesystem::path key_file;         // required: the HyperNode's signing key
  std::filesystem::path password_file;    // for a keystore key file (else $ICN_KEYSTORE_PASSWORD)
  U256 hyper_node_id;                     // required
  std::vector<std::string> satellites;    // base URLs of the satellites' batch APIs
  std::string log_level = "info";
  std::chrono::milliseconds poll_interval{1000};  // how often the head block is read
  std::chrono::milliseconds batch_first_retry{1000};
  std::chrono::milliseconds batch_max_retry{60000};
  // Answers waiting for their group commit hold a thread each without using CPU: more threads,
  // larger commits (8 threads: about 4 answers per fsync, 32: about 16).
  unsigned http_threads = 32;
  RateLimitOptions rate_limit;  // [rate_limit]
};

// Reads every key (see docs/hypernode.md) and refuses unknown ones.
Result<HyperNodeConfig> read_hypernode_config(infra::Config& config);

struct RunHooks {
  std::function<void(const std::string& url)> on_listening;  // once the API is up
};

// Holds the data dir lock, serves until `stop` is requested, then stops cleanly (HTTP first, so
// no answer is half-recorded). Fails at start when the key is not the HyperNode's registered
// signer. `version` goes into every batch ("icn/0.1.0").
Status run_hypernode(const HyperNodeConfig& config, chain::ChainView& chain, const PrivateKey& key,
                     const std::string& version, infra::StopFlag& stop, RunHooks hooks = {});

}  // namespace icn::hypernode
