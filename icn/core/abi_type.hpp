// Solidity ABI types: parsing type strings and signatures, canonical names, selectors and topics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"

namespace icn::abi {

enum class Kind : uint8_t {
  kUint,  // uintN, N = 8..256 step 8
  kInt,   // intN
  kAddress,
  kBool,
  kFixedBytes,  // bytesN, N = 1..32
  kBytes,
  kString,
  kArray,       // T[]
  kFixedArray,  // T[k]
  kTuple,       // (T1,…,Tn)
};

// Limits that keep hostile type strings from describing absurd encodings.
inline constexpr size_t kMaxTypeDepth = 32;
inline constexpr size_t kMaxFixedArrayLength = 1'000'000;
inline constexpr uint64_t kMaxStaticSize = uint64_t(1) << 30;  // bytes of one static head

// One ABI type. Immutable once built; is_dynamic() and head_size() are computed at construction so
// the encoder and decoder never walk the type to learn them.
class Type {
 public:
  Type() : Type(Kind::kBool, 0) {}

  // Builders for code that knows its types. Preconditions (checked with assert): bits in 8..256
  // step 8, bytes in 1..32, length in 1..kMaxFixedArrayLength, elements not empty tuples. Outside
  // text goes through parse() instead, which returns reasons.
  static Type uint(unsigned bits = 256);
  static Type int_(unsigned bits = 256);
  static Type address() { return Type(Kind::kAddress, 0); }
  static Type boolean() { return Type(Kind::kBool, 0); }
  static Type fixed_bytes(unsigned size);
  static Type bytes() { return Type(Kind::kBytes, 0); }
  static Type string() { return Type(Kind::kString, 0); }
  static Type array(Type element);
  static Type fixed_array(Type element, size_t length);
  static Type tuple(std::vector<Type> components);

  // "uint256", "(address,uint256)[]", "tuple(bytes32,string)", "uint" (= uint256), whitespace
  // between tokens allowed. Rejects with a reason: "abi: uint7 is not a valid type".
  static Result<Type> parse(std::string_view text);

  Kind kind() const { return kind_; }
  unsigned bits() const { return unsigned(n_); }                     // uintN/intN: N
  unsigned byte_size() const { return unsigned(n_); }                // bytesN: N
  size_t length() const { return n_; }                               // T[k]: k
  const Type& element() const { return children_[0]; }               // T[] and T[k]: T
  const std::vector<Type>& components() const { return children_; }  // tuples

  bool is_dynamic() const { return dynamic_; }
  // Bytes this type takes in the head of an enclosing tuple: 32 for dynamic types (the offset).
  size_t head_size() const { return head_; }
  bool is_tuple() const { return kind_ == Kind::kTuple; }
  bool is_array() const { return kind_ == Kind::kArray || kind_ == Kind::kFixedArray; }

  std::string canonical() const;
  void append_canonical(std::string& out) const;

  friend bool operator==(const Type& a, const Type& b);

 private:
  Type(Kind kind, size_t n, std::vector<Type> children = {});

  Kind kind_;
  bool dynamic_ = false;
  size_t n_ = 0;
  size_t head_ = 32;
  std::vector<Type> children_;
};

// A parameter of a signature or JSON ABI entry: its type with the names Solidity gave it.
struct Param {
  Type type;
  std::string name;  // may be empty
  bool indexed = false;
};

// "transfer(address to, uint256 amount)" or cast's "balanceOf(address)(uint256)".
struct FunctionSignature {
  std::string name;
  std::vector<Type> inputs;
  std::vector<Type> outputs;
  std::vector<std::string> input_names;   // one per input, "" where unnamed
  std::vector<std::string> output_names;  // one per output
  std::vector<bool> indexed;              // one per input ("indexed" in event signatures)
  bool anonymous = false;                 // "… anonymous" after an event signature

  // "name(type1,type2)": what selectors and topics hash.
  std::string canonical() const;
  FixedBytes<4> selector() const;
  Hash topic() const;
};

// Accepts "name(types…)", optionally followed by outputs as "(types…)", ":(types…)" or
// "returns (types…)"; parameters may carry names, data locations and "indexed"; a leading
// "function"/"event"/"error" keyword, visibility/mutability words ("external view") and a
// trailing "anonymous" are allowed.
Result<FunctionSignature> parse_signature(std::string_view text);
// "(uint256,address)" (the parentheses are required; "()" is the empty list).
Result<std::vector<Type>> parse_type_list(std::string_view text);

// The first 4 bytes of keccak256 of a canonical signature: "transfer(address,uint256)".
FixedBytes<4> selector(std::string_view canonical_signature);
// keccak256 of a canonical event signature: topic0 of its logs.
Hash event_topic(std::string_view canonical_signature);

// A solc JSON ABI parameter, {"type": "tuple[]", "components": [...], "name": …, "indexed": …},
// to its Type (and to its Param, keeping the name and indexed flag).
Result<Type> from_json_abi(const nlohmann::json& param);
Result<Param> param_from_json_abi(const nlohmann::json& param);
// A JSON array of parameters ("inputs" or "outputs" of an ABI entry).
Result<std::vector<Param>> params_from_json_abi(const nlohmann::json& params);

std::vector<Type> types_of(const std::vector<Param>& params);
// "(uint256,address)" for a list of types; "uint256,address" with parens = false.
std::string canonical_list(const std::vector<Type>& types, bool parens = true);

}  // namespace icn::abi
