// A scripted chain served over JSON-RPC (eth_blockNumber, eth_getBlockByNumber, eth_getLogs,
// single calls and batches) that tests rewrite at will: exact reorgs, range refusals, hostile
// answers, hooks inside eth_getLogs. Serve it with test::FakeRpcServer.
#pragma once

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/keccak.hpp"
#include "icn/core/u256.hpp"
#include "test/support/fake_rpc_server.hpp"

namespace icn::test {

using nlohmann::json;

inline std::string word_hex(uint64_t v) {
  return to_hex(u256_to_be(U256(v)));
}

// A chain the test rewrites at will, served over JSON-RPC (single calls and batches). Block n
// carries one log whose data is a serial number unique across forks, so the test can tell exactly
// which logs a sink should hold.
class FakeChain {
 public:
  // Every log is Ping(uint256 serial) from this address.
  static inline const Address kContract =
      Address::parse("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
  static Hash topic() { return keccak256("Ping(uint256)"); }

  FakeChain() { extend(1); }  // genesis without logs

  void extend(size_t blocks, bool with_logs = true) {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < blocks; ++i) add_block(with_logs);
  }
  // Replaces every block from `from` on with `blocks` new ones (new hashes, new log serials).
  void reorg(uint64_t from, size_t blocks) {
    std::lock_guard lock(mu_);
    hashes_.resize(from);
    serials_.resize(from);
    ++fork_;
    for (size_t i = 0; i < blocks; ++i) add_block(true);
  }
  uint64_t head() {
    std::lock_guard lock(mu_);
    return hashes_.size() - 1;
  }
  Hash hash_at(uint64_t n) {
    std::lock_guard lock(mu_);
    return hashes_.at(n);
  }
  // The serials of the canonical chain's logs in blocks (after, head].
  std::vector<uint64_t> serials_after(uint64_t after) {
    std::lock_guard lock(mu_);
    std::vector<uint64_t> out;
    for (uint64_t n = after + 1; n < serials_.size(); ++n) {
      if (serials_[n]) out.push_back(*serials_[n]);
    }
    return out;
  }

  uint64_t max_logs_range = UINT64_MAX;   // wider ranges are refused like a hosted node does
  std::function<void()> on_get_logs;      // runs inside eth_getLogs (to move the chain mid-scan)
  std::function<json(json)> tamper_logs;  // rewrites eth_getLogs results (hostile node)
  size_t get_logs_calls = 0;  // read it inside on_get_logs, or through get_logs_calls_now()
  size_t get_logs_calls_now() {
    std::lock_guard lock(mu_);
    return get_logs_calls;
  }

  FakeReply serve(const std::string& body) {
    json request = json::parse(body);
    if (request.is_array()) {
      json out = json::array();
      for (const json& r : request) out.push_back(answer(r));
      return {200, out.dump()};
    }
    return {200, answer(request).dump()};
  }

 private:
  void add_block(bool with_logs) {
    uint64_t n = hashes_.size();
    hashes_.push_back(keccak256("block " + std::to_string(n) + " fork " + std::to_string(fork_)));
    serials_.push_back(with_logs && n > 0 ? std::optional<uint64_t>(next_serial_++) : std::nullopt);
  }

  json block_json(uint64_t n) const {
    return {{"number", to_hex_quantity(n)},
            {"hash", to_hex(hashes_[n])},
            {"parentHash", to_hex(n ? hashes_[n - 1] : Hash{})},
            {"timestamp", to_hex_quantity(1000 + n)},
            {"gasLimit", "0x1c9c380"},
            {"gasUsed", "0x0"},
            {"baseFeePerGas", "0x3b9aca00"}};
  }

  json log_json(uint64_t n) const {
    Hash tx = keccak256("tx " + to_hex(hashes_[n]));
    return {{"address", kContract.lower_hex()},
            {"topics", json::array({to_hex(topic())})},
            {"data", word_hex(*serials_[n])},
            {"blockNumber", to_hex_quantity(n)},
            {"blockHash", to_hex(hashes_[n])},
            {"transactionHash", to_hex(tx)},
            {"transactionIndex", "0x0"},
            {"logIndex", "0x0"},
            {"removed", false}};
  }

  json reply(const json& id, json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  }

  json answer(const json& r) {
    const std::string method = r["method"];
    if (method == "eth_getLogs") {
      std::function<void()> hook;
      {
        std::lock_guard lock(mu_);
        ++get_logs_calls;
        hook = on_get_logs;
      }
      if (hook) hook();
    }
    std::lock_guard lock(mu_);
    const json& params = r["params"];
    if (method == "eth_blockNumber") return reply(r["id"], to_hex_quantity(hashes_.size() - 1));
    if (method == "eth_getBlockByNumber") {
      uint64_t n = uint64_t(parse_u256(params[0].get<std::string>()).value());
      return reply(r["id"], n < hashes_.size() ? block_json(n) : json(nullptr));
    }
    if (method == "eth_getLogs") {
      uint64_t from = uint64_t(parse_u256(params[0]["fromBlock"].get<std::string>()).value());
      uint64_t to = uint64_t(parse_u256(params[0]["toBlock"].get<std::string>()).value());
      if (to - from + 1 > max_logs_range) {
        return {
            {"jsonrpc", "2.0"},
            {"id", r["id"]},
            {"error", {{"code", -32005}, {"message", "query returned more than 10000 results"}}}};
      }
      json logs = json::array();
      for (uint64_t n = from; n <= to && n < hashes_.size(); ++n) {
        if (serials_[n]) logs.push_back(log_json(n));
      }
      if (tamper_logs) logs = tamper_logs(logs);
      return reply(r["id"], logs);
    }
    return {{"jsonrpc", "2.0"}, {"id", r["id"]}, {"error", {{"code", -32601}, {"message", "no"}}}};
  }

  std::mutex mu_;
  std::vector<Hash> hashes_;
  std::vector<std::optional<uint64_t>> serials_;
  uint64_t next_serial_ = 1;
  int fork_ = 0;
};

}  // namespace icn::test
