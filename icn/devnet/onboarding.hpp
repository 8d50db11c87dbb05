// Bringing a fresh devnet's accounts on chain with the transactions real users make (icn/actions):
// ETH and ICNT for every account, Hardware Providers with their ScalerNodes validated, HyperNodes
// registered with a Link staked each, a funded Builder. Role ids are written into the topology.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "icn/chain/deployment.hpp"
#include "icn/devnet/topology.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"

namespace icn::devnet {

struct OnboardingInputs {
  std::filesystem::path dir;  // keys live in <dir>/keys
  std::filesystem::path artifacts;
  std::string genesis_region;  // the region and class every node is registered in
  std::string genesis_class;
  std::function<void(const std::string&)> progress;
};

// A sender for the devnet account whose key is <dir>/<account.key_file()>, bound to the devnet
// chain.
Result<eth::TransactionSender> account_sender(eth::RpcClient& rpc, const std::filesystem::path& dir,
                                              const Account& account);

Status onboard(eth::RpcClient& rpc, const chain::Deployment& deployment, Topology& topology,
               const OnboardingInputs& inputs);

}  // namespace icn::devnet
