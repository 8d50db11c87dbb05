// The indexer's performance figures (issue 8), printed as one JSON object for scripts/bench:
// ingest events/s from a real anvil into SQLite and PostgreSQL against the raw eth_getLogs +
// decode rate of the same client over the same range (measured in the same run), and
// /v1/scalernodes latency with 10,000 nodes against the same SELECT run directly. Per backend also
// the store alone: the same ranges, fetched and decoded once beforehand, stored into an empty
// database (store_only_us_per_event: the database side's per-event cost, without the fetch).
//
// The chain is filled by bench/contracts/RegistryEventBurst.sol, which emits the Registry's own
// events (same signatures, so the indexer decodes and projects them as the Registry's) in bulk:
// onboarding 10,000 nodes through the real contracts would take far longer than the ingest.
//
// Usage: icn_indexer_bench [--nodes N] [--nodes-per-tx N] [--max-range BLOCKS] [--no-postgres]
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "icn/core/keccak.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/core/u256.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/rpc_types.hpp"
#include "icn/eth/sender.hpp"
#include "icn/indexer/api.hpp"
#include "icn/indexer/indexer.hpp"
#include "icn/indexer/store.hpp"
#include "icn/infra/anvil.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/postgres.hpp"

namespace icn::indexer {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr double kIngestBudget = 20000;  // events/s, issue 8
constexpr double kApiBudgetMs = 50;      // /v1/scalernodes, issue 8
constexpr uint64_t kRegions = 4;
constexpr uint64_t kClustersPerRegion = 4;  // RegistryEventBurst.nodes assumes 4
constexpr uint64_t kClusters = kRegions * kClustersPerRegion;
constexpr uint64_t kHardwareProviders = 50;

struct BenchOptions {
  uint64_t nodes = 10000;
  uint64_t nodes_per_tx = 25;  // one block each (automine)
  uint64_t max_range = 50;     // blocks per eth_getLogs, indexer and reference alike
  bool postgres = true;
  int api_requests = 50;  // per query, after warm-up; the median is reported
};

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

Bytes call_data(std::string_view signature, std::initializer_list<uint64_t> words) {
  Hash h = keccak256(signature);
  Bytes out(h.begin(), h.begin() + 4);
  for (uint64_t w : words) append(out, u256_to_be(U256(w)));
  return out;
}

struct Chain {
  Address burst;
  uint64_t head = 0;
  uint64_t events = 0;  // emitted
  double fill_seconds = 0;
};

// Deploys RegistryEventBurst and sends every burst without waiting in between (automine: one
// block per transaction), then waits for the last receipt and checks each one succeeded.
Result<Chain> fill_chain(eth::RpcClient& rpc, const BenchOptions& o) {
  auto t0 = Clock::now();
  ICN_TRY(eth::Artifact artifact,
          eth::Artifact::load(std::filesystem::path(ICN_BENCH_ARTIFACTS_DIR) /
                              "RegistryEventBurst.json"));
  ICN_TRY(PrivateKey key, PrivateKey::from_hex(infra::kAnvilDevPrivateKeys[0]));
  eth::SenderOptions so;
  so.expected_chain_id = infra::kAnvilDefaultChainId;
  ICN_TRY(eth::TransactionSender sender, eth::TransactionSender::create(rpc, key, so));
  auto deadline = [] { return Clock::now() + std::chrono::seconds(120); };
  Chain chain;
  ICN_TRY(chain.burst, sender.deploy(artifact.bytecode, {}, deadline()));
  std::vector<Hash> txs;
  eth::SendOptions send;
  send.gas_limit = 2'000'000;
  ICN_TRY(eth::SendResult setup,
          sender.send(chain.burst,
                      call_data("setup(uint256,uint256,uint256)",
                                {kRegions, kClustersPerRegion, kHardwareProviders}),
                      0, send));
  txs.push_back(setup.tx_hash);
  chain.events = kRegions + kClusters + kHardwareProviders;
  for (uint64_t first = 1; first <= o.nodes; first += o.nodes_per_tx) {
    uint64_t count = std::min(o.nodes_per_tx, o.nodes - first + 1);
    send.gas_limit = 100'000 + 40'000 * count;
    ICN_TRY(eth::SendResult sent,
            sender.send(chain.burst,
                        call_data("nodes(uint256,uint256,uint256,uint256)",
                                  {first, count, kClusters, kHardwareProviders}),
                        0, send));
    txs.push_back(sent.tx_hash);
    for (uint64_t id = first; id < first + count; ++id) chain.events += id % 2 == 0 ? 4 : 3;
  }
  for (const Hash& tx : txs) {
    ICN_TRY(eth::Receipt r, sender.wait_for_receipt(tx, deadline()));
    if (!r.status) return fail("bench: burst transaction " + to_hex(tx) + " reverted");
  }
  ICN_TRY(chain.head, eth::block_number(rpc));
  chain.fill_seconds = seconds_since(t0);
  return chain;
}

// The Registry's ABI watched at the burst contract's address: what the indexer decodes with.
Result<std::vector<WatchedContract>> watched(const Address& burst) {
  chain::Deployment d;
  d.contracts = {{"Registry", burst}};
  return load_contracts(d, ICN_ARTIFACTS_DIR);
}

// CPU time of the calling thread: what a shared VM's other load does not inflate (much).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Rate {
  uint64_t events = 0;
  double seconds = 0;
  double cpu_seconds = 0;         // store alone: this thread's CPU time
  double server_cpu_seconds = 0;  // store alone into PostgreSQL: its server process's CPU time
  double fetch_seconds = 0;       // reference only: eth_getLogs (request, answer, JSON parsing)
  double per_second() const { return seconds > 0 ? double(events) / seconds : 0; }
};

