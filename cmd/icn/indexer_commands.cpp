// `icn indexer --config indexer.toml [--db postgres://…]`: the protocol's events into SQLite or
// PostgreSQL, served as a REST API.
#include <filesystem>
#include <iostream>

#include "cmd/icn/commands.hpp"
#include "icn/indexer/service.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/log.hpp"
#include "icn/infra/sql.hpp"

namespace icn::cmd {
namespace {

std::string g_indexer_config;
std::string g_indexer_db;

// "127.0.0.1:8600" → host and port.
Result<std::string> run_indexer_command() {
  ICN_TRY(infra::Config config, infra::Config::load(g_indexer_config));
  indexer::IndexerServiceOptions o;
  ICN_TRY(o.data_dir, config.path("data_dir", "indexer-data"));
  ICN_TRY(auto listen, config.listen("listen", "127.0.0.1:8600"));
  o.listen_host = listen.host;
  o.listen_port = listen.port;
  ICN_TRY(o.rpc_url, config.url("rpc", "http://127.0.0.1:8545"));
  ICN_TRY(o.deployment, config.path("deployment", "deployment.json"));
  ICN_TRY(o.artifacts, config.path("artifacts", "artifacts"));
  ICN_TRY(int64_t confirmations, config.integer("confirmations", 2, 0, 10000));
  o.indexer.confirmations = uint64_t(confirmations);
  ICN_TRY(int64_t max_range, config.integer("max_range", 2000, 1, 100000));
  o.indexer.max_range = uint64_t(max_range);
  ICN_TRY(int64_t window, config.integer("reorg_window", 64, 1, 100000));
  o.indexer.reorg_window = size_t(window);
  ICN_TRY(o.poll_interval, config.duration("poll_interval", std::chrono::seconds(1),
                                           std::chrono::milliseconds(50), std::chrono::hours(1)));
  ICN_TRY(o.era_results.satellites, config.url_list("satellites"));
  ICN_TRY(o.era_results.interval,
          config.duration("era_results_interval", std::chrono::seconds(2),
                          std::chrono::milliseconds(50), std::chrono::hours(1)));
  ICN_TRY(o.db, config.string("db", ""));
  if (!g_indexer_db.empty()) o.db = g_indexer_db;  // the flag wins over the file
  if (!o.db.empty() && !infra::is_postgres_url(o.db)) {
    ICN_TRY(o.db, config.path("db", ""));  // a SQLite file: relative to the config's directory
    if (!g_indexer_db.empty()) o.db = g_indexer_db;
  }
  // The console (docs/console.md): its files, and on a devnet the accounts of its devnet wallet.
  indexer::ConsoleOptions& console = o.console;
  ICN_TRY(std::string console_dir, config.string("console_dir", ""));
  if (!console_dir.empty()) {
    ICN_TRY(console.dir, config.path("console_dir", ""));
  }
  ICN_TRY(std::string accounts, config.string("console_devnet_accounts", ""));
  if (!accounts.empty()) {
    ICN_TRY(console.devnet_accounts, config.path("console_devnet_accounts", ""));
  }
  ICN_TRY(console.rpc_url, config.string("console_rpc", ""));
  ICN_TRY(std::string level, config.string("log_level", "info"));
  ICN_CHECK(config.check_unknown_keys());

  // The log file lives in the data dir, which the service would create only after logging starts.
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return fail("data_dir " + o.data_dir.string() + ": " + ec.message());
  ICN_CHECK(infra::setup_logging({"indexer", level, o.data_dir / "indexer.log", true}));
  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  ICN_CHECK(indexer::run_indexer_service(
      o, stop, [](const std::string& url) { std::cout << url << std::endl; }));
  return std::string("stopped: " + stop.reason());
}

}  // namespace

void add_indexer_commands(CLI::App& app) {
  auto* c = app.add_subcommand(
      "indexer",
      "Follow the protocol's events into SQLite and serve them as a REST API (/v1/…, /metrics); "
      "prints the API's URL once it serves");
  c->add_option("--config", g_indexer_config, "indexer TOML (docs/indexer.md)")->required();
  c->add_option("--db", g_indexer_db,
                "postgres://user@host:port/database to store in PostgreSQL, or a SQLite file "
                "(default: the config's `db`, else <data_dir>/index.db)");
  c->callback([] { emit(run_indexer_command()); });
}

}  // namespace icn::cmd
