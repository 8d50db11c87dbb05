// Strict decoding of eth_* responses: every field checked, every rejection names the field.
#include "icn/eth/rpc_types.hpp"

#include "icn/eth/log_reader.hpp"

namespace icn::eth {
namespace {

// A required member of a response object; "missing field \"hash\"" if absent.
Result<const json*> member(const json& obj, const char* name) {
  if (!obj.is_object()) return fail(std::string("expected an object, got ") + obj.type_name());
  auto it = obj.find(name);
  if (it == obj.end()) return fail(std::string("missing field \"") + name + "\"");
  return &*it;
}

// An optional member: nullptr when absent or null.
const json* optional_member(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

template <typename T, typename F>
Result<T> field(const json& obj, const char* name, F parse) {
  ICN_TRY(const json* value, member(obj, name));
  auto parsed = parse(*value);
  if (!parsed) return std::move(parsed).error().context(std::string("field \"") + name + "\"");
  return std::move(parsed).value();
}

template <typename T, typename F>
Result<std::optional<T>> optional_field(const json& obj, const char* name, F parse) {
  const json* value = optional_member(obj, name);
  if (!value) return std::optional<T>();
  auto parsed = parse(*value);
  if (!parsed) return std::move(parsed).error().context(std::string("field \"") + name + "\"");
  return std::optional<T>(std::move(parsed).value());
}

Result<std::string_view> as_string(const json& value) {
  if (!value.is_string())
    return fail(std::string("expected a hex string, got ") + value.type_name());
  return std::string_view(value.get_ref<const std::string&>());
}

std::string show(std::string_view text) {
  return text.size() > 80 ? "\"" + std::string(text.substr(0, 80)) + "…\""
                          : "\"" + std::string(text) + "\"";
}

json hex_quantity(uint64_t v) {
  return to_hex_quantity(U256(v));
}

}  // namespace

// ---- Field decoders
// ------------------------------------------------------------------------------

Result<U256> parse_quantity_text(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || text[1] != 'x') {
    return fail("quantity " + show(text) + " must be \"0x\" followed by hex digits");
  }
  std::string_view digits = text.substr(2);
  if (digits.size() > 1 && digits[0] == '0') {
    return fail("quantity " + show(text) + " has a leading zero");
  }
  if (digits.size() > 64) return fail("quantity " + show(text) + " does not fit in 256 bits");
  for (char c : digits) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return fail("quantity " + show(text) + " has a character other than 0-9a-f");
    }
  }
  return parse_u256(text);
}

Result<uint64_t> parse_quantity_u64_text(std::string_view text) {
  // Block numbers and indexes (most quantities read) directly, without the 256-bit path.
  if (text.size() >= 3 && text.size() <= 18 && text[0] == '0' && text[1] == 'x' &&
      (text.size() == 3 || text[2] != '0')) {
    uint64_t v = 0;
    bool ok = true;
    for (char c : text.substr(2)) {
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
      if (d < 0) {
        ok = false;
        break;
      }
      v = (v << 4) | uint64_t(d);
    }
    if (ok) return v;
  }
  ICN_TRY(U256 v, parse_quantity_text(text));
  if (v > U256(std::numeric_limits<uint64_t>::max())) {
    return fail("quantity " + to_hex_quantity(v) + " does not fit in 64 bits");
  }
  return uint64_t(v);
}

Result<U256> parse_quantity(const json& value) {
  ICN_TRY(std::string_view text, as_string(value));
  return parse_quantity_text(text);
}

Result<uint64_t> parse_quantity_u64(const json& value) {
  ICN_TRY(std::string_view text, as_string(value));
  return parse_quantity_u64_text(text);
}

Result<Bytes> parse_data(const json& value) {
  ICN_TRY(std::string_view text, as_string(value));
  return parse_hex(text);
}

Result<Hash> parse_hash(const json& value) {
  ICN_TRY(std::string_view text, as_string(value));
  return parse_fixed_hex<32>(text);
}

Result<Address> parse_address(const json& value) {
  ICN_TRY(std::string_view text, as_string(value));
  return Address::parse(text);
}

// ---- Request values
// ------------------------------------------------------------------------------

json BlockRef::to_json() const {
  if (auto* n = std::get_if<uint64_t>(&v_)) return hex_quantity(*n);
  return std::get<const char*>(v_);
}

std::string BlockRef::describe() const {
  if (auto* n = std::get_if<uint64_t>(&v_)) return "block " + std::to_string(*n);
  return std::get<const char*>(v_);
}

