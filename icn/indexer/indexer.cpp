// Indexer: LogFollower's sink stores each delivered range (decoded events, window, checkpoint)
// in one transaction and each rollback in another, so the database always matches a prefix of
// the canonical chain, whatever moment the process dies at.
#include "icn/indexer/indexer.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "icn/indexer/event_json.hpp"

namespace icn::indexer {

using nlohmann::json;

std::string artifact_name(std::string_view contract_name) {
  if (contract_name == "RewardsReserve" || contract_name == "LinkRewardPool") return "ReservePool";
  return std::string(contract_name);
}

Result<std::vector<WatchedContract>> load_contracts(const chain::Deployment& deployment,
                                                    const std::filesystem::path& artifacts_dir) {
  std::vector<WatchedContract> out;
  for (const auto& [name, address] : deployment.contracts) {
    std::string context = "indexer: artifact for " + name;
    ICN_TRY_CTX(eth::Artifact artifact,
                eth::Artifact::load(artifacts_dir / (artifact_name(name) + ".json")), context);
    ICN_TRY_CTX(eth::Contract binding, eth::Contract::from_artifact(artifact), context);
    WatchedContract c{name, address, binding.at(address), {}, {}};
    for (const json& entry : artifact.abi) {
      if (!entry.is_object() || entry.value("type", "") != "event") continue;
      ICN_TRY_CTX(abi::EventAbi event, abi::EventAbi::from_json(entry), context);
      Hash topic0 = event.topic0();
      c.event_entries[topic0] = entry;
      if (!event.anonymous) c.events.emplace(topic0, std::move(event));
    }
    out.push_back(std::move(c));
  }
  return out;
}

void replace_invalid_utf8(json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (std::all_of(s.begin(), s.end(), [](char c) { return uint8_t(c) < 0x80; })) return;
    value = json::parse(dump_json(value));
  } else if (value.is_structured()) {
    for (json& v : value) replace_invalid_utf8(v);
  }
}

IndexedEvent decode_event(const std::vector<WatchedContract>& contracts, const eth::Log& log) {
  IndexedEvent e;
  e.block_number = log.block_number;
  e.block_hash = log.block_hash;
  e.tx_hash = log.tx_hash;
  e.log_index = log.log_index;
  auto raw = [&](std::string why) {
    json topics = json::array();
    for (const Hash& t : log.topics) topics.push_back(to_hex(t));
    e.event.clear();
    e.args = {{"topics", topics}, {"data", to_hex(log.data)}, {"error", std::move(why)}};
  };
  const WatchedContract* contract = nullptr;
  for (const WatchedContract& c : contracts) {
    if (c.address == log.address) contract = &c;
  }
  if (!contract) {  // the follower filters by address: only a misbehaving node gets here
    e.contract = log.address.checksummed();
    raw("not a contract of the deployment");
    return e;
  }
  e.contract = contract->name;
  // What eth::Contract::decode_log does, with the event found in the precomputed map.
  if (log.topics.empty()) {
    raw("log has no topics (an anonymous event?)");
    return e;
  }
  auto event = contract->events.find(log.topics[0]);
  if (event == contract->events.end()) {
    raw("no event of this contract has topic0 " + to_hex(log.topics[0]));
    return e;
  }
  auto decoded = abi::decode_log(event->second, log.topics, log.data);
  if (!decoded) {
    raw(decoded.error().message);
    return e;
  }
  const json* entry = nullptr;
  auto it = contract->event_entries.find(log.topics[0]);
  if (it != contract->event_entries.end()) entry = &it->second;
  e.event = decoded->event;
  e.args = args_to_json(*decoded, entry);
  replace_invalid_utf8(e.args);
  return e;
}

IndexerMetrics::IndexerMetrics(infra::MetricsRegistry& r)
    : head_block(r.gauge("icn_indexer_head_block", "The node's latest block number").get()),
      indexed_block(
          r.gauge("icn_indexer_indexed_block", "The last block whose events are stored").get()),
      lag_blocks(r.gauge("icn_indexer_lag_blocks", "Head minus the last indexed block").get()),
      events(
          r.counter("icn_indexer_events_total", "Events stored (rate() of it: events per second)")
              .get()),
      reorgs(r.counter("icn_indexer_reorgs_total", "Reorgs rolled back").get()),
      poll_errors(r.counter("icn_indexer_poll_errors_total",
                            "Failed polls (RPC errors, store errors); retried")
                      .get()) {}

