// EIP-712 encodeType / encodeData / hashStruct over JSON typed data, and the compile-time builder.
#include "icn/core/eip712.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "icn/core/keccak.hpp"

namespace icn::eip712 {
namespace {

using nlohmann::json;

constexpr std::string_view kDomainType = "EIP712Domain";

// ---- Type grammar ----

enum class Kind { kUint, kInt, kAddress, kBool, kFixedBytes, kBytes, kString };

struct Atomic {
  Kind kind;
  unsigned size = 0;  // bits for uintN/intN, bytes for bytesN
};

// Digits without sign or leading zeros, value in [lo, hi].
std::optional<unsigned> parse_small_number(std::string_view digits, unsigned lo, unsigned hi) {
  if (digits.empty() || digits.size() > 3 || (digits[0] == '0' && digits.size() > 1)) {
    return std::nullopt;
  }
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + unsigned(c - '0');
  }
  if (value < lo || value > hi) return std::nullopt;
  return value;
}

std::optional<Atomic> parse_atomic(std::string_view type) {
  if (type == "address") return Atomic{Kind::kAddress};
  if (type == "bool") return Atomic{Kind::kBool};
  if (type == "bytes") return Atomic{Kind::kBytes};
  if (type == "string") return Atomic{Kind::kString};
  // Bare "uint"/"int" are uint256/int256 to ethers and eth-sig-util; encodeType keeps the
  // spelling the document used.
  if (type == "uint") return Atomic{Kind::kUint, 256};
  if (type == "int") return Atomic{Kind::kInt, 256};
  auto sized = [&](std::string_view prefix, Kind kind) -> std::optional<Atomic> {
    if (!type.starts_with(prefix)) return std::nullopt;
    std::string_view digits = type.substr(prefix.size());
    if (kind == Kind::kFixedBytes) {
      auto n = parse_small_number(digits, 1, 32);
      if (!n) return std::nullopt;
      return Atomic{kind, *n};
    }
    auto n = parse_small_number(digits, 8, 256);
    if (!n || *n % 8 != 0) return std::nullopt;
    return Atomic{kind, *n};
  };
  if (auto a = sized("uint", Kind::kUint)) return a;
  if (auto a = sized("int", Kind::kInt)) return a;
  if (auto a = sized("bytes", Kind::kFixedBytes)) return a;
  return std::nullopt;
}

bool is_identifier(std::string_view s) {
  auto head = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
  };
  if (s.empty() || !head(s[0])) return false;
  for (char c : s) {
    if (!head(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

// "Person[2][]" → base "Person", dims {2, dynamic}; the last dimension is the outermost.
struct TypeRef {
  std::string_view base;
  std::vector<std::optional<uint64_t>> dims;
};

Result<TypeRef> parse_type_ref(std::string_view type) {
  TypeRef out;
  size_t bracket = type.find('[');
  out.base = type.substr(0, bracket);
  if (!is_identifier(out.base)) return fail("malformed type '" + std::string(type) + "'");
  size_t i = bracket;
  while (i != std::string_view::npos && i < type.size()) {
    size_t close = type.find(']', i);
    if (type[i] != '[' || close == std::string_view::npos) {
      return fail("malformed array suffix in type '" + std::string(type) + "'");
    }
    std::string_view digits = type.substr(i + 1, close - i - 1);
    if (digits.empty()) {
      out.dims.push_back(std::nullopt);
    } else {
      uint64_t k = 0;
      for (char c : digits) {
        if (c < '0' || c > '9' || k > (uint64_t(1) << 32)) {
          return fail("malformed array length in type '" + std::string(type) + "'");
        }
        k = k * 10 + uint64_t(c - '0');
      }
      out.dims.push_back(k);
    }
    i = close + 1;
  }
  return out;
}

// ---- encodeType ----

std::string format_struct(std::string_view name, const std::vector<Field>& fields) {
  std::string out(name);
  out += '(';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += fields[i].type;
    out += ' ';
    out += fields[i].name;
  }
  out += ')';
  return out;
}

Result<std::string> encode_type_impl(const Types& types, std::string_view type_name) {
  auto primary = types.find(type_name);
  if (primary == types.end()) return fail("eip712: unknown type '" + std::string(type_name) + "'");
  // Worklist rather than recursion: the type graph comes from outside and may be deep or cyclic.
  std::set<std::string, std::less<>> deps;
  std::vector<const std::pair<const std::string, std::vector<Field>>*> work{&*primary};
  while (!work.empty()) {
    const auto* current = work.back();
    work.pop_back();
    for (const Field& field : current->second) {
      ICN_TRY_CTX(TypeRef ref, parse_type_ref(field.type), "eip712: " + current->first);
      if (parse_atomic(ref.base)) continue;
      auto it = types.find(ref.base);
      if (it == types.end()) {
        return fail("eip712: " + current->first + "." + field.name + ": unknown type '" +
                    std::string(ref.base) + "'");
      }
      if (ref.base == type_name) continue;
      if (deps.insert(it->first).second) work.push_back(&*it);
    }
  }
  std::string out = format_struct(primary->first, primary->second);
  for (const std::string& dep : deps) out += format_struct(dep, types.find(dep)->second);
  return out;
}

// ---- encodeData ----

Error at(const std::string& path, std::string_view reason) {
  return fail("eip712: " + path + ": " + std::string(reason));
}

std::string json_kind(const json& v) {
  return v.type_name();
}

// Integers arrive as JSON numbers or as decimal / 0x strings, optionally negative. I256 has a
// 256-bit magnitude, so it holds every uint256 and int256 value; the caller checks the range.
Result<I256> parse_integer(const json& v) {
  if (v.is_number_unsigned()) return I256(v.get<uint64_t>());
  if (v.is_number_integer()) return I256(v.get<int64_t>());
  if (v.is_number_float()) {
    // A JSON writer may print an integral double as 1e+21; accept only what a double holds exactly.
    double d = v.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0) {
      return fail("number " + v.dump() +
                  " is not an exact integer (write large numbers as decimal strings)");
    }
    return I256(int64_t(d));
  }
  if (v.is_string()) {
    std::string_view s = v.get_ref<const std::string&>();
    bool negative = s.starts_with('-');
    ICN_TRY_CTX(U256 magnitude, parse_u256(negative ? s.substr(1) : s),
                "invalid number \"" + std::string(s) + "\"");
    return negative ? I256(-I256(magnitude)) : I256(magnitude);
  }
  return fail("expected a number or numeric string, got " + json_kind(v));
}

Result<Hash> encode_atomic(const Atomic& atomic, std::string_view type, const json& v) {
  switch (atomic.kind) {
    case Kind::kUint:
    case Kind::kInt: {
      ICN_TRY(I256 n, parse_integer(v));
      bool ok;
      if (atomic.kind == Kind::kUint) {
        ok = n >= 0 && (atomic.size == 256 || n < (I256(1) << atomic.size));
      } else {
        I256 half = I256(1) << (atomic.size - 1);
        ok = n >= -half && n < half;
      }
      if (!ok) return fail("value " + n.str() + " out of range for " + std::string(type));
      return i256_to_word(n);  // two's complement sign-extends intN; uintN is unchanged
    }
    case Kind::kAddress: {
      if (!v.is_string()) return fail("expected an address string, got " + json_kind(v));
      ICN_TRY(Address a, Address::parse(v.get_ref<const std::string&>()));
      Hash word{};
      std::copy(a.bytes.begin(), a.bytes.end(), word.begin() + 12);
      return word;
    }
    case Kind::kBool: {
      // Strict: ethers treats any truthy value (even "false") as true.
      if (!v.is_boolean()) return fail("expected true or false, got " + json_kind(v));
      Hash word{};
      word[31] = v.get<bool>() ? 1 : 0;
      return word;
    }
    case Kind::kFixedBytes: {
      if (!v.is_string()) return fail("expected a 0x hex string, got " + json_kind(v));
      ICN_TRY_CTX(Bytes b, parse_hex(v.get_ref<const std::string&>()), std::string(type));
      if (b.size() != atomic.size) {
        return fail(std::string(type) + ": expected " + std::to_string(atomic.size) +
                    " bytes, got " + std::to_string(b.size()));
      }
      Hash word{};  // bytesN is left-aligned, zero-padded on the right
      std::copy(b.begin(), b.end(), word.begin());
      return word;
    }
    case Kind::kBytes: {
      if (!v.is_string()) return fail("expected a 0x hex string, got " + json_kind(v));
      ICN_TRY_CTX(Bytes b, parse_hex(v.get_ref<const std::string&>()), "bytes");
      return keccak256(b);
    }
    case Kind::kString:
      if (!v.is_string()) return fail("expected a string, got " + json_kind(v));
      return keccak256(std::string_view(v.get_ref<const std::string&>()));
  }
  return fail("unreachable atomic kind");
}

class Encoder {
 public:
  explicit Encoder(const Types& types) : types_(types) {}

  Result<Hash> type_hash(std::string_view name) {
    auto cached = type_hashes_.find(name);
    if (cached != type_hashes_.end()) return cached->second;
    ICN_TRY(std::string encoded, encode_type_impl(types_, name));
    Hash h = keccak256(std::string_view(encoded));
    type_hashes_.emplace(std::string(name), h);
    return h;
  }

  // path names the value for error messages ("message.to[1].wallet") and is restored on return.
  Result<Bytes> encode_data(std::string_view name, const json& value, std::string& path,
                            int depth) {
    auto type = types_.find(name);
    if (type == types_.end()) return at(path, "unknown type '" + std::string(name) + "'");
    if (depth > kMaxDepth) {
      return at(path, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    if (!value.is_object()) {
      return at(path, "expected an object for " + std::string(name) + ", got " + json_kind(value));
    }
    ICN_TRY(Hash th, type_hash(name));
    Bytes out(th.begin(), th.end());
    out.reserve(32 * (type->second.size() + 1));
    for (const Field& field : type->second) {
      auto member = value.find(field.name);
      if (member == value.end() || member->is_null()) {
        return at(path, "missing field '" + field.name + "' (" + field.type + ")");
      }
      size_t mark = path.size();
      path += '.';
      path += field.name;
      ICN_TRY(Hash word, encode_field(field.type, *member, path, depth));
      path.resize(mark);
      append(out, word);
    }
    return out;
  }

  // The 32-byte word a value of `type` contributes to its parent's encodeData.
  Result<Hash> encode_field(std::string_view type, const json& value, std::string& path,
                            int depth) {
    auto ref = parse_type_ref(type);
    if (!ref) return at(path, ref.error().message);
    if (!ref->dims.empty()) {
      if (depth + 1 > kMaxDepth) {
        return at(path, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
      }
      if (!value.is_array()) {
        return at(path, "expected an array for " + std::string(type) + ", got " + json_kind(value));
      }
      std::optional<uint64_t> length = ref->dims.back();
      if (length && value.size() != *length) {
        return at(path, std::string(type) + ": expected " + std::to_string(*length) +
                            " elements, got " + std::to_string(value.size()));
      }
      std::string_view element_type = type.substr(0, type.rfind('['));
      Keccak256 hasher;
      size_t mark = path.size();
      for (size_t i = 0; i < value.size(); ++i) {
        path += '[' + std::to_string(i) + ']';
        ICN_TRY(Hash word, encode_field(element_type, value[i], path, depth + 1));
        path.resize(mark);
        hasher.update(word);
      }
      return hasher.finish();
    }
    if (auto atomic = parse_atomic(ref->base)) {
      auto word = encode_atomic(*atomic, type, value);
      if (!word) return at(path, word.error().message);
      return *word;
    }
    ICN_TRY(Bytes data, encode_data(type, value, path, depth + 1));
    return keccak256(data);
  }

 private:
  const Types& types_;
  std::map<std::string, Hash, std::less<>> type_hashes_;
};

// ---- Type validation ----

// A struct whose value must contain a value of its own type (through plain members or fixed
// arrays of non-zero length) has no finite encoding; a dynamic array can be empty and ends it.
Status check_finite(const Types& types) {
  enum class Mark { kNew, kOpen, kDone };
  std::map<std::string_view, Mark> marks;
  auto must_contain = [&](const Field& f) -> std::optional<std::string_view> {
    auto ref = parse_type_ref(f.type);  // already validated
    if (!ref || parse_atomic(ref->base)) return std::nullopt;
    for (const auto& d : ref->dims) {
      if (!d || *d == 0) return std::nullopt;
    }
    return ref->base;
  };
  for (const auto& [root, unused] : types) {
    if (marks[root] != Mark::kNew) continue;
    // Iterative DFS: (type, index of the next field to follow).
    std::vector<std::pair<std::string_view, size_t>> stack{{root, 0}};
    marks[root] = Mark::kOpen;
    while (!stack.empty()) {
      auto& [name, next] = stack.back();
      const auto& fields = types.find(name)->second;
      if (next == fields.size()) {
        marks[name] = Mark::kDone;
        stack.pop_back();
        continue;
      }
      const Field& f = fields[next++];
      auto target = must_contain(f);
      if (!target) continue;
      Mark& m = marks[*target];
      if (m == Mark::kOpen) {
        std::string cycle;
        bool in_cycle = false;
        for (const auto& [n, unused_index] : stack) {
          if (n == *target) in_cycle = true;
          if (in_cycle) cycle += std::string(n) + " -> ";
        }
        cycle += std::string(*target);
        return fail("eip712: type " + std::string(*target) +
                    " contains itself without a dynamic array (" + cycle +
                    "), so no finite value exists");
      }
      if (m == Mark::kNew) {
        m = Mark::kOpen;
        stack.emplace_back(types.find(*target)->first, 0);
      }
    }
  }
  return {};
}

Result<Types> parse_types(const json& j) {
  if (!j.is_object()) return fail("eip712: \"types\" must be an object");
  Types types;
  for (const auto& [name, fields] : j.items()) {
    if (!fields.is_array()) return fail("eip712: types." + name + " must be an array of fields");
    std::vector<Field> parsed;
    for (const json& f : fields) {
      auto n = f.find("name");
      auto t = f.find("type");
      if (!f.is_object() || n == f.end() || t == f.end() || !n->is_string() || !t->is_string()) {
        return fail("eip712: types." + name + ": each field must be {\"name\": …, \"type\": …}");
      }
      parsed.push_back({n->get<std::string>(), t->get<std::string>()});
    }
    types.emplace(name, std::move(parsed));
  }
  return types;
}

}  // namespace

Status validate_types(const Types& types) {
  for (const auto& [name, fields] : types) {
    if (!is_identifier(name)) return fail("eip712: type name '" + name + "' is not an identifier");
    if (parse_atomic(name)) {
      return fail("eip712: type name '" + name + "' is reserved for an atomic type");
    }
    std::set<std::string_view> seen;
    for (const Field& f : fields) {
      if (!is_identifier(f.name)) {
        return fail("eip712: " + name + ": field name '" + f.name + "' is not an identifier");
      }
      if (!seen.insert(f.name).second) {
        return fail("eip712: " + name + ": duplicate field '" + f.name + "'");
      }
      ICN_TRY_CTX(TypeRef ref, parse_type_ref(f.type), "eip712: " + name + "." + f.name);
      if (!parse_atomic(ref.base) && !types.contains(ref.base)) {
        return fail("eip712: " + name + "." + f.name + ": unknown type '" + std::string(ref.base) +
                    "'");
      }
    }
  }
  return check_finite(types);
}

Result<TypedData> parse_typed_data(const nlohmann::json& document) {
  try {
    if (!document.is_object()) return fail("eip712: typed data must be a JSON object");
    auto types_it = document.find("types");
    if (types_it == document.end()) return fail("eip712: missing \"types\"");
    TypedData out;
    ICN_TRY(out.types, parse_types(*types_it));
    ICN_CHECK(validate_types(out.types));

    auto primary = document.find("primaryType");
    if (primary == document.end() || !primary->is_string()) {
      return fail("eip712: \"primaryType\" must be a string");
    }
    out.primary_type = primary->get<std::string>();
    if (!out.types.contains(out.primary_type)) {
      return fail("eip712: primaryType '" + out.primary_type + "' is not defined in types");
    }

    auto domain = document.find("domain");
    if (domain == document.end() || !domain->is_object()) {
      return fail("eip712: \"domain\" must be an object");
    }
    out.domain = *domain;

    auto message = document.find("message");
    if (message == document.end() && out.primary_type == kDomainType) {
      out.message = json::object();  // not hashed: the digest is over the domain alone
    } else if (message == document.end() || !message->is_object()) {
      return fail("eip712: \"message\" must be an object");
    } else {
      out.message = *message;
    }
    return out;
  } catch (const std::exception& e) {
    return fail(std::string("eip712: malformed typed data: ") + e.what());
  }
}

Result<TypedData> parse_typed_data_text(std::string_view json_text) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception& e) {
    return fail(std::string("eip712: invalid JSON: ") + e.what());
  }
  return parse_typed_data(document);
}

Result<std::string> encode_type(const Types& types, std::string_view type_name) {
  return encode_type_impl(types, type_name);
}

Result<Hash> type_hash(const Types& types, std::string_view type_name) {
  ICN_TRY(std::string encoded, encode_type_impl(types, type_name));
  return keccak256(std::string_view(encoded));
}

Result<Bytes> encode_data(const Types& types, std::string_view type_name,
                          const nlohmann::json& value) {
  try {
    Encoder encoder(types);
    std::string path(type_name);
    return encoder.encode_data(type_name, value, path, 1);
  } catch (const std::exception& e) {
    return fail(std::string("eip712: ") + e.what());
  }
}

Result<Hash> hash_struct(const Types& types, std::string_view type_name,
                         const nlohmann::json& value) {
  ICN_TRY(Bytes data, encode_data(types, type_name, value));
  return keccak256(data);
}

Result<Hash> domain_separator(const TypedData& data) {
  try {
    if (!data.domain.is_object()) return fail("eip712: domain must be an object");
    // An undeclared EIP712Domain is the empty struct, as in eth-sig-util v4.
    static const Types kEmptyDomain{{std::string(kDomainType), {}}};
    const Types& types = data.types.contains(kDomainType) ? data.types : kEmptyDomain;
    const std::vector<Field>& declared = types.find(kDomainType)->second;
    // MetaMask hashes only the declared members; ethers and alloy (cast) hash the standard keys the
    // domain object holds. Refusing undeclared keys keeps every accepted document one digest.
    for (const auto& item : data.domain.items()) {
      const std::string& key = item.key();
      bool found = std::any_of(declared.begin(), declared.end(),
                               [&](const Field& f) { return f.name == key; });
      if (!found) {
        return fail("eip712: domain." + key +
                    " is not declared in EIP712Domain (wallets disagree on whether it is signed)");
      }
    }
    Encoder encoder(types);
    std::string path = "domain";
    ICN_TRY(Bytes encoded, encoder.encode_data(kDomainType, data.domain, path, 1));
    return keccak256(encoded);
  } catch (const std::exception& e) {
    return fail(std::string("eip712: ") + e.what());
  }
}

Result<Hash> digest(const TypedData& data) {
  ICN_TRY(Hash separator, domain_separator(data));
  if (data.primary_type == kDomainType) {
    Bytes preimage{0x19, 0x01};
    append(preimage, separator);
    return keccak256(preimage);
  }
  try {
    Encoder encoder(data.types);
    std::string path = "message";
    ICN_TRY(Bytes encoded, encoder.encode_data(data.primary_type, data.message, path, 1));
    return typed_digest(separator, keccak256(encoded));
  } catch (const std::exception& e) {
    return fail(std::string("eip712: ") + e.what());
  }
}

// ---- Builder ----

Hash type_hash(std::string_view encoded_type) {
  return keccak256(encoded_type);
}

Hash domain_separator(const Domain& domain) {
  static const Hash kDomainTypeHash = keccak256(std::string_view(
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  return StructHasher(kDomainTypeHash)
      .add_string(domain.name)
      .add_string(domain.version)
      .add_uint(domain.chain_id)
      .add_address(domain.verifying_contract)
      .finish();
}

Hash typed_digest(const Hash& domain_separator, const Hash& struct_hash) {
  Bytes preimage{0x19, 0x01};
  preimage.reserve(66);
  append(preimage, domain_separator);
  append(preimage, struct_hash);
  return keccak256(preimage);
}

StructHasher::StructHasher(const Hash& type_hash) : data_(type_hash.begin(), type_hash.end()) {}

StructHasher& StructHasher::add_uint(const U256& value) {
  return add_word(u256_to_be(value));
}

StructHasher& StructHasher::add_int(const I256& value) {
  return add_word(i256_to_word(value));
}

StructHasher& StructHasher::add_address(const Address& value) {
  Hash word{};
  std::copy(value.bytes.begin(), value.bytes.end(), word.begin() + 12);
  return add_word(word);
}

StructHasher& StructHasher::add_bool(bool value) {
  return add_uint(value ? 1 : 0);
}

StructHasher& StructHasher::add_word(const Hash& word) {
  append(data_, word);
  return *this;
}

StructHasher& StructHasher::add_bytes(ByteView value) {
  return add_word(keccak256(value));
}

StructHasher& StructHasher::add_string(std::string_view value) {
  return add_word(keccak256(value));
}

Hash StructHasher::finish() const {
  return keccak256(data_);
}

Hash array_hash(std::span<const Hash> element_words) {
  Keccak256 hasher;
  for (const Hash& w : element_words) hasher.update(w);
  return hasher.finish();
}

}  // namespace icn::eip712
