// RLP (Ethereum's Recursive Length Prefix) encoding, and a strict decoder that accepts only the
// canonical form, so every accepted input re-encodes to the same bytes.
#pragma once

#include <span>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/u256.hpp"

namespace icn::rlp {

// --- Encoding ---

Bytes encode_bytes(ByteView data);
// Minimal big-endian; 0 is the empty string 0x80.
Bytes encode_uint(const U256& value);
Bytes encode_uint(uint64_t value);
// A list of items that are each already encoded.
Bytes encode_list(std::span<const Bytes> encoded_items);
// The list header for a payload that is the concatenation of encoded items, then the payload.
Bytes encode_list_payload(ByteView payload);

// Builds one list item by item: ListBuilder().add_uint(n).add_bytes(data).finish().
class ListBuilder {
 public:
  ListBuilder& add_bytes(ByteView data);
  ListBuilder& add_uint(const U256& value);
  ListBuilder& add_uint(uint64_t value);
  // An item encoded elsewhere (e.g. a nested list).
  ListBuilder& add_encoded(ByteView encoded_item);
  Bytes finish() const { return encode_list_payload(payload_); }

 private:
  Bytes payload_;
};

// --- Decoding ---
// Every function here decodes one level: nested lists are the caller's to walk, so hostile
// nesting depth cannot exhaust the stack. Payload views point into the caller's input.

struct Item {
  bool is_list = false;
  ByteView payload;  // a string's bytes, or a list's concatenated encoded items
};

// The first item of input and how many bytes it occupies; input may continue after it.
struct Prefix {
  Item item;
  size_t encoded_size = 0;
};
Result<Prefix> decode_prefix(ByteView input);

// Exactly one item that fills the whole input.
Result<Item> decode_one(ByteView input);
// The items of a list, given its payload.
Result<std::vector<Item>> decode_list_items(ByteView list_payload);
// decode_one, which must yield a list, then its items.
Result<std::vector<Item>> decode_list(ByteView input);

// A string item's bytes; rejects lists.
Result<ByteView> decode_bytes(const Item& item);
// A canonical unsigned integer: a string of at most 32 bytes without leading zeros.
Result<U256> decode_uint(const Item& item);
// As decode_uint, at most 8 bytes (nonces, gas limits).
Result<uint64_t> decode_u64(const Item& item);

}  // namespace icn::rlp
