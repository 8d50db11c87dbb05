// Running the deployment plan against any EVM JSON-RPC endpoint: refusing to deploy twice,
// deploying, wiring, applying the genesis, verifying it all through view calls, writing
// deployment.json.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "icn/chain/deployment.hpp"
#include "icn/deploy/genesis.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"

namespace icn::deploy {

using chain::Deployment;  // deployment.json lives in icn/chain: every role reads it

struct DeployOptions {
  std::filesystem::path artifacts_dir;  // <Artifact>.json for every contract of the plan
  std::filesystem::path out;            // deployment.json, written atomically at the end
  bool overwrite = false;               // replace an `out` that names no live deployment
  std::string icn_version;
  std::chrono::seconds tx_timeout{120};  // per transaction receipt
  // One line per call ("deploy: [3/14] Treasury 0x…"); progress only, never needed for results.
  std::function<void(const std::string&)> progress;
};

// Refuses when `out` exists: always if the contracts it names have code on this chain (same chain
// id); otherwise (another chain, no code, unreadable) unless `overwrite`. Sends nothing.
Status check_existing_deployment(eth::RpcClient& rpc, uint64_t chain_id,
                                 const std::filesystem::path& out, bool overwrite);

// The whole deployment: the checks above and the genesis' chain id, the artifacts and the plan
// resolved against their ABIs (all before any transaction), then the contracts, wiring and
// genesis, a read-back of every step, and `out`. Errors name the step: "deploy failed at
// Registry: transaction reverted: …". `genesis_text` is the file the genesis was parsed from.
Result<Deployment> deploy_protocol(eth::RpcClient& rpc, eth::TransactionSender& sender,
                                   const Genesis& genesis, std::string_view genesis_text,
                                   const DeployOptions& options);

}  // namespace icn::deploy
