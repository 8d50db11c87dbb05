// run_hypernode: the process around ChallengeService.
#include "icn/hypernode/hypernode.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "icn/hypernode/challenge_service.hpp"
#include "icn/hypernode/era_batches.hpp"
#include "icn/hypernode/http_api.hpp"
#include "icn/hypernode/store.hpp"
#include "icn/infra/data_dir.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"

namespace icn::hypernode {

using std::chrono::milliseconds;

Result<HyperNodeConfig> read_hypernode_config(infra::Config& config) {
  HyperNodeConfig c;
  const std::string& name = config.name();
  // Checked first: Config::path has no default to fall back on for these.
  for (const char* key : {"data_dir", "deployment", "key_file", "hypernode_id"}) {
    if (!config.has(key)) return fail(name + ": " + key + " is required");
  }
  ICN_TRY(c.data_dir, config.path("data_dir", ""));
  ICN_TRY(auto listen,
          config.listen("listen", c.listen_host + ":" + std::to_string(c.listen_port)));
  c.listen_host = listen.host;
  c.listen_port = listen.port;
  ICN_TRY(c.rpc_url, config.url("rpc", c.rpc_url));
  ICN_TRY(c.deployment_file, config.path("deployment", ""));
  if (config.has("artifacts")) {
    ICN_TRY(c.artifacts_dir, config.path("artifacts", ""));
  }
  ICN_TRY(c.key_file, config.path("key_file", ""));
  if (config.has("password_file")) {
    ICN_TRY(c.password_file, config.path("password_file", ""));
  }
  ICN_TRY(std::string id, config.string("hypernode_id", ""));
  ICN_TRY(c.satellites, config.url_list("satellites"));
  ICN_TRY(c.log_level, config.string("log_level", c.log_level));
  ICN_TRY(c.poll_interval,
          config.duration("poll_interval", c.poll_interval, milliseconds(50), milliseconds(60000)));
  ICN_TRY(c.batch_first_retry, config.duration("batches.first_retry", c.batch_first_retry,
                                               milliseconds(10), milliseconds(3'600'000)));
  ICN_TRY(c.batch_max_retry, config.duration("batches.max_retry", c.batch_max_retry,
                                             milliseconds(10), milliseconds(86'400'000)));
  ICN_TRY(int64_t threads, config.integer("http_threads", c.http_threads, 1, 256));
  c.http_threads = unsigned(threads);
  for (auto [prefix, bucket] : {std::pair{"rate_limit.node_", &c.rate_limit.per_node},
                                std::pair{"rate_limit.ip_", &c.rate_limit.per_ip}}) {
    ICN_TRY(int64_t burst,
            config.integer(std::string(prefix) + "burst", bucket->burst, 1, 1'000'000));
    bucket->burst = uint32_t(burst);
    ICN_TRY(bucket->refill_every,
            config.duration(std::string(prefix) + "refill", bucket->refill_every, milliseconds(1),
                            milliseconds(3'600'000)));
  }
  ICN_CHECK(config.check_unknown_keys());

  auto parsed = parse_u256(id);
  if (!parsed || *parsed == 0 || id != to_decimal(*parsed)) {
    return fail(name + ": hypernode_id = \"" + id +
                "\": expected a decimal HyperNode id without leading zeros, above 0");
  }
  c.hyper_node_id = *parsed;
  if (c.batch_max_retry < c.batch_first_retry) {
    return fail(name + ": [batches] max_retry is below first_retry");
  }
  return c;
}

namespace {

// Refuses to serve with a key that is not the HyperNode's signer: every answer would be
// worthless to the satellites.
Status check_registration(chain::ChainView& chain, const U256& id, const Address& signer) {
  ICN_TRY_CTX(uint64_t head, chain.head_block(), "reading the chain");
  ICN_TRY_CTX(auto info, chain.hyper_node(id, head), "reading HyperNode " + to_decimal(id));
  if (!info) {
    spdlog::warn("HyperNode {} is not registered at block {}; answering anyway", to_decimal(id),
                 head);
    return {};
  }
  if (info->signer != signer) {
    return fail("HyperNode " + to_decimal(id) + " is registered with signing key " +
                info->signer.checksummed() + ", the key file holds " + signer.checksummed());
  }
  if (!info->active) spdlog::warn("HyperNode {} is not active (no Link staked)", to_decimal(id));
  return {};
}

}  // namespace

Status run_hypernode(const HyperNodeConfig& config, chain::ChainView& chain, const PrivateKey& key,
                     const std::string& version, infra::StopFlag& stop, RunHooks hooks) {
  ICN_TRY(infra::DataDir data_dir, infra::DataDir::open(config.data_dir));
  ICN_TRY(std::unique_ptr<HyperNodeStore> store, HyperNodeStore::open(data_dir / "hypernode.db"));
  ICN_CHECK(check_registration(chain, config.hyper_node_id, key.address()));

  UnixClock clock = system_unix_ms;
  ChallengeService service(chain, *store, config.hyper_node_id, key, clock);
  Status first = service.refresh();
  if (!first) spdlog::warn("chain: {} (will retry)", first.error().message);

  infra::MetricsRegistry registry;
  HyperNodeMetrics metrics(registry);
  infra::HttpServerOptions http;
  http.host = config.listen_host;
  http.port = config.listen_port;
  http.max_body_bytes = kMaxChallengeBodyBytes;
  http.worker_threads = config.http_threads;
  http.route_observer = infra::http_metrics_observer(registry, "icn_hypernode");
  infra::HttpServer server(http);
  ChallengeLimits limits(config.rate_limit);
  mount_hypernode_api(server, service, metrics, registry, &limits);
  ICN_CHECK(server.start());
  spdlog::info("HyperNode {} (signer {}) serving on {}", to_decimal(config.hyper_node_id),
               key.address().checksummed(), server.url());
  if (hooks.on_listening) hooks.on_listening(server.url());

  ICN_CHECK(store->ensure_deliveries(config.satellites, clock()));
  EraBatcher batcher(service, *store, key, version, config.satellites, clock);
  BatchSenderOptions sender_options;
  sender_options.satellites = config.satellites;
  sender_options.first_retry = config.batch_first_retry;
  sender_options.max_retry = config.batch_max_retry;
  BatchSender sender(*store, sender_options, clock);

  // Deliveries may wait on slow satellites: they get their own thread so the era loop never
  // falls behind the chain.
  std::thread delivery_loop([&] {
    while (true) {
      auto round = sender.deliver_due();
      if (!round) {
        spdlog::error("batch delivery: {}", round.error().message);
      } else {
        metrics.deliveries.with({"delivered"}).inc(double(round->delivered));
        metrics.deliveries.with({"failed"}).inc(double(round->failed));
        for (const auto& e : round->errors) spdlog::warn("batch delivery: {}", e);
      }
      if (auto pending = store->undelivered_count()) {
        metrics.deliveries_pending.set(double(*pending));
      }
      if (stop.wait_for(config.poll_interval)) return;
    }
  });

  uint64_t last_era = 0;
  while (true) {
    Status refreshed = service.refresh();
    if (!refreshed) spdlog::warn("chain: {}", refreshed.error().message);
    ServiceStatus s = service.status();
    if (s.ready) {
      if (s.era != last_era) spdlog::info("era {} (ends at block {})", s.era, s.era_end_block);
      last_era = s.era;
      metrics.era.set(double(s.era));
      metrics.answered_this_era.set(double(s.answered_this_era));
      auto spooled = batcher.spool_ended_eras();
      if (!spooled) {
        spdlog::error("era batch: {}", spooled.error().message);
      } else {
        for (uint64_t era : *spooled) {
          metrics.batches_spooled.inc();
          spdlog::info("era {} batch spooled for {} satellite(s)", era, config.satellites.size());
        }
      }
    }
    if (stop.wait_for(config.poll_interval)) break;
  }
  spdlog::info("stopping: {}", stop.reason());
  server.stop();
  delivery_loop.join();
  return {};
}

}  // namespace icn::hypernode
