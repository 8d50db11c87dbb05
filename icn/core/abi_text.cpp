// cast-compatible argument parsing and value printing (mirrors alloy's coerce_str and foundry's
// format_token, including their whitespace and quoting rules).
#include "icn/core/abi_text.hpp"

#include <cstdio>

namespace icn::abi {
namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Rust's char::is_whitespace over one decoded code point.
bool is_unicode_space(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
         cp == 0x205f || cp == 0x3000;
}

// Removes trailing Unicode whitespace as Rust's str::trim_end does (input is UTF-8; a malformed
// tail is not whitespace and stays).
std::string_view trim_end(std::string_view s) {
  while (!s.empty()) {
    size_t n = s.size();
    uint8_t last = uint8_t(s[n - 1]);
    if (last < 0x80) {
      if (!is_unicode_space(last)) break;
      s.remove_suffix(1);
      continue;
    }
    // Find the lead byte of the last sequence (at most 4 bytes back).
    size_t lead = n - 1;
    while (lead > 0 && n - lead < 4 && (uint8_t(s[lead]) & 0xc0) == 0x80) --lead;
    uint8_t b = uint8_t(s[lead]);
    size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (len == 0 || lead + len != n) break;
    uint32_t cp = b & (0xff >> (len + 1));
    for (size_t i = lead + 1; i < n; ++i) cp = (cp << 6) | (uint8_t(s[i]) & 0x3f);
    if (!is_unicode_space(cp)) break;
    s.remove_suffix(len);
  }
  return s;
}

Result<U256> pow10(size_t exponent) {
  U256 out = 1;
  for (size_t i = 0; i < exponent; ++i) {
    auto next = checked_mul(out, 10);
    if (!next) return fail("number too large to fit in target type");
    out = *next;
  }
  return out;
}

class ValueParser {
 public:
  explicit ValueParser(std::string_view text) : text_(text) {}

