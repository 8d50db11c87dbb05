// Solidity ABI encoding and strict, bounds-checked decoding (abi.encode / abi.decode).
#pragma once

#include <span>

#include "icn/core/abi_type.hpp"
#include "icn/core/abi_value.hpp"

namespace icn::abi {

// abi.encode(v1, …, vn): the encoding of the tuple (types…) holding values (a List of the same
// length). Values are range-checked against their types: "abi: value 300 does not fit in uint8".
Result<Bytes> encode(std::span<const Type> types, std::span<const Value> values);
// For a tuple type, the tuple's own encoding (= abi.encode of its components); for any other
// type, abi.encode(value).
Result<Bytes> encode(const Type& type, const Value& value);
// Appends instead of allocating: the hot-path form (out keeps its capacity across calls).
Status encode_into(Bytes& out, std::span<const Type> types, std::span<const Value> values);
// selector ‖ abi.encode(args…).
Result<Bytes> encode_call(const FunctionSignature& signature, std::span<const Value> args);

// abi.decode(data, (types…)) as a List of values. Strict: every offset and length is
// bounds-checked; offsets must point past the head they sit in (so no loops); the decoded data may
// not reuse bytes (which caps output at the input's size: no quadratic blow-up); arrays must fit in
// the remaining data; uintN/intN/address/bool/bytesN words must be canonical (no dirty high bits,
// proper sign extension, 0/1 bools, zero padding); bytes/string padding must be present and zero.
// Bytes after the last used word are allowed, as Solidity allows them.
Result<Value> decode(std::span<const Type> types, ByteView data);
// For a tuple type, decodes its own encoding (the List of its components); for any other type,
// abi.decode(data, (type)) and returns the single value.
Result<Value> decode(const Type& type, ByteView data);
// Checks the 4-byte selector, then decodes the arguments.
Result<Value> decode_call(const FunctionSignature& signature, ByteView calldata);

}  // namespace icn::abi
