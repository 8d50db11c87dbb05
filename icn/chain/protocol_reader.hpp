// ChainView over JSON-RPC: typed eth_calls into the deployed protocol (deployment.json + the
// compiled artifacts' ABIs), each at the block the caller names. Every answer is decoded against
// the ABI and checked; a failed call says which contract, function and block.
#pragma once

#include <filesystem>

#include "icn/chain/chain_view.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/json_rpc.hpp"

namespace icn::chain {

class ProtocolReader final : public ChainView {
 public:
  // Binds the deployment's contracts with the ABIs in `artifacts_dir` and checks the endpoint's
  // chain id is the deployment's ("deployment.json is for chain 31337, the RPC serves chain 1").
  // `rpc` must outlive the reader.
  static Result<ProtocolReader> open(eth::RpcClient& rpc, const Deployment& deployment,
                                     const std::filesystem::path& artifacts_dir);

  uint64_t chain_id() const override { return chain_id_; }
  Address settlement() const override { return *settlement_.address(); }

  Result<uint64_t> head_block() override;
  Result<uint64_t> era_at(uint64_t block) override;
  Result<EraBounds> era_bounds(uint64_t era) override;

  Result<std::optional<ScalerNodeInfo>> scaler_node(const U256& id, uint64_t block) override;
  Result<std::optional<U256>> scaler_node_by_daemon(const Address& daemon, uint64_t block) override;
  Result<std::vector<ScalerNodeInfo>> scaler_nodes(uint64_t block) override;
  Result<std::optional<HyperNodeInfo>> hyper_node(const U256& id, uint64_t block) override;
  Result<std::vector<HyperNodeInfo>> hyper_nodes(uint64_t block) override;

  Result<Committee> committee(uint64_t block) override;
  Result<std::optional<CommittedEra>> last_committed_era(uint64_t block) override;

  Result<HardwareClassInfo> hardware_class(uint32_t class_id, uint64_t block) override;
  // Registry.hardwareClassIdByName: nullopt for an unknown name.
  Result<std::optional<uint32_t>> hardware_class_id(const std::string& name, uint64_t block);

  Result<uint64_t> block_timestamp(uint64_t block) override;
  // Six eth_calls per node plus one per booking, sent as JSON-RPC batches of kBatchCalls.
  Result<std::vector<NodeEconomicsInfo>> node_economics(std::span<const U256> ids,
                                                        uint64_t block) override;
  Result<U256> capacity_subsidy_per_unit(uint32_t region_id, uint32_t class_id,
                                         uint64_t block) override;
  // bundleCount, then one batched ICNLink.bundle per bundle.
  Result<std::vector<LinkBundleInfo>> link_bundles(uint64_t block) override;
  Result<LinkCurve> link_curve(uint64_t era_start_timestamp, uint64_t block) override;
  // eth_getLogs on Settlement, kLogRange blocks per request.
  Result<std::vector<MaintenanceDeclaration>> maintenance_declarations(uint64_t from_block,
                                                                       uint64_t to_block) override;

  static constexpr size_t kBatchCalls = 500;   // eth_calls per JSON-RPC batch request
  static constexpr uint64_t kLogRange = 2000;  // blocks per eth_getLogs

 private:
  ProtocolReader() = default;
  // `contract.function(args)` at `block`, decoded; errors name all three.
  Result<abi::Value::List> call(const eth::Contract& contract, std::string_view name,
                                std::string_view function, std::vector<abi::Value> args,
                                const eth::BlockRef& block);

  // One view call of a batch.
  struct BatchCall {
    const eth::Contract* contract = nullptr;
    std::string_view name;  // the contract's, for errors
    std::string_view function;
    std::vector<abi::Value> args;
  };
  // The calls at `block` as JSON-RPC batches of kBatchCalls, each answer decoded; any failure
  // (transport, revert, malformed answer) fails the whole read, naming the call.
  Result<std::vector<abi::Value::List>> call_batch(const std::vector<BatchCall>& calls,
                                                   const eth::BlockRef& block);

  eth::RpcClient* rpc_ = nullptr;
  uint64_t chain_id_ = 0;
  eth::Contract eras_, registry_, hyper_node_registry_, links_, settlement_;
  eth::Contract market_, reward_policy_, collateral_;
};

}  // namespace icn::chain
