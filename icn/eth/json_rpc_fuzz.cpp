// libFuzzer target: any HTTP body through the JSON-RPC response validation and the eth_* decoders.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"

using namespace icn::eth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto single = parse_response(body, 1, "fuzz");
  if (single) {
    // Whatever validated as a result goes through every typed decoder.
    (void)parse_block_header(*single);
    (void)parse_receipt(*single);
    (void)parse_log(*single);
    (void)parse_fee_history(*single);
    (void)parse_quantity(*single);
    (void)parse_quantity_u64(*single);
    (void)parse_data(*single);
    (void)parse_hash(*single);
    (void)parse_address(*single);
  } else if (auto e = find_rpc_error(single.error())) {
    (void)e->revert_data();
    (void)e->to_text();
  }
  std::vector<RpcCall> calls = {{"a"}, {"b"}, {"c"}};
  auto batch = parse_batch_response(body, {1, 2, 3}, calls);
  if (batch && batch->size() != calls.size()) __builtin_trap();
  return 0;
}
