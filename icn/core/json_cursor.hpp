// A strict cursor over JSON text for readers that decode straight into their own types without a
// DOM (batch_json_reader; anything else on a hot path). It takes the canonical subset our wire
// formats use — strings without escapes, unsigned integers without sign, fraction, exponent or
// leading zero, lowercase hex — and every error names the reader and the byte offset, so a
// caller can fall back to a DOM decoder for a friendlier reason or report it as is.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::json_cursor {

class Cursor {
 public:
  // `what` prefixes every error ("batch json"); empty for none (the caller adds context).
  Cursor(std::string_view text, std::string what)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        what_(std::move(what)) {}

  size_t size() const { return size_t(end_ - begin_); }
  size_t left() const { return size_t(end_ - p_); }
  size_t offset() const { return size_t(p_ - begin_); }

  // ---- values ----

  // A string's raw bytes: printable ASCII without escapes.
  Result<std::string_view> string() {
    ICN_CHECK(expect('"'));
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      char c = *p_;
      if (c == '\\') return error("escape sequence in a string");
      if (c < 0x20 || c > 0x7e) return error("byte outside printable ASCII in a string");
      ++p_;
    }
    if (p_ == end_) return error("unterminated string");
    std::string_view s(start, size_t(p_ - start));
    ++p_;
    return s;
  }

  // A JSON integer in [0, 2^64): no sign, fraction, exponent or leading zero.
  Result<uint64_t> u64() {
    skip_space();
    const char* start = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    if (p_ == start) return error("expected an unsigned integer");
    if (*start == '0' && p_ - start > 1) return error("number with a leading zero");
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E'))
      return error("expected an integer, got a fraction or exponent");
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(start, p_, n);
    if (ec != std::errc() || ptr != p_) return error("integer does not fit in 64 bits");
    return n;
  }

  // A uint256 as a decimal string: "0" or digits without a leading zero.
  Result<U256> decimal() {
    ICN_TRY(std::string_view s, string());
    if (s.empty() || s.size() > 78) return error("expected a decimal string of 1 to 78 digits");
    for (char c : s) {
      if (c < '0' || c > '9') return error("expected a decimal string of digits");
    }
    if (s.size() > 1 && s[0] == '0') return error("non-canonical decimal: leading zero");
    if (s.size() <= 19) {  // below 10^19 < 2^64: no big-number parsing
      uint64_t n = 0;
      std::from_chars(s.data(), s.data() + s.size(), n);
      return U256(n);
    }
    auto n = parse_u256(s);
    if (!n) return error(n.error().message);
    return *n;
  }

  // "0x" and exactly 2N lowercase hex digits.
  template <size_t N>
  Result<FixedBytes<N>> hex() {
    ICN_TRY(std::string_view s, string());
    if (s.size() != 2 + 2 * N || s[0] != '0' || s[1] != 'x') {
      return error("expected \"0x\" and " + std::to_string(2 * N) + " lowercase hex digits");
    }
    FixedBytes<N> out;
    for (size_t i = 0; i < N; ++i) {
      int hi = hex_value(s[2 + 2 * i]), lo = hex_value(s[3 + 2 * i]);
      if (hi < 0 || lo < 0) return error("invalid or uppercase hex digit");
      out[i] = uint8_t(hi << 4 | lo);
    }
    return out;
  }

  // The literal `word` (true, false, null) if it is next: taken and true; else nothing taken.
  bool literal(std::string_view word) {
    skip_space();
    if (size_t(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // ---- structure ----

  // An object: `on_member(name)` reads each member's value (the cursor is past the ':') and
  // returns a Status; an empty object calls it never.
  template <class OnMember>
  Status object(OnMember&& on_member) {
    ICN_CHECK(expect('{'));
    if (!peek('}')) {
      do {
        ICN_TRY(std::string_view name, string());
        ICN_CHECK(expect(':'));
        ICN_CHECK(on_member(name));
      } while (next());
    }
    return expect('}');
  }

  // An array: `on_element()` reads each element and returns a Status.
  template <class OnElement>
  Status array(OnElement&& on_element) {
    ICN_CHECK(expect('['));
    if (!peek(']')) {
      do {
        ICN_CHECK(on_element());
      } while (next());
    }
    return expect(']');
  }

  // Only white space is left.
  Status end() {
    skip_space();
    if (p_ != end_) return error("unexpected text after the value");
    return {};
  }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool peek(char c) {
    skip_space();
    return p_ != end_ && *p_ == c;
  }
  Status expect(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return error(std::string("expected '") + c + "'");
    ++p_;
    return {};
  }

  Error error(const std::string& message) const {
    return fail((what_.empty() ? "" : what_ + ": ") + message + " at offset " +
                std::to_string(p_ - begin_));
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // uppercase is not canonical
  }

 private:
  // After a member or element: ',' and another follows (true), or the container ends (false).
  bool next() {
    if (peek(',')) {
      ++p_;
      return true;
    }
    return false;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string what_;
};

}  // namespace icn::json_cursor