// One delivered range as the store receives it: decoded events, the checkpoint and the reorg
// window (blocks of the range, at most the follower's default 64).
struct DecodedRange {
  std::vector<IndexedEvent> events;
  eth::Checkpoint through;
  std::vector<eth::Checkpoint> window;
};

// The reference: the same eth_getLogs ranges through the same client, each log decoded as the
// indexer decodes it, nothing stored. With `keep`, the decoded ranges are kept (untimed copy) for
// the store-only figure.
Result<Rate> raw_get_logs(eth::RpcClient& rpc, const std::vector<WatchedContract>& contracts,
                          uint64_t head, uint64_t max_range,
                          std::vector<DecodedRange>* keep = nullptr) {
  Rate rate;
  size_t decoded_args = 0;
  auto t0 = Clock::now();
  for (uint64_t from = 0; from <= head; from += max_range) {
    eth::LogFilter f;
    for (const WatchedContract& c : contracts) f.addresses.push_back(c.address);
    f.from_block = eth::BlockRef::number(from);
    f.to_block = eth::BlockRef::number(std::min(head, from + max_range - 1));
    auto fetch0 = Clock::now();
    ICN_TRY(std::vector<eth::Log> logs, eth::get_logs(rpc, f));
    rate.fetch_seconds += seconds_since(fetch0);
    if (!keep) {
      for (const eth::Log& log : logs) decoded_args += decode_event(contracts, log).args.size();
    } else {
      DecodedRange range;
      for (const eth::Log& log : logs) {
        range.events.push_back(decode_event(contracts, log));
        decoded_args += range.events.back().args.size();
      }
      range.through.block_number = std::min(head, from + max_range - 1);
      if (!logs.empty()) range.through.block_hash = logs.back().block_hash;
      for (uint64_t b =
               std::max(from, range.through.block_number + 1 - std::min<uint64_t>(64, max_range));
           b <= range.through.block_number; ++b) {
        range.window.push_back({b, range.through.block_hash});
      }
      keep->push_back(std::move(range));
    }
    rate.events += logs.size();
  }
  rate.seconds = seconds_since(t0);
  if (decoded_args == 0) return fail("bench: nothing decoded");
  return rate;
}

Result<int64_t> count_rows(IndexStore& store, const std::string& sql) {
  return store.read([&](infra::SqlDatabase& db) -> Result<int64_t> {
    ICN_TRY(infra::SqlStatement st, db.prepare(sql));
    ICN_TRY(bool row, st.step());
    if (!row) return fail("bench: no row from " + sql);
    return st.column_int64(0);
  });
}

// How long the node itself takes: the same eth_getLogs requests as bytes over HTTP, nothing
// parsed — the floor under any client's rate.
Result<double> node_seconds(const std::string& rpc_url,
                            const std::vector<WatchedContract>& contracts, uint64_t head,
                            uint64_t max_range) {
  std::string host_port = rpc_url.substr(std::string("http://").size());
  size_t colon = host_port.rfind(':');
  httplib::Client client(host_port.substr(0, colon), std::stoi(host_port.substr(colon + 1)));
  client.set_keep_alive(true);
  client.set_read_timeout(60);
  auto t0 = Clock::now();
  for (uint64_t from = 0; from <= head; from += max_range) {
    eth::LogFilter f;
    for (const WatchedContract& c : contracts) f.addresses.push_back(c.address);
    f.from_block = eth::BlockRef::number(from);
    f.to_block = eth::BlockRef::number(std::min(head, from + max_range - 1));
    json body = {
        {"jsonrpc", "2.0"}, {"id", 1}, {"method", "eth_getLogs"}, {"params", {f.to_json()}}};
    auto res = client.Post("/", body.dump(), "application/json");
    if (!res || res->status != 200) return fail("bench: raw eth_getLogs POST failed");
  }
  return seconds_since(t0);
}

