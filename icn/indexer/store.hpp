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
#include "icn/infra/sql.hpp"

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
Status project_event(infra::SqlDatabase& db, int64_t event_id, const IndexedEvent& event);

// A row of the events table as stored (hashes 0x text, args JSON text).
struct StoredEvent {
  int64_t id = 0;  // events.id: increases with every stored event, never reused
  uint64_t block_number = 0;
  std::string block_hash, tx_hash;
  uint64_t log_index = 0;
  std::string contract, event, args;
};

// An era's results as read from a satellite and verified (era_results.hpp): per-node verdicts
// and cumulative leaves, per-bundle cumulative Link rewards, per-HyperNode performance.
struct EraNodeRow {
  int64_t node_id = 0;
  std::optional<std::string> verdict;  // up, down, maintenance, none; nullopt: not published
  std::string utilisation = "0", subsidy = "0", slashed = "0";  // cumulative (the leaf)
};
struct EraHyperNodeRow {
  int64_t hyper_node_id = 0;
  std::string performance;  // WAD, decimal
  bool good = false;
};
struct EraResultsRecord {
  int64_t era = 0;
  std::string results_root;  // 0x hex, as in the eras table
  std::string satellite;     // base URL that served them
  bool has_verdicts = false;
  int64_t up = 0, down = 0, maintenance = 0;
  std::vector<EraNodeRow> nodes;
  std::vector<std::pair<int64_t, std::string>> link_rewards;  // bundle id → cumulative reward
  std::vector<EraHyperNodeRow> hyper_nodes;                   // from the verdicts
};

// Thread-safe: one connection behind a mutex (the follower writes, API handlers read).
// SQLite or PostgreSQL (infra/sql.hpp): same schema, same migrations, same answers.
class IndexStore {
 public:
  // Applies the migrations the database lacks.
  static Result<std::unique_ptr<IndexStore>> open(std::unique_ptr<infra::SqlDatabase> db);
  // "postgres://…" / "postgresql://…", else a SQLite file path (":memory:" for tests).
  static Result<std::unique_ptr<IndexStore>> open_db(std::string_view target);
  // A SQLite file (":memory:" for tests).
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

  // The highest events.id (0: none), and up to `limit` events with a higher id in id order:
  // what the event stream resumes from.
  Result<int64_t> last_event_id();
  Result<std::vector<StoredEvent>> events_after(int64_t after, size_t limit);

  // Committed eras (oldest first, at most `limit`) with no results stored for their current
  // resultsRoot: (era, results_root).
  Result<std::vector<std::pair<int64_t, std::string>>> eras_without_results(size_t limit);
  // Replaces the era's stored results in one transaction. HyperNode Link rewards are the sums of
  // their bundles' (link_bundles maps bundles to HyperNodes).
  Status put_era_results(const EraResultsRecord& record);

  // Called (without the store's lock) after a commit that stored new events or rolled back.
  void on_commit(std::function<void()> listener);

  infra::SqlDialect dialect() const { return db_->dialect(); }

  // Runs `read` with the connection held (for queries; do not write through it).
  template <typename F>
  auto read(F&& read) {
    std::lock_guard lock(mu_);
    return read(*db_);
  }

 private:
  explicit IndexStore(std::unique_ptr<infra::SqlDatabase> db) : db_(std::move(db)) {}
  Status rebuild_locked();
  void notify_commit();

  std::mutex mu_;
  std::unique_ptr<infra::SqlDatabase> db_;
  std::function<void()> on_commit_;
};

}  // namespace icn::indexer
