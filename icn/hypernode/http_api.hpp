// The HyperNode's HTTP API: POST /v1/challenge, GET /v1/status and its Prometheus metrics.
#pragma once

#include "icn/hypernode/challenge_service.hpp"
#include "icn/hypernode/rate_limit.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"

namespace icn::hypernode {

// A signed challenge's canonical JSON is about 330 bytes; anything far larger is not one.
inline constexpr size_t kMaxChallengeBodyBytes = 4096;

// The service's series, registered once per registry.
struct HyperNodeMetrics {
  explicit HyperNodeMetrics(infra::MetricsRegistry& registry);
  // icn_hypernode_challenges_total{outcome="answered|repeat|refused|malformed|limited",reason}
  infra::CounterFamily& challenges;
  // icn_hypernode_rate_limited_total{limit="ip|scalernode"}: challenges refused with 429
  infra::CounterFamily& rate_limited;
  infra::Histogram& challenge_seconds;  // icn_hypernode_challenge_duration_seconds
  infra::Gauge& era;                    // icn_hypernode_era
  infra::Gauge& answered_this_era;      // icn_hypernode_answered_this_era
  infra::Counter& batches_spooled;      // icn_hypernode_batches_spooled_total
  // icn_hypernode_batch_deliveries_total{result="delivered|failed"}
  infra::CounterFamily& deliveries;
  infra::Gauge& deliveries_pending;  // icn_hypernode_batch_deliveries_pending
};

// Routes POST /v1/challenge and GET /v1/status on `server` (and GET /metrics for `registry`).
// The server's max_body_bytes should be kMaxChallengeBodyBytes (an oversized body gets 413).
// `limits` (null: none) cut off floods with 429 "rate_limited". Everything passed must outlive
// the server.
void mount_hypernode_api(infra::HttpServer& server, ChallengeService& service,
                         HyperNodeMetrics& metrics, const infra::MetricsRegistry& registry,
                         ChallengeLimits* limits = nullptr);

// The handlers themselves, for unit tests without sockets. The challenge handler checks, in
// order: the remote IP's bucket, the body's decoding, the bucket of (ScalerNode id, remote IP),
// and only then hands the challenge to the service (whose first costly step is the signature
// recovery). A rate-limited request gets 429 with a Retry-After header and changes no state.
infra::HttpResponse handle_challenge(const infra::HttpRequest& request, ChallengeService& service,
                                     HyperNodeMetrics& metrics, ChallengeLimits* limits = nullptr);
infra::HttpResponse handle_status(ChallengeService& service);

}  // namespace icn::hypernode
