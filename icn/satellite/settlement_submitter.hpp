// The real Submitter: Settlement's commitEra and applySlash through an eth TransactionSender
// (icn/chain's SettlementContract binding), plus the Settlement reads the process needs at start
// (firstEra).
#pragma once

#include <chrono>
#include <filesystem>

#include "icn/chain/deployment.hpp"
#include "icn/chain/settlement_contract.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"
#include "icn/satellite/submitter.hpp"

namespace icn::satellite {

class SettlementSubmitter final : public Submitter {
 public:
  // Binds Settlement from the deployment with the ABI in artifacts_dir/Settlement.json. `rpc` and
  // `sender` must outlive the submitter.
  static Result<SettlementSubmitter> open(eth::RpcClient& rpc, eth::TransactionSender& sender,
                                          const chain::Deployment& deployment,
                                          const std::filesystem::path& artifacts_dir,
                                          std::chrono::milliseconds receipt_timeout);

  // commitEra(era, resultsRoot, dataRoot, signatures) mined; a revert names Settlement's error
  // ("EraOutOfOrder", "TooFewSignatures", …).
  Result<Hash> commit_era(const protocol::EraResult& result,
                          const std::vector<Signature>& signatures) override;
  Result<U256> slash_recorded(const U256& node_id) override;
  Result<Hash> apply_slash(uint64_t era, const protocol::NodeLeaf& leaf,
                           const std::vector<Hash>& proof) override;

  // Settlement.firstEra(): the era the satellites start from.
  Result<uint64_t> first_era();

 private:
  SettlementSubmitter(eth::TransactionSender& sender, chain::SettlementContract c,
                      std::chrono::milliseconds timeout)
      : sender_(&sender), settlement_(std::move(c)), timeout_(timeout) {}
  eth::TransactionSender* sender_;
  chain::SettlementContract settlement_;
  std::chrono::milliseconds timeout_;
};

}  // namespace icn::satellite
