// The ScalerNode daemon's era loop: follow the head, challenge the era's HyperNodes at its random
// moment, report every ended era's batch and deliver the outbox to the satellites; its HTTP
// status and metrics.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/daemon/challenge_store.hpp"
#include "icn/daemon/challenger.hpp"
#include "icn/daemon/daemon_metrics.hpp"
#include "icn/daemon/era_reporter.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/signals.hpp"
#include "icn/report/outbox.hpp"

namespace icn::daemon {

struct DaemonOptions {
  U256 scaler_node_id;
  std::string version = "icn/0.1.0";    // goes into every batch
  std::vector<std::string> satellites;  // base URLs
  std::chrono::milliseconds poll_interval{1000};
  ChallengerOptions challenge;
  report::OutboxOptions outbox;
};

struct DaemonStatus {
  bool ready = false;  // the head has been read
  uint64_t head_block = 0;
  uint64_t era = 0;
  std::optional<uint64_t> challenge_block;  // the current era's moment, until it is challenged
  std::optional<uint64_t> last_challenged_era;
  std::optional<uint64_t> last_reported_era;
  int64_t outbox_pending = 0;
  // Why the head's era is skipped, "" when the node is in service at the era's start block:
  // "node 7 is Registered, not in service at era 12".
  std::string not_in_service;
  std::string last_error;  // of the last tick, "" when it went through
};

// The loop is single-threaded (tick/run); status() may be called from HTTP workers.
class Daemon {
 public:
  // `db` has daemon_migrations() applied. Everything passed by reference must outlive the daemon.
  // `rng` picks each era's challenge moment.
  Daemon(chain::ChainView& chain, infra::Database& db, PrivateKey daemon_key, DaemonOptions options,
         DaemonMetrics& metrics, report::HttpPoster& poster, UnixClock clock, std::mt19937_64 rng,
         NonceSource nonces = random_nonce);

  // One pass: read the head; report eras that ended and deliver what is due in the outbox; when
  // the head's era is not yet challenged and its moment has come, challenge it (blocking until
  // every HyperNode has an outcome, the era ends or `stop`), then deliver again.
  Status tick(const infra::StopFlag& stop);
  // tick() every poll_interval until `stop` (failures are logged and retried next tick).
  void run(const infra::StopFlag& stop);

  DaemonStatus status() const;
  const Hash& domain() const { return challenger_.domain(); }

 private:
  Status challenge_if_due(uint64_t head, uint64_t era, const infra::StopFlag& stop);
  Status deliver_due();
  // "" when the node is Validated or Booked at the era's start block, else why it is not (read
  // once per era).
  Result<std::string> not_in_service(uint64_t era, const chain::EraBounds& bounds);

  chain::ChainView& chain_;
  DaemonOptions options_;
  DaemonMetrics& metrics_;
  report::HttpPoster& poster_;
  UnixClock clock_;
  std::mt19937_64 rng_;
  ChallengeStore store_;
  report::Outbox outbox_;
  Challenger challenger_;
  EraReporter reporter_;
  std::optional<std::pair<uint64_t, uint64_t>> scheduled_;   // (era, block)
  std::optional<std::pair<uint64_t, std::string>> service_;  // (era, not_in_service reason)

  mutable std::mutex mu_;
  DaemonStatus status_;  // guarded by mu_
};

// GET /v1/status (the DaemonStatus as JSON) and GET /metrics on `server`.
void mount_daemon_api(infra::HttpServer& server, const Daemon& daemon,
                      const infra::MetricsRegistry& registry);
infra::HttpResponse handle_status(const Daemon& daemon);

}  // namespace icn::daemon
