// Protocol: the deployment's contracts by name, with errors that say which call failed and why.
#include "icn/actions/protocol.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace icn::actions {
namespace {

// deployment.json names a contract by its role; the artifact is its Solidity contract.
std::string artifact_of(std::string_view name) {
  if (name == "RewardsReserve" || name == "LinkRewardPool") return "ReservePool";
  return std::string(name);
}

// The contracts the actions call: opening fails without them. Others are bound when their
// artifact exists, so a deployment with a contract this build does not know still opens.
constexpr std::string_view kRequired[] = {
    "Vesting",    "ICNT",    "EraManager",     "Registry",  "HyperNodeRegistry",
    "Collateral", "ICNLink", "CapacityMarket", "Settlement"};

constexpr std::string_view kRevertedPrefix = "transaction reverted: ";

}  // namespace

Result<Protocol> Protocol::open(eth::RpcClient& rpc, const chain::Deployment& deployment,
                                const std::filesystem::path& artifacts_dir,
                                ProtocolOptions options) {
  Protocol p;
  p.rpc_ = &rpc;
  p.deployment_ = deployment;
  p.options_ = options;
  ICN_TRY_CTX(uint64_t served, eth::chain_id(rpc), "reading the chain id");
  if (served != deployment.chain_id) {
    return fail("deployment.json is for chain " + std::to_string(deployment.chain_id) +
                ", the RPC serves chain " + std::to_string(served));
  }
  for (std::string_view name : kRequired) {
    if (!deployment.address_of(name)) return fail("deployment.json names no " + std::string(name));
  }
  std::set<FixedBytes<4>> selectors;
  for (const auto& [name, address] : deployment.contracts) {
    bool required =
        std::find(std::begin(kRequired), std::end(kRequired), name) != std::end(kRequired);
    std::filesystem::path file = artifacts_dir / (artifact_of(name) + ".json");
    auto artifact = eth::Artifact::load(file);
    if (!artifact) {
      if (required) return std::move(artifact).error().context(name);
      continue;
    }
    ICN_TRY_CTX(eth::Contract contract, eth::Contract::from_artifact(*artifact), name);
    for (const abi::ErrorAbi& e : contract.errors()) {
      if (selectors.insert(e.selector()).second) p.errors_.push_back(e);
    }
    p.contracts_.insert_or_assign(name, contract.at(address));
  }
  return p;
}

Result<const eth::Contract*> Protocol::contract(std::string_view name) const {
  auto it = contracts_.find(name);
  if (it == contracts_.end()) return fail("the deployment has no contract " + std::string(name));
  return &it->second;
}

Result<Address> Protocol::address_of(std::string_view name) const {
  ICN_TRY(const eth::Contract* c, contract(name));
  return *c->address();
}

Result<eth::Receipt> Protocol::transact(eth::TransactionSender& from,
                                        std::string_view contract_name, std::string_view function,
                                        std::vector<abi::Value> args) {
  std::string what = std::string(contract_name) + "." + std::string(function);
  ICN_TRY_CTX(const eth::Contract* c, contract(contract_name), what);
  ICN_TRY_CTX(Bytes data, c->encode_call(function, args), what);
  eth::SendOptions send;
  send.custom_errors = errors_;
  auto deadline = std::chrono::steady_clock::now() + options_.receipt_timeout;
  auto receipt = from.send_and_wait(c->address(), data, 0, deadline, send);
  if (!receipt) {
    std::string message = std::move(receipt).error().message;
    if (message.starts_with(kRevertedPrefix)) {
      return fail(what + " reverted: " + message.substr(kRevertedPrefix.size()));
    }
    return fail(what + ": " + message);
  }
  return std::move(receipt).value();
}

Result<abi::Value::List> Protocol::call(std::string_view contract_name, std::string_view function,
                                        std::vector<abi::Value> args) {
  std::string what = std::string(contract_name) + "." + std::string(function);
  ICN_TRY_CTX(const eth::Contract* c, contract(contract_name), what);
  auto out = c->call(*rpc_, function, args);
  if (!out) return std::move(out).error().context(what);
  return std::move(out).value();
}

Result<std::vector<abi::DecodedLog>> Protocol::events(const eth::Receipt& receipt,
                                                      std::string_view contract_name,
                                                      std::string_view event) const {
  ICN_TRY(const eth::Contract* c, contract(contract_name));
  ICN_TRY(const abi::EventAbi* e, c->event(event));
  std::vector<abi::DecodedLog> out;
  for (const eth::Log& log : receipt.logs) {
    if (log.address != *c->address() || log.topics.empty()) continue;
    if (log.topics[0] != e->topic0()) continue;
    ICN_TRY_CTX(abi::DecodedLog decoded, abi::decode_log(*e, log.topics, log.data),
                std::string(contract_name) + " " + std::string(event) + " log");
    out.push_back(std::move(decoded));
  }
  return out;
}

Result<const abi::Value*> param(const abi::DecodedLog& log, std::string_view name) {
  for (const auto& p : log.params) {
    if (p.name == name) return &p.value;
  }
  return fail(log.event + " log has no parameter " + std::string(name));
}

}  // namespace icn::actions
