// ICNT amounts as people read them: base units (18 decimals) shown as a decimal string. Parsing
// is deploy::parse_token_amount ("2.8" or "5 wei"), the genesis file's syntax.
#pragma once

#include <string>

#include "icn/core/u256.hpp"

namespace icn::actions {

// 2.8e18 → "2.8", 1 → "0.000000000000000001", 0 → "0": no trailing zeros, no exponent.
std::string format_icnt(const U256& base_units);

}  // namespace icn::actions
