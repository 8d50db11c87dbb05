// IndexStore: events and projections in one transaction per delivered range. Rollback deletes
// the orphaned events and rebuilds every projection by replaying the events that remain —
// simpler than per-entity undo and obviously correct; reorgs are rare (and rarer still behind
// a confirmation depth), and replay is a single ordered scan.
#include "icn/indexer/store.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "icn/core/u256.hpp"
#include "icn/indexer/event_json.hpp"
#include "icn/indexer/schema.hpp"
#include "icn/infra/sql.hpp"

namespace icn::indexer {

using nlohmann::json;

namespace {

// ------------------------------------------------------------------------- argument readers
// Events come from the protocol's own contracts through their ABIs, so a missing or mistyped
// argument means the artifacts do not match the deployment: an error naming the argument.

Result<const json*> arg(const json& args, std::string_view key) {
  auto it = args.find(key);
  if (it == args.end()) return fail("argument " + std::string(key) + " missing");
  return &*it;
}

Result<U256> arg_u256(const json& args, std::string_view key) {
  ICN_TRY(const json* v, arg(args, key));
  if (v->is_number_unsigned()) return U256(v->get<uint64_t>());
  if (v->is_number_integer() && v->get<int64_t>() >= 0) return U256(v->get<int64_t>());
  if (v->is_string()) {
    auto parsed = parse_u256(v->get<std::string>());
    if (parsed) return parsed;
  }
  return fail("argument " + std::string(key) + " is not an unsigned integer");
}

Result<int64_t> arg_id(const json& args, std::string_view key) {
  ICN_TRY(U256 v, arg_u256(args, key));
  if (v > U256(INT64_MAX)) return fail("argument " + std::string(key) + " exceeds 2^63-1");
  return int64_t(v);
}

// Canonical decimal text below 10^77 (< 2^256): digits only, no leading zero.
bool is_canonical_decimal(const std::string& s) {
  if (s.empty() || s.size() > 77 || (s[0] == '0' && s.size() > 1)) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<std::string> arg_decimal(const json& args, std::string_view key) {
  // What the decoder renders (a number up to 64 bits, decimal text above) is kept as it is:
  // parsing 256-bit text and printing it again cost more than the row's insert.
  ICN_TRY(const json* v, arg(args, key));
  if (v->is_number_unsigned()) return std::to_string(v->get<uint64_t>());
  if (v->is_string() && is_canonical_decimal(v->get_ref<const std::string&>())) {
    return v->get<std::string>();
  }
  ICN_TRY(U256 value, arg_u256(args, key));
  return to_decimal(value);
}

Result<std::string> arg_text(const json& args, std::string_view key) {
  ICN_TRY(const json* v, arg(args, key));
  if (!v->is_string()) return fail("argument " + std::string(key) + " is not a string");
  // Strings come from anyone's transactions: keep them storable (and identical) in both backends.
  return infra::storable_text(v->get<std::string>());
}

Result<const json*> arg_object(const json& args, std::string_view key) {
  ICN_TRY(const json* v, arg(args, key));
  if (!v->is_object()) return fail("argument " + std::string(key) + " is not a named tuple");
  return v;
}

// bytes3 "0x444555" → "DEU" when it is printable ASCII; the hex otherwise.
Result<std::string> arg_location(const json& args, std::string_view key) {
  ICN_TRY(std::string hex, arg_text(args, key));
  auto raw = parse_hex(hex);
  if (!raw) return fail("argument " + std::string(key) + " is not hex");
  std::string out;
  for (uint8_t b : *raw) {
    if (b < 0x20 || b > 0x7e) return hex;
    out.push_back(char(b));
  }
  return out;
}

// ------------------------------------------------------------------------- SQL helpers

// Column names of every table rows are replaced in, key columns first (schema.cpp's order).
struct TableShape {
  std::vector<const char*> columns;
  size_t keys = 1;
};
const std::map<std::string, TableShape, std::less<>>& table_shapes() {
  static const std::map<std::string, TableShape, std::less<>> shapes = {
      {"regions", {{"region_id", "name", "block_number"}}},
      {"hardware_classes", {{"class_id", "name", "capacity_unit", "spec", "block_number"}}},
      {"region_classes", {{"region_id", "class_id", "economics"}, 2}},
      {"clusters", {{"cluster_id", "region_id", "class_id", "name", "max_price", "block_number"}}},
      {"hardware_providers", {{"hp_id", "account", "block_number"}}},
      {"scaler_nodes",
       {{"node_id", "name", "status", "hp_id", "owner", "daemon", "cluster_id", "region_id",
         "class_id", "capacity", "location", "reservation_price", "max_booking_duration",
         "node_reward_share", "collateral", "registered_block", "updated_block"}}},
      {"hyper_nodes",
       {{"hyper_node_id", "operator", "signing_key", "location", "endpoint", "retired",
         "block_number"}}},
      {"bookings",
       {{"booking_id", "builder", "node_id", "cluster_id", "capacity", "duration", "activation_era",
         "eras", "price", "margin", "status", "expired_era", "refund", "block_number"}}},
      {"eras",
       {{"era", "results_root", "data_root", "submitter", "signer_mask", "block_number",
         "tx_hash"}}},
      {"claims", {{"event_id", "kind", "subject_id", "era", "account", "amount", "block_number"}}},
      {"slashes",
       {{"event_id", "node_id", "era", "slashed", "from_collateral", "from_delegation", "owed",
         "block_number"}}},
      {"locks",
       {{"lock_id", "owner", "amount", "initial_amount", "lock_days", "multiplier", "unlock_time",
         "status", "block_number"}}},
      {"delegations",
       {{"delegation_id", "lock_id", "owner", "node_id", "amount", "status", "reclaim_era",
         "slashed", "block_number"}}},
      {"link_bundles",
       {{"bundle_id", "owner", "hyper_node_id", "quantity", "status", "staked_era", "unstakable_at",
         "unstake_era", "unlock_era", "block_number"}}},
      {"blocks", {{"number", "hash"}}},
      {"checkpoint", {{"id", "block_number", "block_hash"}}},
  };
  return shapes;
}

std::string build_replace_into(std::string_view table, std::string_view values);

// SQLite's "INSERT OR REPLACE INTO table VALUES (values)" in the spelling both SQLite and
// PostgreSQL accept: an upsert on the key that overwrites every other column. Built once per
// (table, values): projections ask for it per event.
const std::string& replace_into(std::string_view table, std::string_view values) {
  static std::mutex mu;
  static std::map<std::string, std::string, std::less<>> built;
  std::string key;
  key.reserve(table.size() + values.size() + 1);
  key.append(table).append(1, '\0').append(values);
  std::lock_guard lock(mu);
  auto it = built.find(key);
  if (it == built.end()) it = built.emplace(key, build_replace_into(table, values)).first;
  return it->second;
}

std::string build_replace_into(std::string_view table, std::string_view values) {
  const TableShape& shape = table_shapes().find(table)->second;
  std::string columns, keys, updates;
  for (size_t i = 0; i < shape.columns.size(); ++i) {
    std::string c = shape.columns[i];
    columns += (i ? ", " : "") + c;
    if (i < shape.keys) {
      keys += (i ? ", " : "") + c;
    } else {
      updates += (updates.empty() ? "" : ", ") + c + " = excluded." + c;
    }
  }
  return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES (" + std::string(values) +
         ") ON CONFLICT (" + keys + ") DO UPDATE SET " + updates;
}

// Binds std::string / int64_t / nullopt in order and runs.
struct Bind {
  std::variant<int64_t, std::string, std::nullopt_t> v;
  Bind(int64_t i) : v(i) {}
  Bind(uint64_t i) : v(int64_t(i)) {}
  Bind(std::string s) : v(std::move(s)) {}
  Bind(const char* s) : v(std::string(s)) {}
  Bind(std::nullopt_t) : v(std::nullopt) {}
};

// The statements of one write (a stored range, a rebuild), prepared once each: a range of
// thousands of events runs the same dozen statements over and over, and preparing each time
// (SQLite compiles the SQL) cost more than running them (bench/indexer_bench.cpp). Installed
// for the current thread by a StatementCacheScope; run() and update_amount() use it when it is
// for their connection, so every projection benefits without knowing about it.
struct StatementCache {
  infra::SqlDatabase* db = nullptr;
  std::map<std::string, infra::SqlStatement, std::less<>> statements;
};
thread_local StatementCache* t_statement_cache = nullptr;

class StatementCacheScope {
 public:
  explicit StatementCacheScope(infra::SqlDatabase& db) : previous_(t_statement_cache) {
    cache_.db = &db;
    t_statement_cache = &cache_;
  }
  ~StatementCacheScope() { t_statement_cache = previous_; }
  StatementCacheScope(const StatementCacheScope&) = delete;
  StatementCacheScope& operator=(const StatementCacheScope&) = delete;

 private:
  StatementCache cache_;
  StatementCache* previous_;
};

// `sql` prepared on `db`, ready for binds: the cached statement (reset) when a cache for `db`
// is installed, else a new one kept in `own`.
Result<infra::SqlStatement*> statement_for(infra::SqlDatabase& db, std::string_view sql,
                                           std::optional<infra::SqlStatement>& own) {
  StatementCache* cache = t_statement_cache;
  if (!cache || cache->db != &db) {
    ICN_TRY(infra::SqlStatement st, db.prepare(sql));
    own.emplace(std::move(st));
    return &*own;
  }
  auto it = cache->statements.find(sql);
  if (it == cache->statements.end()) {
    ICN_TRY(infra::SqlStatement st, db.prepare(sql));
    it = cache->statements.emplace(std::string(sql), std::move(st)).first;
  } else {
    it->second.reset();
  }
  return &it->second;
}

Status run(infra::SqlDatabase& db, std::string_view sql, std::initializer_list<Bind> binds) {
  std::optional<infra::SqlStatement> own;
  ICN_TRY(infra::SqlStatement * st, statement_for(db, sql, own));
  int i = 1;
  for (const Bind& b : binds) {
    if (auto* n = std::get_if<int64_t>(&b.v)) {
      st->bind(i, *n);
    } else if (auto* s = std::get_if<std::string>(&b.v)) {
      st->bind(i, std::string_view(*s));
    } else {
      st->bind_null(i);
    }
    ++i;
  }
  return st->run();
}

// A decimal text column of row `id` updated by `f` (amounts that exceed SQLite's integers).
Status update_amount(infra::SqlDatabase& db, std::string_view table, std::string_view column,
                     std::string_view key_column, int64_t id,
                     const std::function<U256(const U256&)>& f) {
  std::string select = "SELECT " + std::string(column) + " FROM " + std::string(table) + " WHERE " +
                       std::string(key_column) + " = ?";
  std::optional<infra::SqlStatement> own;
  ICN_TRY(infra::SqlStatement * st, statement_for(db, select, own));
  st->bind(1, id);
  ICN_TRY(bool found, st->step());
  if (!found) return {};  // an event about a row we never saw created: nothing to update
  ICN_TRY(U256 current, parse_u256(st->column_text(0)));
  st->reset();  // a cached statement must not stay mid-result until the commit
  std::string update = "UPDATE " + std::string(table) + " SET " + std::string(column) +
                       " = ? WHERE " + std::string(key_column) + " = ?";
  return run(db, update, {to_decimal(f(current)), id});
}

using Projection = std::function<Status(infra::SqlDatabase&, int64_t, const IndexedEvent&)>;

Status set_node_status(infra::SqlDatabase& db, const IndexedEvent& e, const char* status) {
  ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
  return run(db, "UPDATE scaler_nodes SET status = ?, updated_block = ? WHERE node_id = ?",
             {status, e.block_number, node});
}

Status upsert_region_class(infra::SqlDatabase& db, int64_t, const IndexedEvent& e) {
  ICN_TRY(int64_t region, arg_id(e.args, "regionId"));
  ICN_TRY(int64_t cls, arg_id(e.args, "classId"));
  ICN_TRY(const json* economics, arg_object(e.args, "economics"));
  return run(db, replace_into("region_classes", "?, ?, ?"), {region, cls, dump_json(*economics)});
}

// f(amount) → amount - by, floored at 0 (a projection never goes negative, even if it missed
// the event that added what is taken).
std::function<U256(const U256&)> minus(const U256& by) {
  return [by](const U256& c) { return c > by ? U256(c - by) : U256(0); };
}
std::function<U256(const U256&)> plus(const U256& by) {
  return [by](const U256& c) { return U256(c + by); };
}

// One column of the row `key_column` = id, or nullopt when there is no such row.
Result<std::optional<int64_t>> select_id(infra::SqlDatabase& db, std::string_view sql, int64_t id) {
  ICN_TRY(infra::SqlStatement st, db.prepare(sql));
  st.bind(1, id);
  ICN_TRY(bool found, st.step());
  if (!found || st.is_null(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(st.column_int64(0));
}

// Node `node`'s delegated (active) and undelegated totals moved by `delegated` / `undelegated`.
Status adjust_node_delegation(infra::SqlDatabase& db, int64_t node,
                              const std::function<U256(const U256&)>& delegated,
                              const std::function<U256(const U256&)>& undelegated) {
  ICN_CHECK(run(db,
                "INSERT INTO node_delegation (node_id, delegated, undelegated) VALUES (?, '0', "
                "'0') ON CONFLICT (node_id) DO NOTHING",
                {node}));
  ICN_CHECK(update_amount(db, "node_delegation", "delegated", "node_id", node, delegated));
  return update_amount(db, "node_delegation", "undelegated", "node_id", node, undelegated);
}

// A lock's amount moved by `f`; status follows: withdrawn once nothing is left.
Status adjust_lock(infra::SqlDatabase& db, int64_t lock,
                   const std::function<U256(const U256&)>& f) {
  ICN_CHECK(update_amount(db, "locks", "amount", "lock_id", lock, f));
  return run(db,
             "UPDATE locks SET status = CASE WHEN amount = '0' THEN 'withdrawn' ELSE 'locked' END "
             "WHERE lock_id = ?",
             {lock});
}

// A Link holder's balance moved by `delta` (ERC-721 Transfer).
Status adjust_link_balance(infra::SqlDatabase& db, const std::string& owner, int64_t delta) {
  ICN_CHECK(run(db,
                "INSERT INTO link_holders (owner, balance) VALUES (?, 0) "
                "ON CONFLICT (owner) DO NOTHING",
                {owner}));
  ICN_CHECK(
      run(db, "UPDATE link_holders SET balance = balance + ? WHERE owner = ?", {delta, owner}));
  return run(db, "DELETE FROM link_holders WHERE owner = ? AND balance <= 0", {owner});
}

Status ensure_vesting_row(infra::SqlDatabase& db, int64_t category, const std::string& beneficiary,
                          uint64_t block) {
  return run(db,
             "INSERT INTO vesting (category, beneficiary, released, block_number) "
             "VALUES (?, ?, '0', ?) ON CONFLICT (category) DO NOTHING",
             {category, beneficiary, block});
}

const char* kZeroAddress = "0x0000000000000000000000000000000000000000";

// "Contract.Event" → what it does to the projections.
const std::map<std::string, Projection, std::less<>>& projections() {
  static const std::map<std::string, Projection, std::less<>> table = {
      {"Registry.RegionCreated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "regionId"));
         ICN_TRY(std::string name, arg_text(e.args, "name"));
         return run(db, replace_into("regions", "?, ?, ?"), {id, name, e.block_number});
       }},
      {"Registry.HardwareClassCreated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "classId"));
         ICN_TRY(const json* spec, arg_object(e.args, "spec"));
         ICN_TRY(std::string name, arg_text(*spec, "name"));
         ICN_TRY(std::string unit, arg_text(*spec, "capacityUnit"));
         return run(db, replace_into("hardware_classes", "?, ?, ?, ?, ?"),
                    {id, name, unit, dump_json(*spec), e.block_number});
       }},
      {"Registry.ClassEnabledInRegion", upsert_region_class},
      {"Registry.RegionClassEconomicsSet", upsert_region_class},
      {"Registry.ClusterCreated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "clusterId"));
         ICN_TRY(int64_t region, arg_id(e.args, "regionId"));
         ICN_TRY(int64_t cls, arg_id(e.args, "classId"));
         ICN_TRY(std::string name, arg_text(e.args, "name"));
         ICN_TRY(std::string max_price, arg_decimal(e.args, "maxPrice"));
         return run(db, replace_into("clusters", "?, ?, ?, ?, ?, ?"),
                    {id, region, cls, name, max_price, e.block_number});
       }},
      {"Registry.ClusterMaxPriceSet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "clusterId"));
         ICN_TRY(std::string max_price, arg_decimal(e.args, "newMaxPrice"));
         return run(db, "UPDATE clusters SET max_price = ? WHERE cluster_id = ?", {max_price, id});
       }},
      {"Registry.HardwareProviderRegistered",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "hpId"));
         ICN_TRY(std::string account, arg_text(e.args, "account"));
         return run(db, replace_into("hardware_providers", "?, ?, ?"),
                    {id, account, e.block_number});
       }},
      {"Registry.ScalerNodeRegistered",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t hp, arg_id(e.args, "hpId"));
         ICN_TRY(int64_t cluster, arg_id(e.args, "clusterId"));
         ICN_TRY(const json* p, arg_object(e.args, "params"));
         ICN_TRY(std::string name, arg_text(*p, "name"));
         ICN_TRY(int64_t region, arg_id(*p, "regionId"));
         ICN_TRY(int64_t cls, arg_id(*p, "classId"));
         ICN_TRY(std::string location, arg_location(*p, "location"));
         ICN_TRY(std::string capacity, arg_decimal(*p, "capacity"));
         ICN_TRY(std::string price, arg_decimal(*p, "reservationPrice"));
         ICN_TRY(int64_t max_duration, arg_id(*p, "maxBookingDuration"));
         ICN_TRY(std::string share, arg_decimal(*p, "nodeRewardShare"));
         ICN_TRY(std::string daemon, arg_text(*p, "daemon"));
         ICN_TRY(std::string collateral, arg_decimal(*p, "collateralAmount"));
         return run(
             db,
             replace_into(
                 "scaler_nodes",
                 "?, ?, 'registered', ?, "
                 "(SELECT account FROM hardware_providers WHERE hp_id = ?), ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?"),
             {id, name, hp, hp, daemon, cluster, region, cls, capacity, location, price,
              max_duration, share, collateral, e.block_number, e.block_number});
       }},
      {"Registry.ScalerNodeValidated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t cluster, arg_id(e.args, "clusterId"));
         ICN_TRY(std::string capacity, arg_decimal(e.args, "capacity"));
         return run(db,
                    "UPDATE scaler_nodes SET status = 'validated', cluster_id = ?, capacity = ?, "
                    "updated_block = ? WHERE node_id = ?",
                    {cluster, capacity, e.block_number, id});
       }},
      {"Registry.ScalerNodeRejected",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) {
         return set_node_status(db, e, "rejected");
       }},
      {"Registry.ScalerNodeBooked",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) {
         return set_node_status(db, e, "booked");
       }},
      {"Registry.ScalerNodeUnbooked",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) {
         return set_node_status(db, e, "validated");
       }},
      {"Registry.ScalerNodeOffboarded",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) {
         return set_node_status(db, e, "offboarded");
       }},
      {"Registry.DaemonKeySet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(std::string key, arg_text(e.args, "newKey"));
         return run(db, "UPDATE scaler_nodes SET daemon = ?, updated_block = ? WHERE node_id = ?",
                    {key, e.block_number, id});
       }},
      {"Registry.ReservationPriceSet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(std::string price, arg_decimal(e.args, "reservationPrice"));
         return run(db,
                    "UPDATE scaler_nodes SET reservation_price = ?, updated_block = ? "
                    "WHERE node_id = ?",
                    {price, e.block_number, id});
       }},
      {"Registry.MaxBookingDurationSet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t duration, arg_id(e.args, "maxBookingDuration"));
         return run(db,
                    "UPDATE scaler_nodes SET max_booking_duration = ?, updated_block = ? "
                    "WHERE node_id = ?",
                    {duration, e.block_number, id});
       }},
      {"Registry.NodeRewardShareSet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(std::string share, arg_decimal(e.args, "nodeRewardShare"));
         return run(db,
                    "UPDATE scaler_nodes SET node_reward_share = ?, updated_block = ? "
                    "WHERE node_id = ?",
                    {share, e.block_number, id});
       }},
      {"Collateral.CollateralAdded",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(std::string total, arg_decimal(e.args, "total"));
         return run(db, "UPDATE scaler_nodes SET collateral = ? WHERE node_id = ?", {total, id});
       }},
      {"Collateral.CollateralWithdrawn",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         return update_amount(db, "scaler_nodes", "collateral", "node_id", id, [&](const U256& c) {
           return c > amount ? U256(c - amount) : U256(0);
         });
       }},
      {"Collateral.CollateralSlashed",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "nodeId"));
         ICN_TRY(U256 taken, arg_u256(e.args, "taken"));
         return update_amount(db, "scaler_nodes", "collateral", "node_id", id,
                              [&](const U256& c) { return c > taken ? U256(c - taken) : U256(0); });
       }},
      {"HyperNodeRegistry.HyperNodeRegistered",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "hyperNodeId"));
         ICN_TRY(std::string op, arg_text(e.args, "operator"));
         ICN_TRY(std::string key, arg_text(e.args, "signingKey"));
         ICN_TRY(std::string location, arg_location(e.args, "location"));
         ICN_TRY(std::string endpoint, arg_text(e.args, "endpoint"));
         return run(db, replace_into("hyper_nodes", "?, ?, ?, ?, ?, 0, ?"),
                    {id, op, key, location, endpoint, e.block_number});
       }},
      {"HyperNodeRegistry.HyperNodeEndpointSet",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "hyperNodeId"));
         ICN_TRY(std::string endpoint, arg_text(e.args, "endpoint"));
         return run(db, "UPDATE hyper_nodes SET endpoint = ? WHERE hyper_node_id = ?",
                    {endpoint, id});
       }},
      {"HyperNodeRegistry.HyperNodeRetired",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "hyperNodeId"));
         return run(db, "UPDATE hyper_nodes SET retired = 1 WHERE hyper_node_id = ?", {id});
       }},
      {"CapacityMarket.Booked",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bookingId"));
         ICN_TRY(std::string builder, arg_text(e.args, "builder"));
         ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t cluster, arg_id(e.args, "clusterId"));
         ICN_TRY(std::string capacity, arg_decimal(e.args, "capacity"));
         ICN_TRY(std::string duration, arg_decimal(e.args, "duration"));
         ICN_TRY(int64_t activation, arg_id(e.args, "activationEra"));
         ICN_TRY(std::string eras, arg_decimal(e.args, "eras"));
         ICN_TRY(std::string price, arg_decimal(e.args, "price"));
         ICN_TRY(std::string margin, arg_decimal(e.args, "margin"));
         return run(db,
                    replace_into("bookings",
                                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "'active', NULL, NULL, ?"),
                    {id, builder, node, cluster, capacity, duration, activation, eras, price,
                     margin, e.block_number});
       }},
      {"CapacityMarket.Renewed",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bookingId"));
         ICN_TRY(U256 extra, arg_u256(e.args, "extraDuration"));
         ICN_TRY(U256 price, arg_u256(e.args, "price"));
         ICN_TRY(U256 margin, arg_u256(e.args, "margin"));
         ICN_TRY(std::string eras, arg_decimal(e.args, "eras"));
         auto add = [](const U256& by) { return [by](const U256& c) { return U256(c + by); }; };
         ICN_CHECK(update_amount(db, "bookings", "duration", "booking_id", id, add(extra)));
         ICN_CHECK(update_amount(db, "bookings", "price", "booking_id", id, add(price)));
         ICN_CHECK(update_amount(db, "bookings", "margin", "booking_id", id, add(margin)));
         return run(db, "UPDATE bookings SET eras = ? WHERE booking_id = ?", {eras, id});
       }},
      {"CapacityMarket.Expired",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bookingId"));
         ICN_TRY(int64_t era, arg_id(e.args, "era"));
         ICN_TRY(std::string refund, arg_decimal(e.args, "refund"));
         return run(db,
                    "UPDATE bookings SET status = 'expired', expired_era = ?, refund = ? "
                    "WHERE booking_id = ?",
                    {era, refund, id});
       }},
      {"Settlement.EraCommitted",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t era, arg_id(e.args, "era"));
         ICN_TRY(std::string results_root, arg_text(e.args, "resultsRoot"));
         ICN_TRY(std::string data_root, arg_text(e.args, "dataRoot"));
         ICN_TRY(std::string submitter, arg_text(e.args, "submitter"));
         ICN_TRY(std::string mask, arg_decimal(e.args, "signerMask"));
         return run(
             db, replace_into("eras", "?, ?, ?, ?, ?, ?, ?"),
             {era, results_root, data_root, submitter, mask, e.block_number, to_hex(e.tx_hash)});
       }},
      {"Settlement.HpRewardsClaimed",
       [](infra::SqlDatabase& db, int64_t event_id, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t era, arg_id(e.args, "era"));
         ICN_TRY(std::string hp, arg_text(e.args, "hp"));
         ICN_TRY(std::string amount, arg_decimal(e.args, "toHp"));
         return run(db, replace_into("claims", "?, 'hp', ?, ?, ?, ?, ?"),
                    {event_id, node, era, hp, amount, e.block_number});
       }},
      {"Settlement.LinkRewardsClaimed",
       [](infra::SqlDatabase& db, int64_t event_id, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t bundle, arg_id(e.args, "bundleId"));
         ICN_TRY(int64_t era, arg_id(e.args, "era"));
         ICN_TRY(std::string owner, arg_text(e.args, "owner"));
         ICN_TRY(std::string amount, arg_decimal(e.args, "amount"));
         return run(db, replace_into("claims", "?, 'link', ?, ?, ?, ?, ?"),
                    {event_id, bundle, era, owner, amount, e.block_number});
       }},
      {"Settlement.SlashApplied",
       [](infra::SqlDatabase& db, int64_t event_id, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
         ICN_TRY(int64_t era, arg_id(e.args, "era"));
         ICN_TRY(std::string slashed, arg_decimal(e.args, "slashed"));
         ICN_TRY(std::string from_collateral, arg_decimal(e.args, "fromCollateral"));
         ICN_TRY(std::string from_delegation, arg_decimal(e.args, "fromDelegation"));
         ICN_TRY(std::string owed, arg_decimal(e.args, "owed"));
         return run(db, replace_into("slashes", "?, ?, ?, ?, ?, ?, ?, ?"),
                    {event_id, node, era, slashed, from_collateral, from_delegation, owed,
                     e.block_number});
       }},
      // ------------------------------------------------------------------ Delegation
      {"Delegation.Locked",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "lockId"));
         ICN_TRY(std::string owner, arg_text(e.args, "owner"));
         ICN_TRY(std::string amount, arg_decimal(e.args, "amount"));
         ICN_TRY(int64_t days, arg_id(e.args, "lockDays"));
         ICN_TRY(std::string multiplier, arg_decimal(e.args, "multiplier"));
         ICN_TRY(int64_t unlock, arg_id(e.args, "unlockTime"));
         return run(db, replace_into("locks", "?, ?, ?, ?, ?, ?, ?, 'locked', ?"),
                    {id, owner, amount, amount, days, multiplier, unlock, e.block_number});
       }},
      {"Delegation.Delegated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "delegationId"));
         ICN_TRY(int64_t lock, arg_id(e.args, "lockId"));
         ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         ICN_CHECK(run(db,
                       replace_into("delegations",
                                    "?, ?, COALESCE((SELECT owner FROM locks WHERE lock_id = ?), "
                                    "''), ?, ?, 'active', NULL, '0', ?"),
                       {id, lock, lock, node, to_decimal(amount), e.block_number}));
         return adjust_node_delegation(db, node, plus(amount), plus(0));
       }},
      {"Delegation.SlashLossSettled",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "delegationId"));
         ICN_TRY(int64_t lock, arg_id(e.args, "lockId"));
         ICN_TRY(U256 loss, arg_u256(e.args, "loss"));
         ICN_TRY(std::string amount, arg_decimal(e.args, "amount"));
         ICN_CHECK(update_amount(db, "delegations", "slashed", "delegation_id", id, plus(loss)));
         ICN_CHECK(
             run(db, "UPDATE delegations SET amount = ? WHERE delegation_id = ?", {amount, id}));
         return adjust_lock(db, lock, minus(loss));
       }},
      {"Delegation.RoundingRemainderAssigned",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "delegationId"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         ICN_CHECK(update_amount(db, "delegations", "amount", "delegation_id", id, plus(amount)));
         ICN_TRY(auto lock,
                 select_id(db, "SELECT lock_id FROM delegations WHERE delegation_id = ?", id));
         return lock ? adjust_lock(db, *lock, plus(amount)) : Status{};
       }},
      {"Delegation.Undelegated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "delegationId"));
         ICN_TRY(int64_t reclaim_era, arg_id(e.args, "reclaimEra"));
         ICN_TRY(auto node,
                 select_id(db, "SELECT node_id FROM delegations WHERE delegation_id = ?", id));
         if (node) {
           // The amount after its settlement (SlashLossSettled, RoundingRemainderAssigned come
           // first): what leaves the node's delegated total for its undelegated one.
           U256 amount = 0;
           ICN_CHECK(update_amount(db, "delegations", "amount", "delegation_id", id,
                                   [&](const U256& a) { return amount = a; }));
           ICN_CHECK(adjust_node_delegation(db, *node, minus(amount), plus(amount)));
         }
         return run(db,
                    "UPDATE delegations SET status = 'undelegated', reclaim_era = ? "
                    "WHERE delegation_id = ?",
                    {reclaim_era, id});
       }},
      {"Delegation.Reclaimed",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "delegationId"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         ICN_TRY(auto node,
                 select_id(db, "SELECT node_id FROM delegations WHERE delegation_id = ?", id));
         if (node) {
           ICN_CHECK(adjust_node_delegation(db, *node, plus(0), minus(amount)));
         }
         return run(db,
                    "UPDATE delegations SET status = 'reclaimed', amount = ? "
                    "WHERE delegation_id = ?",
                    {to_decimal(amount), id});
       }},
      {"Delegation.Withdrawn",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t lock, arg_id(e.args, "lockId"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         return adjust_lock(db, lock, minus(amount));
       }},
      {"Delegation.DelegationSlashed",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t node, arg_id(e.args, "nodeId"));
         ICN_TRY(U256 from_active, arg_u256(e.args, "fromActive"));
         ICN_TRY(U256 from_undelegated, arg_u256(e.args, "fromUndelegated"));
         return adjust_node_delegation(db, node, minus(from_active), minus(from_undelegated));
       }},
      // ------------------------------------------------------------------ ICNLink
      {"ICNLink.LinksStaked",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bundleId"));
         ICN_TRY(std::string owner, arg_text(e.args, "owner"));
         ICN_TRY(int64_t hyper, arg_id(e.args, "hyperNodeId"));
         ICN_TRY(int64_t count, arg_id(e.args, "tokenCount"));
         ICN_TRY(int64_t era, arg_id(e.args, "stakedEra"));
         ICN_TRY(int64_t unstakable, arg_id(e.args, "unstakableAt"));
         return run(db, replace_into("link_bundles", "?, ?, ?, ?, 'staked', ?, ?, NULL, NULL, ?"),
                    {id, owner, hyper, count, era, unstakable, e.block_number});
       }},
      {"ICNLink.UnstakeInitiated",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bundleId"));
         ICN_TRY(int64_t era, arg_id(e.args, "unstakeEra"));
         ICN_TRY(int64_t unlock, arg_id(e.args, "withdrawableEra"));
         return run(db,
                    "UPDATE link_bundles SET status = 'unstaking', unstake_era = ?, "
                    "unlock_era = ? WHERE bundle_id = ?",
                    {era, unlock, id});
       }},
      {"ICNLink.UnstakeCompleted",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t id, arg_id(e.args, "bundleId"));
         return run(db, "UPDATE link_bundles SET status = 'unstaked' WHERE bundle_id = ?", {id});
       }},
      {"ICNLink.Transfer",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(std::string from, arg_text(e.args, "from"));
         ICN_TRY(std::string to, arg_text(e.args, "to"));
         if (from != kZeroAddress) {
           ICN_CHECK(adjust_link_balance(db, from, -1));
         }
         if (to != kZeroAddress) {
           ICN_CHECK(adjust_link_balance(db, to, 1));
         }
         return {};
       }},
      // ------------------------------------------------------------------ Vesting
      {"Vesting.BeneficiaryChanged",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t category, arg_id(e.args, "category"));
         ICN_TRY(std::string current, arg_text(e.args, "current"));
         ICN_CHECK(ensure_vesting_row(db, category, current, e.block_number));
         return run(db, "UPDATE vesting SET beneficiary = ?, block_number = ? WHERE category = ?",
                    {current, e.block_number, category});
       }},
      {"Vesting.Released",
       [](infra::SqlDatabase& db, int64_t, const IndexedEvent& e) -> Status {
         ICN_TRY(int64_t category, arg_id(e.args, "category"));
         ICN_TRY(std::string beneficiary, arg_text(e.args, "beneficiary"));
         ICN_TRY(U256 amount, arg_u256(e.args, "amount"));
         ICN_CHECK(ensure_vesting_row(db, category, beneficiary, e.block_number));
         ICN_CHECK(update_amount(db, "vesting", "released", "category", category, plus(amount)));
         return run(db, "UPDATE vesting SET block_number = ? WHERE category = ?",
                    {e.block_number, category});
       }},
  };
  return table;
}

