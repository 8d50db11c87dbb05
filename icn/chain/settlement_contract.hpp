// Settlement (contracts/src/settlement/Settlement.sol) as typed C++: the transactions satellites
// send (commitEra, applySlash) and claimants send (claimHpRewards, claimLinkRewards), and the reads
// they make first (committed eras and roots, what a node or bundle has been paid and slashed).
// One binding, so the satellite keeper and `icn claim` encode the same calls the same way.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/core/era_results.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/sender.hpp"

namespace icn::chain {

// Settlement.nodeSettlement(nodeId): cumulative amounts paid and slashed so far.
struct NodeSettlementRecord {
  U256 claimed_utilisation;
  U256 claimed_subsidy;
  U256 slash_recorded;  // the highest cumulative slash applied
  U256 slash_taken;     // ICNT actually taken; recorded − taken is owed
};

// Settlement.HpRewardsClaimed / LinkRewardsClaimed / SlashApplied as found in a receipt.
struct HpRewardsClaimed {
  U256 node_id;
  uint64_t era = 0;
  Address hp;
  U256 utilisation, subsidy, to_collateral, to_delegators, to_hp;
};
struct LinkRewardsClaimed {
  U256 bundle_id;
  uint64_t era = 0;
  Address owner;
  U256 amount;
};
struct SlashApplied {
  U256 node_id;
  uint64_t era = 0;
  U256 slashed, from_collateral, from_delegation, owed;
};

class SettlementContract {
 public:
  // Binds the deployment's Settlement with the ABI in artifacts_dir/Settlement.json. `rpc` must
  // outlive the binding.
  static Result<SettlementContract> open(eth::RpcClient& rpc, const Deployment& deployment,
                                         const std::filesystem::path& artifacts_dir);

  const eth::Contract& contract() const { return contract_; }
  Address address() const { return *contract_.address(); }

  // ---- reads (latest block)
  Result<uint64_t> first_era();
  // None before the first commit (Settlement answers type(uint64).max).
  Result<std::optional<uint64_t>> last_committed_era();
  // The roots committed for `era`; zero roots when it is not committed.
  Result<CommittedEra> era_roots(uint64_t era);
  Result<NodeSettlementRecord> node_settlement(const U256& node_id);
  Result<U256> claimed_link_rewards(const U256& bundle_id);
  Result<uint64_t> hp_claim_delay();
  Result<uint64_t> link_claim_wait();

  // ---- transactions: mined, or an error naming Settlement's revert ("StaleLeaf(id=…)", …)
  Result<eth::Receipt> commit_era(eth::TransactionSender& sender, const protocol::EraResult& result,
                                  const std::vector<Signature>& signatures, eth::Deadline deadline);
  Result<eth::Receipt> apply_slash(eth::TransactionSender& sender, uint64_t era,
                                   const protocol::NodeLeaf& leaf, const std::vector<Hash>& proof,
                                   eth::Deadline deadline);
  Result<eth::Receipt> claim_hp_rewards(eth::TransactionSender& sender, uint64_t era,
                                        const protocol::NodeLeaf& leaf,
                                        const std::vector<Hash>& proof, eth::Deadline deadline);
  Result<eth::Receipt> claim_link_rewards(eth::TransactionSender& sender, uint64_t era,
                                          const protocol::LinkLeaf& leaf,
                                          const std::vector<Hash>& proof, eth::Deadline deadline);

  // The event of that kind in a receipt of this contract; an error when there is none.
  Result<HpRewardsClaimed> hp_rewards_claimed(const eth::Receipt& receipt) const;
  Result<LinkRewardsClaimed> link_rewards_claimed(const eth::Receipt& receipt) const;
  Result<SlashApplied> slash_applied(const eth::Receipt& receipt) const;

 private:
  SettlementContract(eth::RpcClient& rpc, eth::Contract c) : rpc_(&rpc), contract_(std::move(c)) {}
  // applySlash / claimHpRewards: (era, leaf, proof), errors naming the call, era and node.
  Result<eth::Receipt> node_leaf_transaction(eth::TransactionSender& sender,
                                             std::string_view function, uint64_t era,
                                             const protocol::NodeLeaf& leaf,
                                             const std::vector<Hash>& proof,
                                             eth::Deadline deadline);
  Result<abi::Value::List> call(std::string_view function, std::vector<abi::Value> args,
                                size_t outputs);
  Result<abi::DecodedLog> find_event(const eth::Receipt& receipt, std::string_view name) const;

  eth::RpcClient* rpc_;
  eth::Contract contract_;
};

}  // namespace icn::chain
