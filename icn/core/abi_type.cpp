// Parsing of ABI type strings, signatures and JSON ABI parameters; canonical names and hashes.
#include "icn/core/abi_type.hpp"

#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>

#include "icn/core/keccak.hpp"

namespace icn::abi {
namespace {

// Saturating so that nested fixed arrays cannot overflow before the size limit rejects them.
uint64_t sat_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}
uint64_t sat_add(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// Static size of a type whose parts may exceed the limit: UINT64_MAX when too large to build.
uint64_t static_size(Kind kind, size_t n, const std::vector<Type>& children) {
  switch (kind) {
    case Kind::kFixedArray:
      return sat_mul(children[0].head_size(), n);
    case Kind::kTuple: {
      uint64_t sum = 0;
      for (const Type& c : children) sum = sat_add(sum, c.head_size());
      return sum;
    }
    default:
      return 32;
  }
}

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Digits of an N after a type prefix ("256" in "uint256"): no leading zero, only digits.
bool parse_width(std::string_view digits, unsigned& out) {
  if (digits.empty() || digits.size() > 3 || digits[0] == '0') return false;
  out = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + unsigned(c - '0');
  }
  return true;
}

Result<Type> elementary(std::string_view word) {
  auto invalid = [&] { return fail("abi: " + std::string(word) + " is not a valid type"); };
  if (word == "address") return Type::address();
  if (word == "bool") return Type::boolean();
  if (word == "string") return Type::string();
  if (word == "bytes") return Type::bytes();
  if (word == "uint") return Type::uint(256);
  if (word == "int") return Type::int_(256);
  if (word == "function") return fail("abi: function types are not supported");
  unsigned n = 0;
  if (word.starts_with("uint") || word.starts_with("int")) {
    bool is_unsigned = word[0] == 'u';
    if (!parse_width(word.substr(is_unsigned ? 4 : 3), n) || n % 8 != 0 || n > 256) {
      return invalid();
    }
    return is_unsigned ? Type::uint(n) : Type::int_(n);
  }
  if (word.starts_with("bytes")) {
    if (!parse_width(word.substr(5), n) || n > 32) return invalid();
    return Type::fixed_bytes(n);
  }
  if (word.starts_with("fixed") || word.starts_with("ufixed")) {
    return fail("abi: fixed-point types are not supported");
  }
  return invalid();
}

// Recursive descent over type strings. With names allowed (signatures), each parameter may be
// followed by a data location, "indexed" and a name, as Solidity writes them.
class TypeParser {
 public:
  TypeParser(std::string_view text, bool allow_names) : text_(text), allow_names_(allow_names) {}

  Result<Type> whole_type() {
    skip_space();
    ICN_TRY(Type t, type(0));
    skip_space();
    ICN_CHECK(expect_end());
    return t;
  }

  Result<std::vector<Param>> whole_list() {
    skip_space();
    ICN_TRY(std::vector<Param> params, param_list(0));
    skip_space();
    ICN_CHECK(expect_end());
    return params;
  }