json CallRequest::to_json() const {
  json out = json::object();
  if (from) out["from"] = from->lower_hex();
  if (to) out["to"] = to->lower_hex();
  // geth reads "input" (and "data" for older clients); both set and equal is accepted by both.
  out["input"] = to_hex(data);
  out["data"] = to_hex(data);
  if (value) out["value"] = to_hex_quantity(*value);
  if (gas) out["gas"] = hex_quantity(*gas);
  return out;
}

json LogFilter::to_json() const {
  json out = json::object();
  if (addresses.size() == 1) {
    out["address"] = addresses[0].lower_hex();
  } else if (!addresses.empty()) {
    json list = json::array();
    for (const auto& a : addresses) list.push_back(a.lower_hex());
    out["address"] = std::move(list);
  }
  if (!topics.empty()) {
    json list = json::array();
    for (const auto& alternatives : topics) {
      if (alternatives.empty()) {
        list.push_back(nullptr);
      } else if (alternatives.size() == 1) {
        list.push_back(to_hex(alternatives[0]));
      } else {
        json any = json::array();
        for (const auto& t : alternatives) any.push_back(to_hex(t));
        list.push_back(std::move(any));
      }
    }
    out["topics"] = std::move(list);
  }
  if (block_hash) {
    out["blockHash"] = to_hex(*block_hash);
  } else {
    if (from_block) out["fromBlock"] = from_block->to_json();
    if (to_block) out["toBlock"] = to_block->to_json();
  }
  return out;
}

// ---- Responses
// -----------------------------------------------------------------------------------

Result<BlockHeader> parse_block_header(const json& v) {
  BlockHeader b;
  ICN_TRY(b.number, field<uint64_t>(v, "number", parse_quantity_u64));
  ICN_TRY(b.hash, field<Hash>(v, "hash", parse_hash));
  ICN_TRY(b.parent_hash, field<Hash>(v, "parentHash", parse_hash));
  ICN_TRY(b.timestamp, field<uint64_t>(v, "timestamp", parse_quantity_u64));
  ICN_TRY(b.gas_limit, field<uint64_t>(v, "gasLimit", parse_quantity_u64));
  ICN_TRY(b.gas_used, field<uint64_t>(v, "gasUsed", parse_quantity_u64));
  ICN_TRY(b.base_fee, optional_field<U256>(v, "baseFeePerGas", parse_quantity));
  return b;
}

Result<Log> parse_log(const json& v) {
  Log l;
  ICN_TRY(l.address, field<Address>(v, "address", parse_address));
  ICN_TRY(const json* topics, member(v, "topics"));
  if (!topics->is_array()) return fail("field \"topics\": expected an array");
  if (topics->size() > 4) {
    return fail("field \"topics\": " + std::to_string(topics->size()) + " topics (at most 4)");
  }
  for (const json& t : *topics) {
    ICN_TRY_CTX(Hash h, parse_hash(t), "field \"topics\"");
    l.topics.push_back(h);
  }
  ICN_TRY(l.data, field<Bytes>(v, "data", parse_data));
  ICN_TRY(l.block_number, field<uint64_t>(v, "blockNumber", parse_quantity_u64));
  ICN_TRY(l.block_hash, field<Hash>(v, "blockHash", parse_hash));
  ICN_TRY(l.tx_hash, field<Hash>(v, "transactionHash", parse_hash));
  ICN_TRY(l.tx_index, field<uint64_t>(v, "transactionIndex", parse_quantity_u64));
  ICN_TRY(l.log_index, field<uint64_t>(v, "logIndex", parse_quantity_u64));
  // Some nodes omit "removed" on logs that were never removed.
  if (const json* removed = optional_member(v, "removed")) {
    if (!removed->is_boolean()) return fail("field \"removed\": expected a boolean");
    l.removed = removed->get<bool>();
  }
  return l;
}

