// RLP encoder and canonical-only decoder (no recursion: one level per call).
#include "icn/core/rlp.hpp"

#include <cstdio>

namespace icn::rlp {
namespace {

constexpr uint8_t kStringShort = 0x80;        // 0x80..0xb7: string of 0..55 bytes
constexpr uint8_t kStringLong = 0xb7;         // 0xb8..0xbf: 1..8 length bytes follow
constexpr uint8_t kListShort = 0xc0;          // 0xc0..0xf7: list payload of 0..55 bytes
constexpr uint8_t kListLong = 0xf7;           // 0xf8..0xff: 1..8 length bytes follow
constexpr uint64_t kMaxLength = 0xffffffffu;  // no real RLP value comes near 4 GiB

void append_header(Bytes& out, uint8_t short_base, uint8_t long_base, size_t length) {
  if (length < 56) {
    out.push_back(uint8_t(short_base + length));
    return;
  }
  Bytes len = be_bytes_trimmed(length);
  out.push_back(uint8_t(long_base + len.size()));
  append(out, len);
}

std::string count_bytes(size_t n) {
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

std::string hex_byte(uint8_t b) {
  char buf[5];
  std::snprintf(buf, sizeof(buf), "0x%02x", b);
  return buf;
}

// The item at the start of input, with the canonical-form checks; messages without the "rlp: "
// prefix, which the public functions add.
Result<Prefix> decode_prefix_bare(ByteView input) {
  if (input.empty()) return fail("empty input");
  const uint8_t first = input[0];
  if (first < kStringShort) return Prefix{Item{false, input.subspan(0, 1)}, 1};

  const bool is_list = first >= kListShort;
  const char* kind = is_list ? "list" : "string";
  const uint8_t short_base = is_list ? kListShort : kStringShort;
  const uint8_t long_base = is_list ? kListLong : kStringLong;
  const size_t left = input.size() - 1;

  size_t header = 1;
  uint64_t length = 0;
  if (first <= long_base) {
    length = first - short_base;
  } else {
    const size_t length_bytes = first - long_base;  // 1..8
    if (length_bytes > left) {
      return fail(std::string(kind) + " length of " + count_bytes(length_bytes) +
                  " runs past the end of the input (" + count_bytes(left) + " left)");
    }
    if (input[1] == 0) return fail(std::string(kind) + " length has leading zero bytes");
    for (size_t i = 0; i < length_bytes; ++i) length = (length << 8) | input[1 + i];
    if (length < 56) {
      return fail(std::string(kind) + " uses the long form for length " + std::to_string(length) +
                  " < 56");
    }
    if (length > kMaxLength) {
      return fail(std::string(kind) + " length " + std::to_string(length) + " exceeds 2^32 - 1");
    }
    header += length_bytes;
  }
  const size_t available = input.size() - header;
  if (length > available) {
    return fail(std::string(kind) + " of length " + std::to_string(length) +
                " runs past the end of the input (" + count_bytes(available) + " left)");
  }
  ByteView payload = input.subspan(header, size_t(length));
  if (!is_list && length == 1 && payload[0] < kStringShort) {
    return fail("non-canonical single byte " + hex_byte(payload[0]) +
                " (must be encoded as itself, not as a 1-byte string)");
  }
  return Prefix{Item{is_list, payload}, header + size_t(length)};
}

Result<std::vector<Item>> list_items_bare(ByteView payload) {
  std::vector<Item> items;
  size_t index = 0;
  while (!payload.empty()) {
    auto prefix = decode_prefix_bare(payload);
    if (!prefix) return std::move(prefix).error().context("list item " + std::to_string(index));
    items.push_back(prefix->item);
    payload = payload.subspan(prefix->encoded_size);
    ++index;
  }
  return items;
}

}  // namespace

// --- Encoding ---

Bytes encode_bytes(ByteView data) {
  if (data.size() == 1 && data[0] < kStringShort) return Bytes{data[0]};
  Bytes out;
  out.reserve(data.size() + 9);
  append_header(out, kStringShort, kStringLong, data.size());
  append(out, data);
  return out;
}

Bytes encode_uint(const U256& value) {
  return encode_bytes(u256_to_be_trimmed(value));
}
Bytes encode_uint(uint64_t value) {
  return encode_bytes(be_bytes_trimmed(value));
}

Bytes encode_list_payload(ByteView payload) {
  Bytes out;
  out.reserve(payload.size() + 9);
  append_header(out, kListShort, kListLong, payload.size());
  append(out, payload);
  return out;
}

Bytes encode_list(std::span<const Bytes> encoded_items) {
  Bytes payload;
  for (const Bytes& item : encoded_items) append(payload, item);
  return encode_list_payload(payload);
}

ListBuilder& ListBuilder::add_bytes(ByteView data) {
  append(payload_, encode_bytes(data));
  return *this;
}
ListBuilder& ListBuilder::add_uint(const U256& value) {
  append(payload_, encode_uint(value));
  return *this;
}
ListBuilder& ListBuilder::add_uint(uint64_t value) {
  append(payload_, encode_uint(value));
  return *this;
}
ListBuilder& ListBuilder::add_encoded(ByteView encoded_item) {
  append(payload_, encoded_item);
  return *this;
}

// --- Decoding ---

Result<Prefix> decode_prefix(ByteView input) {
  auto prefix = decode_prefix_bare(input);
  if (!prefix) return std::move(prefix).error().context("rlp");
  return prefix;
}

Result<Item> decode_one(ByteView input) {
  ICN_TRY(Prefix prefix, decode_prefix(input));
  if (prefix.encoded_size != input.size()) {
    const size_t extra = input.size() - prefix.encoded_size;
    return fail("rlp: " + count_bytes(extra) + " trailing after the item");
  }
  return prefix.item;
}

Result<std::vector<Item>> decode_list_items(ByteView list_payload) {
  auto items = list_items_bare(list_payload);
  if (!items) return std::move(items).error().context("rlp");
  return items;
}

Result<std::vector<Item>> decode_list(ByteView input) {
  ICN_TRY(Item item, decode_one(input));
  if (!item.is_list) return fail("rlp: expected a list, got a string");
  return decode_list_items(item.payload);
}

Result<ByteView> decode_bytes(const Item& item) {
  if (item.is_list) return fail("rlp: expected a string, got a list");
  return item.payload;
}

Result<U256> decode_uint(const Item& item) {
  if (item.is_list) return fail("rlp: expected an integer, got a list");
  if (item.payload.size() > 32) {
    return fail("rlp: integer of " + std::to_string(item.payload.size()) +
                " bytes does not fit in 256 bits");
  }
  if (!item.payload.empty() && item.payload[0] == 0) {
    return fail("rlp: non-canonical integer (leading zero bytes)");
  }
  return u256_from_be(item.payload);
}

Result<uint64_t> decode_u64(const Item& item) {
  if (item.is_list) return fail("rlp: expected an integer, got a list");
  if (item.payload.size() > 8) {
    return fail("rlp: integer of " + std::to_string(item.payload.size()) +
                " bytes does not fit in 64 bits");
  }
  if (!item.payload.empty() && item.payload[0] == 0) {
    return fail("rlp: non-canonical integer (leading zero bytes)");
  }
  uint64_t out = 0;
  for (uint8_t b : item.payload) out = (out << 8) | b;
  return out;
}

}  // namespace icn::rlp