// Rows per multi-row INSERT of events: 7 parameters each stays far below SQLite's (32,766) and
// PostgreSQL's (65,535) limits.
constexpr size_t kInsertRows = 256;

// Inserts `chunk` in one statement; for each event its new events.id, or nullopt when it was
// stored already (or appears earlier in the chunk).
Result<std::vector<std::optional<int64_t>>> insert_events(infra::SqlDatabase& db,
                                                          std::span<const IndexedEvent> chunk) {
  std::string sql =
      "INSERT INTO events (block_number, block_hash, tx_hash, log_index, contract, event, args) "
      "VALUES ";
  for (size_t i = 0; i < chunk.size(); ++i)
    sql += i ? ", (?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?)";
  sql += " ON CONFLICT DO NOTHING RETURNING id, block_hash, log_index";
  std::optional<infra::SqlStatement> own;
  ICN_TRY(infra::SqlStatement * insert, statement_for(db, sql, own));
  // Which row is which: by (block hash, log index), the unique key, not by the order rows come
  // back in (neither database promises RETURNING's order).
  std::map<std::pair<std::string, int64_t>, size_t> index_of;
  for (size_t i = 0; i < chunk.size(); ++i) {
    const IndexedEvent& e = chunk[i];
    std::string block_hash = to_hex(e.block_hash);
    const int p = int(i) * 7 + 1;  // binds copy their values
    insert->bind(p, int64_t(e.block_number))
        .bind(p + 1, std::string_view(block_hash))
        .bind(p + 2, to_hex(e.tx_hash))
        .bind(p + 3, int64_t(e.log_index))
        .bind(p + 4, std::string_view(e.contract))
        .bind(p + 5, std::string_view(e.event))
        .bind(p + 6, dump_json(e.args));
    index_of.emplace(std::pair(std::move(block_hash), int64_t(e.log_index)), i);  // first wins
  }
  std::vector<std::optional<int64_t>> ids(chunk.size());
  while (true) {
    ICN_TRY(bool row, insert->step());
    if (!row) break;
    auto it = index_of.find({insert->column_text(1), insert->column_int64(2)});
    if (it == index_of.end()) return fail("indexer db: INSERT returned a row it was not given");
    ids[it->second] = insert->column_int64(0);
  }
  return ids;
}

