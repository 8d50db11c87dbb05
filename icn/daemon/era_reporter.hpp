// After an era: the daemon's batch of its confirmed challenges (DESIGN §6.3), built and signed
// once from the durable records and spooled in the outbox to every satellite.
#pragma once

#include <string>
#include <vector>

#include "icn/core/era_batch.hpp"
#include "icn/daemon/challenge_store.hpp"
#include "icn/daemon/daemon_metrics.hpp"
#include "icn/report/outbox.hpp"

namespace icn::daemon {

// The outbox kind of a daemon's era batch.
inline constexpr std::string_view kDaemonBatchKind = "daemon_batch";

// The era's batch: one entry per confirmed (ok) challenge, ascending by HyperNode id, signed by
// the daemon key. Failed and pending challenges are not in it.
Result<protocol::DaemonBatch> build_daemon_batch(const Hash& domain, const U256& scaler_node_id,
                                                 const std::string& version, uint64_t era,
                                                 const std::vector<ChallengeRecord>& records,
                                                 const PrivateKey& key);

struct EraReporterOptions {
  std::string version = "icn/0.1.0";    // goes into every batch
  std::vector<std::string> satellites;  // base URLs
};

// Not thread-safe: the daemon's loop calls it.
class EraReporter {
 public:
  // Everything passed by reference must outlive the reporter; `metrics` may be null.
  EraReporter(ChallengeStore& store, report::Outbox& outbox, Hash domain, U256 scaler_node_id,
              PrivateKey key, EraReporterOptions options, report::UnixClock clock,
              DaemonMetrics* metrics = nullptr);

  // For each era before `current_era` that the daemon challenged and has not reported: counts
  // challenges still pending as failed ("era_ended"), builds the batch and, in one transaction,
  // spools it to every satellite and marks the era reported — so across restarts an era's batch
  // is enqueued exactly once. Returns the eras reported now.
  Result<std::vector<uint64_t>> report_ended_eras(uint64_t current_era);

 private:
  ChallengeStore& store_;
  report::Outbox& outbox_;
  const Hash domain_;
  const U256 scaler_node_id_;
  const PrivateKey key_;
  const EraReporterOptions options_;
  const report::UnixClock clock_;
  DaemonMetrics* metrics_;
};

}  // namespace icn::daemon
