// The HyperNode's durable state in one SQLite file: every challenge it answered (so a restart never
// answers one twice differently), the eras it served, and the spool of era batches still to be
// delivered to each satellite.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "icn/core/protocol_messages.hpp"
#include "icn/core/result.hpp"
#include "icn/core/u256.hpp"
#include "icn/infra/group_commit.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::hypernode {

// One answered challenge: the era and ScalerNode it was for and the signed response (which names
// the challenge by its hash).
struct StoredAnswer {
  uint64_t era = 0;
  U256 scaler_node_id;
  protocol::SignedChallengeResponse response;
  bool operator==(const StoredAnswer&) const = default;
};

// A spooled batch still owed to one satellite.
struct PendingDelivery {
  uint64_t era = 0;
  std::string satellite;  // base URL
  std::string body;       // the batch's canonical JSON
  int64_t attempts = 0;
};

// Thread-safe: HTTP workers record answers while the era loop spools batches and the sender
// updates deliveries.
class HyperNodeStore {
 public:
  // Opens (creating and migrating) the database at `path`; ":memory:" for tests.
  static Result<std::unique_ptr<HyperNodeStore>> open(const std::filesystem::path& path);
  ~HyperNodeStore();

  // Durable (committed with synchronous=FULL) when it returns. Concurrent callers share one
  // commit (infra::GroupCommit), so the fsync cost is paid once per burst, not per challenge.
  // Fails if (era, ScalerNode) already has an answer.
  Status record_answer(const StoredAnswer& answer);
  infra::GroupCommitStats commit_stats() const { return commit_.stats(); }
  // Every answer of `era`, in ScalerNode id order.
  Result<std::vector<StoredAnswer>> answers(uint64_t era);

  // Eras the service has seen as current: each one gets a batch once it has ended.
  Status note_era(uint64_t era, int64_t now_ms);
  // Seen eras below `before` that have no batch yet, ascending.
  Result<std::vector<uint64_t>> eras_without_batch(uint64_t before);

  // Stores the batch and one pending delivery per satellite, in one transaction. Idempotent: a
  // second call for the era changes nothing.
  Status spool_batch(uint64_t era, const Hash& batch_hash, const std::string& body,
                     const std::vector<std::string>& satellites, int64_t now_ms);
  // The spooled batch's canonical JSON, if any.
  Result<std::optional<std::string>> batch_body(uint64_t era);
  // Adds a pending delivery of every spooled batch to each satellite that has none yet (a
  // satellite added to the config gets the batches still on disk).
  Status ensure_deliveries(const std::vector<std::string>& satellites, int64_t now_ms);
  // Unacknowledged deliveries whose next attempt is due at `now_ms`, oldest era first.
  Result<std::vector<PendingDelivery>> due_deliveries(int64_t now_ms, size_t limit);
  Status mark_delivered(uint64_t era, const std::string& satellite, int64_t now_ms);
  Status mark_failed(uint64_t era, const std::string& satellite, int64_t next_attempt_ms,
                     const std::string& error);
  // Deliveries not yet acknowledged (to any satellite, configured or not).
  Result<int64_t> undelivered_count();

 private:
  struct PendingWrite;
  explicit HyperNodeStore(infra::Database db) : db_(std::move(db)) {}
  Status write_answers(const std::vector<PendingWrite*>& writes);

  std::mutex db_mu_;  // the connection is used by one thread at a time
  infra::Database db_;
  std::optional<infra::Statement> insert_answer_;  // declared after db_: finalized before it
  infra::GroupCommit<PendingWrite> commit_;
};

}  // namespace icn::hypernode
