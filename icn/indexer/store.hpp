// The indexer's database: raw events with the projections built from them in the same
// transaction, the checkpoint and recent blocks a restart resumes from, and reorg rollback.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "icn/core/bytes.hpp"
#include "icn/core/result.hpp"
#include "icn/eth/log_follower.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::indexer {

// One log of a protocol contract, decoded.
struct IndexedEvent {
  uint64_t block_number = 0;
  Hash block_hash{};
  Hash tx_hash{};
  uint64_t log_index = 0;
  std::string contract;  // its name in deployment.json ("Registry")
  std::string event;     // "ScalerNodeRegistered"; "" when the ABI has no such event
  nlohmann::json args = nlohmann::json::object();  // event_json's args_to_json
};

// Applies one stored event to the projection tables. `event_id` is its events.id (the key of
// rows that are one per event, like claims). Events of no projection change nothing.
Status project_event(infra::Database& db, int64_t event_id, const IndexedEvent& event);

// Thread-safe: one connection behind a mutex (the follower writes, API handlers read).
class IndexStore {
 public:
  // Opens (creating) the database and applies the migrations; ":memory:" for tests.
  static Result<std::unique_ptr<IndexStore>> open(const std::filesystem::path& path);

  // One transaction: each event not stored yet (same block hash and log index) is inserted and
  // projected, then the recent blocks (the follower's reorg window) and the checkpoint
  // `through` are written. Storing the same events again changes nothing: re-delivery after a
  // crash between the commit and the follower's own bookkeeping is harmless.
  // Returns how many events were new.
  Result<size_t> store(std::span<const IndexedEvent> events, const eth::Checkpoint& through,
                       std::span<const eth::Checkpoint> recent_blocks);

  // A reorg replaced every block above `ancestor`: their events are deleted, the projections
  // rebuilt from the events that remain, the checkpoint set to `ancestor`; one transaction.
  Status roll_back(const eth::Checkpoint& ancestor);

  // Clears the projection tables and replays every stored event in chain order.
  Status rebuild_projections();

  Result<std::optional<eth::Checkpoint>> checkpoint();
  // The stored reorg window, oldest first, ending with the checkpoint.
  Result<std::vector<eth::Checkpoint>> recent_blocks();

  // Runs `read` with the connection held (for queries; do not write through it).
  template <typename F>
  auto read(F&& read) {
    std::lock_guard lock(mu_);
    return read(db_);
  }

 private:
  explicit IndexStore(infra::Database db) : db_(std::move(db)) {}
  Status rebuild_locked();

  std::mutex mu_;
  infra::Database db_;
};

}  // namespace icn::indexer
