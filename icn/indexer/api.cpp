// REST handlers: each validates its path and query first (400 with a reason code), then reads
// the projections under the store's lock. Lists page by their integer key: ?cursor= is the
// last key of the previous page, next_cursor the last key of this one (null at the end).
#include "icn/indexer/api.hpp"

#include <charconv>

#include "icn/core/address.hpp"
#include "icn/core/u256.hpp"
#include "icn/indexer/event_stream.hpp"

namespace icn::indexer {

using infra::error_response;
using infra::HttpRequest;
using infra::HttpResponse;
using nlohmann::json;

namespace {

// A column of a result row and how it becomes JSON.
enum class Col { kInt, kText, kJson, kBool };
struct Field {
  const char* name;
  Col kind;
};

json column_json(const infra::SqlStatement& st, int i, Col kind) {
  if (st.is_null(i)) return nullptr;
  switch (kind) {
    case Col::kInt:
      return st.column_int64(i);
    case Col::kText:
      return st.column_text(i);
    case Col::kBool:
      return st.column_int64(i) != 0;
    case Col::kJson: {
      json j = json::parse(st.column_text(i), nullptr, false);
      return j.is_discarded() ? json(nullptr) : j;
    }
  }
  return nullptr;
}

json row_json(const infra::SqlStatement& st, const std::vector<Field>& fields) {
  json out = json::object();
  for (size_t i = 0; i < fields.size(); ++i) {
    out[fields[i].name] = column_json(st, int(i), fields[i].kind);
  }
  return out;
}

std::string select_list(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& f : fields) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

// A parameter value for a bound statement (a struct, not a variant: GCC 12 warns spuriously
// about variant<int64_t, string> moves).
struct Param {
  Param(int64_t n) : is_int(true), number(n) {}
  Param(std::string t) : text(std::move(t)) {}
  bool is_int = false;
  int64_t number = 0;
  std::string text;
};

Result<std::vector<json>> query_rows(IndexStore& store, const std::string& sql,
                                     const std::vector<Param>& params,
                                     const std::vector<Field>& fields) {
  return store.read([&](infra::SqlDatabase& db) -> Result<std::vector<json>> {
    ICN_TRY(infra::SqlStatement st, db.prepare(sql));
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].is_int) {
        st.bind(int(i + 1), params[i].number);
      } else {
        st.bind(int(i + 1), std::string_view(params[i].text));
      }
    }
    std::vector<json> rows;
    while (true) {
      ICN_TRY(bool row, st.step());
      if (!row) break;
      rows.push_back(row_json(st, fields));
    }
    return rows;
  });
}

HttpResponse internal_error(const Error& e) {
  return error_response(500, "internal", e.message);
}

// A decimal id of at most 18 digits (fits int64; ids are counters).
std::optional<int64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;  // one spelling per id
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// ?limit= and ?cursor=, or the 400 that answers them.
struct Page {
  int64_t limit = kDefaultPageLimit;
  std::optional<int64_t> cursor;
};

std::optional<HttpResponse> parse_page(const HttpRequest& req, Page& page) {
  if (auto limit = req.query("limit")) {
    auto v = parse_id(*limit);
    if (!v || *v < 1 || *v > kMaxPageLimit) {
      return error_response(400, "bad_limit",
                            "limit must be an integer from 1 to " + std::to_string(kMaxPageLimit));
    }
    page.limit = *v;
  }
  if (auto cursor = req.query("cursor")) {
    auto v = parse_id(*cursor);
    if (!v) return error_response(400, "bad_cursor", "cursor must be a next_cursor from a page");
    page.cursor = v;
  }
  return std::nullopt;
}