// The real indexer from block 0 to the head, into `store`.
Result<Rate> ingest(eth::RpcClient& rpc, IndexStore& store,
                    const std::vector<WatchedContract>& contracts, const BenchOptions& o) {
  IndexerOptions io;
  io.confirmations = 0;
  io.max_range = o.max_range;
  ICN_TRY(std::unique_ptr<Indexer> indexer, Indexer::create(rpc, store, contracts, 0, io));
  auto t0 = Clock::now();
  ICN_CHECK(indexer->sync());
  Rate rate;
  rate.seconds = seconds_since(t0);
  ICN_TRY(int64_t stored, count_rows(store, "SELECT COUNT(*) FROM events"));
  rate.events = uint64_t(stored);
  return rate;
}

// CPU seconds a process has used (user + system), from /proc; 0 when unreadable.
double process_cpu_seconds(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  uint64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

// The store alone: every decoded range stored in order into `store` (empty), as the indexer's
// sink would, with nothing fetched — the per-event cost of the database side.
Result<Rate> store_only(IndexStore& store, const std::vector<DecodedRange>& ranges) {
  Rate rate;
  // PostgreSQL: the server process serving this connection does most of the work.
  int64_t server_pid = 0;
  if (store.dialect() == infra::SqlDialect::kPostgres) {
    ICN_TRY(server_pid, count_rows(store, "SELECT pg_backend_pid()"));
  }
  double server0 = server_pid ? process_cpu_seconds(server_pid) : 0;
  auto t0 = Clock::now();
  double cpu0 = thread_cpu_seconds();
  for (const DecodedRange& r : ranges) {
    ICN_TRY(size_t added, store.store(r.events, r.through, r.window));
    rate.events += added;
  }
  rate.seconds = seconds_since(t0);
  rate.cpu_seconds = thread_cpu_seconds() - cpu0;
  if (server_pid) rate.server_cpu_seconds = process_cpu_seconds(server_pid) - server0;
  return rate;
}

struct ApiQuery {
  std::string id, label, path;
  std::string where;  // the same filter as SQL, for the reference
  std::vector<std::variant<int64_t, std::string>> params;
  int64_t limit = 100;
  size_t expect_items = 0;
};

std::vector<ApiQuery> api_queries(const BenchOptions& o) {
  int64_t n = int64_t(o.nodes);
  int64_t deep = n - 150;
  size_t cluster_nodes = 0;
  for (int64_t i = 1; i <= n; ++i) cluster_nodes += (i % int64_t(kClusters) + 1) == 7;
  return {
      {"first_page",
       "first page",
       "/v1/scalernodes",
       "",
       {},
       100,
       size_t(std::min<int64_t>(n, 100))},
      {"deep_cursor",
       "cursor near the end",
       "/v1/scalernodes?cursor=" + std::to_string(deep),
       "node_id > ?",
       {deep},
       100,
       size_t(std::min<int64_t>(n - deep, 100))},
      {"status_booked",
       "status=booked, cursor mid-way",
       "/v1/scalernodes?status=booked&cursor=" + std::to_string(n / 2),
       "status = ? AND node_id > ?",
       {std::string("booked"), n / 2},
       100,
       size_t(std::min<int64_t>((n - n / 2) / 2, 100))},
      {"cluster",
       "cluster=7",
       "/v1/scalernodes?cluster=7",
       "cluster_id = ?",
       {int64_t(7)},
       100,
       std::min<size_t>(cluster_nodes, 100)},
      {"max_page",
       "limit=500 page",
       "/v1/scalernodes?limit=500&cursor=" + std::to_string(n / 3),
       "node_id > ?",
       {n / 3},
       500,
       size_t(std::min<int64_t>(n - n / 3, 500))},
  };
}

constexpr const char* kNodeColumns =
    "node_id, name, status, hp_id, owner, daemon, cluster_id, region_id, class_id, capacity, "
    "location, reservation_price, max_booking_duration, node_reward_share, collateral, "
    "registered_block, updated_block";
constexpr int kNodeColumnCount = 17;

// The reference: the page's SELECT through the sql interface, every column read as text.
Result<size_t> direct_select(IndexStore& store, const ApiQuery& q) {
  return store.read([&](infra::SqlDatabase& db) -> Result<size_t> {
    std::string sql = std::string("SELECT ") + kNodeColumns + " FROM scaler_nodes";
    if (!q.where.empty()) sql += " WHERE " + q.where;
    sql += " ORDER BY node_id LIMIT ?";
    ICN_TRY(infra::SqlStatement st, db.prepare(sql));
    int i = 1;
    for (const auto& p : q.params) {
      if (auto* n = std::get_if<int64_t>(&p)) {
        st.bind(i++, *n);
      } else {
        st.bind(i++, std::string_view(std::get<std::string>(p)));
      }
    }
    st.bind(i, q.limit + 1);
    size_t rows = 0, bytes = 0;
    while (true) {
      ICN_TRY(bool row, st.step());
      if (!row) break;
      ++rows;
      for (int c = 0; c < kNodeColumnCount; ++c) bytes += st.column_text(c).size();
    }
    if (bytes == 0 && rows) return fail("bench: empty rows");
    return std::min<size_t>(rows, size_t(q.limit));
  });
}

struct ApiFigure {
  ApiQuery query;
  double api_ms = 0, sql_ms = 0;
};

// Each query: warm-up, then `api_requests` timed requests over one kept-alive connection and as
// many direct SELECTs; medians. The page size is checked so a broken answer cannot look fast.
Result<std::vector<ApiFigure>> measure_api(IndexStore& store, const BenchOptions& o) {
  infra::HttpServer server(infra::HttpServerOptions{});
  mount_api(server, store);
  ICN_CHECK(server.start());
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  std::vector<ApiFigure> out;
  for (const ApiQuery& q : api_queries(o)) {
    ApiFigure f;
    f.query = q;
    std::vector<double> api, sql;
    for (int i = 0; i < o.api_requests + 3; ++i) {
      auto t0 = Clock::now();
      auto res = client.Get(q.path);
      double ms = 1000 * seconds_since(t0);
      if (!res || res->status != 200) {
        return fail("bench: GET " + q.path + " failed" +
                    (res ? ": " + std::to_string(res->status) + " " + res->body : ""));
      }
      size_t items = json::parse(res->body)["items"].size();
      if (items != q.expect_items) {
        return fail("bench: GET " + q.path + " returned " + std::to_string(items) +
                    " items, expected " + std::to_string(q.expect_items));
      }
      if (i >= 3) api.push_back(ms);
    }
    for (int i = 0; i < o.api_requests + 3; ++i) {
      auto t0 = Clock::now();
      ICN_TRY(size_t rows, direct_select(store, q));
      double ms = 1000 * seconds_since(t0);
      if (rows != q.expect_items) return fail("bench: direct SELECT for " + q.id + ": wrong rows");
      if (i >= 3) sql.push_back(ms);
    }
    f.api_ms = median(api);
    f.sql_ms = median(sql);
    out.push_back(std::move(f));
  }
  server.stop();
  return out;
}

json figure(std::string id, std::string label, std::string unit, double value, double budget,
            const char* better, const std::string& ref_label, double ref_value) {
  return {{"id", std::move(id)},
          {"label", std::move(label)},
          {"unit", std::move(unit)},
          {"value", value},
          {"budget", budget},
          {"better", better},
          {"reference", {{"label", ref_label}, {"value", ref_value}}},
          {"ratio", ref_value > 0 ? value / ref_value : 0.0}};
}

struct BackendResult {
  std::string name;  // "sqlite", "postgres"
  Rate ingest;
  Rate store_only;  // the same events, pre-decoded, into an empty database
  std::vector<ApiFigure> api;
  int64_t scaler_nodes = 0;
};

// One backend: ingest the whole chain, check the projections hold every node, then the API.
Result<BackendResult> run_backend(const std::string& name, IndexStore& store,
                                  IndexStore& store_only_db, eth::RpcClient& rpc,
                                  const std::vector<WatchedContract>& contracts, const Chain& chain,
                                  const std::vector<DecodedRange>& ranges, const BenchOptions& o) {
  BackendResult r;
  r.name = name;
  ICN_TRY(r.store_only, store_only(store_only_db, ranges));
  if (r.store_only.events != chain.events) {
    return fail("bench: " + name + " store-only stored " + std::to_string(r.store_only.events) +
                " events, the chain has " + std::to_string(chain.events));
  }
  std::cerr << name << ": store alone " << r.store_only.events << " events in "
            << r.store_only.seconds << " s = " << uint64_t(r.store_only.per_second())
            << " events/s (" << 1e6 * r.store_only.seconds / double(r.store_only.events)
            << " us/event; this process's CPU "
            << 1e6 * r.store_only.cpu_seconds / double(r.store_only.events) << " us/event";
  if (r.store_only.server_cpu_seconds > 0) {
    std::cerr << ", server's CPU "
              << 1e6 * r.store_only.server_cpu_seconds / double(r.store_only.events) << " us/event";
  }
  std::cerr << ")\n";
  ICN_TRY(r.ingest, ingest(rpc, store, contracts, o));
  if (r.ingest.events != chain.events) {
    return fail("bench: " + name + " stored " + std::to_string(r.ingest.events) +
                " events, the chain has " + std::to_string(chain.events));
  }
  ICN_TRY(r.scaler_nodes, count_rows(store, "SELECT COUNT(*) FROM scaler_nodes"));
  if (uint64_t(r.scaler_nodes) != o.nodes) return fail("bench: " + name + ": wrong node count");
  ICN_TRY(r.api, measure_api(store, o));
  std::cerr << name << ": ingest " << r.ingest.events << " events in " << r.ingest.seconds
            << " s = " << uint64_t(r.ingest.per_second()) << " events/s\n";
  return r;
}

Status run(const BenchOptions& o) {
  std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / ("icn-indexer-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(tmp);
  struct Cleanup {
    std::filesystem::path p;
    ~Cleanup() { std::filesystem::remove_all(p); }
  } cleanup{tmp};

  infra::AnvilOptions ao;
  ao.binary = std::filesystem::path(ICN_EVM_TOOLS) / "@foundry-rs/anvil-linux-amd64/bin/anvil";
  ICN_TRY(infra::Anvil anvil, infra::Anvil::start(ao));
  eth::RpcClient rpc(anvil.rpc_url());
  ICN_TRY(Chain chain, fill_chain(rpc, o));
  std::cerr << "chain: " << chain.events << " events in " << chain.head << " blocks (filled in "
            << chain.fill_seconds << " s)\n";
  ICN_TRY(std::vector<WatchedContract> contracts, watched(chain.burst));

  // The reference before and after each backend: its best run (the noise of a shared VM only
  // ever slows a run down).
  std::vector<Rate> refs;
  std::vector<DecodedRange> ranges;  // from the first reference run
  auto reference = [&]() -> Status {
    ICN_TRY(Rate r, raw_get_logs(rpc, contracts, chain.head, o.max_range,
                                 ranges.empty() ? &ranges : nullptr));
    if (r.events != chain.events) return fail("bench: eth_getLogs returned a wrong event count");
    refs.push_back(r);
    return {};
  };
  ICN_CHECK(reference());
  ICN_TRY(double node_s, node_seconds(anvil.rpc_url(), contracts, chain.head, o.max_range));
  std::cerr << "node alone (eth_getLogs bytes, unparsed): " << node_s
            << " s = " << uint64_t(double(chain.events) / node_s) << " events/s\n";
  std::vector<BackendResult> backends;
  {
    ICN_TRY(std::unique_ptr<IndexStore> store, IndexStore::open(tmp / "index.db"));
    ICN_TRY(std::unique_ptr<IndexStore> alone, IndexStore::open(tmp / "store-only.db"));
    ICN_TRY(BackendResult r,
            run_backend("sqlite", *store, *alone, rpc, contracts, chain, ranges, o));
    backends.push_back(std::move(r));
  }
  ICN_CHECK(reference());
  std::string postgres_skipped;
  if (o.postgres) {
    if (auto bin = infra::find_postgres_bin_dir(); !bin) {
      postgres_skipped = bin.error().message;
    } else {
      infra::PostgresServerOptions po;
      po.dir = tmp / "pg";
      ICN_TRY(std::unique_ptr<infra::PostgresServer> pg, infra::PostgresServer::start(po));
      ICN_CHECK(pg->create_database("bench"));
      ICN_CHECK(pg->create_database("bench_store_only"));
      ICN_TRY(std::unique_ptr<IndexStore> store, IndexStore::open_db(pg->url("bench")));
      ICN_TRY(std::unique_ptr<IndexStore> alone, IndexStore::open_db(pg->url("bench_store_only")));
      ICN_TRY(BackendResult r,
              run_backend("postgres", *store, *alone, rpc, contracts, chain, ranges, o));
      backends.push_back(std::move(r));
      ICN_CHECK(reference());
    }
  } else {
    postgres_skipped = "--no-postgres";
  }
  Rate ref = *std::max_element(refs.begin(), refs.end(), [](const Rate& a, const Rate& b) {
    return a.per_second() < b.per_second();
  });

  json figures = json::array();
  json details = {{"machine", "shared 2-core VM"},
                  {"events", chain.events},
                  {"blocks", chain.head},
                  {"scaler_nodes", o.nodes},
                  {"max_range_blocks", o.max_range},
                  {"chain_fill_s", chain.fill_seconds},
                  {"node_only_events_per_s", double(chain.events) / node_s},
                  {"raw_get_logs_runs_per_s", json::array()},
                  {"backends", json::object()}};
  for (const Rate& r : refs) {
    details["raw_get_logs_runs_per_s"].push_back(r.per_second());
    std::cerr << "reference: " << r.events << " events in " << r.seconds << " s (eth_getLogs "
              << r.fetch_seconds << " s, decode " << r.seconds - r.fetch_seconds << " s)\n";
  }
  const std::string ref_label = "raw eth_getLogs + decode, same client and range";
  for (const BackendResult& b : backends) {
    figures.push_back(figure("indexer.ingest." + b.name, "indexer ingest into " + b.name,
                             "events/s", b.ingest.per_second(), kIngestBudget, "higher", ref_label,
                             ref.per_second()));
    json api = json::array();
    for (const ApiFigure& f : b.api) {
      figures.push_back(figure("indexer.api.scalernodes." + f.query.id + "." + b.name,
                               "/v1/scalernodes " + f.query.label + " (" + std::to_string(o.nodes) +
                                   " nodes, " + b.name + ")",
                               "ms", f.api_ms, kApiBudgetMs, "lower",
                               "the same SELECT through the sql interface", f.sql_ms));
      api.push_back({{"path", f.query.path}, {"api_ms", f.api_ms}, {"sql_ms", f.sql_ms}});
    }
    details["backends"][b.name] = {
        {"ingest_events", b.ingest.events},
        {"ingest_s", b.ingest.seconds},
        {"store_only_events_per_s", b.store_only.per_second()},
        {"store_only_us_per_event", 1e6 * b.store_only.seconds / double(b.store_only.events)},
        {"store_only_cpu_us_per_event",
         1e6 * b.store_only.cpu_seconds / double(b.store_only.events)},
        {"store_only_server_cpu_us_per_event",
         1e6 * b.store_only.server_cpu_seconds / double(b.store_only.events)},
        {"api", api}};
  }
  if (!postgres_skipped.empty()) details["postgres_skipped"] = postgres_skipped;
  std::cout << json{{"figures", figures}, {"details", details}}.dump() << "\n";
  for (const json& f : figures) {
    std::fprintf(stderr, "%-62s %10.2f %-8s ref %10.2f  ratio %.3f  budget %g %s\n",
                 f["label"].get<std::string>().c_str(), f["value"].get<double>(),
                 f["unit"].get<std::string>().c_str(), f["reference"]["value"].get<double>(),
                 f["ratio"].get<double>(), f["budget"].get<double>(),
                 (f["better"] == "higher" ? f["value"].get<double>() >= f["budget"].get<double>()
                                          : f["value"].get<double>() <= f["budget"].get<double>())
                     ? "met"
                     : "NOT MET");
  }
  return {};
}

}  // namespace
}  // namespace icn::indexer

int main(int argc, char** argv) {
  icn::indexer::BenchOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto number = [&]() -> uint64_t {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return std::stoull(argv[++i]);
    };
    if (a == "--nodes") {
      o.nodes = number();
    } else if (a == "--nodes-per-tx") {
      o.nodes_per_tx = std::max<uint64_t>(1, number());
    } else if (a == "--max-range") {
      o.max_range = std::max<uint64_t>(1, number());
    } else if (a == "--no-postgres") {
      o.postgres = false;
    } else {
      std::cerr << "usage: icn_indexer_bench [--nodes N] [--nodes-per-tx N] [--max-range BLOCKS] "
                   "[--no-postgres]\n";
      return 2;
    }
  }
  icn::Status s = icn::indexer::run(o);
  if (!s) {
    std::cerr << "icn_indexer_bench: " << s.error().message << "\n";
    return 1;
  }
  return 0;
}
