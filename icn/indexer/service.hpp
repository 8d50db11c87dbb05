// The `icn indexer` process: data dir, store, follower thread, REST API and /metrics, until
// stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "icn/indexer/console_files.hpp"
#include "icn/indexer/era_results.hpp"
#include "icn/indexer/indexer.hpp"
#include "icn/infra/signals.hpp"

namespace icn::indexer {

struct IndexerServiceOptions {
  std::filesystem::path data_dir;  // locked; holds index.db (unless `db` is set) and indexer.log
  // "postgres://…" to store in PostgreSQL, or a SQLite file; empty: <data_dir>/index.db.
  std::string db;
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8600;  // 0: any free port (tests)
  std::string rpc_url = "http://127.0.0.1:8545";
  std::filesystem::path deployment;  // deployment.json
  std::filesystem::path artifacts;   // <Contract>.json for every contract of the deployment
  IndexerOptions indexer;
  std::chrono::milliseconds poll_interval{1000};
  // The console (docs/console.md): /v1/console-config always; static files when console.dir is
  // set. console.rpc_url defaults to rpc_url; its claim proxy reads era_results.satellites.
  ConsoleOptions console;
  // Satellites to read era results from (empty: no era results, /v1/eras counts stay null).
  EraResultsOptions era_results;
};

// Runs until `stop` is requested. Refuses a deployment on another chain than the RPC's.
// `on_ready` gets the API's URL once it serves ("http://127.0.0.1:8600").
Status run_indexer_service(const IndexerServiceOptions& options, infra::StopFlag& stop,
                           const std::function<void(const std::string&)>& on_ready = {});

}  // namespace icn::indexer
