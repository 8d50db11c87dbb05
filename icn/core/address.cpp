// EIP-55 checksum encoding and strict address parsing.
#include "icn/core/address.hpp"

#include <algorithm>
#include <cctype>

#include "icn/core/keccak.hpp"

namespace icn {

bool Address::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

std::string Address::checksummed() const {
  std::string digits = to_hex_digits(bytes);
  Hash h = keccak256(digits);
  for (size_t i = 0; i < digits.size(); ++i) {
    uint8_t nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0xf);
    if (nibble >= 8) digits[i] = char(std::toupper(uint8_t(digits[i])));
  }
  return "0x" + digits;
}

Result<Address> Address::parse(std::string_view text) {
  ICN_TRY_CTX(Bytes raw, parse_hex(text), "address");
  if (raw.size() != 20) {
    return fail("address: expected 20 bytes, got " + std::to_string(raw.size()));
  }
  Address out = from_bytes(raw);
  std::string_view digits = text.substr(2);
  bool has_lower =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  bool has_upper =
      std::any_of(digits.begin(), digits.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (has_lower && has_upper && out.checksummed().substr(2) != digits) {
    return fail("address: invalid EIP-55 checksum (expected " + out.checksummed() + ")");
  }
  return out;
}

Address Address::from_bytes(ByteView twenty) {
  Address out;
  std::copy_n(twenty.begin(), 20, out.bytes.begin());
  return out;
}

Address address_from_public_key(const FixedBytes<64>& xy) {
  Hash h = keccak256(xy);
  return Address::from_bytes(ByteView(h).subspan(12));
}

}  // namespace icn
