// Typed reads of decoded ABI values.
#include "icn/core/abi_read.hpp"

#include <limits>

namespace icn::abi {

Result<U256> as_uint(const Value& v, std::string_view what) {
  if (const U256* u = v.get_if<U256>()) return *u;
  return fail(std::string(what) + ": expected an unsigned integer");
}
Result<uint64_t> as_u64(const Value& v, std::string_view what) {
  ICN_TRY(U256 u, as_uint(v, what));
  if (u > std::numeric_limits<uint64_t>::max()) return fail(std::string(what) + ": above 2^64");
  return static_cast<uint64_t>(u);
}
Result<uint32_t> as_u32(const Value& v, std::string_view what) {
  ICN_TRY(U256 u, as_uint(v, what));
  if (u > std::numeric_limits<uint32_t>::max()) return fail(std::string(what) + ": above 2^32");
  return static_cast<uint32_t>(u);
}
Result<Address> as_address(const Value& v, std::string_view what) {
  if (const Address* a = v.get_if<Address>()) return *a;
  return fail(std::string(what) + ": expected an address");
}
Result<bool> as_bool(const Value& v, std::string_view what) {
  if (const bool* b = v.get_if<bool>()) return *b;
  return fail(std::string(what) + ": expected a bool");
}
Result<std::string> as_string(const Value& v, std::string_view what) {
  if (const std::string* s = v.get_if<std::string>()) return *s;
  return fail(std::string(what) + ": expected a string");
}
Result<const Value::List*> as_tuple(const Value& v, size_t size, std::string_view what) {
  const Value::List* l = v.get_if<Value::List>();
  if (!l || l->size() != size) {
    return fail(std::string(what) + ": expected a tuple of " + std::to_string(size));
  }
  return l;
}
Result<const Value*> single(const Value::List& out, std::string_view what) {
  if (out.size() != 1) return fail(std::string(what) + ": expected one return value");
  return &out[0];
}
Result<U256> single_uint(const Value::List& out, std::string_view what) {
  ICN_TRY(const Value* v, single(out, what));
  return as_uint(*v, what);
}

}  // namespace icn::abi