  Result<FunctionSignature> signature() {
    FunctionSignature sig;
    skip_space();
    std::string_view word = ident();
    if (word == "function" || word == "event" || word == "error") {
      skip_space();
      word = ident();
    }
    if (word.empty()) return fail("abi: signature must start with a name" + where());
    sig.name = std::string(word);
    skip_space();
    ICN_TRY(std::vector<Param> inputs, param_list(0));
    for (Param& p : inputs) {
      sig.inputs.push_back(std::move(p.type));
      sig.input_names.push_back(std::move(p.name));
      sig.indexed.push_back(p.indexed);
    }
    skip_space();
    // Solidity's visibility and mutability words, as in a pasted declaration.
    while (true) {
      size_t before = pos_;
      std::string_view word = ident();
      if (word == "external" || word == "public" || word == "internal" || word == "private" ||
          word == "view" || word == "pure" || word == "payable" || word == "nonpayable" ||
          word == "virtual" || word == "override") {
        skip_space();
        continue;
      }
      pos_ = before;
      break;
    }
    if (peek() == ':') {
      ++pos_;
      skip_space();
    } else if (text_.substr(pos_).starts_with("returns")) {
      pos_ += 7;
      skip_space();
    }
    if (peek() == '(') {
      ICN_TRY(std::vector<Param> outputs, param_list(0));
      for (Param& p : outputs) {
        sig.outputs.push_back(std::move(p.type));
        sig.output_names.push_back(std::move(p.name));
      }
      skip_space();
    }
    if (text_.substr(pos_).starts_with("anonymous")) {
      pos_ += 9;
      sig.anonymous = true;
      skip_space();
    }
    ICN_CHECK(expect_end());
    return sig;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  std::string_view ident() {
    size_t start = pos_;
    if (pos_ < text_.size() && is_ident_start(text_[pos_])) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  std::string where() const {
    return " at position " + std::to_string(pos_) + " of \"" + std::string(text_) + "\"";
  }
  Status expect_end() const {
    if (pos_ != text_.size()) {
      return fail("abi: unexpected '" + std::string(1, text_[pos_]) + "'" + where());
    }
    return {};
  }

  Result<Type> type(size_t depth) {
    if (depth > kMaxTypeDepth) return fail("abi: type nested deeper than 32 levels");
    Type base;
    if (peek() == '(') {
      ICN_TRY(std::vector<Param> params, param_list(depth + 1));
      std::vector<Type> types;
      types.reserve(params.size());
      for (Param& p : params) types.push_back(std::move(p.type));
      base = Type::tuple(std::move(types));
    } else {
      size_t start = pos_;
      std::string_view word = ident();
      if (word.empty()) {
        if (pos_ >= text_.size()) return fail("abi: missing type" + where());
        return fail("abi: expected a type, found '" + std::string(1, text_[pos_]) + "'" + where());
      }
      if (word == "tuple") {
        skip_space();
        if (peek() != '(') return fail("abi: expected '(' after tuple" + where());
        ICN_TRY(std::vector<Param> params, param_list(depth + 1));
        std::vector<Type> types;
        for (Param& p : params) types.push_back(std::move(p.type));
        base = Type::tuple(std::move(types));
      } else {
        auto t = elementary(word);
        if (!t) {
          pos_ = start;
          return std::move(t).error();
        }
        base = std::move(*t);
      }
    }
    // Array suffixes bind left to right: uint8[2][] is a dynamic array of uint8[2].
    while (peek() == '[') {
      if (++depth > kMaxTypeDepth) return fail("abi: type nested deeper than 32 levels");
      ++pos_;
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      std::string_view digits = text_.substr(start, pos_ - start);
      if (peek() != ']') return fail("abi: expected ']' in array type" + where());
      ++pos_;
      if (base.is_tuple() && base.head_size() == 0) {
        return fail("abi: arrays of empty tuples are not supported");
      }
      if (digits.empty()) {
        base = Type::array(std::move(base));
        continue;
      }
      if (digits[0] == '0') {
        return fail("abi: array length " + std::string(digits) + " must be a positive number " +
                    "without leading zeros");
      }
      if (digits.size() > 7) {
        return fail("abi: fixed array length " + std::string(digits) + " exceeds 1000000");
      }
      size_t length = std::stoul(std::string(digits));
      if (length > kMaxFixedArrayLength) {
        return fail("abi: fixed array length " + std::string(digits) + " exceeds 1000000");
      }
      if (!base.is_dynamic() && sat_mul(base.head_size(), length) > kMaxStaticSize) {
        return fail("abi: type " + base.canonical() + "[" + std::string(digits) +
                    "] is too large (static size over 1 GiB)");
      }
      base = Type::fixed_array(std::move(base), length);
    }
    return base;
  }

  // "(" [param ("," param)*] ")" with whitespace around tokens.
  Result<std::vector<Param>> param_list(size_t depth) {
    if (depth > kMaxTypeDepth) return fail("abi: type nested deeper than 32 levels");
    if (peek() != '(') return fail("abi: expected '('" + where());
    ++pos_;
    std::vector<Param> params;
    skip_space();
    if (peek() == ')') {
      ++pos_;
      return params;
    }
    uint64_t static_sum = 0;
    while (true) {
      skip_space();
      ICN_TRY(Param p, param(depth));
      static_sum = sat_add(static_sum, p.type.head_size());
      if (static_sum > kMaxStaticSize) {
        return fail("abi: tuple is too large (static size over 1 GiB)");
      }
      params.push_back(std::move(p));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ')') {
        ++pos_;
        return params;
      }
      if (pos_ >= text_.size()) return fail("abi: missing ')'" + where());
      return fail("abi: expected ',' or ')', found '" + std::string(1, text_[pos_]) + "'" +
                  where());
    }
  }

  Result<Param> param(size_t depth) {
    Param p;
    ICN_TRY(p.type, type(depth));
    if (!allow_names_) return p;
    // Up to three words may follow: a data location, "indexed", a name — each after a space.
    for (int words = 0; words < 3; ++words) {
      size_t before = pos_;
      skip_space();
      if (pos_ == before || !is_ident_start(peek())) {
        pos_ = before;
        break;
      }
      std::string_view word = ident();
      if (word == "memory" || word == "calldata" || word == "storage") continue;
      if (word == "indexed") {
        p.indexed = true;
        continue;
      }
      if (!p.name.empty()) {
        return fail("abi: unexpected word '" + std::string(word) + "' after parameter " + p.name);
      }
      p.name = std::string(word);
    }
    return p;
  }

  std::string_view text_;
  bool allow_names_;
  size_t pos_ = 0;
};

Result<Type> type_from_json(const nlohmann::json& param, size_t depth) {
  if (depth > kMaxTypeDepth) return fail("abi: JSON ABI type nested deeper than 32 levels");
  if (!param.is_object()) return fail("abi: JSON ABI parameter must be an object");
  auto it = param.find("type");
  if (it == param.end() || !it->is_string()) {
    return fail("abi: JSON ABI parameter has no \"type\" string");
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (!text.starts_with("tuple")) return Type::parse(text);
  // "tuple" followed by array suffixes: build the tuple from components, then parse the suffixes
  // on a stand-in element and substitute it.
  auto comps = param.find("components");
  if (comps == param.end() || !comps->is_array()) {
    return fail("abi: JSON ABI tuple parameter has no \"components\" array");
  }
  std::vector<Type> components;
  for (const auto& c : *comps) {
    ICN_TRY(Type t, type_from_json(c, depth + 1));
    components.push_back(std::move(t));
  }
  Type result = Type::tuple(std::move(components));
  std::string_view suffix = std::string_view(text).substr(5);
  size_t pos = 0;
  size_t levels = 0;
  while (pos < suffix.size()) {
    if (suffix[pos] != '[') return fail("abi: " + text + " is not a valid type");
    size_t close = suffix.find(']', pos);
    if (close == std::string_view::npos) return fail("abi: " + text + " is not a valid type");
    // Reuse the string parser for the suffix's rules by parsing "bool<suffix>".
    ICN_TRY(Type probe, Type::parse("bool" + std::string(suffix.substr(pos, close + 1 - pos))));
    if (++levels + depth > kMaxTypeDepth) {
      return fail("abi: JSON ABI type nested deeper than 32 levels");
    }
    if (result.head_size() == 0) return fail("abi: arrays of empty tuples are not supported");
    if (probe.kind() == Kind::kArray) {
      result = Type::array(std::move(result));
    } else {
      if (!result.is_dynamic() && sat_mul(result.head_size(), probe.length()) > kMaxStaticSize) {
        return fail("abi: type " + text + " is too large (static size over 1 GiB)");
      }
      result = Type::fixed_array(std::move(result), probe.length());
    }
    pos = close + 1;
  }
  return result;
}

}  // namespace

Type::Type(Kind kind, size_t n, std::vector<Type> children)
    : kind_(kind), n_(n), children_(std::move(children)) {
  switch (kind_) {
    case Kind::kBytes:
    case Kind::kString:
    case Kind::kArray:
      dynamic_ = true;
      break;
    case Kind::kFixedArray:
      dynamic_ = children_[0].is_dynamic();
      break;
    case Kind::kTuple:
      dynamic_ = std::any_of(children_.begin(), children_.end(),
                             [](const Type& c) { return c.is_dynamic(); });
      break;
    default:
      dynamic_ = false;
  }
  uint64_t size = dynamic_ ? 32 : static_size(kind_, n_, children_);
  assert(size <= kMaxStaticSize);
  head_ = size_t(size);
}

Type Type::uint(unsigned bits) {
  assert(bits >= 8 && bits <= 256 && bits % 8 == 0);
  return Type(Kind::kUint, bits);
}
Type Type::int_(unsigned bits) {
  assert(bits >= 8 && bits <= 256 && bits % 8 == 0);
  return Type(Kind::kInt, bits);
}
Type Type::fixed_bytes(unsigned size) {
  assert(size >= 1 && size <= 32);
  return Type(Kind::kFixedBytes, size);
}
Type Type::array(Type element) {
  assert(element.head_size() > 0);
  std::vector<Type> c;
  c.push_back(std::move(element));
  return Type(Kind::kArray, 0, std::move(c));
}
Type Type::fixed_array(Type element, size_t length) {
  assert(element.head_size() > 0 && length >= 1 && length <= kMaxFixedArrayLength);
  std::vector<Type> c;
  c.push_back(std::move(element));
  return Type(Kind::kFixedArray, length, std::move(c));
}
Type Type::tuple(std::vector<Type> components) {
  return Type(Kind::kTuple, 0, std::move(components));
}

Result<Type> Type::parse(std::string_view text) {
  return TypeParser(text, false).whole_type();
}

void Type::append_canonical(std::string& out) const {
  switch (kind_) {
    case Kind::kUint:
      out += "uint" + std::to_string(n_);
      return;
    case Kind::kInt:
      out += "int" + std::to_string(n_);
      return;
    case Kind::kAddress:
      out += "address";
      return;
    case Kind::kBool:
      out += "bool";
      return;
    case Kind::kFixedBytes:
      out += "bytes" + std::to_string(n_);
      return;
    case Kind::kBytes:
      out += "bytes";
      return;
    case Kind::kString:
      out += "string";
      return;
    case Kind::kArray:
      children_[0].append_canonical(out);
      out += "[]";
      return;
    case Kind::kFixedArray:
      children_[0].append_canonical(out);
      out += "[" + std::to_string(n_) + "]";
      return;
    case Kind::kTuple:
      out += '(';
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) out += ',';
        children_[i].append_canonical(out);
      }
      out += ')';
      return;
  }
}

