// ABI values as text, in cast's syntax: arguments parsed like `cast abi-encode`, values printed
// like `cast abi-decode` (foundry 1.5.1).
#pragma once

#include <string>
#include <string_view>

#include "icn/core/abi_type.hpp"
#include "icn/core/abi_value.hpp"

namespace icn::abi {

// One argument as cast reads it (alloy's DynSolType::coerce_str):
// - uintN: decimal, or 0x/0b/0o prefixed; an optional fraction and exponent with a unit
//   ("1.5 ether", "2e9", "3 gwei"; units ether, gwei/nano/nanoether, wei); intN: the same after
//   an optional '+' or '-';
// - bool: true or false; address: 40 hex digits with or without 0x (mixed case must carry a valid
//   EIP-55 checksum — cast does not check); bytesN: exactly 2N hex digits; bytes: hex, "0x" for
//   empty;
// - string: the text with trailing whitespace removed, or the text between a pair of " or ';
//   inside arrays and tuples an unquoted string ends at ',' or the closing bracket;
// - arrays "[a, b]" (a trailing comma is allowed), tuples "(a, b)", nested freely.
// Unlike cast, an intN below -2^(N-1) is rejected (cast encodes -129 as int8).
Result<Value> parse_value(const Type& type, std::string_view text);

// A value as `cast abi-decode` prints it: uints in decimal, with " [1.234e9]"-style hints from
// 10000 up; ints likewise with their sign; addresses EIP-55 checksummed; bytes and bytesN as 0x
// hex; bools true/false; strings quoted with Rust's escapes ("a\"b", "\n", "\u{1b}"; invalid
// UTF-8 shown as U+FFFD); arrays "[a, b]"; tuples "(a, b)".
// Differences from cast: which non-ASCII code points Rust escapes as \u{…} comes from Unicode
// tables; this covers controls, format characters, separators, private use and the common
// combining marks, not every unassigned code point.
std::string format_value(const Type& type, const Value& value);
// The same without the exponent hints (cast's --raw style numbers, strings still quoted): for
// text meant to be read back or embedded, e.g. custom error arguments.
std::string format_value_plain(const Type& type, const Value& value);

// A string escaped as Rust's Debug prints it, with the quotes.
std::string quote_string(std::string_view raw);
// cast's hint for a number's size: "1.234e9", "-1e18".
std::string exp_hint(const U256& magnitude, bool negative);

}  // namespace icn::abi
