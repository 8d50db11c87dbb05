// 20-byte Ethereum addresses with EIP-55 mixed-case checksums.
#pragma once

#include <compare>

#include "icn/core/bytes.hpp"

namespace icn {

struct Address {
  FixedBytes<20> bytes{};

  auto operator<=>(const Address&) const = default;
  bool is_zero() const;

  // EIP-55 checksummed "0x…".
  std::string checksummed() const;
  std::string lower_hex() const { return to_hex(bytes); }

  // Accepts all-lowercase or all-uppercase digits, or mixed case only with a valid EIP-55 checksum.
  static Result<Address> parse(std::string_view text);
  static Address from_bytes(ByteView twenty);  // caller guarantees 20 bytes
};

// The address of a public key: the last 20 bytes of keccak(x || y).
Address address_from_public_key(const FixedBytes<64>& xy);

}  // namespace icn

template <>
struct std::hash<icn::Address> {
  size_t operator()(const icn::Address& a) const noexcept {
    size_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | a.bytes[i];
    return h;
  }
};
