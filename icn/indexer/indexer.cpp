// Indexer: LogFollower's sink stores each delivered range (decoded events, window, checkpoint)
// in one transaction and each rollback in another, so the database always matches a prefix of
// the canonical chain, whatever moment the process dies at.
#include "icn/indexer/indexer.hpp"

#include <algorithm>

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

Indexer::Indexer(eth::RpcClient& rpc, IndexStore& store, std::vector<WatchedContract> contracts,
                 IndexerMetrics* metrics)
    : rpc_(rpc), store_(store), contracts_(std::move(contracts)), metrics_(metrics) {
  sink_.on_logs = [this](std::span<const eth::Log> logs, const eth::Checkpoint& through) -> Status {
    std::vector<IndexedEvent> events;
    events.reserve(logs.size());
    for (const eth::Log& log : logs) events.push_back(decode_event(contracts_, log));
    std::vector<eth::Checkpoint> window = follower_->recent_blocks();
    ICN_TRY(size_t added, store_.store(events, through, window));
    if (metrics_) metrics_->events.inc(double(added));
    return {};
  };
  sink_.on_rollback = [this](const eth::Checkpoint& ancestor) -> Status {
    ICN_TRY(auto before, store_.checkpoint());
    ICN_CHECK(store_.roll_back(ancestor));
    reorgs_.fetch_add(1);
    if (metrics_) metrics_->reorgs.inc();
    if (on_reorg_) on_reorg_(before ? before->block_number : ancestor.block_number, ancestor);
    return {};
  };
}

Result<std::unique_ptr<Indexer>> Indexer::create(eth::RpcClient& rpc, IndexStore& store,
                                                 std::vector<WatchedContract> contracts,
                                                 uint64_t deploy_block, IndexerOptions options,
                                                 IndexerMetrics* metrics) {
  eth::LogFollowerOptions follow;
  for (const WatchedContract& c : contracts) follow.addresses.push_back(c.address);
  follow.start_block = deploy_block;
  follow.confirmations = options.confirmations;
  follow.max_range = options.max_range;
  follow.reorg_window = options.reorg_window;
  std::unique_ptr<Indexer> indexer(new Indexer(rpc, store, std::move(contracts), metrics));
  ICN_TRY(std::optional<eth::Checkpoint> checkpoint, store.checkpoint());
  if (checkpoint) {
    ICN_TRY(std::vector<eth::Checkpoint> window, store.recent_blocks());
    if (window.empty() || window.back() != *checkpoint) window.push_back(*checkpoint);
    indexer->follower_ = std::make_unique<eth::LogFollower>(rpc, follow, std::move(window));
  } else {
    indexer->follower_ = std::make_unique<eth::LogFollower>(rpc, follow);
  }
  return indexer;
}

Result<eth::PollReport> Indexer::poll_once() {
  auto report = follower_->poll_once(sink_);
  if (!report) {
    if (metrics_) metrics_->poll_errors.inc();
    return report;
  }
  head_.store(report->head);
  if (metrics_) {
    metrics_->head_block.set(double(report->head));
    if (report->checkpoint) {
      metrics_->indexed_block.set(double(report->checkpoint->block_number));
      metrics_->lag_blocks.set(double(report->head) - double(report->checkpoint->block_number));
    }
  }
  return report;
}

Status Indexer::sync(const infra::StopFlag* stop) {
  while (!stop || !stop->requested()) {
    ICN_TRY(eth::PollReport report, poll_once());
    if (report.caught_up) return {};
  }
  return {};
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