Status write_checkpoint(infra::SqlDatabase& db, const eth::Checkpoint& c) {
  return run(db, replace_into("checkpoint", "1, ?, ?"), {c.block_number, to_hex(c.block_hash)});
}

Result<eth::Checkpoint> checkpoint_from(infra::SqlStatement& st) {
  eth::Checkpoint c;
  c.block_number = uint64_t(st.column_int64(0));
  ICN_TRY_CTX(c.block_hash, parse_fixed_hex<32>(st.column_text(1)), "indexer db: block hash");
  return c;
}

}  // namespace

Status project_event(infra::SqlDatabase& db, int64_t event_id, const IndexedEvent& event) {
  const auto& table = projections();
  auto it = table.find(event.contract + "." + event.event);
  if (it == table.end()) return {};
  Status s = it->second(db, event_id, event);
  if (!s) {
    return std::move(s).error().context("projecting " + event.contract + "." + event.event +
                                        " (block " + std::to_string(event.block_number) + ", log " +
                                        std::to_string(event.log_index) + ")");
  }
  return {};
}

Result<std::unique_ptr<IndexStore>> IndexStore::open(std::unique_ptr<infra::SqlDatabase> db) {
  if (Status s = infra::migrate(*db, indexer_migrations()); !s) {
    return std::move(s).error().context(db->describe());
  }
  if (db->dialect() == infra::SqlDialect::kSqlite) {
    // A stored range dirties more pages than SQLite's default 2 MiB cache holds: spilling them to
    // the WAL mid-transaction cost a tenth of the store's time (bench/indexer_bench.cpp).
    ICN_CHECK(db->exec("PRAGMA cache_size = -32768"));
  }
  return std::unique_ptr<IndexStore>(new IndexStore(std::move(db)));
}

