// A strict JSON codec for protocol::EraState, the state a satellite carries from era to era and
// stores with each era's results (one canonical text per state, so stored states compare by text).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "icn/core/era_results.hpp"

namespace icn::satellite {

// {"bundles":{"<id>":"<reward>",…},"era":7|null,"nodes":{"<id>":{"bookingId":"…",
//  "bookingUpEras":"…","downHistory":5,"slashed":"…","subsidy":"…","utilisation":"…"},…}}
// Ids and amounts are decimal strings without leading zeros; keys ascending (std::map order).
nlohmann::json era_state_to_json(const protocol::EraState& state);
std::string encode_era_state(const protocol::EraState& state);

// Rejects unknown, missing and duplicate keys, wrong types, non-canonical decimals and ids, and
// nesting deeper than the format has, naming the field: "era state.nodes.101.subsidy: …".
Result<protocol::EraState> decode_era_state(std::string_view text);

}  // namespace icn::satellite
