// Genesis TOML parsing: every key known, every value range-checked, errors naming path and line.
#include "icn/deploy/genesis.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace icn::deploy {
namespace {

constexpr uint64_t kDay = 86'400;
// Bounds mirrored from the contracts so a bad genesis fails before anything is sent; the contracts
// remain the authority (a bound they tighten later surfaces as a revert naming the step).
constexpr uint64_t kMaxEraBlocks = 1'000'000;          // EraManager.MAX_ERA_DURATION
constexpr size_t kMaxCommittee = 16;                   // Settlement.MAX_COMMITTEE
constexpr uint64_t kMaxClaimDelayEras = 1'051'200;     // Settlement.MAX_CLAIM_DELAY_ERAS
constexpr uint64_t kMaxErasPer30Days = 2'592'000;      // Settlement.MAX_ERAS_PER_30_DAYS
constexpr uint64_t kMaxEraSeconds = kDay;              // CapacityMarket.MAX_ERA_SECONDS
constexpr uint64_t kMaxMinBooking = 180 * kDay;        // CapacityMarket.MAX_MIN_BOOKING_DURATION
constexpr uint64_t kMaxMinStaking = 180 * kDay;        // ICNLink.MAX_MIN_STAKING_PERIOD
constexpr uint64_t kMaxUnstakingDelayEras = 175;       // ICNLink.MAX_UNSTAKING_DELAY_ERAS
constexpr uint64_t kMaxReleaseSchedule = 3600 * kDay;  // Registry.MAX_RELEASE_SCHEDULE
constexpr size_t kMaxNameBytes = 32;                   // Registry names
constexpr size_t kMaxUnitBytes = 16;                   // Registry capacity units
const U256 kWad = U256(1'000'000'000'000'000'000ULL);
const U256 kMaxUint128 = (U256(1) << 128) - 1;

std::string line_of(const toml::node& node) {
  const auto& begin = node.source().begin;
  return begin.line ? " (line " + std::to_string(begin.line) + ")" : "";
}

Error error_at(const std::string& path, const toml::node& node, const std::string& reason) {
  return fail("genesis: " + path + line_of(node) + ": " + reason);
}

// A table whose keys are consumed one by one; finish() refuses any key nobody asked for.
class Table {
 public:
  Table(const toml::table& table, std::string path) : table_(&table), path_(std::move(path)) {}

  std::string path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const toml::node* optional(std::string_view key) {
    seen_.insert(std::string(key));
    return table_->get(key);
  }
  Result<const toml::node*> required(std::string_view key) {
    const toml::node* node = optional(key);
    if (!node) {
      // A nested table says where it starts; the root has no useful line.
      return fail("genesis: missing " + path_of(key) + (path_.empty() ? "" : line_of(*table_)));
    }
    return node;
  }
  Status finish() const {
    for (const auto& [key, node] : *table_) {
      if (!seen_.contains(std::string(key.str()))) {
        return error_at(path_of(key.str()), node, "unknown key");
      }
    }
    return {};
  }