  Result<Value> whole(const Type& type) {
    ICN_TRY(Value v, value(type, '\0'));
    if (pos_ != text_.size()) return error("unexpected trailing characters");
    return v;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  void space0() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  Error error(std::string reason) const {
    return fail(std::move(reason) + " at position " + std::to_string(pos_));
  }
  Status expect(char c) {
    if (peek() != c) return error(std::string("expected `") + c + "`");
    ++pos_;
    return {};
  }

  Result<Value> value(const Type& type, char list_end) {
    switch (type.kind()) {
      case Kind::kBool:
        return boolean();
      case Kind::kUint: {
        ICN_TRY(U256 u, number(type.bits(), "uint"));
        return Value(u);
      }
      case Kind::kInt:
        return signed_number(type.bits());
      case Kind::kAddress:
        return address();
      case Kind::kFixedBytes: {
        size_t start = pos_;
        ICN_TRY(Bytes b, hex());
        if (b.size() != type.byte_size()) {
          pos_ = start;
          return error("expected " + std::to_string(type.byte_size()) + " bytes for " +
                       type.canonical() + ", got " + std::to_string(b.size()));
        }
        return Value(std::move(b));
      }
      case Kind::kBytes: {
        ICN_TRY(Bytes b, hex());
        return Value(std::move(b));
      }
      case Kind::kString: {
        ICN_TRY(std::string s, string(list_end));
        return Value(std::move(s));
      }
      case Kind::kArray:
      case Kind::kFixedArray:
        return array(type);
      case Kind::kTuple:
        return tuple(type);
    }
    return error("unsupported type");
  }

  Result<Value> boolean() {
    size_t start = pos_;
    while (is_alpha(peek())) ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    if (word == "true") return Value(true);
    if (word == "false") return Value(false);
    pos_ = start;
    return error("invalid boolean");
  }

  // Digits after an optional 0x/0b/0o prefix, as alloy reads them (hex digits are consumed for
  // every prefix, then checked against the radix).
  Result<U256> integer_part() {
    unsigned radix = 10;
    if (pos_ + 1 < text_.size() && text_[pos_] == '0') {
      char p = text_[pos_ + 1];
      if (p == 'x' || p == 'X') radix = 16;
      if (p == 'o' || p == 'O') radix = 8;
      if (p == 'b' || p == 'B') radix = 2;
    }
    size_t start = pos_;
    if (radix != 10) pos_ += 2;
    size_t digits_start = pos_;
    while (radix == 10 ? is_digit(peek()) : is_hex_digit(peek())) ++pos_;
    if (pos_ == digits_start) return error("expected at least one digit");
    U256 out = 0;
    const U256 max = ~U256(0);
    for (size_t i = digits_start; i < pos_; ++i) {
      unsigned d = unsigned(digit_value(text_[i]));
      if (d >= radix) {
        pos_ = start;
        return error(std::string("invalid digit '") + text_[i] + "' for base " +
                     std::to_string(radix));
      }
      if (out > (max - d) / radix) {
        pos_ = start;
        return error("number too large to fit in target type");
      }
      out = out * radix + d;
    }
    return out;
  }

  // uintN: literal, optional fraction, optional exponent, optional unit (alloy's `uint`).
  Result<U256> number(unsigned bits, const char* type_name) {
    size_t start = pos_;
    ICN_TRY(U256 intpart, integer_part());
    std::string_view fract;
    if (peek() == '.') {
      ++pos_;
      size_t f = pos_;
      while (is_digit(peek())) ++pos_;
      if (pos_ == f) return error("expected at least one digit");
      fract = text_.substr(f, pos_ - f);
    }
    long long exponent = 0;
    if (peek() == 'e' || peek() == 'E') {
      size_t save = pos_++;
      bool negative = false;
      if (peek() == '+' || peek() == '-') negative = text_[pos_++] == '-';
      size_t d = pos_;
      while (is_digit(peek())) ++pos_;
      if (pos_ == d || pos_ - d > 18) {
        pos_ = save;  // not an exponent: left for the unit parser, which rejects it
      } else {
        exponent = std::stoll(std::string(text_.substr(d, pos_ - d)));
        if (negative) exponent = -exponent;
      }
    }
    space0();
    size_t unit_start = pos_;
    while (is_alpha(peek())) ++pos_;
    std::string_view unit = text_.substr(unit_start, pos_ - unit_start);
    long long units = 0;
    if (unit == "ether") {
      units = 18;
    } else if (unit == "gwei" || unit == "nano" || unit == "nanoether") {
      units = 9;
    } else if (!unit.empty() && unit != "wei") {
      pos_ = unit_start;
      return error("unknown unit '" + std::string(unit) + "'");
    }
    units += exponent;
    if (units < 0) return error("negative units not allowed");
    Result<U256> value = fail("");
    if (!fract.empty()) {
      U256 fract_value = 0;
      for (char c : fract) {
        auto next = checked_mul(fract_value, 10);
        if (next) next = checked_add(*next, unsigned(c - '0'));
        if (!next) return error("number too large to fit in target type");
        fract_value = *next;
      }
      if (units == 0 && fract_value != 0) {
        return error("non-zero fraction ." + std::string(fract) + " not allowed");
      }
      if (fract.size() > size_t(units)) {
        return error("expected at most " + std::to_string(units) + " decimals, got " +
                     std::to_string(fract.size()));
      }
      auto scaled = [&]() -> std::optional<U256> {
        auto ext = pow10(fract.size());
        if (!ext) return std::nullopt;
        auto extended = checked_mul(intpart, *ext);
        if (!extended) return std::nullopt;
        auto joined = checked_add(fract_value, *extended);
        if (!joined) return std::nullopt;
        auto rest = pow10(size_t(units) - fract.size());
        if (!rest) return std::nullopt;
        return checked_mul(*joined, *rest);
      }();
      if (!scaled) return error("number too large to fit in target type");
      value = *scaled;
    } else if (units > 0) {
      auto scale = pow10(size_t(units));  // alloy errs on 10^units overflowing, even for 0
      std::optional<U256> scaled = scale ? checked_mul(intpart, *scale) : std::nullopt;
      if (!scaled) return error("number too large to fit in target type");
      value = *scaled;
    } else {
      value = intpart;
    }
    if (bit_length(*value) > bits) {
      pos_ = start;
      return error("number too large to fit in " + std::string(type_name) + std::to_string(bits));
    }
    return value;
  }

  Result<Value> signed_number(unsigned bits) {
    size_t start = pos_;
    bool negative = false;
    if (peek() == '+' || peek() == '-') negative = text_[pos_++] == '-';
    ICN_TRY(U256 magnitude, number(bits, "int"));
    bool fits = negative ? magnitude <= (U256(1) << (bits - 1)) : bit_length(magnitude) < bits;
    if (!fits) {
      pos_ = start;
      return error("number does not fit in int" + std::to_string(bits));
    }
    I256 v(magnitude);
    return Value(negative ? I256(-v) : v);
  }

  // alloy's hex_str: an optional lowercase "0x", then hex digits (none only after "0x").
  Result<Bytes> hex() {
    size_t start = pos_;
    bool prefixed = text_.substr(pos_).starts_with("0x");
    if (prefixed) pos_ += 2;
    size_t digits_start = pos_;
    while (is_hex_digit(peek())) ++pos_;
    std::string_view digits = text_.substr(digits_start, pos_ - digits_start);
    if (!prefixed && digits.empty()) {
      return error("expected hex digits or the `0x` prefix for an empty hex string");
    }
    if (digits.size() % 2 != 0) {
      pos_ = start;
      return error("odd number of hex digits");
    }
    Bytes out(digits.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = uint8_t(digit_value(digits[2 * i]) << 4 | digit_value(digits[2 * i + 1]));
    }
    return out;
  }

  Result<Value> address() {
    size_t start = pos_;
    ICN_TRY(Bytes raw, hex());
    if (raw.size() != 20) {
      pos_ = start;
      return error("expected 20 bytes for an address, got " + std::to_string(raw.size()));
    }
    Address a = Address::from_bytes(raw);
    std::string_view digits = text_.substr(pos_ - 40, 40);
    bool lower = false, upper = false;
    for (char c : digits) {
      lower |= c >= 'a' && c <= 'f';
      upper |= c >= 'A' && c <= 'F';
    }
    if (lower && upper && a.checksummed().substr(2) != digits) {
      pos_ = start;
      return error("invalid EIP-55 checksum (expected " + a.checksummed() + ")");
    }
    return Value(a);
  }

  // alloy's string: quoted with " or ' (no escapes), else up to ',' or the list's closing
  // bracket inside lists, else everything; unquoted text loses its trailing whitespace.
  Result<std::string> string(char list_end) {
    if (at_end()) return std::string();
    char delim = peek();
    if (delim == '"' || delim == '\'') {
      ++pos_;
      size_t start = pos_;
      while (!at_end() && peek() != delim) ++pos_;
      if (at_end()) return error(std::string("unterminated string: expected `") + delim + "`");
      std::string out(text_.substr(start, pos_ - start));
      ++pos_;
      return out;
    }
    size_t start = pos_;
    if (list_end != '\0') {
      while (!at_end() && peek() != ',' && peek() != list_end) ++pos_;
      if (pos_ == start) return error("expected a string");
    } else {
      pos_ = text_.size();
    }
    return std::string(trim_end(text_.substr(start, pos_ - start)));
  }

  Result<Value> array(const Type& type) {
    ICN_CHECK(expect('['));
    space0();
    Value::List items;
    if (peek() == ']') {
      ++pos_;
    } else {
      while (true) {
        ICN_TRY(Value v, value(type.element(), ']'));
        items.push_back(std::move(v));
        if (peek() == ',') {
          ++pos_;
          space0();
          if (peek() == ']') {
            ++pos_;
            break;
          }
          continue;
        }
        space0();
        ICN_CHECK(expect(']'));
        break;
      }
    }
    if (type.kind() == Kind::kFixedArray && items.size() != type.length()) {
      return error("fixed array length mismatch: expected " + std::to_string(type.length()) +
                   " elements, got " + std::to_string(items.size()));
    }
    return Value(std::move(items));
  }

  Result<Value> tuple(const Type& type) {
    space0();
    ICN_CHECK(expect('('));
    Value::List items;
    items.reserve(type.components().size());
    for (size_t i = 0; i < type.components().size(); ++i) {
      if (i > 0) {
        space0();
        ICN_CHECK(expect(','));
      }
      space0();
      ICN_TRY(Value v, value(type.components()[i], ')'));
      items.push_back(std::move(v));
    }
    space0();
    ICN_CHECK(expect(')'));
    return Value(std::move(items));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// --- printing ---------------------------------------------------------------------------------

// Code points Rust's Debug escapes as \u{…}: not printable (controls, format characters,
// separators other than ' ', private use, surrogates, known unassigned ranges) or grapheme
// extenders (combining marks). An approximation of Rust's generated tables.
bool rust_escapes(uint32_t cp) {
  struct Range {
    uint32_t lo, hi;
  };
  static constexpr Range kRanges[] = {
      {0x0000, 0x001f},   {0x007f, 0x009f},   {0x00a0, 0x00a0},   {0x00ad, 0x00ad},
      {0x0300, 0x036f},   {0x0378, 0x0379},   {0x0380, 0x0383},   {0x038b, 0x038b},
      {0x038d, 0x038d},   {0x03a2, 0x03a2},   {0x0483, 0x0489},   {0x0530, 0x0530},
      {0x0557, 0x0558},   {0x058b, 0x058c},   {0x0590, 0x05bd},   {0x05bf, 0x05bf},
      {0x05c1, 0x05c2},   {0x05c4, 0x05c5},   {0x05c7, 0x05c7},   {0x05c8, 0x05cf},
      {0x0600, 0x0605},   {0x0610, 0x061a},   {0x061c, 0x061c},   {0x064b, 0x065f},
      {0x0670, 0x0670},   {0x06d6, 0x06dd},   {0x06df, 0x06e4},   {0x06e7, 0x06e8},
      {0x06ea, 0x06ed},   {0x070f, 0x070f},   {0x0890, 0x0891},   {0x08e2, 0x08e2},
      {0x0900, 0x0902},   {0x093a, 0x093a},   {0x093c, 0x093c},   {0x0941, 0x0948},
      {0x094d, 0x094d},   {0x0951, 0x0957},   {0x0962, 0x0963},   {0x0e31, 0x0e31},
      {0x0e34, 0x0e3a},   {0x0e47, 0x0e4e},   {0x1680, 0x1680},   {0x180b, 0x180f},
      {0x1ab0, 0x1aff},   {0x1dc0, 0x1dff},   {0x2000, 0x200f},   {0x2028, 0x202f},
      {0x205f, 0x206f},   {0x20d0, 0x20f0},   {0x302a, 0x302f},   {0x3000, 0x3000},
      {0x3099, 0x309a},   {0xd800, 0xf8ff},   {0xfdd0, 0xfdef},   {0xfe00, 0xfe0f},
      {0xfe20, 0xfe2f},   {0xfeff, 0xfeff},   {0xfff0, 0xfffb},   {0xfffe, 0xffff},
      {0x110bd, 0x110bd}, {0x110cd, 0x110cd}, {0x13430, 0x1343f}, {0x1bca0, 0x1bca3},
      {0x1d173, 0x1d17a}, {0x40000, 0xdffff}, {0xe0000, 0xe0fff}, {0xf0000, 0x10ffff},
  };
  if ((cp & 0xfffe) == 0xfffe) return true;  // noncharacters at the end of every plane
  for (const Range& r : kRanges) {
    if (cp >= r.lo && cp <= r.hi) return true;
  }
  return false;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

void append_escaped(std::string& out, uint32_t cp) {
  switch (cp) {
    case 0:
      out += "\\0";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
  }
  if (rust_escapes(cp)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%x}", unsigned(cp));
    out += buf;
    return;
  }
  append_utf8(out, cp);
}

std::string format(const Type& type, const Value& value, bool hints);

std::string format_list(const Type* type, const Value::List& list, bool hints, char open,
                        char close) {
  std::string out(1, open);
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    if (!type) {
      out += format(Type::boolean(), list[i], hints);  // no type known: format by the value
    } else if (type->is_tuple()) {
      out += format(type->components()[i], list[i], hints);
    } else {
      out += format(type->element(), list[i], hints);
    }
  }
  out += close;
  return out;
}

std::string format(const Type& type, const Value& value, bool hints) {
  if (const U256* u = value.get_if<U256>()) {
    std::string out = to_decimal(*u);
    if (hints && *u >= 10000) out += " [" + exp_hint(*u, false) + "]";
    return out;
  }
  if (const I256* i = value.get_if<I256>()) {
    U256 mag = U256(*i < 0 ? I256(-*i) : *i);
    std::string out = (*i < 0 ? "-" : "") + to_decimal(mag);
    if (hints && mag >= 10000) out += " [" + exp_hint(mag, *i < 0) + "]";
    return out;
  }
  if (const Address* a = value.get_if<Address>()) return a->checksummed();
  if (const bool* b = value.get_if<bool>()) return *b ? "true" : "false";
  if (const Bytes* b = value.get_if<Bytes>()) return to_hex(*b);
  if (const std::string* s = value.get_if<std::string>()) return quote_string(*s);
  const Value::List& list = value.list();
  bool typed = (type.is_tuple() && type.components().size() == list.size()) || type.is_array();
  bool is_tuple = typed ? type.is_tuple() : false;
  return format_list(typed ? &type : nullptr, list, hints, is_tuple ? '(' : '[',
                     is_tuple ? ')' : ']');
}

}  // namespace

Result<Value> parse_value(const Type& type, std::string_view text) {
  auto v = ValueParser(text).whole(type);
  if (!v) {
    return fail("abi: cannot parse \"" + std::string(text) + "\" as " + type.canonical() + ": " +
                v.error().message);
  }
  return v;
}

std::string format_value(const Type& type, const Value& value) {
  return format(type, value, true);
}

std::string format_value_plain(const Type& type, const Value& value) {
  return format(type, value, false);
}

std::string quote_string(std::string_view raw) {
  std::string out = "\"";
  out.reserve(raw.size() + 2);
  const auto* s = reinterpret_cast<const uint8_t*>(raw.data());
  size_t n = raw.size();
  size_t i = 0;
  constexpr uint32_t kReplacement = 0xfffd;
  while (i < n) {
    uint8_t b = s[i];
    if (b < 0x80) {
      append_escaped(out, b);
      ++i;
      continue;
    }
    // Well-formed sequences per Unicode Table 3-7; a malformed one is replaced by one U+FFFD for
    // its longest valid prefix (the "maximal subpart" rule Rust's from_utf8_lossy follows).
    size_t need;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b == 0xe0) {
      need = 2, lo = 0xa0;
    } else if ((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef) {
      need = 2;
    } else if (b == 0xed) {
      need = 2, hi = 0x9f;
    } else if (b == 0xf0) {
      need = 3, lo = 0x90;
    } else if (b >= 0xf1 && b <= 0xf3) {
      need = 3;
    } else if (b == 0xf4) {
      need = 3, hi = 0x8f;
    } else {
      append_escaped(out, kReplacement);
      ++i;
      continue;
    }
    uint32_t cp = b & (0x7f >> (need + 1));
    size_t j = i + 1;
    bool ok = true;
    for (size_t k = 0; k < need; ++k, ++j) {
      if (j >= n || s[j] < lo || s[j] > hi) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (s[j] & 0x3f);
      lo = 0x80, hi = 0xbf;
    }
    append_escaped(out, ok ? cp : kReplacement);
    i = j;
  }
  out += '"';
  return out;
}

std::string exp_hint(const U256& magnitude, bool negative) {
  std::string digits = to_decimal(magnitude);
  size_t exponent = digits.size() - 1;
  std::string mantissa = digits.substr(0, 4);
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back();
  if (mantissa.size() > 1) mantissa.insert(1, ".");
  return (negative ? "-" : "") + mantissa + "e" + std::to_string(exponent);
}

}  // namespace icn::abi
