// The deployment's contracts bound to their addresses (ABIs from the artifacts dir), and one way to
// call and transact with them whose errors name the contract, the function and the decoded revert.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "icn/chain/deployment.hpp"
#include "icn/core/abi_read.hpp"
#include "icn/core/abi_value.hpp"
#include "icn/core/result.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"

namespace icn::actions {

struct ProtocolOptions {
  // How long a transaction may take from sending to its receipt.
  std::chrono::milliseconds receipt_timeout{60'000};
};

class Protocol {
 public:
  // Binds every contract of the deployment with its artifact (RewardsReserve and LinkRewardPool
  // are ReservePools) and checks the RPC serves the deployment's chain. `rpc` must outlive it.
  static Result<Protocol> open(eth::RpcClient& rpc, const chain::Deployment& deployment,
                               const std::filesystem::path& artifacts_dir,
                               ProtocolOptions options = {});

  eth::RpcClient& rpc() { return *rpc_; }
  const chain::Deployment& deployment() const { return deployment_; }

  // "Registry", "ICNT", …: "deployment has no contract Foo" otherwise.
  Result<const eth::Contract*> contract(std::string_view name) const;
  Result<Address> address_of(std::string_view name) const;

  // A transaction to `contract.function(args)` that must succeed; the error names contract,
  // function and the decoded revert reason, with the custom errors of every protocol contract
  // (a revert inside a nested call, e.g. Collateral pulling ICNT, reads as its own error):
  // "Registry.registerScalerNodes reverted: DaemonKeyTaken(daemon=0x…, nodeId=1)".
  Result<eth::Receipt> transact(eth::TransactionSender& from, std::string_view contract,
                                std::string_view function, std::vector<abi::Value> args);
  // eth_call of a view at the latest block: "Registry.cluster: call value(): UnknownCluster(…)".
  Result<abi::Value::List> call(std::string_view contract, std::string_view function,
                                std::vector<abi::Value> args);

  // The receipt's logs of event `event` emitted by `contract`, decoded, in log order.
  Result<std::vector<abi::DecodedLog>> events(const eth::Receipt& receipt,
                                              std::string_view contract,
                                              std::string_view event) const;

 private:
  Protocol() = default;

  eth::RpcClient* rpc_ = nullptr;
  chain::Deployment deployment_;
  ProtocolOptions options_;
  std::map<std::string, eth::Contract, std::less<>> contracts_;
  std::vector<abi::ErrorAbi> errors_;  // every contract's custom errors, one per selector
};

// Typed reads of decoded values (icn/core/abi_read.hpp), named here for the actions' callers.
using abi::as_address;
using abi::as_bool;
using abi::as_tuple;
using abi::as_u64;
using abi::as_uint;
using abi::single;
// A decoded log's parameter by name.
Result<const abi::Value*> param(const abi::DecodedLog& log, std::string_view name);

}  // namespace icn::actions
