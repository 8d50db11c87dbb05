// run_indexer_service: everything is checked (data dir lock, database, deployment, artifacts,
// chain id, listen address) before the follower starts, so a misconfiguration fails at once.
#include "icn/indexer/service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "icn/eth/rpc_types.hpp"
#include "icn/indexer/api.hpp"
#include "icn/indexer/event_stream.hpp"
#include "icn/infra/data_dir.hpp"
#include "icn/infra/files.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/postgres.hpp"

namespace icn::indexer {

Status run_indexer_service(const IndexerServiceOptions& options, infra::StopFlag& stop,
                           const std::function<void(const std::string&)>& on_ready) {
  ICN_TRY(infra::DataDir dir, infra::DataDir::open(options.data_dir));
  std::string db = options.db.empty() ? (dir / "index.db").string() : options.db;
  ICN_TRY_CTX(std::unique_ptr<IndexStore> store, IndexStore::open_db(db),
              "indexer database " + infra::redact_url(db));
  ICN_TRY(std::string deployment_text, infra::read_file(options.deployment, 1 << 20));
  ICN_TRY_CTX(chain::Deployment deployment, chain::Deployment::parse(deployment_text),
              options.deployment.string());
  ICN_TRY(std::vector<WatchedContract> contracts, load_contracts(deployment, options.artifacts));

  ConsoleOptions console = options.console;
  if (console.rpc_url.empty()) console.rpc_url = options.rpc_url;
  console.satellites = options.era_results.satellites;
  ICN_TRY(nlohmann::json console_doc, console_config(deployment, console));

  eth::RpcClient rpc(options.rpc_url);
  ICN_TRY_CTX(uint64_t chain, eth::chain_id(rpc), "indexer: rpc " + options.rpc_url);
  if (chain != deployment.chain_id) {
    return fail("indexer: " + options.deployment.string() + " is a deployment on chain " +
                std::to_string(deployment.chain_id) + " but " + options.rpc_url + " is chain " +
                std::to_string(chain));
  }

  infra::MetricsRegistry metrics;
  IndexerMetrics indexer_metrics(metrics);
  EraResultsMetrics era_metrics(metrics);
  ICN_TRY(std::unique_ptr<Indexer> indexer,
          Indexer::create(rpc, *store, std::move(contracts), deployment.deploy_block,
                          options.indexer, &indexer_metrics));

  infra::HttpServerOptions http;
  http.host = options.listen_host;
  http.port = options.listen_port;
  http.route_observer = infra::http_metrics_observer(metrics, "icn_indexer");
  // Event streams hold a worker each: at most half the pool, so the REST API always answers.
  EventStreamOptions stream_options;
  stream_options.max_streams = std::max(1u, http.worker_threads / 2);
  EventStream events(*store, stream_options);
  infra::HttpServer server(http);
  Indexer* idx = indexer.get();
  ApiOptions api;
  api.head = [idx]() -> std::optional<uint64_t> {
    uint64_t head = idx->head();
    return head == 0 ? std::nullopt : std::optional<uint64_t>(head);
  };
  api.events = &events;
  idx->on_reorg([&events](uint64_t from_block, const eth::Checkpoint& ancestor) {
    events.reorg({from_block, ancestor});
  });
  mount_api(server, *store, api);
  mount_console(server, console, std::move(console_doc));
  infra::mount_metrics(server, metrics);
  ICN_CHECK(server.start());
  spdlog::info("indexer: serving {} ; following {} contracts from block {} (confirmations {})",
               server.url(), deployment.contracts.size(), deployment.deploy_block,
               options.indexer.confirmations);
  if (on_ready) on_ready(server.url());

  std::thread follower([&] {
    idx->run(stop, options.poll_interval,
             [](const Error& e) { spdlog::warn("indexer: {} (retrying)", e.message); });
  });
  // Era results on their own thread: satellites being slow or down never hold back ingest.
  EraResultsFollower era_results(*store, options.era_results, &era_metrics);
  std::thread era_follower;
  if (!options.era_results.satellites.empty()) {
    era_follower = std::thread([&] {
      era_results.run(stop, [](const Error& e) {
        spdlog::warn("indexer: era results: {} (retrying with backoff)", e.message);
      });
    });
  }
  stop.wait();
  follower.join();
  if (era_follower.joinable()) era_follower.join();
  events.close();  // streams end cleanly before the server waits for its workers
  server.stop();
  spdlog::info("indexer: stopped ({})", stop.reason());
  return {};
}

}  // namespace icn::indexer
