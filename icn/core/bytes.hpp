// Byte strings and strict hex: the one place outside text becomes bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"

namespace icn {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
template <size_t N>
using FixedBytes = std::array<uint8_t, N>;
using Hash = FixedBytes<32>;

inline ByteView as_view(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline Bytes to_bytes(ByteView v) {
  return Bytes(v.begin(), v.end());
}
inline void append(Bytes& out, ByteView v) {
  out.insert(out.end(), v.begin(), v.end());
}

// 0–15 for [0-9a-fA-F], -1 for anything else.
int hex_digit_value(char c);

// "0x"-prefixed lowercase hex.
std::string to_hex(ByteView data);
// Lowercase hex digits without prefix.
std::string to_hex_digits(ByteView data);

// Strict: requires "0x"/"0X", an even number of digits, only [0-9a-fA-F].
Result<Bytes> parse_hex(std::string_view text);
// The same rules without the prefix requirement (for formats that store bare hex, e.g. keystores).
Result<Bytes> parse_hex_digits(std::string_view digits);

// Exactly N bytes of "0x"-prefixed hex.
template <size_t N>
Result<FixedBytes<N>> parse_fixed_hex(std::string_view text) {
  ICN_TRY(Bytes b, parse_hex(text));
  if (b.size() != N) {
    return fail("expected " + std::to_string(N) + " bytes, got " + std::to_string(b.size()));
  }
  FixedBytes<N> out;
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

// Big-endian unsigned integer helpers for lengths and counters.
Bytes be_bytes_trimmed(uint64_t value);  // no leading zeros; 0 → empty

}  // namespace icn
