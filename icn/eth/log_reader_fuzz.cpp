// libFuzzer target, differential: whatever the one-pass eth_getLogs reader accepts, the DOM path
// (parse_response + parse_log, get_logs' fallback) must accept with the same logs — the reader
// may refuse more, never accept more or decode differently.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "icn/eth/json_rpc.hpp"
#include "icn/eth/log_reader.hpp"
#include "icn/eth/rpc_types.hpp"

using namespace icn::eth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto fast = read_get_logs_response(body, 1);
  if (!fast) return 0;
  auto result = parse_response(body, 1, "eth_getLogs");
  if (!result || !result->is_array() || result->size() != fast->size()) __builtin_trap();
  for (size_t i = 0; i < fast->size(); ++i) {
    auto dom = parse_log((*result)[i]);
    if (!dom) __builtin_trap();
    const Log& a = (*fast)[i];
    const Log& b = *dom;
    if (a.address != b.address || a.topics != b.topics || a.data != b.data ||
        a.block_number != b.block_number || a.block_hash != b.block_hash ||
        a.tx_hash != b.tx_hash || a.tx_index != b.tx_index || a.log_index != b.log_index ||
        a.removed != b.removed) {
      __builtin_trap();
    }
  }
  return 0;
}
