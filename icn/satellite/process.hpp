// The `icn satellite` process: its config file keys and the run loop (data dir lock, logging, the
// database, the HTTP API with /metrics, the era tick) until a stop is requested.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "icn/chain/chain_view.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/signals.hpp"
#include "icn/satellite/satellite.hpp"

namespace icn::satellite {

struct SatelliteConfig {
  std::filesystem::path data_dir;         // data_dir (required): LOCK, satellite.db, satellite.log
  std::string listen_host = "127.0.0.1";  // listen = "HOST:PORT"
  uint16_t listen_port = 7400;
  std::string rpc = "http://127.0.0.1:8545";
  std::filesystem::path deployment;  // deployment (required): deployment.json
  std::filesystem::path key_file;    // key_file (required): the committee member's signing key
  std::optional<std::filesystem::path> password_file;  // for a keystore key_file
  std::string log_level = "info";
  size_t max_body_bytes = 64 << 20;                // a HyperNode batch of 200,000 hashes is ~14 MB
  std::optional<std::filesystem::path> artifacts;  // default: the artifacts of this build
  std::optional<uint64_t> first_era;               // default: Settlement.firstEra() read at start
  bool submit = true;        // submit commitEra (the key pays gas) or only sign
  SatelliteOptions options;  // peers, grace_blocks, submit_timeout_blocks, poll_interval, …
};

// Reads every satellite key of `config` (see docs/satellite.md) and then refuses unknown keys.
Result<SatelliteConfig> read_satellite_config(infra::Config& config);

// Runs the satellite until `stop` is requested. The chain view, key and submitter come from the
// caller (cmd wires the JSON-RPC reader and the commitEra sender); `submitter` may be null.
// `on_listening` (optional) is told the bound URL once the API serves.
Status run_satellite(const SatelliteConfig& config, chain::ChainView& chain,
                     const PrivateKey& signer, EconomicsSource& economics,
                     MaintenanceSource& maintenance, Submitter* submitter,
                     const infra::StopFlag& stop,
                     const std::function<void(const std::string&)>& on_listening = {});

}  // namespace icn::satellite
