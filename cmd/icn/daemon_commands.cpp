// `icn daemon --config daemon.toml`: the ScalerNode daemon — challenges every HyperNode each era
// and reports the era's batch to the satellites (icn/daemon).
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <random>

#include "cmd/icn/commands.hpp"
#include "cmd/icn/daemon_bookings.hpp"
#include "icn/chain/deployment.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/daemon/daemon.hpp"
#include "icn/daemon/host_monitor.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/data_dir.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/key_file.hpp"
#include "icn/infra/log.hpp"
#include "icn/infra/signals.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::cmd {
namespace {

struct DaemonCommandOptions {
  std::string config;
};
DaemonCommandOptions g_daemon;

// Everything daemon.toml says (docs/daemon.md lists the keys).
struct DaemonConfig {
  std::filesystem::path data_dir;
  std::string rpc;
  std::filesystem::path deployment;
  std::filesystem::path artifacts;
  std::filesystem::path key_file;
  std::filesystem::path password_file;  // empty: $ICN_KEYSTORE_PASSWORD
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 9300;
  std::string log_level;
  daemon::DaemonOptions options;
  BookingsConfig bookings;          // [provisioner], [bookings]
  daemon::HostMonitorOptions host;  // [host]
};

Result<DaemonConfig> load_config(const std::filesystem::path& file) {
  ICN_TRY(infra::Config c, infra::Config::load(file));
  using std::chrono::milliseconds;
  DaemonConfig out;
  ICN_TRY(out.data_dir, c.path("data_dir", "daemon-data"));
  ICN_TRY(out.rpc, c.url("rpc", "http://127.0.0.1:8545"));
  ICN_TRY(out.deployment, c.path("deployment", "deployment.json"));
  ICN_TRY(out.artifacts, c.path("artifacts", "artifacts"));
  ICN_TRY(out.key_file, c.path("daemon_key_file", "daemon.key"));
  if (c.has("password_file")) {
    ICN_TRY(out.password_file, c.path("password_file", ""));
  }
  ICN_TRY(std::string id, c.string("scaler_node_id", ""));
  if (id.empty()) return fail(c.name() + ": scaler_node_id is required (the node's registry id)");
  ICN_TRY_CTX(out.options.scaler_node_id, parse_u256(id), c.name() + ": scaler_node_id");
  ICN_TRY(out.options.satellites, c.url_list("satellites"));
  if (out.options.satellites.empty()) {
    return fail(c.name() + ": satellites is required (the committee's base URLs)");
  }
  ICN_TRY(auto listen, c.listen("listen", "127.0.0.1:9300"));
  out.listen_host = listen.host;
  out.listen_port = listen.port;
  ICN_TRY(out.log_level, c.string("log_level", "info"));
  ICN_TRY(out.options.poll_interval,
          c.duration("poll_interval", milliseconds(1000), milliseconds(50), milliseconds(60000)));
  auto& ch = out.options.challenge;
  ICN_TRY(ch.timeout, c.duration("challenge.timeout", milliseconds(5000), milliseconds(100),
                                 milliseconds(60000)));
  ICN_TRY(int64_t retries, c.integer("challenge.retries", 3, 0, 10));
  ch.retries = static_cast<int>(retries);
  ICN_TRY(ch.first_retry, c.duration("challenge.first_retry", milliseconds(1000), milliseconds(1),
                                     milliseconds(60000)));
  ICN_CHECK(daemon::read_host_config(c, out.data_dir, out.host));
  out.options.version = "icn/" + std::string(kVersion);
  ICN_TRY(out.bookings, load_bookings_config(c, out.data_dir));
  ICN_CHECK(c.check_unknown_keys());
  return out;
}

Result<std::string> run_daemon() {
  ICN_TRY(DaemonConfig config, load_config(g_daemon.config));
  ICN_TRY(infra::DataDir data, infra::DataDir::open(config.data_dir));
  ICN_CHECK(infra::setup_logging(
      {.role = "daemon", .level = config.log_level, .file = data / "daemon.log"}));
  ICN_TRY(PrivateKey key, load_key(config.key_file.string(), config.password_file.string()));

  ICN_TRY(std::string deployment_text, infra::read_file(config.deployment, 1 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(deployment_text),
              config.deployment.string());
  eth::RpcClient rpc(config.rpc);
  ICN_TRY(chain::ProtocolReader reader,
          chain::ProtocolReader::open(rpc, deployment, config.artifacts));

  // A daemon key the registry does not name gets every challenge refused: say so at once.
  if (auto head = reader.head_block()) {
    auto node = reader.scaler_node(config.options.scaler_node_id, *head);
    if (!node) {
      spdlog::warn("cannot read ScalerNode {}: {}", to_decimal(config.options.scaler_node_id),
                   node.error().message);
    } else if (!node->has_value()) {
      spdlog::warn("ScalerNode {} is not registered (yet)",
                   to_decimal(config.options.scaler_node_id));
    } else if ((*node)->daemon != key.address()) {
      return fail("ScalerNode " + to_decimal(config.options.scaler_node_id) + " names daemon key " +
                  (*node)->daemon.checksummed() + ", not this key's " +
                  key.address().checksummed());
    }
  }

  ICN_TRY(infra::Database db, infra::Database::open(data / "daemon.db"));
  ICN_CHECK(infra::migrate(db, daemon::daemon_migrations()));

  infra::StopFlag stop;
  ICN_TRY(auto watcher, infra::SignalWatcher::install(stop));
  infra::MetricsRegistry registry;
  daemon::DaemonMetrics metrics(registry);
  daemon::HostMonitor host(config.host, registry);
  report::CurlHttpPoster poster;
  std::random_device seed;  // getrandom underneath on Linux
  std::mt19937_64 rng((static_cast<uint64_t>(seed()) << 32) ^ seed());
  daemon::Daemon d(reader, db, key, config.options, metrics, poster, report::system_unix_ms, rng);

  infra::HttpServerOptions http;
  http.host = config.listen_host;
  http.port = config.listen_port;
  http.max_body_bytes = 4096;  // GET only
  http.route_observer = infra::http_metrics_observer(registry, "icn_daemon");
  infra::HttpServer server(http);
  daemon::mount_daemon_api(server, d, registry);
  ICN_TRY(std::unique_ptr<BookingsRunner> bookings,
          BookingsRunner::start(config.bookings, config.rpc, deployment, config.artifacts,
                                data / "daemon.db", config.options.scaler_node_id,
                                config.options.poll_interval, registry));
  daemon::mount_bookings_api(server, bookings->follower());
  daemon::mount_host_api(server, host);
  ICN_CHECK(server.start());
  spdlog::info("daemon of ScalerNode {} ({}) on chain {}: status at {}/v1/status, {} satellites",
               to_decimal(config.options.scaler_node_id), key.address().checksummed(),
               reader.chain_id(), server.url(), config.options.satellites.size());
  daemon::start_host_monitor(host, reader, config.options.scaler_node_id);
  d.run(stop);
  host.stop();
  server.stop();
  return "stopped: " + stop.reason();
}

}  // namespace

void add_daemon_commands(CLI::App& app) {
  auto* d = app.add_subcommand(
      "daemon",
      "Run a ScalerNode's daemon: challenge every HyperNode each era and report the "
      "era's batch to the satellites");
  d->add_option("--config", g_daemon.config, "daemon.toml (docs/daemon.md)")->required();
  d->callback([] { emit(run_daemon()); });
}

}  // namespace icn::cmd
