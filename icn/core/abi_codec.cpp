// ABI encoder (one growing buffer, values range-checked) and strict decoder (bounded work).
#include "icn/core/abi_codec.hpp"

#include <algorithm>
#include <cstring>

namespace icn::abi {
namespace {

const char* describe(const Value& v) {
  switch (v.data.index()) {
    case 0:
      return "an unsigned integer";
    case 1:
      return "a signed integer";
    case 2:
      return "an address";
    case 3:
      return "a bool";
    case 4:
      return "bytes";
    case 5:
      return "a string";
    default:
      return "a list";
  }
}

Error wrong_value(const Type& t, const Value& v) {
  return fail("expected a value of type " + t.canonical() + ", got " + describe(v));
}

using Limb = boost::multiprecision::limb_type;
static_assert(sizeof(Limb) == 8, "limb loads below assume 64-bit limbs");

uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
void store_be64(uint8_t* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

// Big-endian 256-bit write straight from the limbs into a zeroed word.
void put_u256(uint8_t* dst, const U256& value) {
  const auto& backend = value.backend();
  const Limb* limbs = backend.limbs();
  for (unsigned i = 0; i < backend.size() && i < 4; ++i) store_be64(dst + 24 - 8 * i, limbs[i]);
}

U256 load_u256(const uint8_t* src) {
  return u256_from_be(ByteView(src, 32));
}

// A two's-complement word as I256 (whose magnitude holds 2^255, so every int256 fits).
I256 load_i256(const uint8_t* src) {
  U256 raw = load_u256(src);
  if (!(src[0] & 0x80)) return I256(raw);
  return -I256(U256(~raw + 1));
}

void put_u64(uint8_t* dst, uint64_t v) {
  store_be64(dst + 24, v);
}

// The magnitude of an I256 as a U256 (I256 is sign-magnitude, so this is exact).
U256 magnitude(const I256& v) {
  return U256(v < 0 ? -v : v);
}

// Writes into `out` past its current size. The buffer grows geometrically and is trimmed by
// finish(): bytes past the logical end are always zero (fresh from resize, never written), so a
// word needs no clearing before its value is written.
class Encoder {
 public:
  explicit Encoder(Bytes& out) : out_(out), size_(out.size()) {}

  // Trims to the encoded length, or on failure back to the length before encoding.
  void finish(bool ok, size_t original) { out_.resize(ok ? size_ : original); }

  // A sequence (tuple components or array elements) at the end of out: heads first (static values
  // inline, placeholders for offsets), then each dynamic value's tail, patching its offset.
  template <typename TypeAt>
  Status sequence(size_t n, TypeAt type_at, const Value* values, const char* what) {
    size_t start = size_;
    bool any_dynamic = false;
    for (size_t i = 0; i < n; ++i) {
      const Type& t = type_at(i);
      if (t.is_dynamic()) {
        grow(32);
        any_dynamic = true;
        continue;
      }
      Status s = fixed(t, values[i]);
      if (!s) return std::move(s).error().context(what + std::to_string(i));
    }
    if (!any_dynamic) return {};
    size_t slot = start;
    for (size_t i = 0; i < n; ++i) {
      const Type& t = type_at(i);
      if (t.is_dynamic()) {
        put_u64(out_.data() + slot, size_ - start);
        Status s = dynamic(t, values[i]);
        if (!s) return std::move(s).error().context(what + std::to_string(i));
      }
      slot += t.head_size();
    }
    return {};
  }

 private:
  uint8_t* grow(size_t n) {
    if (out_.size() - size_ < n) {
      out_.resize(std::max({size_ + n, out_.size() * 2, out_.capacity()}));
    }
    uint8_t* p = out_.data() + size_;
    size_ += n;
    return p;
  }

  Status uint_word(const Type& t, const Value& v) {
    const U256* u = v.get_if<U256>();
    U256 converted;
    if (!u) {
      const I256* i = v.get_if<I256>();
      if (!i) return wrong_value(t, v);
      if (*i < 0) return fail("value " + to_decimal(*i) + " does not fit in " + t.canonical());
      converted = U256(*i);
      u = &converted;
    }
    if (t.bits() < 256 && bit_length(*u) > t.bits()) {
      return fail("value " + to_decimal(*u) + " does not fit in " + t.canonical());
    }
    put_u256(grow(32), *u);
    return {};
  }

  Status int_word(const Type& t, const Value& v) {
    const unsigned bits = t.bits();
    if (const U256* u = v.get_if<U256>()) {
      if (bit_length(*u) > bits - 1) {
        return fail("value " + to_decimal(*u) + " does not fit in " + t.canonical());
      }
      put_u256(grow(32), *u);
      return {};
    }
    const I256* i = v.get_if<I256>();
    if (!i) return wrong_value(t, v);
    U256 mag = magnitude(*i);
    bool fits = *i >= 0 ? bit_length(mag) <= bits - 1 : mag <= (U256(1) << (bits - 1));
    if (!fits) return fail("value " + to_decimal(*i) + " does not fit in " + t.canonical());
    uint8_t* dst = grow(32);
    if (*i >= 0) {
      put_u256(dst, mag);
    } else {
      put_u256(dst, ~mag + 1);  // two's complement, sign-extended to 256 bits
    }
    return {};
  }

  Status fixed(const Type& t, const Value& v) {
    switch (t.kind()) {
      case Kind::kUint:
        return uint_word(t, v);
      case Kind::kInt:
        return int_word(t, v);
      case Kind::kAddress: {
        const Address* a = v.get_if<Address>();
        if (!a) return wrong_value(t, v);
        std::memcpy(grow(32) + 12, a->bytes.data(), 20);
        return {};
      }
      case Kind::kBool: {
        const bool* b = v.get_if<bool>();
        if (!b) return wrong_value(t, v);
        grow(32)[31] = *b ? 1 : 0;
        return {};
      }
      case Kind::kFixedBytes: {
        const Bytes* b = v.get_if<Bytes>();
        if (!b) return wrong_value(t, v);
        if (b->size() != t.byte_size()) {
          return fail("expected " + std::to_string(t.byte_size()) + " bytes for " + t.canonical() +
                      ", got " + std::to_string(b->size()));
        }
        std::memcpy(grow(32), b->data(), b->size());
        return {};
      }
      case Kind::kFixedArray: {
        const Value::List* list = v.get_if<Value::List>();
        if (!list) return wrong_value(t, v);
        if (list->size() != t.length()) return count_mismatch(t, list->size());
        return sequence(
            t.length(), [&](size_t) -> const Type& { return t.element(); }, list->data(),
            "element ");
      }
      case Kind::kTuple: {
        const Value::List* list = v.get_if<Value::List>();
        if (!list) return wrong_value(t, v);
        if (list->size() != t.components().size()) return count_mismatch(t, list->size());
        return sequence(
            list->size(), [&](size_t i) -> const Type& { return t.components()[i]; }, list->data(),
            "component ");
      }
      default:
        return dynamic(t, v);  // not reached: dynamic kinds are routed by is_dynamic()
    }
  }

  Status dynamic(const Type& t, const Value& v) {
    switch (t.kind()) {
      case Kind::kBytes:
      case Kind::kString: {
        ByteView content;
        if (t.kind() == Kind::kBytes) {
          const Bytes* b = v.get_if<Bytes>();
          if (!b) return wrong_value(t, v);
          content = *b;
        } else {
          const std::string* s = v.get_if<std::string>();
          if (!s) return wrong_value(t, v);
          content = as_view(*s);
        }
        size_t padded = (content.size() + 31) / 32 * 32;
        uint8_t* dst = grow(32 + padded);
        put_u64(dst, content.size());
        if (!content.empty()) std::memcpy(dst + 32, content.data(), content.size());
        return {};
      }
      case Kind::kArray: {
        const Value::List* list = v.get_if<Value::List>();
        if (!list) return wrong_value(t, v);
        put_u64(grow(32), list->size());
        return sequence(
            list->size(), [&](size_t) -> const Type& { return t.element(); }, list->data(),
            "element ");
      }
      default:
        return fixed(t, v);  // dynamic fixed arrays and tuples encode as sequences in place
    }
  }

  Error count_mismatch(const Type& t, size_t got) {
    size_t want = t.kind() == Kind::kTuple ? t.components().size() : t.length();
    return fail("expected " + std::to_string(want) + " values for " + t.canonical() + ", got " +
                std::to_string(got));
  }

  Bytes& out_;
  size_t size_;
};

std::string hex_word(ByteView word) {
  return to_hex(word);
}

// "0x…" of a 32-byte big-endian number, without leading zeros.
std::string hex_number(ByteView word) {
  size_t first = 0;
  while (first + 1 < word.size() && word[first] == 0) ++first;
  std::string digits = to_hex_digits(word.subspan(first));
  if (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
  return "0x" + digits;
}

std::string hex_size(uint64_t n) {
  uint8_t be[8];
  for (int i = 0; i < 8; ++i) be[7 - i] = uint8_t(n >> (8 * i));
  return hex_number(be);
}

class Decoder {
 public:
  explicit Decoder(ByteView data) : data_(data), budget_(data.size()) {}

  template <typename TypeAt>
  Result<Value> sequence(size_t start, size_t n, TypeAt type_at, size_t head) {
    if (head > data_.size() - start) {
      return fail("abi: data too short: " + hex_size(head) + " bytes of head at " +
                  hex_size(start) + " run past the end of data (len " + hex_size(data_.size()) +
                  ")");
    }
    ICN_CHECK(charge(head));
    Value::List values;
    values.reserve(n);
    size_t pos = start;
    for (size_t i = 0; i < n; ++i) {
      const Type& t = type_at(i);
      if (!t.is_dynamic()) {
        ICN_TRY(Value v, fixed(t, pos));
        values.push_back(std::move(v));
        pos += t.head_size();
        continue;
      }
      ByteView word = data_.subspan(pos, 32);
      uint64_t offset = 0;
      if (!small_number(word, offset) || offset > data_.size() - start ||
          data_.size() - start - offset < 32) {
        return fail("abi: offset " + hex_number(word) + " points past the end of data (len " +
                    hex_size(data_.size()) + ")");
      }
      if (offset < head) {
        return fail("abi: offset " + hex_number(word) + " points into the head it belongs to (" +
                    hex_size(head) + " bytes)");
      }
      ICN_TRY(Value v, dynamic(t, start + size_t(offset)));
      values.push_back(std::move(v));
      pos += 32;
    }
    return Value(std::move(values));
  }

 private:
  // Each input byte may be decoded once: reusing bytes through overlapping offsets is how small
  // inputs blow up into huge outputs.
  Status charge(size_t n) {
    if (n > budget_) {
      return fail("abi: encoded values overlap (decoding would read more than the " +
                  hex_size(data_.size()) + " bytes of input)");
    }
    budget_ -= n;
    return {};
  }

  // A word that fits in 64 bits (offsets and lengths; anything larger cannot be in bounds).
  static bool small_number(ByteView word, uint64_t& out) {
    for (size_t i = 0; i < 24; ++i) {
      if (word[i] != 0) return false;
    }
    out = 0;
    for (size_t i = 24; i < 32; ++i) out = (out << 8) | word[i];
    return true;
  }

  static bool all_equal(ByteView bytes, uint8_t value) {
    return std::all_of(bytes.begin(), bytes.end(), [&](uint8_t b) { return b == value; });
  }

  Result<Value> fixed(const Type& t, size_t pos) {
    ByteView word = data_.subspan(pos, 32);
    switch (t.kind()) {
      case Kind::kUint: {
        size_t pad = 32 - t.bits() / 8;
        if (!all_equal(word.first(pad), 0)) {
          return fail("abi: " + t.canonical() + " word " + hex_word(word) + " has dirty high bits");
        }
        return Value(load_u256(word.data()));
      }
      case Kind::kInt: {
        size_t pad = 32 - t.bits() / 8;
        uint8_t sign = (word[pad] & 0x80) ? 0xff : 0x00;
        if (!all_equal(word.first(pad), sign)) {
          return fail("abi: " + t.canonical() + " word " + hex_word(word) +
                      " is not sign-extended");
        }
        return Value(load_i256(word.data()));
      }
      case Kind::kAddress:
        if (!all_equal(word.first(12), 0)) {
          return fail("abi: address word " + hex_word(word) + " has non-zero upper 12 bytes");
        }
        return Value(Address::from_bytes(word.subspan(12)));
      case Kind::kBool:
        if (!all_equal(word.first(31), 0) || word[31] > 1) {
          return fail("abi: bool word " + hex_word(word) + " is not 0 or 1");
        }
        return Value(word[31] == 1);
      case Kind::kFixedBytes:
        if (!all_equal(word.subspan(t.byte_size()), 0)) {
          return fail("abi: " + t.canonical() + " word " + hex_word(word) +
                      " has non-zero padding");
        }
        return Value(Bytes(word.begin(), word.begin() + t.byte_size()));
      case Kind::kFixedArray: {
        Value::List values;
        values.reserve(t.length());
        size_t step = t.element().head_size();
        for (size_t i = 0; i < t.length(); ++i) {
          ICN_TRY(Value v, fixed(t.element(), pos + i * step));
          values.push_back(std::move(v));
        }
        return Value(std::move(values));
      }
      case Kind::kTuple: {
        Value::List values;
        values.reserve(t.components().size());
        for (const Type& c : t.components()) {
          ICN_TRY(Value v, fixed(c, pos));
          values.push_back(std::move(v));
          pos += c.head_size();
        }
        return Value(std::move(values));
      }
      default:
        return fail("abi: internal: dynamic type decoded as static");
    }
  }

  // The encoding of dynamic type t starting at `at`; the caller checked at + 32 <= size.
  Result<Value> dynamic(const Type& t, size_t at) {
    switch (t.kind()) {
      case Kind::kBytes:
      case Kind::kString: {
        ICN_CHECK(charge(32));
        ByteView word = data_.subspan(at, 32);
        size_t available = data_.size() - at - 32;
        uint64_t length = 0;
        if (!small_number(word, length) || length > available) {
          return fail("abi: " + t.canonical() + " length " + hex_number(word) +
                      " exceeds the remaining data (" + hex_size(available) + " bytes)");
        }
        size_t padded = (size_t(length) + 31) / 32 * 32;
        if (padded > available) {
          return fail("abi: " + t.canonical() + " of length " + hex_size(length) +
                      " is missing its zero padding");
        }
        ICN_CHECK(charge(padded));
        ByteView content = data_.subspan(at + 32, size_t(length));
        if (!all_equal(data_.subspan(at + 32 + length, padded - length), 0)) {
          return fail("abi: " + t.canonical() + " has non-zero padding");
        }
        if (t.kind() == Kind::kBytes) return Value(Bytes(content.begin(), content.end()));
        return Value(std::string(content.begin(), content.end()));
      }
      case Kind::kArray: {
        ICN_CHECK(charge(32));
        ByteView word = data_.subspan(at, 32);
        size_t available = data_.size() - at - 32;
        const Type& element = t.element();
        // Every element takes at least its head (32 bytes for a dynamic element's offset).
        size_t min_size = element.head_size();
        uint64_t length = 0;
        if (!small_number(word, length) || length > available / min_size) {
          return fail("abi: array length " + hex_number(word) + " exceeds the remaining data (" +
                      hex_size(available) + " bytes for " + "elements of at least " +
                      hex_size(min_size) + " bytes)");
        }
        return sequence(
            at + 32, size_t(length), [&](size_t) -> const Type& { return element; },
            size_t(length) * min_size);
      }
      case Kind::kFixedArray: {
        const Type& element = t.element();
        return sequence(
            at, t.length(), [&](size_t) -> const Type& { return element; }, t.length() * 32);
      }
      case Kind::kTuple: {
        size_t head = 0;
        for (const Type& c : t.components()) head += c.head_size();
        return sequence(
            at, t.components().size(), [&](size_t i) -> const Type& { return t.components()[i]; },
            head);
      }
      default:
        return fail("abi: internal: static type decoded as dynamic");
    }
  }

  ByteView data_;
  size_t budget_;
};

}  // namespace

Status encode_into(Bytes& out, std::span<const Type> types, std::span<const Value> values) {
  if (types.size() != values.size()) {
    return fail("abi: expected " + std::to_string(types.size()) + " values, got " +
                std::to_string(values.size()));
  }
  size_t original = out.size();
  Encoder encoder(out);
  Status s = encoder.sequence(
      types.size(), [&](size_t i) -> const Type& { return types[i]; }, values.data(), "argument ");
  encoder.finish(s.ok(), original);
  if (!s) return std::move(s).error().context("abi");
  return {};
}

Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values) {
  Bytes out;
  size_t head = 0;
  for (const Type& t : types) head += t.head_size();
  out.reserve(std::min<size_t>(head, size_t(1) << 16));
  ICN_CHECK(encode_into(out, types, values));
  return out;
}

Result<Bytes> encode(const Type& type, const Value& value) {
  if (!type.is_tuple()) return encode(std::span<const Type>(&type, 1), std::span(&value, 1));
  const Value::List* list = value.get_if<Value::List>();
  if (!list) return fail("abi: expected a list of values for " + type.canonical());
  return encode(type.components(), *list);
}

Result<Bytes> encode_call(const FunctionSignature& signature, std::span<const Value> args) {
  FixedBytes<4> sel = signature.selector();
  Bytes out(sel.begin(), sel.end());
  size_t head = 0;
  for (const Type& t : signature.inputs) head += t.head_size();
  out.reserve(4 + std::min<size_t>(head, size_t(1) << 16));
  ICN_CHECK(encode_into(out, signature.inputs, args));
  return out;
}

Result<Value> decode(std::span<const Type> types, ByteView data) {
  size_t head = 0;
  for (const Type& t : types) head += t.head_size();
  Decoder decoder(data);
  return decoder.sequence(
      0, types.size(), [&](size_t i) -> const Type& { return types[i]; }, head);
}

Result<Value> decode(const Type& type, ByteView data) {
  if (type.is_tuple()) return decode(type.components(), data);
  ICN_TRY(Value list, decode(std::span<const Type>(&type, 1), data));
  return std::move(std::get<Value::List>(list.data)[0]);
}

Result<Value> decode_call(const FunctionSignature& signature, ByteView calldata) {
  FixedBytes<4> want = signature.selector();
  if (calldata.size() < 4) {
    return fail("abi: calldata of " + std::to_string(calldata.size()) +
                " bytes has no 4-byte selector");
  }
  if (!std::equal(want.begin(), want.end(), calldata.begin())) {
    return fail("abi: calldata selector " + to_hex(calldata.first(4)) + " does not match " +
                signature.canonical() + " (" + to_hex(want) + ")");
  }
  return decode(signature.inputs, calldata.subspan(4));
}

}  // namespace icn::abi