// One page of `table` ordered by `key`, with `where` conditions (and their params) applied.
HttpResponse list_page(IndexStore& store, const std::string& table, const std::string& key,
                       const std::vector<Field>& fields, std::vector<std::string> where,
                       std::vector<Param> params, const Page& page) {
  if (page.cursor) {
    where.push_back(key + " > ?");
    params.push_back(*page.cursor);
  }
  std::string sql = "SELECT " + select_list(fields) + " FROM " + table;
  for (size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  sql += " ORDER BY " + key + " LIMIT ?";
  params.push_back(page.limit + 1);  // one more tells whether there is a next page
  auto rows = query_rows(store, sql, params, fields);
  if (!rows) return internal_error(rows.error());
  json next = nullptr;
  if (int64_t(rows->size()) > page.limit) {
    rows->pop_back();
    next = std::to_string(rows->back()[key].get<int64_t>());
  }
  return HttpResponse::json_body({{"items", std::move(*rows)}, {"next_cursor", next}});
}

const std::vector<Field> kRegionFields = {
    {"region_id", Col::kInt}, {"name", Col::kText}, {"block_number", Col::kInt}};
const std::vector<Field> kClusterFields = {{"cluster_id", Col::kInt}, {"region_id", Col::kInt},
                                           {"class_id", Col::kInt},   {"name", Col::kText},
                                           {"max_price", Col::kText}, {"block_number", Col::kInt}};
const std::vector<Field> kScalerNodeFields = {{"node_id", Col::kInt},
                                              {"name", Col::kText},
                                              {"status", Col::kText},
                                              {"hp_id", Col::kInt},
                                              {"owner", Col::kText},
                                              {"daemon", Col::kText},
                                              {"cluster_id", Col::kInt},
                                              {"region_id", Col::kInt},
                                              {"class_id", Col::kInt},
                                              {"capacity", Col::kText},
                                              {"location", Col::kText},
                                              {"reservation_price", Col::kText},
                                              {"max_booking_duration", Col::kInt},
                                              {"node_reward_share", Col::kText},
                                              {"collateral", Col::kText},
                                              {"registered_block", Col::kInt},
                                              {"updated_block", Col::kInt}};
const std::vector<Field> kHyperNodeFields = {{"hyper_node_id", Col::kInt}, {"operator", Col::kText},
                                             {"signing_key", Col::kText},  {"location", Col::kText},
                                             {"endpoint", Col::kText},     {"retired", Col::kBool},
                                             {"block_number", Col::kInt}};
const std::vector<Field> kBookingFields = {
    {"booking_id", Col::kInt},     {"builder", Col::kText},    {"node_id", Col::kInt},
    {"cluster_id", Col::kInt},     {"capacity", Col::kText},   {"duration", Col::kText},
    {"activation_era", Col::kInt}, {"eras", Col::kText},       {"price", Col::kText},
    {"margin", Col::kText},        {"status", Col::kText},     {"expired_era", Col::kInt},
    {"refund", Col::kText},        {"block_number", Col::kInt}};
const std::vector<Field> kEraFields = {{"era", Col::kInt},          {"results_root", Col::kText},
                                       {"data_root", Col::kText},   {"submitter", Col::kText},
                                       {"signer_mask", Col::kText}, {"block_number", Col::kInt},
                                       {"tx_hash", Col::kText},     {"up", Col::kInt},
                                       {"down", Col::kInt},         {"maintenance", Col::kInt}};
// Committed eras with the verdict counts of results read for their current root (NULL until
// read, or when the satellite published no verdicts).
const char* kEraTable =
    "(SELECT e.era, e.results_root, e.data_root, e.submitter, e.signer_mask, e.block_number, "
    "e.tx_hash, r.up, r.down, r.maintenance FROM eras e LEFT JOIN era_results r "
    "ON r.era = e.era AND r.results_root = e.results_root) x";
// Per-node rows of results whose root is the era's committed one.
const std::vector<Field> kNodeEraFields = {{"era", Col::kInt},
                                           {"verdict", Col::kText},
                                           {"utilisation", Col::kText},
                                           {"subsidy", Col::kText},
                                           {"slashed", Col::kText}};
const char* kNodeEraTable =
    "(SELECT n.era, n.node_id, n.verdict, n.utilisation, n.subsidy, n.slashed "
    "FROM era_node_results n JOIN era_results r ON r.era = n.era "
    "JOIN eras e ON e.era = n.era AND e.results_root = r.results_root) x";
const std::vector<Field> kHyperNodeEraFields = {{"era", Col::kInt},
                                                {"performance", Col::kText},
                                                {"good", Col::kBool},
                                                {"link_reward", Col::kText}};
const char* kHyperNodeEraTable =
    "(SELECT h.era, h.hyper_node_id, h.performance, h.good, h.link_reward "
    "FROM era_hyper_node_results h JOIN era_results r ON r.era = h.era "
    "JOIN eras e ON e.era = h.era AND e.results_root = r.results_root) x";
const std::vector<Field> kClaimFields = {
    {"event_id", Col::kInt}, {"kind", Col::kText},   {"subject_id", Col::kInt},  {"era", Col::kInt},
    {"account", Col::kText}, {"amount", Col::kText}, {"block_number", Col::kInt}};
const std::vector<Field> kSlashFields = {
    {"event_id", Col::kInt}, {"node_id", Col::kInt},          {"era", Col::kInt},
    {"slashed", Col::kText}, {"from_collateral", Col::kText}, {"from_delegation", Col::kText},
    {"owed", Col::kText},    {"block_number", Col::kInt}};

const std::vector<Field> kLockFields = {
    {"lock_id", Col::kInt},         {"owner", Col::kText},    {"amount", Col::kText},
    {"initial_amount", Col::kText}, {"lock_days", Col::kInt}, {"multiplier", Col::kText},
    {"unlock_time", Col::kInt},     {"status", Col::kText},   {"block_number", Col::kInt}};
const std::vector<Field> kDelegationFields = {
    {"delegation_id", Col::kInt}, {"lock_id", Col::kInt},  {"owner", Col::kText},
    {"node_id", Col::kInt},       {"amount", Col::kText},  {"status", Col::kText},
    {"reclaim_era", Col::kInt},   {"slashed", Col::kText}, {"block_number", Col::kInt}};
const std::vector<Field> kLinkFields = {{"bundle_id", Col::kInt},     {"owner", Col::kText},
                                        {"hyper_node_id", Col::kInt}, {"quantity", Col::kInt},
                                        {"status", Col::kText},       {"staked_era", Col::kInt},
                                        {"unstakable_at", Col::kInt}, {"unstake_era", Col::kInt},
                                        {"unlock_era", Col::kInt},    {"block_number", Col::kInt}};
const std::vector<Field> kVestingFields = {{"category", Col::kInt},
                                           {"name", Col::kText},
                                           {"beneficiary", Col::kText},
                                           {"released", Col::kText},
                                           {"block_number", Col::kInt}};
// Vesting.Category's names in enum order, beside the number the event carries.
const char* kVestingTable =
    "(SELECT category, CASE category WHEN 0 THEN 'Team' WHEN 1 THEN 'Investors' "
    "WHEN 2 THEN 'DevCo' WHEN 3 THEN 'EcoDev' WHEN 4 THEN 'Partners' WHEN 5 THEN 'NodeSale' "
    "WHEN 6 THEN 'RewardsReserve' ELSE NULL END AS name, beneficiary, released, block_number "
    "FROM vesting) v";

const std::vector<std::string> kNodeStatuses = {"registered", "validated", "rejected", "booked",
                                                "offboarded"};

// An address in the path or query: 0x and 40 hex digits, EIP-55 checked when mixed case.
std::optional<Address> parse_address(std::string_view text) {
  auto a = Address::parse(text);
  if (!a) return std::nullopt;
  return *a;
}

// Sum of decimal text values.
Result<std::string> sum_decimal(IndexStore& store, const std::string& sql) {
  auto rows = query_rows(store, sql, {}, {{"v", Col::kText}});
  if (!rows) return rows.error();
  U256 total = 0;
  for (const json& r : *rows) {
    ICN_TRY(U256 v, parse_u256(r["v"].get<std::string>()));
    total += v;
  }
  return to_decimal(total);
}

Result<int64_t> count_of(IndexStore& store, const std::string& sql) {
  ICN_TRY(auto rows, query_rows(store, sql, {}, {{"n", Col::kInt}}));
  return rows.empty() ? 0 : rows[0]["n"].get<int64_t>();
}

Result<json> stats(IndexStore& store, const ApiOptions& options) {
  json out;
  ICN_TRY(auto cp, store.checkpoint());
  out["indexed_block"] = cp ? json(cp->block_number) : json(nullptr);
  std::optional<uint64_t> head = options.head ? options.head() : std::nullopt;
  uint64_t head_number = head.value_or(0);
  out["head_block"] = head ? json(head_number) : json(nullptr);
  out["lag_blocks"] = head && cp && head_number >= cp->block_number
                          ? json(head_number - cp->block_number)
                          : json(nullptr);
  ICN_TRY(out["events"], count_of(store, "SELECT COUNT(*) FROM events"));
  ICN_TRY(out["regions"], count_of(store, "SELECT COUNT(*) FROM regions"));
  ICN_TRY(out["clusters"], count_of(store, "SELECT COUNT(*) FROM clusters"));
  ICN_TRY(out["hardware_providers"], count_of(store, "SELECT COUNT(*) FROM hardware_providers"));
  json nodes = json::object();
  for (const std::string& s : kNodeStatuses) nodes[s] = 0;
  ICN_TRY(auto by_status,
          query_rows(store, "SELECT status, COUNT(*) FROM scaler_nodes GROUP BY status", {},
                     {{"status", Col::kText}, {"n", Col::kInt}}));
  int64_t total = 0;
  for (const json& r : by_status) {
    nodes[r["status"].get<std::string>()] = r["n"];
    total += r["n"].get<int64_t>();
  }
  nodes["total"] = total;
  out["scaler_nodes"] = nodes;
  ICN_TRY(out["hyper_nodes"],
          count_of(store, "SELECT COUNT(*) FROM hyper_nodes WHERE retired = 0"));
  ICN_TRY(out["bookings_active"],
          count_of(store, "SELECT COUNT(*) FROM bookings WHERE status = 'active'"));
  ICN_TRY(out["eras_committed"], count_of(store, "SELECT COUNT(*) FROM eras"));
  // Capacity offered: validated and booked nodes; booked: what active bookings hold.
  ICN_TRY(out["capacity"], sum_decimal(store,
                                       "SELECT capacity FROM scaler_nodes WHERE status IN "
                                       "('validated', 'booked')"));
  ICN_TRY(out["capacity_booked"],
          sum_decimal(store, "SELECT capacity FROM bookings WHERE status = 'active'"));
  // ICNT in locks not yet withdrawn (delegated or not), and in active delegations (the node
  // totals the contract keeps, so a slash counts before the delegations settle it).
  ICN_TRY(out["icnt_locked"],
          sum_decimal(store, "SELECT amount FROM locks WHERE status = 'locked'"));
  ICN_TRY(out["icnt_delegated"], sum_decimal(store, "SELECT delegated FROM node_delegation"));
  ICN_TRY(out["links_staked"],
          count_of(store,
                   "SELECT COALESCE(SUM(quantity), 0) FROM link_bundles WHERE status = 'staked'"));
  // Nodes on the map: ScalerNodes not rejected or offboarded, HyperNodes not retired.
  json countries = {{"scaler_nodes", json::object()}, {"hyper_nodes", json::object()}};
  const std::vector<Field> by_location = {{"location", Col::kText}, {"n", Col::kInt}};
  ICN_TRY(auto scaler_countries,
          query_rows(store,
                     "SELECT location, COUNT(*) FROM scaler_nodes WHERE status NOT IN "
                     "('rejected', 'offboarded') GROUP BY location ORDER BY location",
                     {}, by_location));
  for (const json& r : scaler_countries) {
    countries["scaler_nodes"][r["location"].get<std::string>()] = r["n"];
  }
  ICN_TRY(auto hyper_countries,
          query_rows(store,
                     "SELECT location, COUNT(*) FROM hyper_nodes WHERE retired = 0 "
                     "GROUP BY location ORDER BY location",
                     {}, by_location));
  for (const json& r : hyper_countries) {
    countries["hyper_nodes"][r["location"].get<std::string>()] = r["n"];
  }
  out["countries"] = std::move(countries);
  return out;
}

// ?<name>=0x… as `column` = the checksummed address (the spelling stored), or the 400.
std::optional<HttpResponse> address_filter(const HttpRequest& req, const char* name,
                                           const std::string& column,
                                           std::vector<std::string>& where,
                                           std::vector<Param>& params) {
  auto value = req.query(name);
  if (!value) return std::nullopt;
  auto a = parse_address(*value);
  if (!a) {
    return error_response(400, "bad_address",
                          std::string(name) +
                              " must be a 0x address (EIP-55 checked when mixed "
                              "case)");
  }
  where.push_back(column + " = ?");
  params.push_back(a->checksummed());
  return std::nullopt;
}

// ?<name>=<id> as `column` = id, or the 400 `code`.
std::optional<HttpResponse> id_filter(const HttpRequest& req, const char* name,
                                      const std::string& column, const char* code,
                                      const char* message, std::vector<std::string>& where,
                                      std::vector<Param>& params) {
  auto value = req.query(name);
  if (!value) return std::nullopt;
  auto id = parse_id(*value);
  if (!id) return error_response(400, code, message);
  where.push_back(column + " = ?");
  params.push_back(*id);
  return std::nullopt;
}

// ?status= one of `allowed`, or 400 bad_status naming them.
std::optional<HttpResponse> status_filter(const HttpRequest& req,
                                          const std::vector<std::string>& allowed,
                                          std::vector<std::string>& where,
                                          std::vector<Param>& params) {
  auto value = req.query("status");
  if (!value) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return error_response(400, "bad_status", "status must be one of " + list);
  }
  where.push_back("status = ?");
  params.push_back(std::string(*value));
  return std::nullopt;
}

