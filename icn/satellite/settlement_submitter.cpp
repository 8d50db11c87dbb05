// SettlementSubmitter: commitEra, applySlash and the reads they need, over SettlementContract.
#include "icn/satellite/settlement_submitter.hpp"

namespace icn::satellite {

Result<SettlementSubmitter> SettlementSubmitter::open(eth::RpcClient& rpc,
                                                      eth::TransactionSender& sender,
                                                      const chain::Deployment& deployment,
                                                      const std::filesystem::path& artifacts_dir,
                                                      std::chrono::milliseconds receipt_timeout) {
  ICN_TRY(chain::SettlementContract settlement,
          chain::SettlementContract::open(rpc, deployment, artifacts_dir));
  return SettlementSubmitter(sender, std::move(settlement), receipt_timeout);
}

Result<Hash> SettlementSubmitter::commit_era(const protocol::EraResult& result,
                                             const std::vector<Signature>& signatures) {
  ICN_TRY(eth::Receipt receipt,
          settlement_.commit_era(*sender_, result, signatures,
                                 std::chrono::steady_clock::now() + timeout_));
  return receipt.tx_hash;
}

Result<U256> SettlementSubmitter::slash_recorded(const U256& node_id) {
  ICN_TRY(chain::NodeSettlementRecord record, settlement_.node_settlement(node_id));
  return record.slash_recorded;
}

Result<Hash> SettlementSubmitter::apply_slash(uint64_t era, const protocol::NodeLeaf& leaf,
                                              const std::vector<Hash>& proof) {
  ICN_TRY(eth::Receipt receipt,
          settlement_.apply_slash(*sender_, era, leaf, proof,
                                  std::chrono::steady_clock::now() + timeout_));
  return receipt.tx_hash;
}

Result<uint64_t> SettlementSubmitter::first_era() {
  return settlement_.first_era();
}

}  // namespace icn::satellite
