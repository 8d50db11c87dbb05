// libFuzzer target for the ABI decoder, type parser and argument parser: no crash, no runaway
// allocation, and whatever is accepted round-trips.
#include <cstdlib>

#include "icn/core/abi_codec.hpp"
#include "icn/core/abi_text.hpp"

namespace {

using icn::abi::Type;

// Types that exercise every decoder path: static heads, nested offsets, arrays of dynamic
// elements, fixed arrays of dynamic types, narrow integers with strict padding rules.
const char* kTypes[] = {
    "(uint256)",
    "(uint8,int16,address,bool,bytes4)",
    "(bytes)",
    "(string)",
    "(uint256[])",
    "(string[])",
    "((bytes,(address,uint64[]))[])",
    "(uint8[3][])",
    "(string,bytes32[])",
    "(bytes[2])",
    "(((uint256,string)[],bool))",
    "(int24[][])",
    "((bool,(int8,string)[2])[])",
    "(bytes,bytes,string[],uint256)",
    "(uint256[2][2],string)",
    "((string)[3][])",
};
constexpr size_t kTypeCount = sizeof(kTypes) / sizeof(kTypes[0]);

const std::vector<std::vector<Type>>& types() {
  static const auto parsed = [] {
    std::vector<std::vector<Type>> out;
    for (const char* t : kTypes) out.push_back(*icn::abi::parse_type_list(t));
    return out;
  }();
  return parsed;
}

void check_decode(const std::vector<Type>& ts, icn::ByteView data) {
  auto value = icn::abi::decode(ts, data);
  if (!value) return;
  auto again = icn::abi::encode(ts, value->list());
  if (!again) std::abort();  // a decoded value must always be encodable
  // The re-encoding is canonical: it decodes to the same value (so it is its own re-encoding).
  // Canonical input (what solc and cast write) re-encodes to itself, minus any trailing bytes;
  // anything else decoded here had legal but unusual offsets.
  auto second = icn::abi::decode(ts, *again);
  if (!second || *second != *value) std::abort();
}

void check_text(const Type& type, std::string_view text) {
  if (auto t = Type::parse(text)) {
    auto back = Type::parse(t->canonical());
    if (!back || !(*back == *t)) std::abort();
  }
  auto value = icn::abi::parse_value(type, text);
  if (!value) return;
  // Whatever the argument parser accepts must be in range for the type.
  auto encoded = icn::abi::encode(std::span<const Type>(&type, 1), std::span(&*value, 1));
  if (!encoded) std::abort();
  (void)icn::abi::format_value(type, *value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& all = types();
  uint8_t pick = data[0];
  const std::vector<Type>& ts = all[(pick & 0x7f) % kTypeCount];
  icn::ByteView rest(data + 1, size - 1);
  if (pick & 0x80) {
    // Text mode: the rest is an argument for the chosen tuple, and also a type string.
    check_text(Type::tuple(ts),
               std::string_view(reinterpret_cast<const char*>(rest.data()), rest.size()));
  } else {
    check_decode(ts, rest);
  }
  return 0;
}