// "5" → ("5", nullopt); "5/eras" → ("5", "eras").
std::pair<std::string_view, std::optional<std::string_view>> split_tail(std::string_view tail) {
  auto slash = tail.find('/');
  if (slash == std::string_view::npos) return {tail, std::nullopt};
  return {tail.substr(0, slash), tail.substr(slash + 1)};
}

// GET /v1/{scalernodes,hypernodes}/{id}/eras: 404 for an unknown entity, else a page of its
// per-era rows by era.
HttpResponse entity_eras(IndexStore& store, const HttpRequest& req, const std::string& table,
                         const std::string& key, int64_t id, const std::string& what,
                         const char* eras_table, const std::string& eras_key,
                         const std::vector<Field>& fields) {
  Page page;
  if (auto bad = parse_page(req, page)) return *bad;
  auto exists = query_rows(store, "SELECT " + key + " FROM " + table + " WHERE " + key + " = ?",
                           {id}, {{"id", Col::kInt}});
  if (!exists) return internal_error(exists.error());
  if (exists->empty()) {
    return error_response(404, "not_found", "no " + what + " " + std::to_string(id));
  }
  return list_page(store, eras_table, "era", fields, {eras_key + " = ?"}, {id}, page);
}

// Collateral movements of one node, oldest first: rewards diverted into it (HpRewardsClaimed's
// toCollateral, read from the stored event: the claims projection keeps only toHp) and taken
// from it by slashes (SlashApplied's fromCollateral). Paged by event id; movements of 0 are left
// out after paging, so a page may hold fewer than `limit` items while next_cursor is not null.
const char* kCollateralTable =
    "(SELECT c.event_id, c.subject_id AS node_id, c.era, 'diverted' AS kind, ev.args AS args, "
    "CAST(NULL AS TEXT) AS amount, c.block_number FROM claims c JOIN events ev "
    "ON ev.id = c.event_id WHERE c.kind = 'hp' "
    "UNION ALL SELECT s.event_id, s.node_id, s.era, 'slashed', CAST(NULL AS TEXT), "
    "s.from_collateral, s.block_number FROM slashes s) x";
