// 256-bit unsigned and signed integers for ABI values, token amounts and chain quantities.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <optional>

#include "icn/core/bytes.hpp"

namespace icn {

// Wraps modulo 2^256 like the EVM; use the checked_* helpers for token maths.
using U256 = boost::multiprecision::uint256_t;
// Sign-magnitude with a 256-bit magnitude: holds every int256 value (and a little more, which
// encoders reject).
using I256 = boost::multiprecision::int256_t;

// 32-byte big-endian word <-> U256.
U256 u256_from_be(ByteView be);  // up to 32 bytes, big-endian
Hash u256_to_be(const U256& value);
Bytes u256_to_be_trimmed(const U256& value);  // no leading zeros; 0 → empty (RLP integers)

// Two's-complement 256-bit word <-> I256.
I256 i256_from_word(const Hash& word);
Hash i256_to_word(const I256& value);  // caller checks the range

// "123", "0x7b" (any case). Rejects empty, signs, overflow past 2^256-1 and stray characters.
Result<U256> parse_u256(std::string_view text);
// As parse_u256 with an optional leading '-', range [-2^255, 2^255-1].
Result<I256> parse_i256(std::string_view text);

std::string to_decimal(const U256& value);
std::string to_decimal(const I256& value);
std::string to_hex_quantity(const U256& value);  // JSON-RPC QUANTITY: "0x0", "0x1f"

std::optional<U256> checked_add(const U256& a, const U256& b);
std::optional<U256> checked_sub(const U256& a, const U256& b);
std::optional<U256> checked_mul(const U256& a, const U256& b);

// Bit length of the value (0 for 0).
unsigned bit_length(const U256& value);

}  // namespace icn
