// After an era: the HyperNode's batch of the challenge hashes it answered (DESIGN §6.3), built
// once, spooled on disk and delivered to every satellite with `POST {satellite}/v1/batches` until
// each has acknowledged it (2xx, or 409 "already have it").
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "icn/hypernode/challenge_service.hpp"
#include "icn/hypernode/store.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/report/outbox.hpp"

namespace icn::hypernode {

inline constexpr std::string_view kBatchesPath = "/v1/batches";

// Builds and spools the batch of every era the service saw that has ended.
class EraBatcher {
 public:
  // `service` and `store` must outlive the batcher. `version` goes into every batch
  // ("icn/0.1.0"); `satellites` are base URLs.
  EraBatcher(ChallengeService& service, HyperNodeStore& store, PrivateKey key, std::string version,
             std::vector<std::string> satellites, UnixClock clock);

  // For each era before the service's current era that was seen and has no batch: signs the
  // batch of its answered challenge hashes and spools it with one delivery per satellite. Returns
  // the eras spooled now.
  Result<std::vector<uint64_t>> spool_ended_eras();

 private:
  ChallengeService& service_;
  HyperNodeStore& store_;
  PrivateKey key_;
  std::string version_;
  std::vector<std::string> satellites_;
  UnixClock clock_;
};

struct BatchSenderOptions {
  std::vector<std::string> satellites;          // base URLs; only these are delivered to
  std::chrono::milliseconds first_retry{1000};  // doubled per failed attempt …
  std::chrono::milliseconds max_retry{60000};   // … up to this
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds connect_timeout{3000};
  size_t max_per_round = 64;
};

// The outcome of one delivery round.
struct DeliveryRound {
  size_t attempted = 0;
  size_t delivered = 0;
  size_t failed = 0;
  size_t refused = 0;               // closed without retry (report::refused_for_good)
  std::vector<std::string> errors;  // "http://sat:1/v1/batches era 7: HTTP 500: …"
};

// Delivers spooled batches. Not thread-safe: one delivery loop calls it.
class BatchSender {
 public:
  BatchSender(HyperNodeStore& store, BatchSenderOptions options, UnixClock clock);
  ~BatchSender();

  // Every due delivery once: acknowledged ones are marked delivered, the others get their next
  // attempt after first_retry · 2^(attempts) (capped at max_retry).
  Result<DeliveryRound> deliver_due();

  // The delay before attempt `attempts + 1` after `attempts` failures.
  std::chrono::milliseconds backoff(int64_t attempts) const;

 private:
  HyperNodeStore& store_;
  BatchSenderOptions options_;
  UnixClock clock_;
  report::CurlHttpPoster poster_;
};

// The satellite's answer counts as "stored": a 2xx, or 409 (it already has this batch).
bool batch_acknowledged(long http_status);

}  // namespace icn::hypernode
