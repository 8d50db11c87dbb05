// `icn satellite`: config keys and the process loop.
#include "icn/satellite/process.hpp"

#include <spdlog/spdlog.h>

#include "icn/infra/data_dir.hpp"
#include "icn/infra/log.hpp"

namespace icn::satellite {

Result<SatelliteConfig> read_satellite_config(infra::Config& config) {
  using std::chrono::milliseconds;
  SatelliteConfig c;
  const std::string& file = config.name();
  if (!config.has("data_dir")) return fail(file + ": data_dir is required");
  if (!config.has("deployment")) return fail(file + ": deployment is required");
  if (!config.has("key_file")) return fail(file + ": key_file is required");
  ICN_TRY(c.data_dir, config.path("data_dir", {}));
  ICN_TRY(c.deployment, config.path("deployment", {}));
  ICN_TRY(c.key_file, config.path("key_file", {}));
  if (config.has("password_file")) {
    ICN_TRY(auto p, config.path("password_file", {}));
    c.password_file = p;
  }
  ICN_TRY(auto listen, config.listen("listen", "127.0.0.1:7400"));
  c.listen_host = listen.host;
  c.listen_port = listen.port;
  ICN_TRY(c.rpc, config.url("rpc", c.rpc));
  ICN_TRY(c.log_level, config.string("log_level", c.log_level));
  ICN_TRY(int64_t body,
          config.integer("max_body_bytes", int64_t(c.max_body_bytes), 1024, int64_t(256) << 20));
  c.max_body_bytes = size_t(body);
  c.options.wire_limits.max_text_bytes = c.max_body_bytes;
  ICN_TRY(c.options.peers, config.url_list("peers"));
  ICN_TRY(int64_t grace, config.integer("grace_blocks", 5, 0, 1'000'000));
  c.options.grace_blocks = uint64_t(grace);
  ICN_TRY(int64_t fill,
          config.integer("fill_blocks", int64_t(c.options.fill_blocks), 0, 1'000'000));
  c.options.fill_blocks = uint64_t(fill);
  ICN_TRY(c.options.fill_timeout, config.duration("fill_timeout", c.options.fill_timeout,
                                                  milliseconds(100), milliseconds(600'000)));
  ICN_TRY(int64_t retention, config.integer("retention_eras", 0, 0, INT64_MAX));
  c.options.retention_eras = uint64_t(retention);
  ICN_TRY(int64_t timeout, config.integer("submit_timeout_blocks", 10, 1, 1'000'000));
  c.options.submit_timeout_blocks = uint64_t(timeout);
  if (config.has("first_era")) {
    ICN_TRY(int64_t first, config.integer("first_era", 0, 0, INT64_MAX));
    c.first_era = uint64_t(first);
    c.options.first_era = uint64_t(first);
  }
  if (config.has("artifacts")) {
    ICN_TRY(auto a, config.path("artifacts", {}));
    c.artifacts = a;
  }
  ICN_TRY(c.submit, config.boolean("submit", true));
  ICN_TRY(c.options.poll_interval, config.duration("poll_interval", milliseconds(1000),
                                                   milliseconds(50), milliseconds(600'000)));
  ICN_TRY(c.options.push_backoff_initial, config.duration("push_backoff", milliseconds(500),
                                                          milliseconds(10), milliseconds(600'000)));
  ICN_CHECK(config.check_unknown_keys());
  return c;
}

Status run_satellite(const SatelliteConfig& config, chain::ChainView& chain,
                     const PrivateKey& signer, EconomicsSource& economics,
                     MaintenanceSource& maintenance, Submitter* submitter,
                     const infra::StopFlag& stop,
                     const std::function<void(const std::string&)>& on_listening) {
  ICN_TRY(infra::DataDir dir, infra::DataDir::open(config.data_dir));
  infra::LogOptions log;
  log.role = "satellite";
  log.level = config.log_level;
  log.file = dir / "satellite.log";
  ICN_CHECK(infra::setup_logging(log));
  ICN_TRY(BatchStore store, BatchStore::open(dir / "satellite.db"));

  infra::MetricsRegistry metrics;
  Satellite satellite(chain, store, signer, economics, maintenance, submitter, metrics,
                      config.options);
  infra::HttpServerOptions http;
  http.host = config.listen_host;
  http.port = config.listen_port;
  http.max_body_bytes = config.max_body_bytes;
  http.route_observer = infra::http_metrics_observer(metrics, "icn_satellite");
  infra::HttpServer server(http);
  satellite.mount(server);
  infra::mount_metrics(server, metrics);
  ICN_CHECK(server.start());
  spdlog::info("satellite: {} serving on {}, {} peer(s), grace {} blocks, first era {}",
               signer.address().checksummed(), server.url(), config.options.peers.size(),
               config.options.grace_blocks, config.options.first_era);
  if (!submitter) spdlog::warn("satellite: no commitEra submitter: this satellite never submits");
  if (on_listening) on_listening(server.url());
  satellite.run(stop);
  spdlog::info("satellite: stopping ({})", stop.reason());
  server.stop();
  return {};
}

}  // namespace icn::satellite