 private:
  const toml::table* table_;
  std::string path_;
  std::set<std::string> seen_;
};

Result<const toml::table*> as_table(const toml::node& node, const std::string& path) {
  if (const toml::table* t = node.as_table()) return t;
  return error_at(path, node, "expected a table");
}

Result<uint64_t> as_uint(const toml::node& node, const std::string& path, uint64_t min,
                         uint64_t max) {
  const auto* v = node.as_integer();
  if (!v) return error_at(path, node, "expected an integer");
  int64_t x = v->get();
  if (x < 0 || uint64_t(x) < min || uint64_t(x) > max) {
    return error_at(
        path, node,
        std::to_string(x) + " is outside " + std::to_string(min) + " … " + std::to_string(max));
  }
  return uint64_t(x);
}

Result<std::string> as_string(const toml::node& node, const std::string& path) {
  const auto* v = node.as_string();
  if (!v) return error_at(path, node, "expected a string");
  return v->get();
}

// An integer, or the string "now" (resolved from the chain's latest block at deploy time).
Result<std::optional<uint64_t>> as_uint_or_now(const toml::node& node, const std::string& path) {
  if (const auto* s = node.as_string()) {
    if (s->get() == "now") return std::optional<uint64_t>();
    return error_at(path, node, "expected an integer or \"now\", got \"" + s->get() + "\"");
  }
  ICN_TRY(uint64_t v, as_uint(node, path, 0, uint64_t(INT64_MAX)));
  return std::optional<uint64_t>(v);
}

Result<Address> as_address(const toml::node& node, const std::string& path) {
  ICN_TRY(std::string text, as_string(node, path));
  auto address = Address::parse(text);
  if (!address) return error_at(path, node, address.error().message);
  if (address->is_zero()) return error_at(path, node, "the zero address");
  return *address;
}

Result<U256> as_amount(const toml::node& node, const std::string& path, const U256& min,
                       const U256& max) {
  if (!node.is_string()) {
    return error_at(path, node,
                    "a token amount is a string: \"2.8\" (ICNT) or \"2800000000000000000 wei\"");
  }
  auto amount = parse_token_amount(node.as_string()->get());
  if (!amount) return error_at(path, node, amount.error().message);
  if (*amount < min || *amount > max) {
    return error_at(path, node,
                    to_decimal(*amount) + " base units is outside " + to_decimal(min) + " … " +
                        to_decimal(max));
  }
  return *amount;
}

Result<U256> as_percent(const toml::node& node, const std::string& path, uint64_t max_percent) {
  if (!node.is_string()) return error_at(path, node, "a percentage is a string: \"25%\"");
  auto value = parse_percent(node.as_string()->get());
  if (!value) return error_at(path, node, value.error().message);
  if (*value > U256(max_percent) * kWad) {
    return error_at(path, node, "more than " + std::to_string(max_percent) + "%");
  }
  return *value;
}

// Registry's name rules: 1..32 bytes of [A-Z0-9-] (regions, clusters) or [a-z0-9-] (classes).
Result<std::string> as_name(const toml::node& node, const std::string& path, bool upper) {
  ICN_TRY(std::string name, as_string(node, path));
  bool ok = !name.empty() && name.size() <= kMaxNameBytes &&
            std::all_of(name.begin(), name.end(), [&](char c) {
              return (c >= '0' && c <= '9') || c == '-' ||
                     (upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'));
            });
  if (!ok) {
    return error_at(
        path, node,
        "\"" + name + "\" is not 1 … 32 characters of " + (upper ? "[A-Z0-9-]" : "[a-z0-9-]"));
  }
  return name;
}

Result<GenesisAccount> as_account(const toml::node& node, const std::string& path,
                                  const std::vector<std::string>& contract_names) {
  ICN_TRY(std::string text, as_string(node, path));
  GenesisAccount account;
  if (text == "deployer") return account;
  if (std::find(contract_names.begin(), contract_names.end(), text) != contract_names.end()) {
    account.kind = GenesisAccount::Kind::kContract;
    account.contract = text;
    return account;
  }
  if (!text.starts_with("0x")) {
    std::string names;
    for (const auto& n : contract_names) names += (names.empty() ? "" : ", ") + n;
    return error_at(
        path, node,
        "\"" + text + "\" is not an address, \"deployer\" or a contract (" + names + ")");
  }
  account.kind = GenesisAccount::Kind::kAddress;
  ICN_TRY(account.address, as_address(node, path));
  return account;
}

// An array of tables ([[regions]]); a missing key is an empty list only when `optional`.
Result<std::vector<std::pair<const toml::table*, std::string>>> as_table_array(
    const toml::node& node, const std::string& path) {
  const auto* array = node.as_array();
  if (!array) return error_at(path, node, "expected an array of tables ([[" + path + "]])");
  std::vector<std::pair<const toml::table*, std::string>> out;
  for (size_t i = 0; i < array->size(); ++i) {
    std::string item_path = path + "[" + std::to_string(i) + "]";
    ICN_TRY(const toml::table* t, as_table((*array)[i], item_path));
    out.emplace_back(t, item_path);
  }
  return out;
}

Status parse_chain(Table& root, Genesis::Chain& chain) {
  ICN_TRY(const toml::node* node, root.required("chain"));
  ICN_TRY(const toml::table* t, as_table(*node, "chain"));
  Table table(*t, "chain");
  if (const toml::node* id = table.optional("chain_id")) {
    ICN_TRY(chain.chain_id, as_uint(*id, "chain.chain_id", 1, uint64_t(INT64_MAX)));
  }
  ICN_TRY(const toml::node* era_blocks, table.required("era_blocks"));
  ICN_TRY(chain.era_blocks, as_uint(*era_blocks, "chain.era_blocks", 1, kMaxEraBlocks));
  ICN_TRY(const toml::node* start, table.required("start_block"));
  ICN_TRY(chain.start_block, as_uint_or_now(*start, "chain.start_block"));
  ICN_TRY(const toml::node* first_era, table.required("first_era"));
  ICN_TRY(chain.first_era, as_uint(*first_era, "chain.first_era", 0, uint64_t(INT64_MAX)));
  return table.finish();
}

Status parse_allocations(Table& root, Genesis::Allocations& allocations,
                         const std::vector<std::string>& contract_names) {
  ICN_TRY(const toml::node* node, root.required("allocations"));
  ICN_TRY(const toml::table* t, as_table(*node, "allocations"));
  Table table(*t, "allocations");
  ICN_TRY(const toml::node* tge, table.required("tge"));
  ICN_TRY(allocations.tge, as_uint_or_now(*tge, "allocations.tge"));
  for (size_t i = 0; i < kAllocationCategories.size(); ++i) {
    ICN_TRY(const toml::node* b, table.required(kAllocationCategories[i]));
    ICN_TRY(allocations.beneficiaries[i],
            as_account(*b, table.path_of(kAllocationCategories[i]), contract_names));
  }
  return table.finish();
}

Status parse_settlement(Table& root, Genesis::Settlement& s) {
  ICN_TRY(const toml::node* node, root.required("settlement"));
  ICN_TRY(const toml::table* t, as_table(*node, "settlement"));
  Table table(*t, "settlement");
  ICN_TRY(const toml::node* committee, table.required("committee"));
  const auto* members = committee->as_array();
  if (!members) return error_at("settlement.committee", *committee, "expected an array");
  if (members->empty() || members->size() > kMaxCommittee) {
    return error_at("settlement.committee", *committee,
                    std::to_string(members->size()) + " members; a committee has 1 … " +
                        std::to_string(kMaxCommittee));
  }
  for (size_t i = 0; i < members->size(); ++i) {
    std::string path = "settlement.committee[" + std::to_string(i) + "]";
    ICN_TRY(Address a, as_address((*members)[i], path));
    if (std::find(s.committee.begin(), s.committee.end(), a) != s.committee.end()) {
      return error_at(path, (*members)[i], a.checksummed() + " is listed twice");
    }
    s.committee.push_back(a);
  }
  ICN_TRY(const toml::node* threshold, table.required("threshold"));
  if (threshold->is_integer() && threshold->as_integer()->get() > int64_t(s.committee.size())) {
    return error_at("settlement.threshold", *threshold,
                    std::to_string(threshold->as_integer()->get()) +
                        " is more than the committee's " + std::to_string(s.committee.size()) +
                        " members");
  }
  ICN_TRY(s.threshold, as_uint(*threshold, "settlement.threshold", 1, s.committee.size()));
  ICN_TRY(const toml::node* hp, table.required("hp_claim_delay_eras"));
  ICN_TRY(s.hp_claim_delay_eras,
          as_uint(*hp, "settlement.hp_claim_delay_eras", 0, kMaxClaimDelayEras));
  ICN_TRY(const toml::node* link, table.required("link_claim_wait_eras"));
  ICN_TRY(s.link_claim_wait_eras,
          as_uint(*link, "settlement.link_claim_wait_eras", 0, kMaxClaimDelayEras));
  ICN_TRY(const toml::node* per30, table.required("eras_per_30_days"));
  ICN_TRY(s.eras_per_30_days, as_uint(*per30, "settlement.eras_per_30_days", 1, kMaxErasPer30Days));
  ICN_TRY(const toml::node* maint, table.required("max_maintenance_eras"));
  ICN_TRY(s.max_maintenance_eras,
          as_uint(*maint, "settlement.max_maintenance_eras", 0, kMaxErasPer30Days));
  return table.finish();
}

Status parse_market(Table& root, Genesis::Market& m) {
  ICN_TRY(const toml::node* node, root.required("market"));
  ICN_TRY(const toml::table* t, as_table(*node, "market"));
  Table table(*t, "market");
  ICN_TRY(const toml::node* era_seconds, table.required("era_seconds"));
  ICN_TRY(m.era_seconds, as_uint(*era_seconds, "market.era_seconds", 1, kMaxEraSeconds));
  ICN_TRY(const toml::node* min_booking, table.required("min_booking_duration"));
  ICN_TRY(m.min_booking_duration,
          as_uint(*min_booking, "market.min_booking_duration", kDay, kMaxMinBooking));
  ICN_TRY(const toml::node* burn, table.required("burn_share"));
  ICN_TRY(m.burn_share, as_percent(*burn, "market.burn_share", 50));
  return table.finish();
}

Status parse_links(Table& root, Genesis::Links& l) {
  ICN_TRY(const toml::node* node, root.required("links"));
  ICN_TRY(const toml::table* t, as_table(*node, "links"));
  Table table(*t, "links");
  ICN_TRY(const toml::node* min_staking, table.required("min_staking_period"));
  ICN_TRY(l.min_staking_period,
          as_uint(*min_staking, "links.min_staking_period", 0, kMaxMinStaking));
  ICN_TRY(const toml::node* delay, table.required("unstaking_delay_eras"));
  ICN_TRY(l.unstaking_delay_eras,
          as_uint(*delay, "links.unstaking_delay_eras", 0, kMaxUnstakingDelayEras));
  ICN_TRY(const toml::node* start, table.required("reward_start"));
  ICN_TRY(l.reward_start, as_uint_or_now(*start, "links.reward_start"));
  return table.finish();
}

Status parse_regions(Table& root, std::vector<Genesis::Region>& regions) {
  ICN_TRY(const toml::node* node, root.required("regions"));
  ICN_TRY(auto items, as_table_array(*node, "regions"));
  for (const auto& [t, path] : items) {
    Table table(*t, path);
    ICN_TRY(const toml::node* code, table.required("code"));
    ICN_TRY(std::string c, as_name(*code, path + ".code", true));
    for (const auto& r : regions) {
      if (r.code == c) return error_at(path + ".code", *code, "region " + c + " is listed twice");
    }
    regions.push_back({c});
    ICN_CHECK(table.finish());
  }
  return {};
}

Status parse_classes(Table& root, const Genesis& g, std::vector<Genesis::HardwareClass>& classes) {
  ICN_TRY(const toml::node* node, root.required("classes"));
  ICN_TRY(auto items, as_table_array(*node, "classes"));
  auto has_region = [&](const std::string& code) {
    return std::any_of(g.regions.begin(), g.regions.end(),
                       [&](const Genesis::Region& r) { return r.code == code; });
  };
  for (const auto& [t, path] : items) {
    Table table(*t, path);
    Genesis::HardwareClass c;
    ICN_TRY(const toml::node* name, table.required("name"));
    ICN_TRY(c.name, as_name(*name, path + ".name", false));
    for (const auto& other : classes) {
      if (other.name == c.name) {
        return error_at(path + ".name", *name, "class " + c.name + " is listed twice");
      }
    }
    ICN_TRY(const toml::node* unit, table.required("unit"));
    ICN_TRY(c.unit, as_string(*unit, path + ".unit"));
    if (c.unit.empty() || c.unit.size() > kMaxUnitBytes ||
        !std::all_of(c.unit.begin(), c.unit.end(),
                     [](char ch) { return ch > 0x20 && ch < 0x7f; })) {
      return error_at(path + ".unit", *unit, "not 1 … 16 printable characters");
    }
    const std::pair<const char*, uint32_t*> spec[] = {
        {"storage_tb_per_unit", &c.storage_tb_per_unit},
        {"vcpus", &c.vcpus},
        {"ram_gb", &c.ram_gb},
        {"disks", &c.disks},
        {"disk_tb", &c.disk_tb},
        {"nic_gbps", &c.nic_gbps}};
    for (const auto& [key, field] : spec) {
      ICN_TRY(const toml::node* n, table.required(key));
      ICN_TRY(uint64_t v, as_uint(*n, table.path_of(key), 0, UINT32_MAX));
      *field = uint32_t(v);
    }
    ICN_TRY(const toml::node* enabled, table.required("regions"));
    ICN_TRY(auto economics, as_table_array(*enabled, path + ".regions"));
    for (const auto& [et, epath] : economics) {
      Table e(*et, epath);
      Genesis::ClassEconomics ce;
      ICN_TRY(const toml::node* region, e.required("region"));
      ICN_TRY(ce.region, as_string(*region, epath + ".region"));
      if (!has_region(ce.region)) {
        return error_at(epath + ".region", *region, "no [[regions]] entry " + ce.region);
      }
      for (const auto& other : c.regions) {
        if (other.region == ce.region) {
          return error_at(epath + ".region", *region, ce.region + " is listed twice");
        }
      }
      ICN_TRY(const toml::node* req, e.required("collateral_req_per_unit"));
      ICN_TRY(ce.collateral_req_per_unit,
              as_amount(*req, epath + ".collateral_req_per_unit", 1, kMaxUint128));
      ICN_TRY(const toml::node* target, e.required("target_capacity"));
      ICN_TRY(uint64_t target_capacity,
              as_uint(*target, epath + ".target_capacity", 1, uint64_t(INT64_MAX)));
      ce.target_capacity = target_capacity;
      ICN_TRY(const toml::node* schedule, e.required("release_schedule"));
      ICN_TRY(ce.release_schedule,
              as_uint(*schedule, epath + ".release_schedule", kDay, kMaxReleaseSchedule));
      ICN_TRY(const toml::node* bootstrap, e.required("maximum_bootstrap_release"));
      ICN_TRY(ce.maximum_bootstrap_release,
              as_amount(*bootstrap, epath + ".maximum_bootstrap_release", 0, kMaxUint128));
      ICN_TRY(const toml::node* margin, e.required("protocol_margin"));
      ICN_TRY(ce.protocol_margin, as_percent(*margin, epath + ".protocol_margin", 100));
      ICN_CHECK(e.finish());
      c.regions.push_back(std::move(ce));
    }
    ICN_CHECK(table.finish());
    classes.push_back(std::move(c));
  }
  return {};
}

Status parse_clusters(Table& root, const Genesis& g, std::vector<Genesis::Cluster>& clusters) {
  ICN_TRY(const toml::node* node, root.required("clusters"));
  ICN_TRY(auto items, as_table_array(*node, "clusters"));
  for (const auto& [t, path] : items) {
    Table table(*t, path);
    Genesis::Cluster c;
    ICN_TRY(const toml::node* region, table.required("region"));
    ICN_TRY(c.region, as_string(*region, path + ".region"));
    ICN_TRY(const toml::node* hw, table.required("class"));
    ICN_TRY(c.hardware_class, as_string(*hw, path + ".class"));
    auto cls = std::find_if(g.classes.begin(), g.classes.end(),
                            [&](const auto& k) { return k.name == c.hardware_class; });
    if (cls == g.classes.end()) {
      return error_at(path + ".class", *hw, "no [[classes]] entry " + c.hardware_class);
    }
    if (std::none_of(cls->regions.begin(), cls->regions.end(),
                     [&](const auto& e) { return e.region == c.region; })) {
      return error_at(path + ".region", *region,
                      "class " + c.hardware_class + " is not enabled in region " + c.region +
                          " (classes.regions)");
    }
    ICN_TRY(const toml::node* name, table.required("name"));
    ICN_TRY(c.name, as_name(*name, path + ".name", true));
    for (const auto& other : clusters) {
      if (other.name == c.name) {
        return error_at(path + ".name", *name, "cluster " + c.name + " is listed twice");
      }
    }
    ICN_TRY(const toml::node* price, table.required("max_price"));
    ICN_TRY(c.max_price, as_amount(*price, path + ".max_price", 1, kMaxUint128));
    ICN_CHECK(table.finish());
    clusters.push_back(std::move(c));
  }
  return {};
}

Result<Genesis> parse_table(const toml::table& root_table,
                            const std::vector<std::string>& contract_names) {
  Genesis g;
  Table root(root_table, "");
  ICN_CHECK(parse_chain(root, g.chain));
  ICN_CHECK(parse_allocations(root, g.allocations, contract_names));
  ICN_CHECK(parse_settlement(root, g.settlement));
  ICN_CHECK(parse_market(root, g.market));
  ICN_CHECK(parse_links(root, g.links));
  ICN_CHECK(parse_regions(root, g.regions));
  ICN_CHECK(parse_classes(root, g, g.classes));
  ICN_CHECK(parse_clusters(root, g, g.clusters));
  ICN_CHECK(root.finish());
  return g;
}

// Digits only, at least one.
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "12.345" with at most 18 decimals → 12.345e18.
Result<U256> parse_decimal_e18(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction))) {
    return fail("\"" + std::string(text) + "\" is not a decimal number");
  }
  if (fraction.size() > 18) return fail("\"" + std::string(text) + "\" has more than 18 decimals");
  if (whole.size() > 40) return fail("\"" + std::string(text) + "\" is too large");
  ICN_TRY(U256 w, parse_u256(whole));
  std::string padded(fraction);
  padded.resize(18, '0');
  ICN_TRY(U256 f, parse_u256(padded));
  auto scaled = checked_mul(w, kWad);
  if (!scaled) return fail("\"" + std::string(text) + "\" is too large");
  auto sum = checked_add(*scaled, f);
  if (!sum) return fail("\"" + std::string(text) + "\" is too large");
  return *sum;
}

}  // namespace

Result<U256> parse_token_amount(std::string_view text) {
  constexpr std::string_view kWei = " wei";
  if (text.ends_with(kWei)) {
    std::string_view digits = text.substr(0, text.size() - kWei.size());
    if (!all_digits(digits)) return fail("\"" + std::string(text) + "\" is not an integer of wei");
    return parse_u256(digits);
  }
  return parse_decimal_e18(text);
}

Result<U256> parse_percent(std::string_view text) {
  if (!text.ends_with('%')) return fail("\"" + std::string(text) + "\" does not end with %");
  return parse_decimal_e18(text.substr(0, text.size() - 1));
}

Result<Genesis> parse_genesis(std::string_view toml_text,
                              const std::vector<std::string>& contract_names) {
  try {
    toml::table table = toml::parse(toml_text);
    return parse_table(table, contract_names);
  } catch (const toml::parse_error& e) {
    return fail("genesis: line " + std::to_string(e.source().begin.line) + ": " +
                std::string(e.description()));
  } catch (const std::exception& e) {
    return fail(std::string("genesis: ") + e.what());
  }
}

}  // namespace icn::deploy