Result<Receipt> parse_receipt(const json& v) {
  Receipt r;
  ICN_TRY(r.tx_hash, field<Hash>(v, "transactionHash", parse_hash));
  if (!optional_member(v, "status")) {
    return fail("missing field \"status\" (pre-Byzantium receipts are not supported)");
  }
  ICN_TRY(uint64_t status, field<uint64_t>(v, "status", parse_quantity_u64));
  if (status > 1) return fail("field \"status\": " + std::to_string(status) + " is not 0 or 1");
  r.status = status == 1;
  ICN_TRY(r.block_number, field<uint64_t>(v, "blockNumber", parse_quantity_u64));
  ICN_TRY(r.block_hash, field<Hash>(v, "blockHash", parse_hash));
  ICN_TRY(r.tx_index, field<uint64_t>(v, "transactionIndex", parse_quantity_u64));
  ICN_TRY(r.from, field<Address>(v, "from", parse_address));
  ICN_TRY(r.to, optional_field<Address>(v, "to", parse_address));
  ICN_TRY(r.gas_used, field<uint64_t>(v, "gasUsed", parse_quantity_u64));
  ICN_TRY(r.cumulative_gas_used, field<uint64_t>(v, "cumulativeGasUsed", parse_quantity_u64));
  ICN_TRY(r.effective_gas_price, optional_field<U256>(v, "effectiveGasPrice", parse_quantity));
  ICN_TRY(r.contract_address, optional_field<Address>(v, "contractAddress", parse_address));
  ICN_TRY(const json* logs, member(v, "logs"));
  if (!logs->is_array()) return fail("field \"logs\": expected an array");
  for (size_t i = 0; i < logs->size(); ++i) {
    ICN_TRY_CTX(Log l, parse_log((*logs)[i]), "log " + std::to_string(i));
    if (l.tx_hash != r.tx_hash)
      return fail("log " + std::to_string(i) + ": from another transaction");
    r.logs.push_back(std::move(l));
  }
  return r;
}

Result<FeeHistory> parse_fee_history(const json& v) {
  FeeHistory h;
  ICN_TRY(h.oldest_block, field<uint64_t>(v, "oldestBlock", parse_quantity_u64));
  ICN_TRY(const json* base, member(v, "baseFeePerGas"));
  if (!base->is_array()) return fail("field \"baseFeePerGas\": expected an array");
  for (const json& f : *base) {
    ICN_TRY_CTX(U256 fee, parse_quantity(f), "field \"baseFeePerGas\"");
    h.base_fee_per_gas.push_back(fee);
  }
  ICN_TRY(const json* ratios, member(v, "gasUsedRatio"));
  if (!ratios->is_array()) return fail("field \"gasUsedRatio\": expected an array");
  for (const json& r : *ratios) {
    if (!r.is_number()) return fail("field \"gasUsedRatio\": expected numbers");
    h.gas_used_ratio.push_back(r.get<double>());
  }
  if (const json* reward = optional_member(v, "reward")) {
    if (!reward->is_array()) return fail("field \"reward\": expected an array");
    for (const json& block : *reward) {
      if (!block.is_array()) return fail("field \"reward\": expected arrays");
      std::vector<U256> row;
      for (const json& f : block) {
        ICN_TRY_CTX(U256 fee, parse_quantity(f), "field \"reward\"");
        row.push_back(fee);
      }
      h.reward.push_back(std::move(row));
    }
  }
  if (!h.base_fee_per_gas.empty() && h.base_fee_per_gas.size() != h.gas_used_ratio.size() + 1) {
    return fail("fee history: " + std::to_string(h.base_fee_per_gas.size()) + " base fees for " +
                std::to_string(h.gas_used_ratio.size()) + " blocks");
  }
  return h;
}

// ---- Calls
// -----------------------------------------------------------------------------------------

namespace {

// Calls METHOD and decodes its result, naming the method in a decoding error too.
template <typename T, typename F>
Result<T> typed_call(RpcClient& rpc, const char* method, json params, F decode) {
  ICN_TRY(json result, rpc.call(method, std::move(params)));
  auto decoded = decode(result);
  if (!decoded) {
    return std::move(decoded).error().context(std::string("rpc ") + method + ": invalid result");
  }
  return std::move(decoded).value();
}

Result<std::optional<BlockHeader>> nullable_block(const json& v) {
  if (v.is_null()) return std::optional<BlockHeader>();
  ICN_TRY(BlockHeader b, parse_block_header(v));
  return std::optional<BlockHeader>(std::move(b));
}

}  // namespace

Result<uint64_t> chain_id(RpcClient& rpc) {
  return typed_call<uint64_t>(rpc, "eth_chainId", json::array(), parse_quantity_u64);
}

Result<uint64_t> block_number(RpcClient& rpc) {
  return typed_call<uint64_t>(rpc, "eth_blockNumber", json::array(), parse_quantity_u64);
}

