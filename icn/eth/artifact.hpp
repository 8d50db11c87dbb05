// Compiled contract artifacts (tools/evm/compile.js output) and contract bindings built from
// their JSON ABI: calls encoded and decoded by function name, events by name or topic, custom
// errors for revert reasons.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_events.hpp"
#include "icn/core/abi_type.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"

namespace icn::eth {

// {"contractName", "abi", "bytecode": "0x…", "deployedBytecode": "0x…", "sourceName"}.
struct Artifact {
  std::string contract_name;
  std::string source_name;
  nlohmann::json abi;  // a JSON array, every entry checked by Contract::from_abi
  Bytes bytecode;      // creation code; empty for interfaces and abstract contracts
  Bytes deployed_bytecode;

  // Rejects a missing or mistyped field, bad hex, and unlinked library placeholders ("__$…$__").
  static Result<Artifact> parse(std::string_view json_text);
  // Reads and parses a file (at most 16 MiB); errors name the file.
  static Result<Artifact> load(const std::filesystem::path& file);
};

// One function of an ABI.
struct Function {
  std::string name;
  std::vector<abi::Param> inputs;
  std::vector<abi::Param> outputs;
  std::string state_mutability;  // "pure", "view", "nonpayable", "payable"
  std::string canonical;         // "bump(uint256)"
  FixedBytes<4> selector{};
};

// A contract's ABI, optionally at an address. Copyable and immutable after construction.
class Contract {
 public:
  // A JSON ABI array. Every entry is checked; functions need a name and typed inputs/outputs.
  static Result<Contract> from_abi(const nlohmann::json& abi);
  static Result<Contract> from_artifact(const Artifact& artifact);

  // The same binding at `address` (needed by call/transact).
  Contract at(const Address& address) const;
  const std::optional<Address>& address() const { return address_; }

  // By name ("bump"), refused when the name is overloaded, or by signature ("bump(uint256)",
  // parameter names allowed): "contract has no function nope".
  Result<const Function*> function(std::string_view name_or_signature) const;
  const std::vector<Function>& functions() const { return functions_; }

  // selector ‖ abi.encode(args) for the function.
  Result<Bytes> encode_call(std::string_view function, std::span<const abi::Value> args) const;
  // The function's outputs decoded from eth_call's return data.
  Result<abi::Value::List> decode_result(std::string_view function, ByteView output) const;
  const std::vector<abi::Param>& constructor_inputs() const { return constructor_inputs_; }

  // abi.encode of the constructor's arguments (empty when it has none).
  Result<Bytes> encode_constructor(std::span<const abi::Value> args) const;

  // By name or signature ("Bumped", "Bumped(address,uint256,bytes32,string)").
  Result<const abi::EventAbi*> event(std::string_view name_or_signature) const;
  const abi::EventAbi* event_by_topic(const Hash& topic0) const;
  const std::vector<abi::EventAbi>& events() const { return events_; }
  // Finds the event by the log's topic0 and decodes it.
  Result<abi::DecodedLog> decode_log(const Log& log) const;

  const std::vector<abi::ErrorAbi>& errors() const { return errors_; }
  // Revert data as text, with this contract's custom errors.
  std::string describe_revert(ByteView revert_data) const;

  // eth_call of a view function on address(); a revert is "call value(): <reason>".
  Result<abi::Value::List> call(RpcClient& rpc, std::string_view function,
                                std::span<const abi::Value> args,
                                const BlockRef& block = BlockRef::latest()) const;
  // A transaction to address() through the sender, waiting for the receipt; reverts are
  // explained with this contract's errors.
  Result<Receipt> transact(TransactionSender& sender, std::string_view function,
                           std::span<const abi::Value> args, Deadline deadline,
                           const U256& value = 0, SendOptions options = {}) const;
  // Deploys bytecode with constructor args; the binding at the new address.
  Result<Contract> deploy(TransactionSender& sender, ByteView bytecode,
                          std::span<const abi::Value> constructor_args, Deadline deadline,
                          SendOptions options = {}) const;

 private:
  std::vector<Function> functions_;
  std::vector<abi::Param> constructor_inputs_;
  std::vector<abi::EventAbi> events_;
  std::vector<abi::ErrorAbi> errors_;
  std::optional<Address> address_;
};

}  // namespace icn::eth
