// SettlementContract: Settlement's ABI calls, transactions and events, typed.
#include "icn/chain/settlement_contract.hpp"

#include <algorithm>
#include <limits>

#include "icn/core/abi_read.hpp"

namespace icn::chain {
namespace {

Result<Hash> hash_of(const abi::Value& v, std::string_view what) {
  const Bytes* b = v.get_if<Bytes>();
  if (!b || b->size() != 32) return fail(std::string(what) + ": expected bytes32");
  Hash h;
  std::copy(b->begin(), b->end(), h.begin());
  return h;
}

abi::Value bytes32(const Hash& h) {
  return abi::Value(Bytes(h.begin(), h.end()));
}
abi::Value proof_value(const std::vector<Hash>& proof) {
  abi::Value::List out;
  for (const auto& h : proof) out.push_back(bytes32(h));
  return abi::Value(std::move(out));
}
abi::Value leaf_value(const protocol::NodeLeaf& l) {
  return abi::Value(abi::Value::List{l.node_id, l.utilisation, l.subsidy, l.slashed, l.booking_id,
                                     l.booking_up_eras});
}

// A decoded event's parameter by name.
Result<const abi::Value*> param(const abi::DecodedLog& log, std::string_view name) {
  for (const auto& p : log.params) {
    if (p.name == name) return &p.value;
  }
  return fail(log.event + ": no parameter " + std::string(name));
}
Result<U256> uint_param(const abi::DecodedLog& log, std::string_view name) {
  ICN_TRY(const abi::Value* v, param(log, name));
  return abi::as_uint(*v, log.event + "." + std::string(name));
}
Result<uint64_t> u64_param(const abi::DecodedLog& log, std::string_view name) {
  ICN_TRY(const abi::Value* v, param(log, name));
  return abi::as_u64(*v, log.event + "." + std::string(name));
}
Result<Address> address_param(const abi::DecodedLog& log, std::string_view name) {
  ICN_TRY(const abi::Value* v, param(log, name));
  if (const Address* a = v->get_if<Address>()) return *a;
  return fail(log.event + "." + std::string(name) + ": expected an address");
}

}  // namespace

Result<SettlementContract> SettlementContract::open(eth::RpcClient& rpc,
                                                    const Deployment& deployment,
                                                    const std::filesystem::path& artifacts_dir) {
  auto at = deployment.address_of("Settlement");
  if (!at) return fail("deployment.json names no Settlement");
  ICN_TRY(eth::Artifact artifact, eth::Artifact::load(artifacts_dir / "Settlement.json"));
  ICN_TRY(eth::Contract contract, eth::Contract::from_artifact(artifact));
  return SettlementContract(rpc, contract.at(*at));
}

Result<abi::Value::List> SettlementContract::call(std::string_view function,
                                                  std::vector<abi::Value> args, size_t outputs) {
  ICN_TRY_CTX(auto out, contract_.call(*rpc_, function, args),
              "Settlement." + std::string(function));
  if (out.size() != outputs) {
    return fail("Settlement." + std::string(function) + ": expected " + std::to_string(outputs) +
                " return value(s), got " + std::to_string(out.size()));
  }
  return out;
}

Result<uint64_t> SettlementContract::first_era() {
  ICN_TRY(auto out, call("firstEra", {}, 1));
  return abi::as_u64(out[0], "Settlement.firstEra");
}

Result<std::optional<uint64_t>> SettlementContract::last_committed_era() {
  ICN_TRY(auto out, call("lastCommittedEra", {}, 1));
  ICN_TRY(uint64_t last, abi::as_u64(out[0], "Settlement.lastCommittedEra"));
  if (last == std::numeric_limits<uint64_t>::max()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(last);
}

Result<CommittedEra> SettlementContract::era_roots(uint64_t era) {
  ICN_TRY(auto out, call("eraRoots", {abi::Value::uint(era)}, 2));
  CommittedEra c;
  c.era = era;
  ICN_TRY(c.results_root, hash_of(out[0], "Settlement.eraRoots.resultsRoot"));
  ICN_TRY(c.data_root, hash_of(out[1], "Settlement.eraRoots.dataRoot"));
  return c;
}

Result<NodeSettlementRecord> SettlementContract::node_settlement(const U256& node_id) {
  ICN_TRY(auto out, call("nodeSettlement", {abi::Value(node_id)}, 1));
  const auto* t = out[0].get_if<abi::Value::List>();
  if (!t || t->size() != 4) return fail("Settlement.nodeSettlement: expected a tuple of 4");
  NodeSettlementRecord r;
  ICN_TRY(r.claimed_utilisation, abi::as_uint((*t)[0], "nodeSettlement.claimedUtilisation"));
  ICN_TRY(r.claimed_subsidy, abi::as_uint((*t)[1], "nodeSettlement.claimedSubsidy"));
  ICN_TRY(r.slash_recorded, abi::as_uint((*t)[2], "nodeSettlement.slashRecorded"));
  ICN_TRY(r.slash_taken, abi::as_uint((*t)[3], "nodeSettlement.slashTaken"));
  return r;
}

Result<U256> SettlementContract::claimed_link_rewards(const U256& bundle_id) {
  ICN_TRY(auto out, call("claimedLinkRewards", {abi::Value(bundle_id)}, 1));
  return abi::as_uint(out[0], "Settlement.claimedLinkRewards");
}

Result<uint64_t> SettlementContract::hp_claim_delay() {
  ICN_TRY(auto out, call("hpClaimDelay", {}, 1));
  return abi::as_u64(out[0], "Settlement.hpClaimDelay");
}

Result<uint64_t> SettlementContract::link_claim_wait() {
  ICN_TRY(auto out, call("linkClaimWait", {}, 1));
  return abi::as_u64(out[0], "Settlement.linkClaimWait");
}

Result<eth::Receipt> SettlementContract::commit_era(eth::TransactionSender& sender,
                                                    const protocol::EraResult& result,
                                                    const std::vector<Signature>& signatures,
                                                    eth::Deadline deadline) {
  abi::Value::List sigs;
  for (const auto& s : signatures) {
    auto rsv = s.to_rsv65();
    sigs.emplace_back(Bytes(rsv.begin(), rsv.end()));
  }
  std::vector<abi::Value> args = {abi::Value::uint(result.era), bytes32(result.results_root),
                                  bytes32(result.data_root), abi::Value(std::move(sigs))};
  ICN_TRY_CTX(eth::Receipt receipt, contract_.transact(sender, "commitEra", args, deadline),
              "Settlement.commitEra(" + std::to_string(result.era) + ")");
  return receipt;
}

Result<eth::Receipt> SettlementContract::node_leaf_transaction(
    eth::TransactionSender& sender, std::string_view function, uint64_t era,
    const protocol::NodeLeaf& leaf, const std::vector<Hash>& proof, eth::Deadline deadline) {
  std::vector<abi::Value> args = {abi::Value::uint(era), leaf_value(leaf), proof_value(proof)};
  ICN_TRY_CTX(eth::Receipt receipt, contract_.transact(sender, function, args, deadline),
              "Settlement." + std::string(function) + "(era " + std::to_string(era) + ", node " +
                  to_decimal(leaf.node_id) + ")");
  return receipt;
}

Result<eth::Receipt> SettlementContract::apply_slash(eth::TransactionSender& sender, uint64_t era,
                                                     const protocol::NodeLeaf& leaf,
                                                     const std::vector<Hash>& proof,
                                                     eth::Deadline deadline) {
  return node_leaf_transaction(sender, "applySlash", era, leaf, proof, deadline);
}

Result<eth::Receipt> SettlementContract::claim_hp_rewards(eth::TransactionSender& sender,
                                                          uint64_t era,
                                                          const protocol::NodeLeaf& leaf,
                                                          const std::vector<Hash>& proof,
                                                          eth::Deadline deadline) {
  return node_leaf_transaction(sender, "claimHpRewards", era, leaf, proof, deadline);
}

Result<eth::Receipt> SettlementContract::claim_link_rewards(eth::TransactionSender& sender,
                                                            uint64_t era,
                                                            const protocol::LinkLeaf& leaf,
                                                            const std::vector<Hash>& proof,
                                                            eth::Deadline deadline) {
  std::vector<abi::Value> args = {abi::Value::uint(era), abi::Value(leaf.bundle_id),
                                  abi::Value(leaf.reward), proof_value(proof)};
  ICN_TRY_CTX(eth::Receipt receipt, contract_.transact(sender, "claimLinkRewards", args, deadline),
              "Settlement.claimLinkRewards(era " + std::to_string(era) + ", bundle " +
                  to_decimal(leaf.bundle_id) + ")");
  return receipt;
}

Result<abi::DecodedLog> SettlementContract::find_event(const eth::Receipt& receipt,
                                                       std::string_view name) const {
  for (const auto& log : receipt.logs) {
    if (log.address != address()) continue;
    auto decoded = contract_.decode_log(log);
    if (decoded && decoded->event == name) return *decoded;
  }
  return fail("transaction " + to_hex(receipt.tx_hash) + " has no Settlement." + std::string(name) +
              " event");
}

Result<HpRewardsClaimed> SettlementContract::hp_rewards_claimed(const eth::Receipt& receipt) const {
  ICN_TRY(auto log, find_event(receipt, "HpRewardsClaimed"));
  HpRewardsClaimed e;
  ICN_TRY(e.node_id, uint_param(log, "nodeId"));
  ICN_TRY(e.era, u64_param(log, "era"));
  ICN_TRY(e.hp, address_param(log, "hp"));
  ICN_TRY(e.utilisation, uint_param(log, "utilisation"));
  ICN_TRY(e.subsidy, uint_param(log, "subsidy"));
  ICN_TRY(e.to_collateral, uint_param(log, "toCollateral"));
  ICN_TRY(e.to_delegators, uint_param(log, "toDelegators"));
  ICN_TRY(e.to_hp, uint_param(log, "toHp"));
  return e;
}

Result<LinkRewardsClaimed> SettlementContract::link_rewards_claimed(
    const eth::Receipt& receipt) const {
  ICN_TRY(auto log, find_event(receipt, "LinkRewardsClaimed"));
  LinkRewardsClaimed e;
  ICN_TRY(e.bundle_id, uint_param(log, "bundleId"));
  ICN_TRY(e.era, u64_param(log, "era"));
  ICN_TRY(e.owner, address_param(log, "owner"));
  ICN_TRY(e.amount, uint_param(log, "amount"));
  return e;
}

Result<SlashApplied> SettlementContract::slash_applied(const eth::Receipt& receipt) const {
  ICN_TRY(auto log, find_event(receipt, "SlashApplied"));
  SlashApplied e;
  ICN_TRY(e.node_id, uint_param(log, "nodeId"));
  ICN_TRY(e.era, u64_param(log, "era"));
  ICN_TRY(e.slashed, uint_param(log, "slashed"));
  ICN_TRY(e.from_collateral, uint_param(log, "fromCollateral"));
  ICN_TRY(e.from_delegation, uint_param(log, "fromDelegation"));
  ICN_TRY(e.owed, uint_param(log, "owed"));
  return e;
}

}  // namespace icn::chain