// What the fetch thread hands the storing thread, in chain order.
struct Indexer::Step {
  enum class Kind { kRange, kRollback, kEnd } kind = Kind::kEnd;
  uint64_t from_block = 0;              // kRange: its first block
  eth::Checkpoint through;              // kRange: its last block; kRollback: the ancestor
  std::vector<IndexedEvent> events;     // kRange
  std::vector<eth::Checkpoint> window;  // kRange: the follower's window when it was fetched
  uint64_t head = 0;                    // the node's head when it was fetched
  std::optional<Error> error;           // kEnd: why the follower stopped (none: caught up)
};

// A bounded FIFO between the two threads. Closing it makes every push fail, which ends the
// follower's poll through its sink without advancing it.
class Indexer::StepQueue {
 public:
  explicit StepQueue(size_t capacity) : capacity_(std::max<size_t>(1, capacity)) {}

  bool push(Step step) {
    std::unique_lock lock(mu_);
    // A rollback and the end are never held back: the storing thread may be waiting for them.
    if (step.kind == Step::Kind::kRange) {
      not_full_.wait(lock, [&] { return closed_ || ranges_ < capacity_; });
    }
    if (closed_) return false;
    if (step.kind == Step::Kind::kRollback) {
      // Ranges wholly above the ancestor are undone by the rollback anyway: drop them rather
      // than store them only to delete them again (and rebuild the projections twice).
      std::erase_if(steps_, [&](const Step& s) {
        bool above = s.kind == Step::Kind::kRange && s.from_block > step.through.block_number;
        if (above) --ranges_;
        return above;
      });
    }
    if (step.kind == Step::Kind::kRange) ++ranges_;
    steps_.push_back(std::move(step));
    not_empty_.notify_one();
    return true;
  }

  Step pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !steps_.empty(); });
    Step s = std::move(steps_.front());
    steps_.pop_front();
    if (s.kind == Step::Kind::kRange) --ranges_;
    not_full_.notify_one();
    return s;
  }

  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_full_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Step> steps_;
  size_t ranges_ = 0;
  bool closed_ = false;
};

Indexer::Indexer(eth::RpcClient& rpc, IndexStore& store, std::vector<WatchedContract> contracts,
                 IndexerMetrics* metrics)
    : rpc_(rpc), store_(store), contracts_(std::move(contracts)), metrics_(metrics) {
  sink_.on_logs = [this](std::span<const eth::Log> logs, const eth::Checkpoint& through) -> Status {
    std::vector<IndexedEvent> events = decode_all(logs);
    std::vector<eth::Checkpoint> window = follower_->recent_blocks();
    return store_range(events, through, window);
  };
  sink_.on_rollback = [this](const eth::Checkpoint& ancestor) -> Status {
    return store_rollback(ancestor);
  };
}

std::vector<IndexedEvent> Indexer::decode_all(std::span<const eth::Log> logs) const {
  std::vector<IndexedEvent> events;
  events.reserve(logs.size());
  for (const eth::Log& log : logs) events.push_back(decode_event(contracts_, log));
  return events;
}

Status Indexer::store_range(std::span<const IndexedEvent> events, const eth::Checkpoint& through,
                            std::span<const eth::Checkpoint> window) {
  ICN_TRY(size_t added, store_.store(events, through, window));
  if (metrics_) metrics_->events.inc(double(added));
  return {};
}

Status Indexer::store_rollback(const eth::Checkpoint& ancestor) {
  ICN_TRY(auto before, store_.checkpoint());
  ICN_CHECK(store_.roll_back(ancestor));
  reorgs_.fetch_add(1);
  if (metrics_) metrics_->reorgs.inc();
  if (on_reorg_) on_reorg_(before ? before->block_number : ancestor.block_number, ancestor);
  return {};
}

void Indexer::report_progress(uint64_t head, const std::optional<eth::Checkpoint>& checkpoint) {
  head_.store(head);
  if (!metrics_) return;
  metrics_->head_block.set(double(head));
  if (checkpoint) {
    metrics_->indexed_block.set(double(checkpoint->block_number));
    metrics_->lag_blocks.set(double(head) - double(checkpoint->block_number));
  }
}

Status Indexer::reset_follower() {
  ICN_TRY(std::optional<eth::Checkpoint> checkpoint, store_.checkpoint());
  if (checkpoint) {
    ICN_TRY(std::vector<eth::Checkpoint> window, store_.recent_blocks());
    if (window.empty() || window.back() != *checkpoint) window.push_back(*checkpoint);
    follower_ = std::make_unique<eth::LogFollower>(rpc_, follow_, std::move(window));
  } else {
    follower_ = std::make_unique<eth::LogFollower>(rpc_, follow_);
  }
  return {};
}

