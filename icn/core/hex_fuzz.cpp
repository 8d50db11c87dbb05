// libFuzzer target for the strict hex and number parsers: no crash, and what parses round-trips.
#include <cstdlib>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/u256.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto bytes = icn::parse_hex(text)) {
    auto again = icn::parse_hex(icn::to_hex(*bytes));
    if (!again || *again != *bytes) std::abort();
  }
  if (auto n = icn::parse_u256(text)) {
    if (icn::parse_u256(icn::to_decimal(*n)).value_or(0) != *n) std::abort();
  }
  if (auto n = icn::parse_i256(text)) {
    if (icn::parse_i256(icn::to_decimal(*n)).value_or(0) != *n) std::abort();
  }
  if (auto a = icn::Address::parse(text)) {
    if (icn::Address::parse(a->checksummed()).value_or(icn::Address{}) != *a) std::abort();
  }
  return 0;
}