const std::vector<Field> kCollateralFields = {{"event_id", Col::kInt}, {"era", Col::kInt},
                                              {"kind", Col::kText},    {"args", Col::kJson},
                                              {"amount", Col::kText},  {"block_number", Col::kInt}};

HttpResponse node_collateral(IndexStore& store, const HttpRequest& req, int64_t id) {
  Page page;
  if (auto bad = parse_page(req, page)) return *bad;
  auto exists = query_rows(store, "SELECT node_id FROM scaler_nodes WHERE node_id = ?", {id},
                           {{"id", Col::kInt}});
  if (!exists) return internal_error(exists.error());
  if (exists->empty())
    return error_response(404, "not_found", "no ScalerNode " + std::to_string(id));
  std::string sql = "SELECT " + select_list(kCollateralFields) + " FROM " + kCollateralTable +
                    " WHERE node_id = ?";
  std::vector<Param> params = {id};
  if (page.cursor) {
    sql += " AND event_id > ?";
    params.push_back(*page.cursor);
  }
  sql += " ORDER BY event_id LIMIT ?";
  params.push_back(page.limit + 1);
  auto rows = query_rows(store, sql, params, kCollateralFields);
  if (!rows) return internal_error(rows.error());
  json next = nullptr;
  if (int64_t(rows->size()) > page.limit) {
    rows->pop_back();
    next = std::to_string(rows->back()["event_id"].get<int64_t>());
  }
  json items = json::array();
  for (json& r : *rows) {
    json amount = r["amount"];
    if (r["kind"] == "diverted") {
      const json& args = r["args"];
      amount = args.is_object() && args.contains("toCollateral") ? args["toCollateral"] : json();
    }
    if (!amount.is_string() || amount == "0") continue;
    items.push_back({{"event_id", r["event_id"]},
                     {"era", r["era"]},
                     {"kind", r["kind"]},
                     {"amount", amount},
                     {"block_number", r["block_number"]}});
  }
  return HttpResponse::json_body({{"items", std::move(items)}, {"next_cursor", next}});
}