Result<std::unique_ptr<Indexer>> Indexer::create(eth::RpcClient& rpc, IndexStore& store,
                                                 std::vector<WatchedContract> contracts,
                                                 uint64_t deploy_block, IndexerOptions options,
                                                 IndexerMetrics* metrics) {
  std::unique_ptr<Indexer> indexer(new Indexer(rpc, store, std::move(contracts), metrics));
  eth::LogFollowerOptions& follow = indexer->follow_;
  for (const WatchedContract& c : indexer->contracts_) follow.addresses.push_back(c.address);
  follow.start_block = deploy_block;
  follow.confirmations = options.confirmations;
  follow.max_range = options.max_range;
  follow.reorg_window = options.reorg_window;
  indexer->prefetch_ranges_ = options.prefetch_ranges;
  ICN_CHECK(indexer->reset_follower());
  return indexer;
}

Result<eth::PollReport> Indexer::poll_once() {
  auto report = follower_->poll_once(sink_);
  if (!report) {
    if (metrics_) metrics_->poll_errors.inc();
    return report;
  }
  report_progress(report->head, report->checkpoint);
  return report;
}

Status Indexer::sync(const infra::StopFlag* stop) {
  if (prefetch_ranges_ > 0) return sync_pipelined(stop);
  while (!stop || !stop->requested()) {
    ICN_TRY(eth::PollReport report, poll_once());
    if (report.caught_up) return {};
  }
  return {};
}

// The follower polls on its own thread with a sink that only decodes and queues; this thread
// stores what arrives, in order. The follower's state runs ahead of the database by at most the
// queued ranges, so when anything queued is left unstored the follower is rebuilt from the
// database: the checkpoint stays the one source of truth, as in a restart.
Status Indexer::sync_pipelined(const infra::StopFlag* stop) {
  StepQueue queue(prefetch_ranges_);
  std::atomic<bool> closing = false;  // the storing side gave up: the fetcher's errors are ours
  std::thread fetcher([&] {
    eth::LogSink sink;
    uint64_t head = head_.load();
    sink.on_logs = [&](std::span<const eth::Log> logs, const eth::Checkpoint& through) -> Status {
      Step s;
      s.kind = Step::Kind::kRange;
      s.window = follower_->recent_blocks();  // before the follower remembers this range
      s.from_block = s.window.empty() ? follow_.start_block : s.window.back().block_number + 1;
      s.through = through;
      s.events = decode_all(logs);
      s.head = head;
      if (!queue.push(std::move(s))) return fail("indexer: sync ended");
      return {};
    };
    sink.on_rollback = [&](const eth::Checkpoint& ancestor) -> Status {
      Step s;
      s.kind = Step::Kind::kRollback;
      s.through = ancestor;
      s.head = head;
      if (!queue.push(std::move(s))) return fail("indexer: sync ended");
      return {};
    };
    Step end;
    while (!stop || !stop->requested()) {
      // The head is only known once poll_once returns; ranges carry the previous poll's.
      auto report = follower_->poll_once(sink);
      if (!report) {
        if (metrics_ && !closing.load()) metrics_->poll_errors.inc();
        end.error = std::move(report).error();
        break;
      }
      head = report->head;
      head_.store(head);
      if (metrics_) metrics_->head_block.set(double(head));
      if (report->caught_up) break;
    }
    queue.push(std::move(end));
  });

  Status result;
  bool ended = false;  // every step the follower queued was stored
  while (true) {
    Step s = queue.pop();
    if (s.kind == Step::Kind::kEnd) {
      if (s.error) result = std::move(*s.error);
      ended = true;
      break;
    }
    if (stop && stop->requested()) break;
    Status stored = s.kind == Step::Kind::kRange ? store_range(s.events, s.through, s.window)
                                                 : store_rollback(s.through);
    if (!stored) {
      if (metrics_) metrics_->poll_errors.inc();
      result = std::move(stored).error().context("log sink");
      break;
    }
    report_progress(std::max(s.head, head_.load()), s.through);
  }
  closing.store(true);
  queue.close();
  fetcher.join();
  if (!ended || !result) {
    // The follower may have handed over ranges (or a rollback) that were never stored.
    Status reset = reset_follower();
    if (!reset && result) return reset;
  }
  return result;
}

void Indexer::run(const infra::StopFlag& stop, std::chrono::milliseconds poll_interval,
                  const std::function<void(const Error&)>& on_error) {
  while (!stop.requested()) {
    Status s = sync(&stop);
    if (!s && on_error) on_error(s.error());
    stop.wait_for(poll_interval);
  }
}

}  // namespace icn::indexer
