// ChallengeService: checks, one answer per (node, era), durable before it is sent.
#include "icn/hypernode/challenge_service.hpp"

#include <algorithm>

namespace icn::hypernode {

int64_t system_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view reason_code(Refusal refusal) {
  switch (refusal) {
    case Refusal::kWrongHyperNode:
      return "wrong_hypernode";
    case Refusal::kStaleEra:
      return "stale_era";
    case Refusal::kFutureEra:
      return "future_era";
    case Refusal::kClockSkew:
      return "clock_skew";
    case Refusal::kUnknownScalerNode:
      return "unknown_scalernode";
    case Refusal::kScalerNodeNotInService:
      return "scalernode_not_in_service";
    case Refusal::kInvalidSignature:
      return "invalid_signature";
    case Refusal::kWrongDaemonKey:
      return "wrong_daemon_key";
    case Refusal::kDuplicateChallenge:
      return "duplicate_challenge";
    case Refusal::kChainUnavailable:
      return "chain_unavailable";
    case Refusal::kStorageFailed:
      return "storage_failed";
  }
  return "unknown";
}

int http_status(Refusal refusal) {
  switch (refusal) {
    case Refusal::kWrongHyperNode:
    case Refusal::kStaleEra:
    case Refusal::kFutureEra:
    case Refusal::kClockSkew:
      return 422;
    case Refusal::kUnknownScalerNode:
    case Refusal::kScalerNodeNotInService:
    case Refusal::kInvalidSignature:
    case Refusal::kWrongDaemonKey:
      return 403;
    case Refusal::kDuplicateChallenge:
      return 409;
    case Refusal::kChainUnavailable:
    case Refusal::kStorageFailed:
      return 503;
  }
  return 500;
}

namespace {

// Registry's status names, for refusal messages.
std::string status_name(chain::ScalerNodeStatus status) {
  return std::string(chain::to_string(status));
}

}  // namespace

// One (ScalerNode, era): the challenge hash that claimed it and, once recorded, the response.
struct ChallengeService::Slot {
  Hash challenge_hash{};
  bool done = false;
  bool failed = false;
  protocol::SignedChallengeResponse response;
};

// What the service knows of the current era; replaced whole when the era changes.
struct ChallengeService::EraView {
  chain::EraBounds bounds;
  std::map<U256, chain::ScalerNodeInfo> nodes;  // at the era's start block
};

ChallengeService::ChallengeService(chain::ChainView& chain, HyperNodeStore& store,
                                   U256 hyper_node_id, PrivateKey key, UnixClock clock,
                                   ChallengeServiceOptions options)
    : chain_(chain),
      store_(store),
      id_(std::move(hyper_node_id)),
      key_(std::move(key)),
      signer_(key_.address()),
      domain_(protocol::domain_separator(U256(chain.chain_id()), chain.settlement())),
      clock_(std::move(clock)),
      options_(options) {}

ChallengeService::~ChallengeService() = default;

std::shared_ptr<const ChallengeService::EraView> ChallengeService::era_view() const {
  std::lock_guard lock(mu_);
  return view_;
}

Status ChallengeService::refresh() {
  std::lock_guard refresh_lock(refresh_mu_);
  last_refresh_ = std::chrono::steady_clock::now();
  ICN_TRY_CTX(uint64_t head, chain_.head_block(), "refresh");
  ICN_TRY_CTX(uint64_t era, chain_.era_at(head), "refresh");
  {
    std::lock_guard lock(mu_);
    if (view_ && era <= view_->bounds.era) {  // same era (or a reorg behind it: keep ours)
      head_block_ = std::max(head_block_, head);
      return {};
    }
  }
  ICN_TRY_CTX(chain::EraBounds bounds, chain_.era_bounds(era), "refresh");
  ICN_TRY_CTX(std::vector<chain::ScalerNodeInfo> nodes, chain_.scaler_nodes(bounds.start_block),
              "refresh: ScalerNodes of era " + std::to_string(era));
  auto view = std::make_shared<EraView>();
  view->bounds = bounds;
  for (auto& node : nodes) {
    U256 id = node.id;
    view->nodes.emplace(std::move(id), std::move(node));
  }
  // Before any answer of the era can be recorded, so the batch loop sees the era once it ends.
  ICN_CHECK(store_.note_era(era, clock_()));
  ICN_TRY(std::vector<StoredAnswer> stored, store_.answers(era));
  std::map<U256, std::shared_ptr<Slot>> slots;
  for (const StoredAnswer& a : stored) {
    auto slot = std::make_shared<Slot>();
    slot->challenge_hash = a.response.response.challenge_hash;
    slot->done = true;
    slot->response = a.response;
    slots.emplace(a.scaler_node_id, std::move(slot));
  }
  std::lock_guard lock(mu_);
  answered_ = slots.size();
  slots_ = std::move(slots);
  view_ = std::move(view);
  head_block_ = std::max(head_block_, head);
  slot_cv_.notify_all();  // waiters on a slot of the old era re-check against the new one
  return {};
}

std::shared_ptr<const ChallengeService::EraView> ChallengeService::refresh_for_future_era(
    uint64_t wanted) {
  {
    std::lock_guard refresh_lock(refresh_mu_);
    if (std::chrono::steady_clock::now() - last_refresh_ < options_.min_refresh_interval) {
      return era_view();
    }
  }
  (void)refresh();  // a failure leaves the current view; the challenge is then future_era
  return era_view();
}

AnswerOutcome ChallengeService::answer(const protocol::SignedChallenge& signed_challenge) {
  const protocol::Challenge& c = signed_challenge.challenge;
  if (c.hyper_node_id != id_) {
    return Refused{Refusal::kWrongHyperNode, "challenge is for HyperNode " +
                                                 to_decimal(c.hyper_node_id) + ", this is " +
                                                 to_decimal(id_)};
  }
  std::shared_ptr<const EraView> view = era_view();
  if (!view) {
    Status refreshed = refresh();
    view = era_view();
    if (!view) {
      return Refused{Refusal::kChainUnavailable,
                     refreshed ? "no era read yet" : refreshed.error().message};
    }
  }
  if (c.era > view->bounds.era) view = refresh_for_future_era(c.era);
  if (c.era < view->bounds.era) {
    return Refused{Refusal::kStaleEra, "challenge is for era " + std::to_string(c.era) +
                                           ", the current era is " +
                                           std::to_string(view->bounds.era)};
  }
  if (c.era > view->bounds.era) {
    return Refused{Refusal::kFutureEra, "challenge is for era " + std::to_string(c.era) +
                                            ", the current era is " +
                                            std::to_string(view->bounds.era)};
  }
  const uint64_t now_s = uint64_t(std::max<int64_t>(clock_(), 0) / 1000);
  const uint64_t skew = c.daemon_time > now_s ? c.daemon_time - now_s : now_s - c.daemon_time;
  if (skew > options_.max_clock_skew_s) {
    return Refused{Refusal::kClockSkew,
                   "daemonTime " + std::to_string(c.daemon_time) + " is " + std::to_string(skew) +
                       " s from this HyperNode's clock (" + std::to_string(now_s) + "); at most " +
                       std::to_string(options_.max_clock_skew_s) + " s allowed"};
  }
  auto node = view->nodes.find(c.scaler_node_id);
  if (node == view->nodes.end()) {
    return Refused{Refusal::kUnknownScalerNode,
                   "ScalerNode " + to_decimal(c.scaler_node_id) + " is not registered at block " +
                       std::to_string(view->bounds.start_block) + " (start of era " +
                       std::to_string(view->bounds.era) + ")"};
  }
  if (!node->second.in_service()) {
    return Refused{Refusal::kScalerNodeNotInService,
                   "ScalerNode " + to_decimal(c.scaler_node_id) + " is " +
                       status_name(node->second.status) + " in era " +
                       std::to_string(view->bounds.era) + ", not Validated or Booked"};
  }
  const Hash challenge_hash = protocol::signing_digest(domain_, c);
  auto signer = recover_address(challenge_hash, signed_challenge.signature);
  if (!signer) return Refused{Refusal::kInvalidSignature, signer.error().message};
  if (*signer != node->second.daemon) {
    return Refused{Refusal::kWrongDaemonKey, "challenge is signed by " + signer->checksummed() +
                                                 ", not by the daemon key " +
                                                 node->second.daemon.checksummed() +
                                                 " of ScalerNode " + to_decimal(c.scaler_node_id)};
  }

  std::shared_ptr<Slot> slot;
  {
    std::unique_lock lock(mu_);
    while (true) {
      if (!view_ || view_->bounds.era != c.era) {  // the era ended while we checked
        return Refused{Refusal::kStaleEra, "era " + std::to_string(c.era) + " has just ended"};
      }
      auto it = slots_.find(c.scaler_node_id);
      if (it == slots_.end()) break;
      std::shared_ptr<Slot> existing = it->second;
      if (existing->challenge_hash != challenge_hash) {
        return Refused{Refusal::kDuplicateChallenge,
                       "ScalerNode " + to_decimal(c.scaler_node_id) +
                           " already challenged this HyperNode in era " + std::to_string(c.era) +
                           " (challenge " + to_hex(existing->challenge_hash) + ")"};
      }
      if (existing->done) return Answered{existing->response, true};
      // The identical challenge is being recorded by another request: wait for its outcome.
      slot_cv_.wait(lock, [&] { return existing->done || existing->failed; });
      if (existing->done) return Answered{existing->response, true};
      // It failed and was removed; try to claim the slot ourselves.
    }
    slot = std::make_shared<Slot>();
    slot->challenge_hash = challenge_hash;
    slots_.emplace(c.scaler_node_id, slot);
    ++in_flight_[c.era];
  }

  protocol::SignedChallengeResponse response =
      protocol::sign(domain_, protocol::ChallengeResponse{challenge_hash, now_s}, key_);
  Status recorded = store_.record_answer(StoredAnswer{c.era, c.scaler_node_id, response});

  std::lock_guard lock(mu_);
  if (--in_flight_[c.era] == 0) in_flight_.erase(c.era);
  if (recorded) {
    slot->response = response;
    slot->done = true;
    if (view_ && view_->bounds.era == c.era) ++answered_;
  } else {
    slot->failed = true;
    auto it = slots_.find(c.scaler_node_id);
    if (it != slots_.end() && it->second == slot) slots_.erase(it);
  }
  slot_cv_.notify_all();
  if (!recorded) return Refused{Refusal::kStorageFailed, recorded.error().message};
  return Answered{std::move(response), false};
}

Result<std::vector<Hash>> ChallengeService::closed_era_hashes(uint64_t era) {
  {
    std::unique_lock lock(mu_);
    if (!view_ || era >= view_->bounds.era) {
      return fail("era " + std::to_string(era) + " has not ended");
    }
    slot_cv_.wait(lock, [&] { return !in_flight_.contains(era); });
  }
  ICN_TRY(std::vector<StoredAnswer> stored, store_.answers(era));
  std::vector<Hash> hashes;
  hashes.reserve(stored.size());
  for (const StoredAnswer& a : stored) hashes.push_back(a.response.response.challenge_hash);
  std::sort(hashes.begin(), hashes.end());
  return hashes;
}

ServiceStatus ChallengeService::status() const {
  std::lock_guard lock(mu_);
  ServiceStatus s;
  s.head_block = head_block_;
  if (view_) {
    s.ready = true;
    s.era = view_->bounds.era;
    s.era_end_block = view_->bounds.end_block;
    s.answered_this_era = answered_;
    s.scaler_nodes = view_->nodes.size();
  }
  return s;
}

}  // namespace icn::hypernode