// An account's locks, delegations and Links in counts and sums (the lists are /v1/locks,
// /v1/delegations, /v1/links filtered by owner).
Result<json> account_positions(IndexStore& store, const std::string& addr) {
  auto counted = [&](const std::string& table, const std::string& active) -> Result<json> {
    ICN_TRY(auto rows, query_rows(store, "SELECT amount, status FROM " + table + " WHERE owner = ?",
                                  {addr}, {{"amount", Col::kText}, {"status", Col::kText}}));
    U256 sum = 0;
    int64_t active_count = 0;
    for (const json& r : rows) {
      if (r["status"] != active) continue;
      ++active_count;
      ICN_TRY(U256 v, parse_u256(r["amount"].get<std::string>()));
      sum += v;
    }
    return json{
        {"count", int64_t(rows.size())}, {"active", active_count}, {"amount", to_decimal(sum)}};
  };
  json out;
  ICN_TRY(out["locks"], counted("locks", "locked"));
  ICN_TRY(out["delegations"], counted("delegations", "active"));
  ICN_TRY(auto bundles,
          query_rows(store,
                     "SELECT status, COUNT(*), SUM(quantity) FROM link_bundles "
                     "WHERE owner = ? GROUP BY status",
                     {addr}, {{"status", Col::kText}, {"n", Col::kInt}, {"q", Col::kInt}}));
  json links = {{"held", 0}, {"bundles", 0}, {"staked", 0}, {"unstaking", 0}};
  int64_t bundle_count = 0;
  for (const json& r : bundles) {
    bundle_count += r["n"].get<int64_t>();
    std::string status = r["status"].get<std::string>();
    if (status == "staked" || status == "unstaking") links[status] = r["q"];
  }
  links["bundles"] = bundle_count;
  ICN_TRY(auto held, query_rows(store, "SELECT balance FROM link_holders WHERE owner = ?", {addr},
                                {{"balance", Col::kInt}}));
  if (!held.empty()) links["held"] = held[0]["balance"];
  out["links"] = std::move(links);
  return out;
}

}  // namespace