Result<std::optional<BlockHeader>> get_block(RpcClient& rpc, const BlockRef& block) {
  return typed_call<std::optional<BlockHeader>>(
      rpc, "eth_getBlockByNumber", json::array({block.to_json(), false}), nullable_block);
}

Result<std::optional<BlockHeader>> get_block_by_hash(RpcClient& rpc, const Hash& hash) {
  return typed_call<std::optional<BlockHeader>>(rpc, "eth_getBlockByHash",
                                                json::array({to_hex(hash), false}), nullable_block);
}

Result<U256> get_balance(RpcClient& rpc, const Address& account, const BlockRef& block) {
  return typed_call<U256>(rpc, "eth_getBalance",
                          json::array({account.lower_hex(), block.to_json()}), parse_quantity);
}

Result<uint64_t> get_transaction_count(RpcClient& rpc, const Address& account,
                                       const BlockRef& block) {
  return typed_call<uint64_t>(rpc, "eth_getTransactionCount",
                              json::array({account.lower_hex(), block.to_json()}),
                              parse_quantity_u64);
}

Result<Bytes> get_code(RpcClient& rpc, const Address& account, const BlockRef& block) {
  return typed_call<Bytes>(rpc, "eth_getCode", json::array({account.lower_hex(), block.to_json()}),
                           parse_data);
}

Result<Bytes> eth_call(RpcClient& rpc, const CallRequest& call, const BlockRef& block) {
  return typed_call<Bytes>(rpc, "eth_call", json::array({call.to_json(), block.to_json()}),
                           parse_data);
}

Result<uint64_t> estimate_gas(RpcClient& rpc, const CallRequest& call) {
  return typed_call<uint64_t>(rpc, "eth_estimateGas", json::array({call.to_json()}),
                              parse_quantity_u64);
}

Result<U256> gas_price(RpcClient& rpc) {
  return typed_call<U256>(rpc, "eth_gasPrice", json::array(), parse_quantity);
}

Result<U256> max_priority_fee(RpcClient& rpc) {
  return typed_call<U256>(rpc, "eth_maxPriorityFeePerGas", json::array(), parse_quantity);
}

Result<FeeHistory> fee_history(RpcClient& rpc, uint64_t block_count, const BlockRef& newest,
                               const std::vector<double>& reward_percentiles) {
  return typed_call<FeeHistory>(
      rpc, "eth_feeHistory",
      json::array({hex_quantity(block_count), newest.to_json(), reward_percentiles}),
      parse_fee_history);
}

Result<Hash> send_raw_transaction(RpcClient& rpc, ByteView raw) {
  return typed_call<Hash>(rpc, "eth_sendRawTransaction", json::array({to_hex(raw)}), parse_hash);
}

Result<std::optional<Receipt>> get_transaction_receipt(RpcClient& rpc, const Hash& tx_hash) {
  return typed_call<std::optional<Receipt>>(rpc, "eth_getTransactionReceipt",
                                            json::array({to_hex(tx_hash)}),
                                            [&](const json& v) -> Result<std::optional<Receipt>> {
                                              if (v.is_null()) return std::optional<Receipt>();
                                              ICN_TRY(Receipt r, parse_receipt(v));
                                              if (r.tx_hash != tx_hash)
                                                return fail("receipt for another transaction");
                                              return std::optional<Receipt>(std::move(r));
                                            });
}

Result<std::vector<Log>> get_logs(RpcClient& rpc, const LogFilter& filter) {
  constexpr const char* kMethod = "eth_getLogs";
  ICN_TRY(RpcClient::RawAnswer answer, rpc.call_raw(kMethod, json::array({filter.to_json()})));
  // The one-pass reader takes every answer a node normally sends; whatever it refuses (a node's
  // error, an escape in a string, a malformed log) goes through the DOM path, which says why.
  if (auto logs = read_get_logs_response(answer.body, answer.id)) return logs;
  ICN_TRY(json v, parse_response(answer.body, answer.id, kMethod));
  auto decode = [&]() -> Result<std::vector<Log>> {
    if (!v.is_array()) return fail(std::string("expected an array, got ") + v.type_name());
    std::vector<Log> out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      ICN_TRY_CTX(Log l, parse_log(v[i]), "log " + std::to_string(i));
      out.push_back(std::move(l));
    }
    return out;
  };
  auto decoded = decode();
  if (!decoded)
    return std::move(decoded).error().context(std::string("rpc ") + kMethod + ": invalid result");
  return decoded;
}

}  // namespace icn::eth
