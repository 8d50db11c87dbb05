// Challenging an era's HyperNodes: sign, send, verify, record.
#include "icn/daemon/challenger.hpp"

#include <algorithm>

#include "icn/core/protocol_json.hpp"
#include "icn/infra/key_file.hpp"

namespace icn::daemon {
namespace {

bool usable_endpoint(std::string_view endpoint) {
  return (endpoint.starts_with("http://") && endpoint.size() > 7) ||
         (endpoint.starts_with("https://") && endpoint.size() > 8);
}

std::string challenge_url(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(kChallengePath);
}

// "HTTP 422 clock_skew: challenge time is 40 s off" from a JSON error body, else a snippet.
std::string describe_refusal(long status, const std::string& body) {
  std::string out = "HTTP " + std::to_string(status);
  if (!infra::json_nesting_exceeds(body, 8)) {
    auto value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_object() && value.contains("error") && value["error"].is_object()) {
      const auto& e = value["error"];
      if (e.contains("code") && e["code"].is_string()) {
        out += " " + e["code"].get<std::string>();
      }
      if (e.contains("message") && e["message"].is_string()) {
        out += ": " + infra::body_snippet(e["message"].get<std::string>());
      }
      return out;
    }
  }
  return out + ": " + infra::body_snippet(body);
}

void set_outcome(ChallengeRecord& r, ChallengeStatus status, std::string reason,
                 std::string error) {
  r.status = status;
  r.reason = std::move(reason);
  r.error = std::move(error);
}

}  // namespace

Result<Hash> random_nonce() {
  Hash nonce{};
  ICN_CHECK(infra::random_bytes(nonce));
  return nonce;
}

Challenger::Challenger(chain::ChainView& chain, ChallengeStore& store, U256 scaler_node_id,
                       PrivateKey daemon_key, ChallengerOptions options, UnixClock clock,
                       NonceSource nonces, DaemonMetrics* metrics)
    : chain_(chain),
      store_(store),
      scaler_node_id_(std::move(scaler_node_id)),
      key_(std::move(daemon_key)),
      options_(options),
      clock_(std::move(clock)),
      nonces_(std::move(nonces)),
      metrics_(metrics),
      domain_(protocol::domain_separator(U256(chain.chain_id()), chain.settlement())) {}

Challenger::~Challenger() = default;

infra::HttpConnection& Challenger::connection_for(const std::string& endpoint) {
  auto& connection = connections_[endpoint];
  if (!connection) {
    infra::HttpConnectionOptions http;
    http.connect_timeout = std::min(options_.connect_timeout, options_.timeout);
    http.request_timeout = options_.timeout;
    http.max_response_bytes = options_.max_response_bytes;
    connection = std::make_unique<infra::HttpConnection>(http);
  }
  return *connection;
}

void Challenger::attempt(ChallengeRecord& r, const Address& signer) {
  using Outcome = infra::HttpExchange::Outcome;
  ++r.attempts;
  const std::string hyper_node = to_decimal(r.hyper_node_id);
  if (metrics_) metrics_->challenges.with({hyper_node, "sent"}).inc();
  const std::string body = protocol::encode(r.challenge);
  const auto sent = std::chrono::steady_clock::now();
  infra::HttpExchange exchange =
      connection_for(r.endpoint).perform(challenge_url(r.endpoint), &body, options_.timeout);
  const auto rtt = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - sent);
  switch (exchange.outcome) {
    case Outcome::kAnswered:
      break;
    case Outcome::kTimedOut:
      return set_outcome(r, ChallengeStatus::kPending, "timeout",
                         "no answer within " + std::to_string(options_.timeout.count()) + " ms");
    case Outcome::kTooLarge:
      return set_outcome(
          r, ChallengeStatus::kFailed, "malformed_response",
          "response larger than " + std::to_string(options_.max_response_bytes) + " bytes");
    case Outcome::kRefused:
      return set_outcome(r, ChallengeStatus::kPending, "unreachable", "connection refused");
    case Outcome::kConnectFailed:
    case Outcome::kTransportError:
    case Outcome::kOtherError:
      return set_outcome(r, ChallengeStatus::kPending, "unreachable",
                         exchange.detail.empty() ? "transport error" : exchange.detail);
  }
  if (exchange.status >= 500 || exchange.status == 429) {
    return set_outcome(r, ChallengeStatus::kPending, "server_error",
                       describe_refusal(exchange.status, exchange.body));
  }
  if (exchange.status < 200 || exchange.status >= 300) {
    return set_outcome(r, ChallengeStatus::kFailed, "refused",
                       describe_refusal(exchange.status, exchange.body));
  }
  auto response = protocol::decode_signed_challenge_response(exchange.body);
  if (!response) {
    return set_outcome(r, ChallengeStatus::kFailed, "malformed_response", response.error().message);
  }
  if (response->response.challenge_hash != r.challenge_hash) {
    return set_outcome(r, ChallengeStatus::kFailed, "wrong_challenge_hash",
                       "response names challenge " + to_hex(response->response.challenge_hash) +
                           ", not " + to_hex(r.challenge_hash));
  }
  if (Status s = protocol::verify(domain_, *response, signer); !s) {
    return set_outcome(r, ChallengeStatus::kFailed, "bad_signature", s.error().message);
  }
  r.rtt_ms = static_cast<uint32_t>(std::clamp<int64_t>(rtt.count(), 0, UINT32_MAX));
  r.response = *response;
  set_outcome(r, ChallengeStatus::kOk, "ok", "");
}

