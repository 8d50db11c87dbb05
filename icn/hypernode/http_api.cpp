// HyperNode HTTP handlers: hostile input is decoded strictly and refused with a reason code.
#include "icn/hypernode/http_api.hpp"

#include "icn/core/protocol_json.hpp"

namespace icn::hypernode {

namespace {
const std::vector<double> kChallengeBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                               0.01,   0.025,   0.05,   0.1,   0.25,   1};
}

HyperNodeMetrics::HyperNodeMetrics(infra::MetricsRegistry& registry)
    : challenges(registry.counter("icn_hypernode_challenges_total",
                                  "Challenges received, by outcome and reason",
                                  {"outcome", "reason"})),
      rate_limited(registry.counter("icn_hypernode_rate_limited_total",
                                    "Challenges refused with 429 by a flood limit, by limit",
                                    {"limit"})),
      challenge_seconds(registry
                            .histogram("icn_hypernode_challenge_duration_seconds",
                                       "Time to check, sign and record a challenge",
                                       kChallengeBuckets)
                            .get()),
      era(registry.gauge("icn_hypernode_era", "The current era at the head block").get()),
      answered_this_era(
          registry.gauge("icn_hypernode_answered_this_era", "Challenges answered this era").get()),
      batches_spooled(
          registry.counter("icn_hypernode_batches_spooled_total", "Era batches built and spooled")
              .get()),
      deliveries(registry.counter("icn_hypernode_batch_deliveries_total",
                                  "Batch delivery attempts to satellites, by result", {"result"})),
      deliveries_pending(registry
                             .gauge("icn_hypernode_batch_deliveries_pending",
                                    "Batch deliveries not yet acknowledged by their satellite")
                             .get()) {}

namespace {
infra::HttpResponse rate_limited(HyperNodeMetrics& metrics, std::string_view limit,
                                 const RateLimiter::Decision& decision, const std::string& what) {
  metrics.challenges.with({"limited", "rate_limited"}).inc();
  metrics.rate_limited.with({std::string(limit)}).inc();
  auto seconds = (decision.retry_after.count() + 999) / 1000;
  auto r = infra::error_response(429, "rate_limited",
                                 "too many challenges from " + what + "; retry in " +
                                     std::to_string(decision.retry_after.count()) + " ms");
  r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, seconds)));
  return r;
}
}  // namespace

infra::HttpResponse handle_challenge(const infra::HttpRequest& request, ChallengeService& service,
                                     HyperNodeMetrics& metrics, ChallengeLimits* limits) {
  auto started = std::chrono::steady_clock::now();
  const std::string ip(request.remote_addr());
  if (limits) {
    if (auto d = limits->per_ip.take(ip); !d.allowed) {
      return rate_limited(metrics, "ip", d, "address " + ip);
    }
  }
  protocol::WireLimits wire;
  wire.max_text_bytes = kMaxChallengeBodyBytes;
  auto challenge = protocol::decode_signed_challenge(request.body(), wire);
  if (!challenge) {
    metrics.challenges.with({"malformed", "bad_challenge"}).inc();
    return infra::error_response(400, "bad_challenge", challenge.error().message);
  }
  if (limits) {
    // Keyed by the claimed node id and the address together: the id is not yet authenticated,
    // so a forger elsewhere must not be able to use up the real daemon's bucket.
    const std::string node = to_decimal(challenge->challenge.scaler_node_id);
    if (auto d = limits->per_node.take(node + "@" + ip); !d.allowed) {
      return rate_limited(metrics, "scalernode", d, "ScalerNode " + node + " at " + ip);
    }
  }
  AnswerOutcome outcome = service.answer(*challenge);
  metrics.challenge_seconds.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (const auto* refused = std::get_if<Refused>(&outcome)) {
    std::string code(reason_code(refused->reason));
    metrics.challenges.with({"refused", code}).inc();
    return infra::error_response(http_status(refused->reason), code, refused->message);
  }
  const auto& answered = std::get<Answered>(outcome);
  metrics.challenges.with({answered.repeat ? "repeat" : "answered", "ok"}).inc();
  infra::HttpResponse response;
  response.body = protocol::encode(answered.response);
  return response;
}

infra::HttpResponse handle_status(ChallengeService& service) {
  ServiceStatus s = service.status();
  infra::json body = {
      {"hyperNodeId", to_decimal(service.hyper_node_id())},
      {"signer", service.signer().checksummed()},
      {"ready", s.ready},
      {"era", s.era},
      {"eraEndBlock", s.era_end_block},
      {"headBlock", s.head_block},
      {"answeredThisEra", s.answered_this_era},
      {"scalerNodes", s.scaler_nodes},
  };
  return infra::HttpResponse::json_body(body);
}

void mount_hypernode_api(infra::HttpServer& server, ChallengeService& service,
                         HyperNodeMetrics& metrics, const infra::MetricsRegistry& registry,
                         ChallengeLimits* limits) {
  server.post("/v1/challenge", [&service, &metrics, limits](const infra::HttpRequest& request) {
    return handle_challenge(request, service, metrics, limits);
  });
  server.get("/v1/status",
             [&service](const infra::HttpRequest&) { return handle_status(service); });
  infra::mount_metrics(server, registry);
}

}  // namespace icn::hypernode