Result<std::unique_ptr<IndexStore>> IndexStore::open_db(std::string_view target) {
  ICN_TRY(std::unique_ptr<infra::SqlDatabase> db, infra::open_sql_database(target));
  return open(std::move(db));
}

Result<std::unique_ptr<IndexStore>> IndexStore::open(const std::filesystem::path& path) {
  ICN_TRY(infra::Database db, infra::Database::open(path));
  return open(std::make_unique<infra::SqliteSqlDatabase>(std::move(db), path.string()));
}

void IndexStore::on_commit(std::function<void()> listener) {
  std::lock_guard lock(mu_);
  on_commit_ = std::move(listener);
}

void IndexStore::notify_commit() {
  std::function<void()> listener;
  {
    std::lock_guard lock(mu_);
    listener = on_commit_;
  }
  if (listener) listener();
}

Result<int64_t> IndexStore::last_event_id() {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlStatement st, db_->prepare("SELECT COALESCE(MAX(id), 0) FROM events"));
  ICN_TRY(bool row, st.step());
  return row ? st.column_int64(0) : 0;
}

Result<std::vector<StoredEvent>> IndexStore::events_after(int64_t after, size_t limit) {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlStatement st,
          db_->prepare("SELECT id, block_number, block_hash, tx_hash, log_index, contract, event, "
                       "args FROM events WHERE id > ? ORDER BY id LIMIT ?"));
  st.bind(1, after).bind(2, int64_t(limit));
  std::vector<StoredEvent> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    StoredEvent e;
    e.id = st.column_int64(0);
    e.block_number = uint64_t(st.column_int64(1));
    e.block_hash = st.column_text(2);
    e.tx_hash = st.column_text(3);
    e.log_index = uint64_t(st.column_int64(4));
    e.contract = st.column_text(5);
    e.event = st.column_text(6);
    e.args = st.column_text(7);
    out.push_back(std::move(e));
  }
  return out;
}

