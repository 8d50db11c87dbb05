// Conversions for U256/I256 with strict parsing of outside text.
#include "icn/core/u256.hpp"

#include <algorithm>
#include <cstring>

namespace icn {
namespace {

const U256 kMax = ~U256(0);

}  // namespace

U256 u256_from_be(ByteView be) {
  // Read straight into the four 64-bit limbs: shifting byte by byte dominated ABI decoding.
  uint8_t word[32] = {};
  size_t n = std::min<size_t>(be.size(), 32);
  std::memcpy(word + 32 - n, be.data() + be.size() - n, n);
  U256 out;
  auto& backend = out.backend();
  backend.resize(4, 4);
  auto* limbs = backend.limbs();
  static_assert(sizeof(*limbs) == 8, "limb loads assume 64-bit limbs");
  for (unsigned i = 0; i < 4; ++i) {
    uint64_t v;
    std::memcpy(&v, word + 24 - 8 * i, 8);
    limbs[i] = __builtin_bswap64(v);
  }
  backend.normalize();
  return out;
}

Hash u256_to_be(const U256& value) {
  Hash out{};
  // Limbs are little-endian machine words; write them out from the right.
  const auto& backend = value.backend();
  const auto* limbs = backend.limbs();
  size_t byte = 0;
  for (unsigned i = 0; i < backend.size(); ++i) {
    auto limb = limbs[i];
    for (size_t j = 0; j < sizeof(limb) && byte < 32; ++j, ++byte) {
      out[31 - byte] = uint8_t(limb & 0xff);
      limb >>= 8;
    }
  }
  return out;
}

Bytes u256_to_be_trimmed(const U256& value) {
  Hash word = u256_to_be(value);
  size_t first = 0;
  while (first < 32 && word[first] == 0) ++first;
  return Bytes(word.begin() + first, word.end());
}

I256 i256_from_word(const Hash& word) {
  U256 raw = u256_from_be(word);
  if (!(word[0] & 0x80)) return I256(raw);
  U256 magnitude = ~raw + 1;  // two's complement, wraps at 2^256
  if (magnitude == 0) return 0;
  // magnitude of -2^255 is 2^255, representable in I256's 256-bit magnitude.
  return -I256(magnitude);
}

Hash i256_to_word(const I256& value) {
  if (value >= 0) return u256_to_be(U256(value));
  U256 magnitude = U256(-value);
  return u256_to_be(~magnitude + 1);
}

Result<U256> parse_u256(std::string_view text) {
  if (text.empty()) return fail("empty number");
  U256 out = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string_view digits = text.substr(2);
    if (digits.empty()) return fail("empty hex number");
    for (char c : digits) {
      int v = hex_digit_value(c);
      if (v < 0) return fail(std::string("invalid hex digit '") + c + "' in number");
      if (out > (kMax >> 4)) return fail("number does not fit in 256 bits");
      out = (out << 4) | v;
    }
    return out;
  }
  for (char c : text) {
    if (c < '0' || c > '9') return fail(std::string("invalid decimal digit '") + c + "' in number");
    unsigned d = unsigned(c - '0');
    if (out > (kMax - d) / 10) return fail("number does not fit in 256 bits");
    out = out * 10 + d;
  }
  return out;
}

Result<I256> parse_i256(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  ICN_TRY(U256 magnitude, parse_u256(negative ? text.substr(1) : text));
  const U256 limit = U256(1) << 255;
  if (negative) {
    if (magnitude > limit) return fail("number does not fit in int256");
    return -I256(magnitude);
  }
  if (magnitude >= limit) return fail("number does not fit in int256");
  return I256(magnitude);
}

std::string to_decimal(const U256& value) {
  return value.str();
}
std::string to_decimal(const I256& value) {
  return value.str();
}

std::string to_hex_quantity(const U256& value) {
  Bytes trimmed = u256_to_be_trimmed(value);
  if (trimmed.empty()) return "0x0";
  std::string digits = to_hex_digits(trimmed);
  if (digits[0] == '0') digits.erase(0, 1);
  return "0x" + digits;
}

std::optional<U256> checked_add(const U256& a, const U256& b) {
  if (a > kMax - b) return std::nullopt;
  return a + b;
}

std::optional<U256> checked_sub(const U256& a, const U256& b) {
  if (b > a) return std::nullopt;
  return a - b;
}

std::optional<U256> checked_mul(const U256& a, const U256& b) {
  if (a != 0 && b > kMax / a) return std::nullopt;
  return a * b;
}

unsigned bit_length(const U256& value) {
  if (value == 0) return 0;
  return unsigned(boost::multiprecision::msb(value)) + 1;
}

}  // namespace icn
