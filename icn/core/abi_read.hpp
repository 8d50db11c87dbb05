// Typed reads of decoded ABI values (a call's outputs, a log's parameters): a value of the wrong
// kind or range is a malformed answer from outside, reported as an error naming `what`, never a
// crash. Shared by every reader of the chain (icn/chain, icn/actions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "icn/core/abi_value.hpp"
#include "icn/core/address.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"

namespace icn::abi {

Result<U256> as_uint(const Value& v, std::string_view what);
Result<uint64_t> as_u64(const Value& v, std::string_view what);  // "…: above 2^64"
Result<uint32_t> as_u32(const Value& v, std::string_view what);
Result<Address> as_address(const Value& v, std::string_view what);
Result<bool> as_bool(const Value& v, std::string_view what);
Result<std::string> as_string(const Value& v, std::string_view what);
// A tuple (or fixed list) of exactly `size` values.
Result<const Value::List*> as_tuple(const Value& v, size_t size, std::string_view what);
// The one value of a call that returns one.
Result<const Value*> single(const Value::List& out, std::string_view what);
Result<U256> single_uint(const Value::List& out, std::string_view what);

}  // namespace icn::abi
