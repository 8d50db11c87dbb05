// Decoded event arguments as JSON: what the events table stores and the API serves.
#pragma once

#include <nlohmann/json.hpp>

#include "icn/core/abi_events.hpp"

namespace icn::indexer {

// One value by its type: uintN/intN up to 64 bits as JSON numbers, wider ones as decimal
// strings (JavaScript's numbers lose precision past 2^53, and token amounts go far beyond);
// addresses EIP-55; bytes and bytesN 0x hex; strings as is (invalid UTF-8 is replaced when
// dumped); arrays as arrays; tuples as objects keyed by the ABI's component names when
// `components` (the JSON ABI's "components" array) names them all, else as arrays.
nlohmann::json value_to_json(const abi::Type& type, const abi::Value& value,
                             const nlohmann::json* components = nullptr);

// {"<param name>": value, …}; unnamed parameters are keyed "arg<i>". `abi_entry` is the event's
// JSON ABI entry (for tuple component names), or null.
nlohmann::json args_to_json(const abi::DecodedLog& log, const nlohmann::json* abi_entry = nullptr);

// JSON text that never throws: invalid UTF-8 in strings becomes U+FFFD.
std::string dump_json(const nlohmann::json& value);

}  // namespace icn::indexer
