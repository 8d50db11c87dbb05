// Building and spooling the daemon's era batches.
#include "icn/daemon/era_reporter.hpp"

#include "icn/core/protocol_json.hpp"

namespace icn::daemon {

Result<protocol::DaemonBatch> build_daemon_batch(const Hash& domain, const U256& scaler_node_id,
                                                 const std::string& version, uint64_t era,
                                                 const std::vector<ChallengeRecord>& records,
                                                 const PrivateKey& key) {
  protocol::DaemonBatch batch;
  batch.scaler_node_id = scaler_node_id;
  batch.version = version;
  batch.era = era;
  for (const ChallengeRecord& r : records) {
    if (r.era != era || r.status != ChallengeStatus::kOk || !r.response || !r.rtt_ms) continue;
    protocol::DaemonEntry e;
    e.hyper_node_id = r.hyper_node_id;
    e.nonce = r.challenge.challenge.nonce;
    e.daemon_time = r.challenge.challenge.daemon_time;
    e.rtt_ms = *r.rtt_ms;
    e.hyper_node_time = r.response->response.hyper_node_time;
    e.daemon_signature = r.challenge.signature;
    e.hyper_node_signature = r.response->signature;
    batch.entries.push_back(std::move(e));
  }
  ICN_CHECK(protocol::sign_batch(domain, batch, key));  // sorts by HyperNode id
  return batch;
}

EraReporter::EraReporter(ChallengeStore& store, report::Outbox& outbox, Hash domain,
                         U256 scaler_node_id, PrivateKey key, EraReporterOptions options,
                         report::UnixClock clock, DaemonMetrics* metrics)
    : store_(store),
      outbox_(outbox),
      domain_(domain),
      scaler_node_id_(std::move(scaler_node_id)),
      key_(std::move(key)),
      options_(std::move(options)),
      clock_(std::move(clock)),
      metrics_(metrics) {}

Result<std::vector<uint64_t>> EraReporter::report_ended_eras(uint64_t current_era) {
  std::vector<uint64_t> reported;
  ICN_TRY(std::vector<uint64_t> eras, store_.unreported_eras_before(current_era));
  for (uint64_t era : eras) {
    const std::string what = "report era " + std::to_string(era);
    ICN_TRY(infra::Transaction tx, store_.database().begin());
    ICN_TRY_CTX(std::vector<ChallengeRecord> records, store_.era_records(era), what);
    for (ChallengeRecord& r : records) {
      if (r.status != ChallengeStatus::kPending) continue;
      r.status = ChallengeStatus::kFailed;
      r.error = "era ended with the challenge unanswered after " + std::to_string(r.attempts) +
                " attempts" + (r.error.empty() ? "" : " (" + r.error + ")");
      r.reason = "era_ended";
      ICN_CHECK(store_.update(r, clock_()));
    }
    ICN_TRY_CTX(protocol::DaemonBatch batch,
                build_daemon_batch(domain_, scaler_node_id_, options_.version, era, records, key_),
                what);
    ICN_TRY_CTX(
        bool fresh,
        outbox_.enqueue(kDaemonBatchKind, era, protocol::encode(batch), options_.satellites), what);
    ICN_CHECK(store_.mark_challenged(era, clock_()));
    ICN_CHECK(store_.mark_reported(era, static_cast<int64_t>(batch.entries.size()), clock_()));
    ICN_CHECK(tx.commit());
    if (fresh && metrics_) metrics_->batches_enqueued.inc();
    reported.push_back(era);
  }
  return reported;
}

}  // namespace icn::daemon