Result<size_t> IndexStore::store(std::span<const IndexedEvent> events,
                                 const eth::Checkpoint& through,
                                 std::span<const eth::Checkpoint> recent_blocks) {
  std::unique_lock lock(mu_);
  ICN_TRY(infra::SqlTransaction tx, db_->begin_pipelined());
  StatementCacheScope cache(*db_);
  // Events go in kInsertRows per statement (one round trip to PostgreSQL instead of one per
  // event), then each new one is projected in chain order. An event stored before (same block
  // hash and log index) returns no id: its projection is applied already. Projections run after
  // their chunk is inserted: none reads the events table.
  size_t added = 0;
  for (size_t first = 0; first < events.size(); first += kInsertRows) {
    std::span<const IndexedEvent> chunk =
        events.subspan(first, std::min(kInsertRows, events.size() - first));
    ICN_TRY(std::vector<std::optional<int64_t>> ids, insert_events(*db_, chunk));
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (!ids[i]) continue;
      ++added;
      ICN_CHECK(project_event(*db_, *ids[i], chunk[i]));
    }
  }
  for (const eth::Checkpoint& b : recent_blocks) {
    if (b.block_number > through.block_number) continue;
    ICN_CHECK(run(*db_, replace_into("blocks", "?, ?"), {b.block_number, to_hex(b.block_hash)}));
  }
  ICN_CHECK(run(*db_, replace_into("blocks", "?, ?"),
                {through.block_number, to_hex(through.block_hash)}));
  // The window is all a restart needs; older hashes would only grow the table.
  if (!recent_blocks.empty()) {
    ICN_CHECK(run(*db_, "DELETE FROM blocks WHERE number < ?",
                  {std::min(recent_blocks.front().block_number, through.block_number)}));
  }
  ICN_CHECK(write_checkpoint(*db_, through));
  ICN_CHECK(tx.commit());
  lock.unlock();
  if (added) notify_commit();
  return added;
}

