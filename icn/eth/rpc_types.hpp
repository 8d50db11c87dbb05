// Typed eth_* calls: the request encoding and strict decoding of every field a node returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/u256.hpp"
#include "icn/eth/json_rpc.hpp"

namespace icn::eth {

// ---- Field decoders (strict; "be lenient only where anvil and geth really differ") -----------

// QUANTITY: "0x0", or "0x" + lowercase hex digits without a leading zero.
Result<U256> parse_quantity(const json& value);
Result<uint64_t> parse_quantity_u64(const json& value);
// The same on the text of a JSON string (for readers without a DOM).
Result<U256> parse_quantity_text(std::string_view text);
Result<uint64_t> parse_quantity_u64_text(std::string_view text);
// DATA: "0x" + an even number of hex digits.
Result<Bytes> parse_data(const json& value);
Result<Hash> parse_hash(const json& value);
Result<Address> parse_address(const json& value);

// ---- Request values ----------------------------------------------------------------------------

// A block number or one of the tags "latest", "pending", "safe", "finalized", "earliest".
class BlockRef {
 public:
  static BlockRef number(uint64_t n) { return BlockRef(n); }
  static BlockRef latest() { return BlockRef("latest"); }
  static BlockRef pending() { return BlockRef("pending"); }
  static BlockRef safe() { return BlockRef("safe"); }
  static BlockRef finalized() { return BlockRef("finalized"); }
  static BlockRef earliest() { return BlockRef("earliest"); }

  json to_json() const;
  std::string describe() const;  // "block 12" or "latest"
  bool is_number() const { return std::holds_alternative<uint64_t>(v_); }

 private:
  explicit BlockRef(uint64_t n) : v_(n) {}
  explicit BlockRef(const char* tag) : v_(tag) {}
  std::variant<uint64_t, const char*> v_;
};

// eth_call / eth_estimateGas arguments.
struct CallRequest {
  std::optional<Address> from;
  std::optional<Address> to;  // none: contract creation
  Bytes data;
  std::optional<U256> value;
  std::optional<uint64_t> gas;
  json to_json() const;
};

// eth_getLogs filter: addresses OR-ed; topics by position, each an OR-list (empty: any).
struct LogFilter {
  std::vector<Address> addresses;
  std::vector<std::vector<Hash>> topics;
  std::optional<BlockRef> from_block;
  std::optional<BlockRef> to_block;
  std::optional<Hash> block_hash;  // instead of a range
  json to_json() const;
};

// ---- Responses --------------------------------------------------------------------------------

struct BlockHeader {
  uint64_t number = 0;
  Hash hash{};
  Hash parent_hash{};
  uint64_t timestamp = 0;
  std::optional<U256> base_fee;  // absent before London
  uint64_t gas_limit = 0;
  uint64_t gas_used = 0;
};

struct Log {
  Address address;
  std::vector<Hash> topics;  // at most 4
  Bytes data;
  uint64_t block_number = 0;
  Hash block_hash{};
  Hash tx_hash{};
  uint64_t tx_index = 0;
  uint64_t log_index = 0;
  bool removed = false;  // set on logs a node resends after a reorg (subscriptions)
};

struct Receipt {
  Hash tx_hash{};
  bool status = false;  // true: success; false: reverted
  uint64_t block_number = 0;
  Hash block_hash{};
  uint64_t tx_index = 0;
  Address from;
  std::optional<Address> to;
  uint64_t gas_used = 0;
  uint64_t cumulative_gas_used = 0;
  std::optional<U256> effective_gas_price;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
};

struct FeeHistory {
  uint64_t oldest_block = 0;
  std::vector<U256> base_fee_per_gas;  // one more than the blocks: the next block's base fee last
  std::vector<double> gas_used_ratio;
  std::vector<std::vector<U256>> reward;  // per block, one per requested percentile
};

Result<BlockHeader> parse_block_header(const json& value);
Result<Log> parse_log(const json& value);
Result<Receipt> parse_receipt(const json& value);
Result<FeeHistory> parse_fee_history(const json& value);

// ---- Calls --------------------------------------------------------------------------------------

Result<uint64_t> chain_id(RpcClient& rpc);
Result<uint64_t> block_number(RpcClient& rpc);
// nullopt when the node has no such block (yet).
Result<std::optional<BlockHeader>> get_block(RpcClient& rpc, const BlockRef& block);
Result<std::optional<BlockHeader>> get_block_by_hash(RpcClient& rpc, const Hash& hash);
Result<U256> get_balance(RpcClient& rpc, const Address& account,
                         const BlockRef& block = BlockRef::latest());
Result<uint64_t> get_transaction_count(RpcClient& rpc, const Address& account,
                                       const BlockRef& block = BlockRef::pending());
Result<Bytes> get_code(RpcClient& rpc, const Address& account,
                       const BlockRef& block = BlockRef::latest());
// A revert comes back as the node's error; find_rpc_error(e)->revert_data() has its bytes.
Result<Bytes> eth_call(RpcClient& rpc, const CallRequest& call,
                       const BlockRef& block = BlockRef::latest());
Result<uint64_t> estimate_gas(RpcClient& rpc, const CallRequest& call);
Result<U256> gas_price(RpcClient& rpc);
Result<U256> max_priority_fee(RpcClient& rpc);
Result<FeeHistory> fee_history(RpcClient& rpc, uint64_t block_count, const BlockRef& newest,
                               const std::vector<double>& reward_percentiles);
// Returns the hash the node computed; the caller compares it with its own.
Result<Hash> send_raw_transaction(RpcClient& rpc, ByteView raw);
// nullopt while the transaction is not mined (or unknown).
Result<std::optional<Receipt>> get_transaction_receipt(RpcClient& rpc, const Hash& tx_hash);
Result<std::vector<Log>> get_logs(RpcClient& rpc, const LogFilter& filter);

}  // namespace icn::eth