Result<EraChallengeSummary> Challenger::run_era(const chain::EraBounds& bounds,
                                                const infra::StopFlag& stop) {
  EraChallengeSummary summary;
  summary.era = bounds.era;
  ICN_TRY_CTX(std::vector<chain::HyperNodeInfo> all, chain_.hyper_nodes(bounds.start_block),
              "read HyperNodes at block " + std::to_string(bounds.start_block));
  std::vector<chain::HyperNodeInfo> active;
  for (auto& hn : all) {
    if (hn.active) active.push_back(std::move(hn));
  }
  std::sort(active.begin(), active.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  summary.hyper_nodes = active.size();
  ICN_CHECK(store_.begin_era(bounds.era));

  struct Work {
    ChallengeRecord record;
    Address signer;
    bool stored = false;  // false: signed and stored just before its first send
  };
  std::vector<Work> pending;
  auto finish = [&](const ChallengeRecord& r) {
    if (r.status == ChallengeStatus::kOk) {
      ++summary.ok;
    } else {
      ++summary.failed;
    }
    if (!metrics_) return;
    metrics_->challenges
        .with({to_decimal(r.hyper_node_id), r.status == ChallengeStatus::kOk ? "ok" : "failed"})
        .inc();
    if (r.rtt_ms) metrics_->rtt_seconds.observe(*r.rtt_ms / 1000.0);
  };
  // Signs the challenge with the time it is first sent (a slow HyperNode earlier in the round
  // must not push a later challenge's daemon time past the HyperNode's skew limit) and stores it
  // before sending: a retry, even after a restart, repeats this nonce.
  auto create = [&](Work& w) -> Status {
    protocol::Challenge c;
    c.era = bounds.era;
    c.scaler_node_id = scaler_node_id_;
    c.hyper_node_id = w.record.hyper_node_id;
    ICN_TRY(c.nonce, nonces_());
    c.daemon_time = static_cast<uint64_t>(clock_() / 1000);
    w.record.challenge = protocol::sign(domain_, c, key_);
    w.record.challenge_hash = protocol::signing_digest(domain_, c);
    ICN_CHECK(store_.insert_pending(w.record, clock_()));
    w.stored = true;
    return {};
  };

  for (const chain::HyperNodeInfo& hn : active) {
    ICN_TRY(std::optional<ChallengeRecord> existing, store_.find(bounds.era, hn.id));
    if (existing) {
      if (existing->status == ChallengeStatus::kPending) {
        pending.push_back({std::move(*existing), hn.signer, true});
      } else if (existing->status == ChallengeStatus::kOk) {
        ++summary.ok;
      } else {
        ++summary.failed;
      }
      continue;
    }
    Work w;
    w.record.era = bounds.era;
    w.record.hyper_node_id = hn.id;
    w.record.endpoint = hn.endpoint;
    w.signer = hn.signer;
    if (!usable_endpoint(hn.endpoint)) {
      ICN_CHECK(create(w));
      set_outcome(w.record, ChallengeStatus::kFailed, "no_endpoint",
                  "HyperNode endpoint '" + infra::body_snippet(hn.endpoint) + "' is not a URL");
      ICN_CHECK(store_.update(w.record, clock_()));
      finish(w.record);
      continue;
    }
    pending.push_back(std::move(w));
  }

  for (int round = 0; !pending.empty(); ++round) {
    std::vector<Work> still;
    for (Work& w : pending) {
      if (!w.stored) ICN_CHECK(create(w));
      attempt(w.record, w.signer);
      if (w.record.status == ChallengeStatus::kPending && w.record.attempts > options_.retries) {
        w.record.status = ChallengeStatus::kFailed;  // keeps the last attempt's reason
      }
      ICN_CHECK(store_.update(w.record, clock_()));
      if (w.record.status == ChallengeStatus::kPending) {
        still.push_back(std::move(w));
      } else {
        finish(w.record);
      }
    }
    pending = std::move(still);
    if (pending.empty()) break;
    const auto wait = options_.first_retry * (int64_t{1} << std::min(round, 20));
    if (stop.wait_for(wait)) {
      summary.pending = pending.size();
      return summary;
    }
    // Answers after the era's end count for nothing: stop retrying.
    auto head = chain_.head_block();
    if (head && *head >= bounds.end_block) {
      for (Work& w : pending) {
        set_outcome(w.record, ChallengeStatus::kFailed, "era_ended",
                    "era ended at block " + std::to_string(bounds.end_block) + " after " +
                        std::to_string(w.record.attempts) + " attempts (" + w.record.error + ")");
        ICN_CHECK(store_.update(w.record, clock_()));
        finish(w.record);
      }
      pending.clear();
    }
  }
  ICN_CHECK(store_.mark_challenged(bounds.era, clock_()));
  return summary;
}

}  // namespace icn::daemon
