// Random ABI types, values and keys for conformance tests (see random_inputs.hpp).
#include "test/support/random_inputs.hpp"

#include "icn/core/address.hpp"
#include "icn/core/u256.hpp"

namespace icn::test {
namespace {

const char* kLeafTypes[] = {"uint256", "uint8",   "uint32",  "uint64", "uint128", "int256",
                            "int8",    "int40",   "address", "bool",   "bytes32", "bytes1",
                            "bytes4",  "bytes20", "bytes",   "string", "uint24",  "int128"};

U256 random_u256_bits(Rng& rng, unsigned bits) {
  // Pick a bit length first so small, medium and full-width values all appear.
  unsigned len = unsigned(rng.below(bits + 1));
  U256 v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 64) | rng.next();
  if (len == 0) return 0;
  if (len < 256) v &= (U256(1) << len) - 1;
  return v;
}

std::string random_string_text(Rng& rng, bool inside_composite) {
  static const char kChars[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:!?";
  size_t n = size_t(rng.below(40)) + (inside_composite ? 1 : 0);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kChars[rng.below(sizeof(kChars) - 1)];
  // cast trims whitespace around array/tuple elements; keep both ends visible.
  if (inside_composite) {
    if (s.front() == ' ') s.front() = 'x';
    if (s.back() == ' ') s.back() = 'y';
  }
  return s;
}

}  // namespace

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string Rng::hex_bytes(size_t n) {
  Bytes b(n);
  for (auto& x : b) x = uint8_t(next());
  return to_hex(b);
}

std::string random_abi_type(Rng& rng, int depth) {
  uint64_t pick = rng.below(10);
  if (depth <= 0 || pick < 6) return kLeafTypes[rng.below(std::size(kLeafTypes))];
  if (pick < 8) {
    std::string inner = random_abi_type(rng, depth - 1);
    return rng.chance(50) ? inner + "[]" : inner + "[" + std::to_string(1 + rng.below(3)) + "]";
  }
  std::string out = "(";
  size_t members = 1 + rng.below(4);
  for (size_t i = 0; i < members; ++i) {
    if (i) out += ",";
    out += random_abi_type(rng, depth - 1);
  }
  return out + ")";
}

std::vector<std::string> tuple_members(const std::string& tuple) {
  std::vector<std::string> out;
  int level = 0;
  std::string current;
  for (size_t i = 1; i + 1 < tuple.size(); ++i) {
    char c = tuple[i];
    if (c == '(' || c == '[') ++level;
    if (c == ')' || c == ']') --level;
    if (c == ',' && level == 0) {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string random_abi_value(Rng& rng, const std::string& type, ValueTextOptions options) {
  ValueTextOptions inner{.inside_composite = true};
  if (type.back() == ']') {
    size_t open = type.rfind('[');
    std::string element = type.substr(0, open);
    std::string size = type.substr(open + 1, type.size() - open - 2);
    size_t n = size.empty() ? rng.below(4) : std::stoul(size);
    std::string out = "[";
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ",";
      out += random_abi_value(rng, element, inner);
    }
    return out + "]";
  }
  if (type.front() == '(') {
    std::string out = "(";
    auto members = tuple_members(type);
    for (size_t i = 0; i < members.size(); ++i) {
      if (i) out += ",";
      out += random_abi_value(rng, members[i], inner);
    }
    return out + ")";
  }
  if (type.starts_with("uint")) {
    unsigned bits = unsigned(std::stoul(type.substr(4)));
    U256 v = random_u256_bits(rng, bits);
    return rng.chance(30) ? to_hex_quantity(v) : to_decimal(v);
  }
  if (type.starts_with("int")) {
    unsigned bits = unsigned(std::stoul(type.substr(3)));
    I256 magnitude = I256(random_u256_bits(rng, bits - 1));
    return to_decimal(rng.chance(50) ? I256(-magnitude) : magnitude);
  }
  if (type == "address") {
    std::string a = random_address(rng);
    return rng.chance(50) ? Address::parse(a)->checksummed() : a;
  }
  if (type == "bool") return rng.chance(50) ? "true" : "false";
  if (type == "bytes") return rng.hex_bytes(rng.below(70));
  if (type == "string") return random_string_text(rng, options.inside_composite);
  if (type.starts_with("bytes")) return rng.hex_bytes(std::stoul(type.substr(5)));
  return "?unknown type " + type;
}

std::string random_private_key(Rng& rng) {
  // Keys drawn from 248 bits are always below the curve order and never zero in practice.
  Bytes key(32);
  key[0] = 0;
  for (size_t i = 1; i < 32; ++i) key[i] = uint8_t(rng.next());
  key[31] |= 1;
  return to_hex(key);
}

std::string random_address(Rng& rng) {
  return rng.hex_bytes(20);
}

std::string random_uint_decimal(Rng& rng, unsigned bits) {
  return to_decimal(random_u256_bits(rng, bits));
}

}  // namespace icn::test
