// Strict JSON codec for EraState: canonical output, every deviation rejected with its field.
#include "icn/satellite/era_state_json.hpp"

#include <limits>

#include "icn/core/protocol_json.hpp"

namespace icn::satellite {
namespace {

using nlohmann::json;

Error field_error(const std::string& field, std::string_view why) {
  return fail("era state." + field + ": " + std::string(why));
}

Result<U256> decimal(const json& value, const std::string& field) {
  if (!value.is_string()) return field_error(field, "expected a decimal string");
  const auto& s = value.get_ref<const std::string&>();
  if (s.empty()) return field_error(field, "empty decimal");
  for (char c : s) {
    if (c < '0' || c > '9') return field_error(field, "not a decimal digit string");
  }
  if (s.size() > 1 && s[0] == '0') return field_error(field, "non-canonical decimal: leading zero");
  auto parsed = parse_u256(s);
  if (!parsed) return field_error(field, parsed.error().message);
  return *parsed;
}

Result<U256> decimal_key(const std::string& key, const std::string& field) {
  return decimal(json(key), field + " (key)");
}

Status exact_keys(const json& object, std::initializer_list<std::string_view> keys,
                  const std::string& field) {
  if (!object.is_object()) return field_error(field, "expected an object");
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (auto k : keys) known = known || it.key() == k;
    if (!known) return field_error(field, "unknown key \"" + it.key() + "\"");
  }
  for (auto k : keys) {
    if (!object.contains(std::string(k))) {
      return field_error(field, "missing key \"" + std::string(k) + "\"");
    }
  }
  return {};
}

}  // namespace

json era_state_to_json(const protocol::EraState& state) {
  json nodes = json::object();
  for (const auto& [id, n] : state.nodes) {
    nodes[to_decimal(id)] = json{
        {"bookingId", to_decimal(n.booking_id)}, {"bookingUpEras", to_decimal(n.booking_up_eras)},
        {"downHistory", n.down_history},         {"slashed", to_decimal(n.slashed)},
        {"subsidy", to_decimal(n.subsidy)},      {"utilisation", to_decimal(n.utilisation)}};
  }
  json bundles = json::object();
  for (const auto& [id, reward] : state.bundle_rewards)
    bundles[to_decimal(id)] = to_decimal(reward);
  return json{{"bundles", std::move(bundles)},
              {"era", state.era ? json(*state.era) : json(nullptr)},
              {"nodes", std::move(nodes)}};
}

std::string encode_era_state(const protocol::EraState& state) {
  return era_state_to_json(state).dump();
}

Result<protocol::EraState> decode_era_state(std::string_view text) {
  protocol::WireLimits limits;
  limits.max_text_bytes = std::numeric_limits<size_t>::max();
  auto parsed = protocol::parse_strict_json(text, limits);
  if (!parsed) return parsed.error().context("era state");
  const json& root = *parsed;
  ICN_CHECK(exact_keys(root, {"bundles", "era", "nodes"}, "(root)"));

  protocol::EraState state;
  const json& era = root["era"];
  if (era.is_null()) {
    state.era = std::nullopt;
  } else if (era.is_number_unsigned()) {
    state.era = era.get<uint64_t>();
  } else {
    return field_error("era", "expected a non-negative integer or null");
  }

  const json& nodes = root["nodes"];
  if (!nodes.is_object()) return field_error("nodes", "expected an object");
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    const std::string field = "nodes." + it.key();
    ICN_TRY(U256 id, decimal_key(it.key(), field));
    const json& n = it.value();
    ICN_CHECK(exact_keys(
        n, {"bookingId", "bookingUpEras", "downHistory", "slashed", "subsidy", "utilisation"},
        field));
    protocol::NodeState ns;
    ICN_TRY(ns.booking_id, decimal(n["bookingId"], field + ".bookingId"));
    ICN_TRY(ns.booking_up_eras, decimal(n["bookingUpEras"], field + ".bookingUpEras"));
    ICN_TRY(ns.slashed, decimal(n["slashed"], field + ".slashed"));
    ICN_TRY(ns.subsidy, decimal(n["subsidy"], field + ".subsidy"));
    ICN_TRY(ns.utilisation, decimal(n["utilisation"], field + ".utilisation"));
    const json& history = n["downHistory"];
    if (!history.is_number_unsigned() ||
        history.get<uint64_t>() > std::numeric_limits<uint32_t>::max()) {
      return field_error(field + ".downHistory", "expected a uint32 integer");
    }
    ns.down_history = history.get<uint32_t>();
    state.nodes.emplace(id, ns);
  }

  const json& bundles = root["bundles"];
  if (!bundles.is_object()) return field_error("bundles", "expected an object");
  for (auto it = bundles.begin(); it != bundles.end(); ++it) {
    const std::string field = "bundles." + it.key();
    ICN_TRY(U256 id, decimal_key(it.key(), field));
    ICN_TRY(U256 reward, decimal(it.value(), field));
    state.bundle_rewards.emplace(id, reward);
  }
  return state;
}

}  // namespace icn::satellite
