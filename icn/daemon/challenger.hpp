// The daemon's challenges of one era (DESIGN §6.2): every HyperNode active at the era's start
// block gets one signed challenge, repeated (same nonce) on a timeout or a server failure up to
// `retries` times with backoff; the response is checked against the challenge hash and the
// HyperNode's registered signer, and every outcome is recorded durably with its reason.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "icn/chain/chain_view.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/daemon/challenge_store.hpp"
#include "icn/daemon/daemon_metrics.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/signals.hpp"

namespace icn::daemon {

inline constexpr std::string_view kChallengePath = "/v1/challenge";

// Unix time in milliseconds; a fake in tests.
using UnixClock = std::function<int64_t()>;
// 32 random bytes for a nonce (getrandom in production).
using NonceSource = std::function<Result<Hash>()>;
Result<Hash> random_nonce();

// Reason codes of a challenge's outcome (stable: dashboards branch on them).
//   ok                    confirmed: signed by the HyperNode's key, for this challenge
//   refused               the HyperNode answered 4xx (its error code is in `error`)
//   server_error          5xx                                   (retried)
//   timeout               no answer within the timeout          (retried)
//   unreachable           connection refused / failed / broken  (retried)
//   malformed_response    2xx whose body is not a signed ChallengeResponse
//   wrong_challenge_hash  a valid response to some other challenge
//   bad_signature         not signed by the HyperNode's registered signer
//   era_ended             the era ended before an answer came
//   no_endpoint           the HyperNode registered no usable endpoint
struct ChallengerOptions {
  std::chrono::milliseconds timeout{5000};      // per attempt (DESIGN §11)
  int retries = 3;                              // after the first attempt
  std::chrono::milliseconds first_retry{1000};  // doubled per round
  std::chrono::milliseconds connect_timeout{3000};
  size_t max_response_bytes = 16 << 10;  // a response is about 200 bytes
};

struct EraChallengeSummary {
  uint64_t era = 0;
  size_t hyper_nodes = 0;  // active at the start block
  size_t ok = 0;
  size_t failed = 0;
  size_t pending = 0;  // left for later: a stop was requested mid-era
};

// Not thread-safe: the daemon's loop calls it.
class Challenger {
 public:
  // Everything passed by reference must outlive the challenger; `metrics` may be null.
  Challenger(chain::ChainView& chain, ChallengeStore& store, U256 scaler_node_id,
             PrivateKey daemon_key, ChallengerOptions options, UnixClock clock,
             NonceSource nonces = random_nonce, DaemonMetrics* metrics = nullptr);
  ~Challenger();

  // Challenges every HyperNode active at `bounds.start_block` that has no final outcome in the
  // era yet (a restart resumes pending ones with their stored challenge), in rounds: a round
  // sends every pending challenge once, then waits first_retry · 2^round on `stop`. Marks the
  // era challenged once every HyperNode has a final outcome. Returns early, leaving challenges
  // pending, when `stop` is requested.
  Result<EraChallengeSummary> run_era(const chain::EraBounds& bounds, const infra::StopFlag& stop);

  const Hash& domain() const { return domain_; }

 private:
  // One attempt of `record`'s challenge: fills status (pending when worth a retry), reason,
  // error, rtt and response.
  void attempt(ChallengeRecord& record, const Address& signer);
  infra::HttpConnection& connection_for(const std::string& endpoint);

  chain::ChainView& chain_;
  ChallengeStore& store_;
  const U256 scaler_node_id_;
  const PrivateKey key_;
  const ChallengerOptions options_;
  const UnixClock clock_;
  const NonceSource nonces_;
  DaemonMetrics* metrics_;
  const Hash domain_;
  std::map<std::string, std::unique_ptr<infra::HttpConnection>> connections_;
};

}  // namespace icn::daemon