void mount_api(infra::HttpServer& server, IndexStore& store, ApiOptions options) {
  IndexStore* s = &store;

  server.get("/v1/stats", [s, options](const HttpRequest&) {
    auto r = stats(*s, options);
    if (!r) return internal_error(r.error());
    return HttpResponse::json_body(*r);
  });

  server.get("/v1/regions", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    return list_page(*s, "regions", "region_id", kRegionFields, {}, {}, page);
  });

  server.get("/v1/clusters", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto region = req.query("region")) {
      auto id = parse_id(*region);
      if (!id) return error_response(400, "bad_region", "region must be a region id");
      where.push_back("region_id = ?");
      params.push_back(*id);
    }
    return list_page(*s, "clusters", "cluster_id", kClusterFields, where, params, page);
  });

  server.get("/v1/scalernodes", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto status = req.query("status")) {
      if (std::find(kNodeStatuses.begin(), kNodeStatuses.end(), *status) == kNodeStatuses.end()) {
        return error_response(400, "bad_status",
                              "status must be one of registered, validated, rejected, booked, "
                              "offboarded");
      }
      where.push_back("status = ?");
      params.push_back(std::string(*status));
    }
    if (auto cluster = req.query("cluster")) {
      auto id = parse_id(*cluster);
      if (!id) return error_response(400, "bad_cluster", "cluster must be a cluster id");
      where.push_back("cluster_id = ?");
      params.push_back(*id);
    }
    if (auto owner = req.query("owner")) {
      auto a = parse_address(*owner);
      if (!a) return error_response(400, "bad_address", "owner must be a 0x address");
      where.push_back("owner = ?");
      params.push_back(a->checksummed());
    }
    return list_page(*s, "scaler_nodes", "node_id", kScalerNodeFields, where, params, page);
  });

  server.get("/v1/scalernodes/*", [s](const HttpRequest& req) {
    auto [id_text, sub] = split_tail(req.path_tail());
    auto id = parse_id(id_text);
    if (!id) return error_response(400, "bad_id", "a ScalerNode id is a decimal integer");
    if (sub) {
      if (*sub == "collateral") return node_collateral(*s, req, *id);
      if (*sub != "eras") return error_response(404, "not_found", "no such route");
      return entity_eras(*s, req, "scaler_nodes", "node_id", *id, "ScalerNode", kNodeEraTable,
                         "node_id", kNodeEraFields);
    }
    auto rows = query_rows(
        *s, "SELECT " + select_list(kScalerNodeFields) + " FROM scaler_nodes WHERE node_id = ?",
        {*id}, kScalerNodeFields);
    if (!rows) return internal_error(rows.error());
    if (rows->empty()) {
      return error_response(404, "not_found", "no ScalerNode " + std::to_string(*id));
    }
    json node = (*rows)[0];
    auto bookings = query_rows(*s,
                               "SELECT " + select_list(kBookingFields) +
                                   " FROM bookings WHERE node_id = ? ORDER BY booking_id",
                               {*id}, kBookingFields);
    if (!bookings) return internal_error(bookings.error());
    node["bookings"] = std::move(*bookings);
    return HttpResponse::json_body(node);
  });

  server.get("/v1/hypernodes", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    if (auto retired = req.query("retired")) {
      if (*retired != "true" && *retired != "false") {
        return error_response(400, "bad_retired", "retired must be true or false");
      }
      where.push_back(*retired == "true" ? "retired <> 0" : "retired = 0");
    }
    std::vector<Param> params;
    if (auto bad = address_filter(req, "operator", "operator", where, params)) return *bad;
    return list_page(*s, "hyper_nodes", "hyper_node_id", kHyperNodeFields, where, params, page);
  });

  server.get("/v1/hypernodes/*", [s](const HttpRequest& req) {
    auto [id_text, sub] = split_tail(req.path_tail());
    auto id = parse_id(id_text);
    if (!id) return error_response(400, "bad_id", "a HyperNode id is a decimal integer");
    if (sub) {
      if (*sub != "eras") return error_response(404, "not_found", "no such route");
      return entity_eras(*s, req, "hyper_nodes", "hyper_node_id", *id, "HyperNode",
                         kHyperNodeEraTable, "hyper_node_id", kHyperNodeEraFields);
    }
    auto rows = query_rows(
        *s, "SELECT " + select_list(kHyperNodeFields) + " FROM hyper_nodes WHERE hyper_node_id = ?",
        {*id}, kHyperNodeFields);
    if (!rows) return internal_error(rows.error());
    if (rows->empty()) {
      return error_response(404, "not_found", "no HyperNode " + std::to_string(*id));
    }
    json out = (*rows)[0];
    auto staked = query_rows(*s,
                             "SELECT COALESCE(SUM(quantity), 0) FROM link_bundles "
                             "WHERE hyper_node_id = ? AND status = 'staked'",
                             {*id}, {{"n", Col::kInt}});
    if (!staked) return internal_error(staked.error());
    out["links_staked"] = (*staked)[0]["n"];
    return HttpResponse::json_body(out);
  });

  server.get("/v1/eras", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    return list_page(*s, kEraTable, "era", kEraFields, {}, {}, page);
  });

  server.get("/v1/eras/*", [s](const HttpRequest& req) {
    auto era = parse_id(req.path_tail());
    if (!era) return error_response(400, "bad_era", "an era is a decimal integer");
    auto rows = query_rows(
        *s, "SELECT " + select_list(kEraFields) + " FROM " + kEraTable + " WHERE era = ?", {*era},
        kEraFields);
    if (!rows) return internal_error(rows.error());
    if (rows->empty()) {
      return error_response(404, "not_found", "era " + std::to_string(*era) + " not committed");
    }
    json out = (*rows)[0];
    auto claims = query_rows(
        *s, "SELECT " + select_list(kClaimFields) + " FROM claims WHERE era = ? ORDER BY event_id",
        {*era}, kClaimFields);
    auto slashes = query_rows(
        *s, "SELECT " + select_list(kSlashFields) + " FROM slashes WHERE era = ? ORDER BY event_id",
        {*era}, kSlashFields);
    if (!claims) return internal_error(claims.error());
    if (!slashes) return internal_error(slashes.error());
    out["claims"] = std::move(*claims);
    out["slashes"] = std::move(*slashes);
    return HttpResponse::json_body(out);
  });

  server.get("/v1/bookings", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto status = req.query("status")) {
      if (*status != "active" && *status != "expired") {
        return error_response(400, "bad_status", "status must be active or expired");
      }
      where.push_back("status = ?");
      params.push_back(std::string(*status));
    }
    if (auto builder = req.query("builder")) {
      auto a = parse_address(*builder);
      if (!a) return error_response(400, "bad_address", "builder must be a 0x address");
      where.push_back("builder = ?");
      params.push_back(a->checksummed());
    }
    if (auto node = req.query("node")) {
      auto id = parse_id(*node);
      if (!id) return error_response(400, "bad_node", "node must be a ScalerNode id");
      where.push_back("node_id = ?");
      params.push_back(*id);
    }
    return list_page(*s, "bookings", "booking_id", kBookingFields, where, params, page);
  });

  server.get("/v1/locks", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto bad = address_filter(req, "owner", "owner", where, params)) return *bad;
    if (auto bad = status_filter(req, {"locked", "withdrawn"}, where, params)) return *bad;
    return list_page(*s, "locks", "lock_id", kLockFields, where, params, page);
  });

  server.get("/v1/delegations", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto bad = address_filter(req, "owner", "owner", where, params)) return *bad;
    if (auto bad = id_filter(req, "node", "node_id", "bad_node", "node must be a ScalerNode id",
                             where, params)) {
      return *bad;
    }
    if (auto bad = id_filter(req, "lock", "lock_id", "bad_lock", "lock must be a lock id", where,
                             params)) {
      return *bad;
    }
    if (auto bad = status_filter(req, {"active", "undelegated", "reclaimed"}, where, params)) {
      return *bad;
    }
    return list_page(*s, "delegations", "delegation_id", kDelegationFields, where, params, page);
  });

  server.get("/v1/links", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto bad = address_filter(req, "owner", "owner", where, params)) return *bad;
    if (auto bad = id_filter(req, "hypernode", "hyper_node_id", "bad_hypernode",
                             "hypernode must be a HyperNode id", where, params)) {
      return *bad;
    }
    if (auto bad = status_filter(req, {"staked", "unstaking", "unstaked"}, where, params)) {
      return *bad;
    }
    return list_page(*s, "link_bundles", "bundle_id", kLinkFields, where, params, page);
  });

  server.get("/v1/vesting", [s](const HttpRequest& req) {
    Page page;
    if (auto bad = parse_page(req, page)) return *bad;
    std::vector<std::string> where;
    std::vector<Param> params;
    if (auto bad = address_filter(req, "beneficiary", "beneficiary", where, params)) return *bad;
    return list_page(*s, kVestingTable, "category", kVestingFields, where, params, page);
  });

  server.get("/v1/accounts/*", [s](const HttpRequest& req) {
    auto a = parse_address(req.path_tail());
    if (!a) {
      return error_response(400, "bad_address",
                            "an account is 0x and 40 hex digits (EIP-55 checked when mixed case)");
    }
    std::string addr = a->checksummed();
    json out = {{"address", addr}};
    auto hp = query_rows(*s, "SELECT hp_id FROM hardware_providers WHERE account = ?", {addr},
                         {{"hp_id", Col::kInt}});
    auto nodes = query_rows(*s,
                            "SELECT " + select_list(kScalerNodeFields) +
                                " FROM scaler_nodes WHERE owner = ? OR daemon = ? ORDER BY node_id",
                            {addr, addr}, kScalerNodeFields);
    auto hyper = query_rows(*s,
                            "SELECT " + select_list(kHyperNodeFields) +
                                " FROM hyper_nodes WHERE operator = ? OR signing_key = ? "
                                "ORDER BY hyper_node_id",
                            {addr, addr}, kHyperNodeFields);
    auto bookings = query_rows(*s,
                               "SELECT " + select_list(kBookingFields) +
                                   " FROM bookings WHERE builder = ? ORDER BY booking_id",
                               {addr}, kBookingFields);
    auto claims = query_rows(
        *s,
        "SELECT " + select_list(kClaimFields) + " FROM claims WHERE account = ? ORDER BY event_id",
        {addr}, kClaimFields);
    for (auto* r : {&hp, &nodes, &hyper, &bookings, &claims}) {
      if (!*r) return internal_error(r->error());
    }
    auto positions = account_positions(*s, addr);
    if (!positions) return internal_error(positions.error());
    out.update(*positions);
    out["hardware_provider_id"] = hp->empty() ? json(nullptr) : (*hp)[0]["hp_id"];
    out["scaler_nodes"] = std::move(*nodes);
    out["hyper_nodes"] = std::move(*hyper);
    out["bookings"] = std::move(*bookings);
    out["claims"] = std::move(*claims);
    return HttpResponse::json_body(out);
  });

  if (options.events) {
    EventStream* events = options.events;
    server.get("/v1/events", [events](const HttpRequest& req) { return events->serve(req); });
  }
}

}  // namespace icn::indexer
