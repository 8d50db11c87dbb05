// The indexer's follower: every protocol contract of deployment.json followed from the deploy
// block through eth::LogFollower, logs decoded with the artifacts' ABIs into the IndexStore,
// resuming from the stored checkpoint.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "icn/chain/deployment.hpp"
#include "icn/eth/artifact.hpp"
#include "icn/eth/log_follower.hpp"
#include "icn/indexer/store.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"

namespace icn::indexer {

struct IndexerOptions {
  uint64_t confirmations = 0;  // blocks behind the head before a block is indexed
  uint64_t max_range = 2000;   // blocks per eth_getLogs
  size_t reorg_window = 64;    // block hashes kept (and stored) to find a reorg's ancestor
  // Ranges sync() may fetch and decode ahead of the one being stored (on a thread of its own),
  // so a sync takes about max(fetch, store) per range rather than their sum. 0: fetch and store
  // alternately on the calling thread.
  size_t prefetch_ranges = 2;
};

// One contract of the deployment with its ABI.
struct WatchedContract {
  std::string name;  // deployment.json's key
  Address address;
  eth::Contract binding;
  std::map<Hash, nlohmann::json> event_entries;  // topic0 → the JSON ABI entry (component names)
  // topic0 → its event, computed once: finding a log's event by hashing every signature of the
  // contract per log cost more than the rest of decoding (bench/indexer_bench.cpp).
  std::map<Hash, abi::EventAbi> events;
};

// The artifact a deployment.json name is built from: the name itself, except the two
// ReservePool instances (RewardsReserve, LinkRewardPool).
std::string artifact_name(std::string_view contract_name);

// Every contract of `deployment` with <artifacts_dir>/<artifact>.json: "indexer: artifact for
// Registry: cannot read …".
Result<std::vector<WatchedContract>> load_contracts(const chain::Deployment& deployment,
                                                    const std::filesystem::path& artifacts_dir);

// Every string in `value` (recursively) that is not valid UTF-8 rewritten as dump_json writes
// it (U+FFFD), so later dumps succeed and both backends store the same bytes: names and
// endpoints are chosen by anyone. ASCII strings (nearly all) are left as they are, uncopied.
void replace_invalid_utf8(nlohmann::json& value);

// A log of one of `contracts` decoded. A log the ABI does not describe (or cannot decode) is
// kept with event "" and args {"topics": […], "data": "0x…", "error": why}, so the index stays
// complete and the follower never stalls on it.
IndexedEvent decode_event(const std::vector<WatchedContract>& contracts, const eth::Log& log);

// Prometheus series the indexer keeps current.
struct IndexerMetrics {
  explicit IndexerMetrics(infra::MetricsRegistry& registry);
  infra::Gauge& head_block;
  infra::Gauge& indexed_block;
  infra::Gauge& lag_blocks;
  infra::Counter& events;
  infra::Counter& reorgs;
  infra::Counter& poll_errors;
};

class Indexer {
 public:
  // Resumes after the store's checkpoint (with its stored window), else starts at the
  // deployment's deploy block.
  static Result<std::unique_ptr<Indexer>> create(eth::RpcClient& rpc, IndexStore& store,
                                                 std::vector<WatchedContract> contracts,
                                                 uint64_t deploy_block, IndexerOptions options,
                                                 IndexerMetrics* metrics = nullptr);

  // One LogFollower step: a rollback and/or one stored range (on the calling thread).
  Result<eth::PollReport> poll_once();
  // Polls until caught up with the confirmed head (or `stop`); errors end it. With
  // prefetch_ranges > 0 the follower runs on a second thread, handing decoded ranges and
  // rollbacks over in chain order; the calling thread stores each in its own transaction, so the
  // database still only ever holds a prefix of the chain. Whatever was fetched but not stored
  // when it ends (an error, `stop`) is dropped and the follower restarts from the store.
  Status sync(const infra::StopFlag* stop = nullptr);
  // Until `stop`: sync, then wait `poll_interval`; an error is reported through `on_error` and
  // retried after the interval (a node restart must not end the indexer).
  void run(const infra::StopFlag& stop, std::chrono::milliseconds poll_interval,
           const std::function<void(const Error&)>& on_error);

  // Called on the follower's thread after each rollback is committed, before anything newer is
  // stored: (indexed head before it, the ancestor it rolled back to). Set it before run().
  void on_reorg(std::function<void(uint64_t from_block, const eth::Checkpoint& ancestor)> f) {
    on_reorg_ = std::move(f);
  }

  uint64_t head() const { return head_.load(); }
  std::optional<eth::Checkpoint> checkpoint() const { return follower_->checkpoint(); }
  uint64_t reorgs() const { return reorgs_.load(); }

 private:
  struct Step;
  class StepQueue;

  Indexer(eth::RpcClient& rpc, IndexStore& store, std::vector<WatchedContract> contracts,
          IndexerMetrics* metrics);
  // A follower resuming after the store's checkpoint (and stored window), else at start_block.
  Status reset_follower();
  Status sync_pipelined(const infra::StopFlag* stop);
  std::vector<IndexedEvent> decode_all(std::span<const eth::Log> logs) const;
  Status store_range(std::span<const IndexedEvent> events, const eth::Checkpoint& through,
                     std::span<const eth::Checkpoint> window);
  Status store_rollback(const eth::Checkpoint& ancestor);
  void report_progress(uint64_t head, const std::optional<eth::Checkpoint>& checkpoint);

  eth::RpcClient& rpc_;
  IndexStore& store_;
  std::vector<WatchedContract> contracts_;
  IndexerMetrics* metrics_;
  eth::LogFollowerOptions follow_;
  size_t prefetch_ranges_ = 0;
  std::unique_ptr<eth::LogFollower> follower_;
  eth::LogSink sink_;
  std::atomic<uint64_t> head_{0};
  std::atomic<uint64_t> reorgs_{0};
  std::function<void(uint64_t, const eth::Checkpoint&)> on_reorg_;
};

}  // namespace icn::indexer
