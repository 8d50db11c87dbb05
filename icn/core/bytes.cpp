// Strict hex encoding and decoding.
#include "icn/core/bytes.hpp"

namespace icn {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

std::string describe_char(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  return "byte 0x" + std::string{kDigits[(uint8_t(c) >> 4) & 0xf], kDigits[uint8_t(c) & 0xf]};
}

Result<Bytes> decode_digits(std::string_view digits, size_t offset) {
  if (digits.size() % 2 != 0)
    return fail("odd number of hex digits (" + std::to_string(digits.size()) + ")");
  Bytes out(digits.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_digit_value(digits[2 * i]);
    int lo = hex_digit_value(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      size_t bad = hi < 0 ? 2 * i : 2 * i + 1;
      return fail("invalid hex digit " + describe_char(digits[bad]) + " at position " +
                  std::to_string(bad + offset));
    }
    out[i] = uint8_t(hi << 4 | lo);
  }
  return out;
}

}  // namespace

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex_digits(ByteView data) {
  std::string out(data.size() * 2, '0');
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string to_hex(ByteView data) {
  return "0x" + to_hex_digits(data);
}

Result<Bytes> parse_hex(std::string_view text) {
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return fail("hex must start with 0x");
  }
  return decode_digits(text.substr(2), 2);
}

Result<Bytes> parse_hex_digits(std::string_view digits) {
  return decode_digits(digits, 0);
}

Bytes be_bytes_trimmed(uint64_t value) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    uint8_t b = uint8_t(value >> shift);
    if (b != 0 || !out.empty()) out.push_back(b);
  }
  return out;
}

}  // namespace icn