Status IndexStore::roll_back(const eth::Checkpoint& ancestor) {
  std::unique_lock lock(mu_);
  ICN_TRY(infra::SqlTransaction tx, db_->begin_pipelined());
  ICN_CHECK(run(*db_, "DELETE FROM events WHERE block_number > ?", {ancestor.block_number}));
  ICN_CHECK(run(*db_, "DELETE FROM blocks WHERE number > ?", {ancestor.block_number}));
  ICN_CHECK(run(*db_, replace_into("blocks", "?, ?"),
                {ancestor.block_number, to_hex(ancestor.block_hash)}));
  ICN_CHECK(write_checkpoint(*db_, ancestor));
  ICN_CHECK(rebuild_locked());
  ICN_CHECK(tx.commit());
  lock.unlock();
  notify_commit();
  return {};
}

Status IndexStore::rebuild_projections() {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlTransaction tx, db_->begin_pipelined());
  ICN_CHECK(rebuild_locked());
  return tx.commit();
}

Status IndexStore::rebuild_locked() {
  StatementCacheScope cache(*db_);
  for (const char* table : projection_tables()) {
    ICN_CHECK(db_->exec("DELETE FROM " + std::string(table)));
  }
  ICN_TRY(infra::SqlStatement st,
          db_->prepare("SELECT id, block_number, block_hash, tx_hash, log_index, contract, event, "
                       "args FROM events ORDER BY block_number, log_index"));
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    IndexedEvent e;
    int64_t id = st.column_int64(0);
    e.block_number = uint64_t(st.column_int64(1));
    ICN_TRY_CTX(e.block_hash, parse_fixed_hex<32>(st.column_text(2)), "indexer db: block hash");
    ICN_TRY_CTX(e.tx_hash, parse_fixed_hex<32>(st.column_text(3)), "indexer db: tx hash");
    e.log_index = uint64_t(st.column_int64(4));
    e.contract = st.column_text(5);
    e.event = st.column_text(6);
    e.args = json::parse(st.column_text(7), nullptr, false);
    if (e.args.is_discarded())
      return fail("indexer db: event " + std::to_string(id) + ": bad args");
    ICN_CHECK(project_event(*db_, id, e));
  }
  return {};
}

