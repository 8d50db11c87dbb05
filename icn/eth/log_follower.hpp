// Following contract logs from a start block: paged eth_getLogs, reorg detection by block hash,
// rollback to the common ancestor, confirmations, and checkpoints to resume from.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "icn/eth/json_rpc.hpp"
#include "icn/eth/rpc_types.hpp"

namespace icn::eth {

// The last block whose logs have been delivered. The caller persists it with what it stored.
struct Checkpoint {
  uint64_t block_number = 0;
  Hash block_hash{};
  bool operator==(const Checkpoint&) const = default;

  // {"block_number":123,"block_hash":"0x…"}
  std::string to_json() const;
  static Result<Checkpoint> from_json(std::string_view text);
};

struct LogFollowerOptions {
  std::vector<Address> addresses;         // empty: any contract
  std::vector<std::vector<Hash>> topics;  // as LogFilter::topics
  uint64_t start_block = 0;               // first block to scan when not resuming
  // Only blocks at least this deep are delivered (0: up to the head). Deeper means fewer
  // rollbacks, later delivery.
  uint64_t confirmations = 0;
  uint64_t max_range = 2000;  // blocks per eth_getLogs; halved when the node refuses a range
  size_t reorg_window = 64;   // recent block hashes kept to find the common ancestor
};

// Where delivered logs go. Either call may fail; the follower then does not advance and the
// next poll_once delivers the same thing again, so the sink can store logs and checkpoint in one
// transaction.
struct LogSink {
  // Logs of the scanned blocks up to and including `through`, ordered by (block, log index);
  // called for every scanned range, also when it had no logs, so the checkpoint advances.
  std::function<Status(std::span<const Log> logs, const Checkpoint& through)> on_logs;
  // A reorg replaced every block above `ancestor`: forget what was stored for them. The logs of
  // the new blocks follow through on_logs.
  std::function<Status(const Checkpoint& ancestor)> on_rollback;
};

// What one poll_once did.
struct PollReport {
  uint64_t head = 0;                         // the node's block number at the start
  std::optional<Checkpoint> rolled_back_to;  // a reorg was handled
  bool scanned = false;                      // a range was scanned and delivered
  uint64_t from_block = 0, to_block = 0;     // that range (inclusive)
  size_t logs_delivered = 0;
  bool chain_moved = false;  // the chain changed during the scan: nothing delivered, poll again
  bool caught_up = false;    // nothing left below the confirmed head
  std::optional<Checkpoint> checkpoint;  // after this step
};

// Drive it by calling poll_once (no threads of its own): typically in a loop until caught_up,
// then once per new block. One RpcClient per follower (or a shared one: calls are serialized).
class LogFollower {
 public:
  // Starts at options.start_block.
  LogFollower(RpcClient& rpc, LogFollowerOptions options);
  // Resumes after `resume` (its newest entry is the checkpoint; older ones, e.g. from
  // recent_blocks(), let a reorg below the checkpoint be resolved).
  LogFollower(RpcClient& rpc, LogFollowerOptions options, std::vector<Checkpoint> resume);

  // One step: check the last delivered block is still canonical (else roll back to the common
  // ancestor through sink.on_rollback), then scan and deliver one range of at most the current
  // range size. Fails on RPC errors, sink errors and on a reorg deeper than the window.
  Result<PollReport> poll_once(const LogSink& sink);

  std::optional<Checkpoint> checkpoint() const;
  // Known recent blocks, oldest first (what a caller may persist to survive deep reorgs).
  std::vector<Checkpoint> recent_blocks() const { return {window_.begin(), window_.end()}; }
  uint64_t current_range() const { return range_; }

 private:
  Status roll_back_if_reorged(const LogSink& sink, PollReport& report);
  Result<std::vector<Log>> fetch_logs(uint64_t from, uint64_t& to);
  void remember(const Checkpoint& block);

  RpcClient& rpc_;
  LogFollowerOptions options_;
  std::deque<Checkpoint> window_;  // ascending block numbers; back() is the cursor
  uint64_t range_;
  unsigned successes_at_range_ = 0;
};

}  // namespace icn::eth
