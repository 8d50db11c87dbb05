// The daemon's durable record of its challenges (SQLite): one row per (era, HyperNode) with the
// signed challenge written before it is first sent (so a retry, even after a restart, repeats the
// same nonce), its outcome, RTT and the HyperNode's signed response; and per era whether it was
// challenged and reported.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "icn/core/protocol_messages.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::daemon {

// The daemon database's migrations: its own tables, then the outbox's (report::kOutboxSchemaV1).
const std::vector<infra::Migration>& daemon_migrations();

enum class ChallengeStatus : uint8_t { kPending, kOk, kFailed };
std::string_view to_string(ChallengeStatus status);

struct ChallengeRecord {
  uint64_t era = 0;
  U256 hyper_node_id;
  std::string endpoint;
  protocol::SignedChallenge challenge;
  Hash challenge_hash{};
  ChallengeStatus status = ChallengeStatus::kPending;
  int64_t attempts = 0;
  std::optional<uint32_t> rtt_ms;
  std::optional<protocol::SignedChallengeResponse> response;  // kOk only
  std::string reason;  // stable code: "ok", "timeout", "refused", "bad_signature", …
  std::string error;   // for people: what the last attempt came to
};

struct EraRecord {
  uint64_t era = 0;
  bool challenged = false;  // every HyperNode has a final outcome
  bool reported = false;    // the era's batch is in the outbox
  int64_t entries = 0;      // confirmed entries in the batch
};

// Not thread-safe: the daemon's loop owns it.
class ChallengeStore {
 public:
  // `db` must outlive the store and have daemon_migrations() applied.
  explicit ChallengeStore(infra::Database& db) : db_(db) {}
  infra::Database& database() { return db_; }

  Result<std::optional<ChallengeRecord>> find(uint64_t era, const U256& hyper_node_id);
  // Every record of the era, ascending by HyperNode id.
  Result<std::vector<ChallengeRecord>> era_records(uint64_t era);

  // A new pending challenge (the era row is created with it). Fails if one exists.
  Status insert_pending(const ChallengeRecord& record, int64_t now_ms);
  // Records an attempt's outcome: status, attempts, rtt, response, reason, error.
  Status update(const ChallengeRecord& record, int64_t now_ms);

  Status begin_era(uint64_t era);
  Status mark_challenged(uint64_t era, int64_t now_ms);
  Status mark_reported(uint64_t era, int64_t entries, int64_t now_ms);
  Result<std::optional<EraRecord>> era(uint64_t era);
  // Eras before `before` whose batch is not yet in the outbox, ascending.
  Result<std::vector<uint64_t>> unreported_eras_before(uint64_t before);

 private:
  infra::Database& db_;
};

}  // namespace icn::daemon
