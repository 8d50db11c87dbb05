// `icn node register | validate | list | maintenance`: a Hardware Provider's ScalerNode
// transactions, and the operator's validation, over icn/actions.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cmd/icn/chain_session.hpp"
#include "cmd/icn/commands.hpp"
#include "cmd/icn/inventory_commands.hpp"
#include "icn/actions/amount.hpp"
#include "icn/actions/market.hpp"
#include "icn/actions/onboarding.hpp"

namespace icn::cmd {
namespace {

struct NodeRegisterOptions {
  ChainOptions chain;
  std::string daemon_address, region, hardware_class, capacity, location, name;
  std::string collateral, price, commitment, max_booking;
  uint32_t cluster = 0;
  bool from_inventory = false;
  InventorySource inventory;
};
NodeRegisterOptions g_register;

struct NodeIdsOptions {
  ChainOptions chain;
  std::vector<std::string> ids;
};
NodeIdsOptions g_validate, g_list;

struct MaintenanceOptions {
  ChainOptions chain;
  std::string node;
  uint64_t from_era = 0;
  uint64_t eras = 0;
};
MaintenanceOptions g_maintenance;

Result<std::vector<U256>> parse_ids(const std::vector<std::string>& texts) {
  std::vector<U256> ids;
  for (const auto& t : texts) {
    ICN_TRY(U256 id, parse_uint_option("node id", t));
    ids.push_back(id);
  }
  return ids;
}

Result<std::string> run_register() {
  const NodeRegisterOptions& o = g_register;
  actions::ScalerNodeSpec spec;
  ICN_TRY(spec.daemon, parse_address_option("--daemon-address", o.daemon_address));
  spec.region = o.region;
  spec.hardware_class = o.hardware_class;
  spec.cluster_id = o.cluster;
  spec.location = o.location;
  if (!o.capacity.empty()) {
    ICN_TRY(spec.capacity, parse_uint_option("--capacity", o.capacity));
  } else if (!o.from_inventory) {
    return fail("--capacity is required (or --from-inventory with --data-path)");
  }
  // A readable default that differs per daemon: "node-" and the key's first 8 hex digits.
  spec.name = o.name.empty() ? "node-" + spec.daemon.lower_hex().substr(0, 8) : o.name;
  if (!o.collateral.empty()) {
    ICN_TRY(spec.collateral, parse_icnt_option("--collateral", o.collateral));
  }
  if (!o.price.empty()) {
    ICN_TRY(spec.reservation_price, parse_icnt_option("--price", o.price));
  }
  if (!o.commitment.empty()) {
    ICN_TRY(spec.commitment_seconds, parse_duration("--commitment", o.commitment));
  }
  if (!o.max_booking.empty()) {
    ICN_TRY(spec.max_booking_seconds, parse_duration("--max-booking", o.max_booking));
  }
  ICN_TRY(ChainSession s, open_session(o.chain));
  std::optional<InventoryFill> fill;
  if (o.from_inventory) {
    ICN_TRY(fill, fill_from_inventory(o.inventory, *s.rpc, o.chain.deployment, o.chain.artifacts,
                                      o.hardware_class));
    if (o.capacity.empty()) spec.capacity = fill->capacity;
    // What it used goes to stderr, so stdout stays the node id (or the JSON).
    for (const std::string& u : fill->used) std::cerr << "from the inventory: " << u << "\n";
    for (const host::Finding& f : fill->findings) {
      std::cerr << to_string(f.severity) << ": " << f.message << "\n";
    }
  }
  ICN_TRY(uint32_t hp_id, actions::register_hardware_provider(*s.protocol, *s.sender));
  ICN_TRY(std::vector<U256> ids,
          actions::register_scaler_nodes(*s.protocol, *s.sender, std::span(&spec, 1)));
  if (o.chain.json) {
    nlohmann::json j = {{"hp_id", hp_id},
                        {"node_id", to_decimal(ids.at(0))},
                        {"name", spec.name},
                        {"daemon", spec.daemon.checksummed()},
                        {"capacity", to_decimal(spec.capacity)}};
    if (fill) {
      j["from_inventory"] = {{"used", fill->used}, {"findings", host::to_json(fill->findings)}};
    }
    return j.dump();
  }
  return to_decimal(ids.at(0));
}

Result<std::string> run_validate() {
  ICN_TRY(std::vector<U256> ids, parse_ids(g_validate.ids));
  ICN_TRY(ChainSession s, open_session(g_validate.chain));
  ICN_CHECK(actions::validate_scaler_nodes(*s.protocol, *s.sender, ids));
  if (g_validate.chain.json) {
    nlohmann::json j = nlohmann::json::array();
    for (const U256& id : ids) j.push_back(to_decimal(id));
    return nlohmann::json{{"validated", j}}.dump();
  }
  return "validated " + std::to_string(ids.size()) + " node(s)";
}

Result<std::string> run_list() {
  ICN_TRY(std::vector<U256> ids, parse_ids(g_list.ids));
  ICN_TRY(ChainSession s, open_session(g_list.chain));
  ICN_CHECK(actions::list_scaler_nodes(*s.protocol, *s.sender, ids));
  return "listed " + std::to_string(ids.size()) + " node(s)";
}

Result<std::string> run_maintenance() {
  const MaintenanceOptions& o = g_maintenance;
  ICN_TRY(U256 node, parse_uint_option("--node", o.node));
  ICN_TRY(ChainSession s, open_session(o.chain));
  ICN_CHECK(actions::declare_maintenance(*s.protocol, *s.sender, node, o.from_era, o.eras));
  return "node " + to_decimal(node) + ": maintenance in eras " + std::to_string(o.from_era) + ".." +
         std::to_string(o.from_era + o.eras - 1);
}

// "node register failed: <reason>".
void report(std::string_view what, Result<std::string> result) {
  if (!result) result = std::move(result).error().context(std::string(what) + " failed");
  emit(result);
}

}  // namespace

void add_node_commands(CLI::App& app) {
  auto* node = app.add_subcommand("node", "A Hardware Provider's ScalerNodes on chain");
  node->require_subcommand(1);

  auto* reg = node->add_subcommand(
      "register",
      "Register the key's account as an HP (if needed) and one ScalerNode; prints its id");
  NodeRegisterOptions& r = g_register;
  add_chain_options(reg, r.chain, "the HP's owner key");
  reg->add_option("--daemon-address", r.daemon_address, "the node daemon's key (address)")
      ->required();
  reg->add_option("--region", r.region, "region code, e.g. EUW")->required();
  reg->add_option("--class", r.hardware_class, "hardware class, e.g. storage-dev")->required();
  reg->add_option("--capacity", r.capacity,
                  "capacity in the class's unit (TB for storage); with --from-inventory: the "
                  "data path's size in whole units");
  reg->add_flag("--from-inventory", r.from_inventory,
                "take the capacity from this server's inventory (--data-path) and check the "
                "server against the class; prints what it used");
  add_inventory_source_options(reg, r.inventory);
  reg->add_option("--location", r.location, "ISO-3166-1 alpha-3 country, e.g. DEU")->required();
  reg->add_option("--name", r.name, "1..30 bytes (default: node-<daemon address prefix>)");
  reg->add_option("--collateral", r.collateral,
                  "ICNT deposited, e.g. \"100\" (default: the full requirement)");
  reg->add_option("--price", r.price,
                  "reservation price, ICNT per unit per 30 days (default: the cluster's max)");
  reg->add_option("--cluster", r.cluster, "cluster id (default: the Registry places the node)");
  reg->add_option("--commitment", r.commitment, "collateral commitment (default 1080d)");
  reg->add_option("--max-booking", r.max_booking, "longest booking accepted (default 180d)");
  reg->callback([] { report("node register", run_register()); });

  add_inventory_command(node);

  auto* val = node->add_subcommand("validate", "OPERATOR: mark Registered nodes Validated");
  add_chain_options(val, g_validate.chain, "the Registry operator's key");
  val->add_option("ids", g_validate.ids, "node ids")->required();
  val->callback([] { report("node validate", run_validate()); });

  auto* list = node->add_subcommand(
      "list", "Put Validated nodes into their market pool (anyone may; needed before booking)");
  add_chain_options(list, g_list.chain, "any funded key");
  list->add_option("ids", g_list.ids, "node ids")->required();
  list->callback([] { report("node list", run_list()); });

  auto* m = node->add_subcommand("maintenance", "Declare maintenance eras for a node (HP owner)");
  add_chain_options(m, g_maintenance.chain, "the HP's owner key");
  m->add_option("--node", g_maintenance.node, "node id")->required();
  m->add_option("--from-era", g_maintenance.from_era, "first era (≥ current era + 1)")->required();
  m->add_option("--eras", g_maintenance.eras, "number of eras (≥ 1)")->required();
  m->callback([] { report("node maintenance", run_maintenance()); });
}

}  // namespace icn::cmd
