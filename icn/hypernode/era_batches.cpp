// EraBatcher and BatchSender: build, spool and deliver the HyperNode's era batches.
#include "icn/hypernode/era_batches.hpp"

#include <algorithm>

#include "icn/core/era_batch.hpp"
#include "icn/core/protocol_json.hpp"
#include "icn/report/outbox.hpp"

namespace icn::hypernode {

EraBatcher::EraBatcher(ChallengeService& service, HyperNodeStore& store, PrivateKey key,
                       std::string version, std::vector<std::string> satellites, UnixClock clock)
    : service_(service),
      store_(store),
      key_(std::move(key)),
      version_(std::move(version)),
      satellites_(std::move(satellites)),
      clock_(std::move(clock)) {}

Result<std::vector<uint64_t>> EraBatcher::spool_ended_eras() {
  ServiceStatus status = service_.status();
  std::vector<uint64_t> spooled;
  if (!status.ready) return spooled;
  ICN_TRY(std::vector<uint64_t> eras, store_.eras_without_batch(status.era));
  for (uint64_t era : eras) {
    ICN_TRY_CTX(std::vector<Hash> hashes, service_.closed_era_hashes(era),
                "batch of era " + std::to_string(era));
    protocol::HyperNodeBatch batch;
    batch.hyper_node_id = service_.hyper_node_id();
    batch.version = version_;
    batch.era = era;
    batch.challenge_hashes = std::move(hashes);
    ICN_CHECK(protocol::sign_batch(service_.domain(), batch, key_));
    ICN_CHECK(store_.spool_batch(era, protocol::batch_hash(batch), protocol::encode(batch),
                                 satellites_, clock_()));
    spooled.push_back(era);
  }
  return spooled;
}

bool batch_acknowledged(long http_status) {
  return report::acknowledged(http_status);
}

BatchSender::BatchSender(HyperNodeStore& store, BatchSenderOptions options, UnixClock clock)
    : store_(store),
      options_(std::move(options)),
      clock_(std::move(clock)),
      poster_(report::CurlHttpPosterOptions{.connect_timeout = options_.connect_timeout,
                                            .request_timeout = options_.request_timeout}) {}

BatchSender::~BatchSender() = default;

std::chrono::milliseconds BatchSender::backoff(int64_t attempts) const {
  auto delay = options_.first_retry;
  for (int64_t i = 0; i < attempts && delay < options_.max_retry; ++i) delay *= 2;
  return std::min(delay, options_.max_retry);
}

namespace {

std::string batches_url(const std::string& satellite) {
  std::string base = satellite;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(kBatchesPath);
}

}  // namespace

Result<DeliveryRound> BatchSender::deliver_due() {
  DeliveryRound round;
  ICN_TRY(std::vector<PendingDelivery> due,
          store_.due_deliveries(clock_(), options_.max_per_round));
  // A satellite no longer configured keeps its row but gets nothing.
  std::erase_if(due, [&](const PendingDelivery& d) {
    return std::find(options_.satellites.begin(), options_.satellites.end(), d.satellite) ==
           options_.satellites.end();
  });
  std::vector<report::Post> posts;
  for (const PendingDelivery& d : due)
    posts.push_back({d.satellite, batches_url(d.satellite), &d.body});
  std::vector<report::PostResult> results = report::post_per_destination(poster_, posts, clock_);
  for (size_t i = 0; i < due.size(); ++i) {
    if (!results[i].exchange) continue;  // its satellite did not answer earlier in this round
    const PendingDelivery& d = due[i];
    const infra::HttpExchange& exchange = *results[i].exchange;
    const std::string& url = posts[i].url;
    ++round.attempted;
    if (exchange.outcome == infra::HttpExchange::Outcome::kAnswered &&
        batch_acknowledged(exchange.status)) {
      ICN_CHECK(store_.mark_delivered(d.era, d.satellite, results[i].at_ms));
      ++round.delivered;
      continue;
    }
    std::string error = report::describe_exchange(exchange);
    if (exchange.outcome == infra::HttpExchange::Outcome::kAnswered &&
        report::refused_for_good(exchange.status)) {
      // Sending it again cannot help (report::refused_for_good): closed, never retried.
      ICN_CHECK(store_.mark_delivered(d.era, d.satellite, results[i].at_ms));
      ++round.refused;
      round.errors.push_back(url + " era " + std::to_string(d.era) + ": " + error +
                             " (refused: not sent again)");
      continue;
    }
    ICN_CHECK(store_.mark_failed(d.era, d.satellite, results[i].at_ms + backoff(d.attempts).count(),
                                 error));
    ++round.failed;
    round.errors.push_back(url + " era " + std::to_string(d.era) + ": " + error);
  }
  return round;
}

}  // namespace icn::hypernode
