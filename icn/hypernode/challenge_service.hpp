// The HyperNode's answer to a daemon's challenge (DESIGN §6.2): every check with its reason code,
// one answer per (ScalerNode, era) recorded durably before it is sent, chain reads cached per era
// so the hot path is a signature recovery, a lookup, a signature and a (group) commit.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/core/protocol_messages.hpp"
#include "icn/core/secp256k1.hpp"
#include "icn/hypernode/store.hpp"

namespace icn::hypernode {

// Unix time in milliseconds; a fake in tests.
using UnixClock = std::function<int64_t()>;
int64_t system_unix_ms();

// Why a challenge was not answered. Codes are stable: daemons and dashboards branch on them.
enum class Refusal : uint8_t {
  kWrongHyperNode,          // names another HyperNode
  kStaleEra,                // era before the current one
  kFutureEra,               // era after the current one
  kClockSkew,               // |daemonTime − now| over the limit
  kUnknownScalerNode,       // no such ScalerNode at the era's start block
  kScalerNodeNotInService,  // neither Validated nor Booked at the era's start block
  kInvalidSignature,        // no key can be recovered from the signature
  kWrongDaemonKey,          // signed by a key other than the node's registered daemon key
  kDuplicateChallenge,      // another challenge of the node was already answered this era
  kChainUnavailable,        // the service could not read the chain (our problem, not theirs)
  kStorageFailed,           // the answer could not be recorded (our problem, not theirs)
};
inline constexpr Refusal kAllRefusals[] = {
    Refusal::kWrongHyperNode,   Refusal::kStaleEra,          Refusal::kFutureEra,
    Refusal::kClockSkew,        Refusal::kUnknownScalerNode, Refusal::kScalerNodeNotInService,
    Refusal::kInvalidSignature, Refusal::kWrongDaemonKey,    Refusal::kDuplicateChallenge,
    Refusal::kChainUnavailable, Refusal::kStorageFailed};
// "wrong_hypernode", "stale_era", … "chain_unavailable", "storage_failed".
std::string_view reason_code(Refusal refusal);
// 422 for a well-formed challenge that is not for here and now (hypernode, era, clock), 403 for
// one not signed by an in-service node's daemon key, 409 for a second challenge in an era, 503
// for our own failures.
int http_status(Refusal refusal);

struct Refused {
  Refusal reason;
  std::string message;  // for people: "challenge is for era 6, the current era is 7"
};
struct Answered {
  protocol::SignedChallengeResponse response;
  bool repeat = false;  // the identical challenge was answered before: this is that answer
};
using AnswerOutcome = std::variant<Answered, Refused>;

struct ChallengeServiceOptions {
  uint64_t max_clock_skew_s = 30;  // DESIGN §11
  // A challenge for the next era may arrive just after the boundary, before the periodic
  // refresh: the service then reads the head itself, at most this often.
  std::chrono::milliseconds min_refresh_interval{250};
};

struct ServiceStatus {
  bool ready = false;  // an era has been read from the chain
  uint64_t era = 0;
  uint64_t head_block = 0;
  uint64_t era_end_block = 0;
  uint64_t answered_this_era = 0;
  size_t scaler_nodes = 0;  // known at the era's start block
};

// Thread-safe: answer() runs on HTTP workers concurrently; refresh() on the era loop.
class ChallengeService {
 public:
  // `chain` and `store` must outlive the service. The EIP-712 domain is the chain's.
  ChallengeService(chain::ChainView& chain, HyperNodeStore& store, U256 hyper_node_id,
                   PrivateKey key, UnixClock clock, ChallengeServiceOptions options = {});
  ~ChallengeService();

  // Reads the head block; when the era changed, loads the era's ScalerNodes (at its start block:
  // the same set every satellite uses for the era) and the answers already on disk for it.
  Status refresh();

  // Checks, in order: HyperNode id, era, clock skew, ScalerNode known and in service, signature
  // by its daemon key, one challenge per (node, era). Records the response durably, then returns
  // it. An identical repeat gets the stored response.
  AnswerOutcome answer(const protocol::SignedChallenge& challenge);

  // The challenge hashes answered in `era`, ascending, once no answer of it is still in flight.
  // Fails unless `era` is before the current era (so no answer of it can be added any more).
  Result<std::vector<Hash>> closed_era_hashes(uint64_t era);

  ServiceStatus status() const;
  const U256& hyper_node_id() const { return id_; }
  const Address& signer() const { return signer_; }
  const Hash& domain() const { return domain_; }

 private:
  struct Slot;
  struct EraView;
  std::shared_ptr<const EraView> era_view() const;
  std::shared_ptr<const EraView> refresh_for_future_era(uint64_t wanted);

  chain::ChainView& chain_;
  HyperNodeStore& store_;
  const U256 id_;
  const PrivateKey key_;
  const Address signer_;
  const Hash domain_;
  const UnixClock clock_;
  const ChallengeServiceOptions options_;

  mutable std::mutex mu_;
  std::condition_variable slot_cv_;
  std::shared_ptr<const EraView> view_;                   // guarded by mu_
  std::map<U256, std::shared_ptr<Slot>> slots_;           // the view's era; guarded by mu_
  std::map<uint64_t, size_t> in_flight_;                  // answers being recorded, per era
  uint64_t head_block_ = 0;                               // guarded by mu_
  uint64_t answered_ = 0;                                 // in the view's era; guarded by mu_
  std::mutex refresh_mu_;                                 // one chain read at a time
  std::chrono::steady_clock::time_point last_refresh_{};  // guarded by refresh_mu_
};

}  // namespace icn::hypernode
