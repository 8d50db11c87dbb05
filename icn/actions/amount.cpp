// format_icnt: base units → a decimal ICNT string.
#include "icn/actions/amount.hpp"

namespace icn::actions {

std::string format_icnt(const U256& base_units) {
  const U256 wad = U256(1'000'000'000'000'000'000ULL);
  std::string whole = to_decimal(base_units / wad);
  std::string fraction = to_decimal(base_units % wad);
  if (fraction == "0") return whole;
  fraction.insert(0, 18 - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  return whole + "." + fraction;
}

}  // namespace icn::actions
