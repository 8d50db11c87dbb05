// SettlementSubmitter: commitEra and firstEra over the Settlement ABI.
#include "icn/satellite/settlement_submitter.hpp"

namespace icn::satellite {

Result<SettlementSubmitter> SettlementSubmitter::open(eth::RpcClient& rpc,
                                                      eth::TransactionSender& sender,
                                                      const chain::Deployment& deployment,
                                                      const std::filesystem::path& artifacts_dir,
                                                      std::chrono::milliseconds receipt_timeout) {
  auto at = deployment.address_of("Settlement");
  if (!at) return fail("deployment.json names no Settlement");
  ICN_TRY(eth::Artifact artifact, eth::Artifact::load(artifacts_dir / "Settlement.json"));
  ICN_TRY(eth::Contract contract, eth::Contract::from_artifact(artifact));
  return SettlementSubmitter(rpc, sender, contract.at(*at), receipt_timeout);
}

Result<Hash> SettlementSubmitter::commit_era(const protocol::EraResult& result,
                                             const std::vector<Signature>& signatures) {
  abi::Value::List sigs;
  for (const auto& s : signatures) {
    auto rsv = s.to_rsv65();
    sigs.emplace_back(Bytes(rsv.begin(), rsv.end()));
  }
  std::vector<abi::Value> args = {
      abi::Value::uint(result.era),
      abi::Value(Bytes(result.results_root.begin(), result.results_root.end())),
      abi::Value(Bytes(result.data_root.begin(), result.data_root.end())),
      abi::Value(std::move(sigs))};
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  ICN_TRY_CTX(eth::Receipt receipt, settlement_.transact(*sender_, "commitEra", args, deadline),
              "Settlement.commitEra(" + std::to_string(result.era) + ")");
  return receipt.tx_hash;
}

Result<uint64_t> SettlementSubmitter::first_era() {
  ICN_TRY_CTX(auto out, settlement_.call(*rpc_, "firstEra", {}), "Settlement.firstEra()");
  if (out.size() != 1 || !out[0].is<U256>() || out[0].get<U256>() > UINT64_MAX) {
    return fail("Settlement.firstEra(): expected one uint64");
  }
  return static_cast<uint64_t>(out[0].get<U256>());
}

}  // namespace icn::satellite
