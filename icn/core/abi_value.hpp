// ABI values: what the codec encodes and decodes, interpreted against a Type held alongside.
#pragma once

#include <concepts>
#include <string>
#include <variant>
#include <vector>

#include "icn/core/address.hpp"
#include "icn/core/bytes.hpp"
#include "icn/core/u256.hpp"

namespace icn::abi {

// A value without its type: the Type passed next to it says whether Bytes is `bytes` or
// `bytes7`, or whether a List is an array or a tuple. Decoding produces U256 for uintN, I256 for
// intN, Bytes for bytes and bytesN, std::string (raw bytes, not checked for UTF-8) for string,
// List for arrays and tuples. Encoding also accepts a U256 for an intN and a non-negative I256
// for a uintN, range-checked like any other.
struct Value {
  using List = std::vector<Value>;
  using Variant = std::variant<U256, I256, Address, bool, Bytes, std::string, List>;

  Variant data;

  Value() = default;
  Value(U256 v) : data(std::move(v)) {}
  Value(I256 v) : data(std::move(v)) {}
  Value(Address v) : data(v) {}
  Value(bool v) : data(v) {}
  Value(Bytes v) : data(std::move(v)) {}
  Value(std::string v) : data(std::move(v)) {}
  Value(const char* v) : data(std::string(v)) {}
  Value(List v) : data(std::move(v)) {}
  // An int literal would otherwise silently become a bool: say U256(5) or Value::uint(5).
  template <typename T>
  requires(std::integral<T> && !std::same_as<T, bool>) Value(T)
  = delete;

  static Value uint(uint64_t v) { return Value(U256(v)); }
  static Value int_(int64_t v) { return Value(I256(v)); }

  template <typename T>
  bool is() const {
    return std::holds_alternative<T>(data);
  }
  template <typename T>
  const T* get_if() const {
    return std::get_if<T>(&data);
  }
  template <typename T>
  const T& get() const {  // caller checked is<T>()
    return *std::get_if<T>(&data);
  }
  const List& list() const { return get<List>(); }

  friend bool operator==(const Value& a, const Value& b) { return a.data == b.data; }
};

}  // namespace icn::abi