std::string Type::canonical() const {
  std::string out;
  append_canonical(out);
  return out;
}

bool operator==(const Type& a, const Type& b) {
  return a.kind_ == b.kind_ && a.n_ == b.n_ && a.children_ == b.children_;
}

std::string FunctionSignature::canonical() const {
  return name + canonical_list(inputs);
}
FixedBytes<4> FunctionSignature::selector() const {
  return abi::selector(canonical());
}
Hash FunctionSignature::topic() const {
  return event_topic(canonical());
}

Result<FunctionSignature> parse_signature(std::string_view text) {
  return TypeParser(text, true).signature();
}

Result<std::vector<Type>> parse_type_list(std::string_view text) {
  ICN_TRY(std::vector<Param> params, TypeParser(text, false).whole_list());
  return types_of(params);
}

FixedBytes<4> selector(std::string_view canonical_signature) {
  Hash h = keccak256(canonical_signature);
  return {h[0], h[1], h[2], h[3]};
}

Hash event_topic(std::string_view canonical_signature) {
  return keccak256(canonical_signature);
}

Result<Type> from_json_abi(const nlohmann::json& param) {
  return type_from_json(param, 0);
}

Result<Param> param_from_json_abi(const nlohmann::json& param) {
  Param p;
  ICN_TRY(p.type, from_json_abi(param));
  auto name = param.find("name");
  if (name != param.end() && name->is_string()) p.name = name->get<std::string>();
  auto indexed = param.find("indexed");
  if (indexed != param.end()) {
    if (!indexed->is_boolean()) return fail("abi: JSON ABI \"indexed\" must be a boolean");
    p.indexed = indexed->get<bool>();
  }
  return p;
}

Result<std::vector<Param>> params_from_json_abi(const nlohmann::json& params) {
  if (!params.is_array()) return fail("abi: JSON ABI parameters must be an array");
  std::vector<Param> out;
  out.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    ICN_TRY(Param p, param_from_json_abi(params[i]));
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Type> types_of(const std::vector<Param>& params) {
  std::vector<Type> out;
  out.reserve(params.size());
  for (const Param& p : params) out.push_back(p.type);
  return out;
}

std::string canonical_list(const std::vector<Type>& types, bool parens) {
  std::string out;
  if (parens) out += '(';
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ',';
    types[i].append_canonical(out);
  }
  if (parens) out += ')';
  return out;
}

}  // namespace icn::abi
