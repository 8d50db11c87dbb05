// libFuzzer target for the RLP decoder and the raw transaction decoder: no input may crash them,
// and whatever the RLP decoder accepts must re-encode to exactly the input (canonical form).
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "icn/core/keccak.hpp"
#include "icn/core/rlp.hpp"
#include "icn/core/transaction.hpp"

namespace {

// Deep enough for any real structure; the bound keeps the walk's own recursion shallow.
constexpr int kMaxDepth = 64;

// Re-encodes the item and its children (children below kMaxDepth are copied as they are), or
// returns false when a nested list is malformed.
bool reencode(const icn::rlp::Item& item, int depth, icn::Bytes& out) {
  if (!item.is_list) {
    icn::append(out, icn::rlp::encode_bytes(item.payload));
    return true;
  }
  if (depth >= kMaxDepth) {
    icn::append(out, icn::rlp::encode_list_payload(item.payload));
    return true;
  }
  auto children = icn::rlp::decode_list_items(item.payload);
  if (!children) return false;
  icn::Bytes payload;
  for (const icn::rlp::Item& child : *children) {
    if (!reencode(child, depth + 1, payload)) return false;
    // Integer decoding must never crash either, whatever the string holds.
    (void)icn::rlp::decode_uint(child);
    (void)icn::rlp::decode_u64(child);
  }
  icn::append(out, icn::rlp::encode_list_payload(payload));
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  icn::ByteView input(data, size);

  if (auto item = icn::rlp::decode_one(input)) {
    icn::Bytes encoded;
    // A malformed nested list is a fine outcome; a well-formed tree must be the input itself.
    if (reencode(*item, 0, encoded) &&
        (encoded.size() != size || !std::equal(encoded.begin(), encoded.end(), data))) {
      std::abort();  // accepted a non-canonical encoding
    }
  }

  if (auto tx = icn::decode_signed_tx(input)) {
    if (tx->raw.size() != size || tx->hash != icn::keccak256(input)) std::abort();
    (void)icn::decode_signed_tx(input, tx->chain_id().value_or(icn::U256(1)));
  }
  return 0;
}