Result<std::vector<std::pair<int64_t, std::string>>> IndexStore::eras_without_results(
    size_t limit) {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlStatement st,
          db_->prepare("SELECT e.era, e.results_root FROM eras e LEFT JOIN era_results r "
                       "ON r.era = e.era AND r.results_root = e.results_root "
                       "WHERE r.era IS NULL ORDER BY e.era LIMIT ?"));
  st.bind(1, int64_t(limit));
  std::vector<std::pair<int64_t, std::string>> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    out.emplace_back(st.column_int64(0), st.column_text(1));
  }
  return out;
}

Status IndexStore::put_era_results(const EraResultsRecord& r) {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlTransaction tx, db_->begin_pipelined());
  for (const char* table : {"era_results", "era_node_results", "era_hyper_node_results"}) {
    ICN_CHECK(run(*db_, "DELETE FROM " + std::string(table) + " WHERE era = ?", {r.era}));
  }
  auto count = [&](int64_t n) { return r.has_verdicts ? Bind(n) : Bind(std::nullopt); };
  ICN_CHECK(
      run(*db_,
          "INSERT INTO era_results (era, results_root, satellite, up, down, maintenance) "
          "VALUES (?, ?, ?, ?, ?, ?)",
          {r.era, r.results_root, r.satellite, count(r.up), count(r.down), count(r.maintenance)}));
  for (const EraNodeRow& n : r.nodes) {
    ICN_CHECK(run(*db_,
                  "INSERT INTO era_node_results (era, node_id, verdict, utilisation, subsidy, "
                  "slashed) VALUES (?, ?, ?, ?, ?, ?)",
                  {r.era, n.node_id, n.verdict ? Bind(*n.verdict) : Bind(std::nullopt),
                   n.utilisation, n.subsidy, n.slashed}));
  }
  // HyperNode → (performance, good) from the verdicts, and its bundles' rewards summed.
  std::map<int64_t, std::pair<const EraHyperNodeRow*, U256>> hyper;
  for (const EraHyperNodeRow& h : r.hyper_nodes) hyper[h.hyper_node_id].first = &h;
  for (const auto& [bundle, reward] : r.link_rewards) {
    ICN_TRY(auto hn,
            select_id(*db_, "SELECT hyper_node_id FROM link_bundles WHERE bundle_id = ?", bundle));
    if (!hn) continue;  // a bundle the index has not seen staked: no HyperNode to credit
    ICN_TRY_CTX(U256 v, parse_u256(reward), "era results: bundle reward");
    hyper[*hn].second += v;
  }
  for (const auto& [id, h] : hyper) {
    ICN_CHECK(
        run(*db_,
            "INSERT INTO era_hyper_node_results (era, hyper_node_id, performance, good, "
            "link_reward) VALUES (?, ?, ?, ?, ?)",
            {r.era, id, h.first ? Bind(h.first->performance) : Bind(std::nullopt),
             h.first ? Bind(int64_t(h.first->good)) : Bind(std::nullopt), to_decimal(h.second)}));
  }
  return tx.commit();
}

Result<std::optional<eth::Checkpoint>> IndexStore::checkpoint() {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlStatement st, db_->prepare("SELECT block_number, block_hash FROM checkpoint"));
  ICN_TRY(bool row, st.step());
  if (!row) return std::optional<eth::Checkpoint>();
  ICN_TRY(eth::Checkpoint c, checkpoint_from(st));
  return std::optional<eth::Checkpoint>(c);
}

Result<std::vector<eth::Checkpoint>> IndexStore::recent_blocks() {
  std::lock_guard lock(mu_);
  ICN_TRY(infra::SqlStatement st, db_->prepare("SELECT number, hash FROM blocks ORDER BY number"));
  std::vector<eth::Checkpoint> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    ICN_TRY(eth::Checkpoint c, checkpoint_from(st));
    out.push_back(c);
  }
  return out;
}

}  // namespace icn::indexer
