// LogFollower: pages of eth_getLogs bracketed by block-hash checks, so every delivered log is
// from the chain whose head hash the checkpoint names, and a reorg is undone before new logs.
#include "icn/eth/log_follower.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace icn::eth {
namespace {

constexpr unsigned kSuccessesBeforeGrowing = 4;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(uint8_t(c)));
  return out;
}

// Whether a failed eth_getLogs is worth retrying with a smaller range: the node's "too many
// results" / "range too large" refusals (wordings differ by provider), or an answer too big or
// too slow for us.
bool is_range_error(const Error& e) {
  if (auto rpc = find_rpc_error(e)) {
    if (rpc->code == -32005) return true;  // the de facto "limit exceeded" code
    std::string m = lower(rpc->message);
    for (const char* hint : {"too many", "more than", "range", "limit", "exceed", "too large",
                             "size", "timeout", "timed out"}) {
      if (m.find(hint) != std::string::npos) return true;
    }
    return false;
  }
  return e.message.find("response larger than") != std::string::npos ||
         e.message.find("timed out") != std::string::npos;
}

Result<std::optional<BlockHeader>> decode_nullable_block(const Result<json>& r) {
  if (!r) return r.error();
  if (r->is_null()) return std::optional<BlockHeader>();
  auto header = parse_block_header(*r);
  if (!header) return std::move(header).error().context("rpc eth_getBlockByNumber: invalid result");
  return std::optional<BlockHeader>(std::move(header).value());
}

// Canonical headers of several blocks in one batch; nullopt for blocks the node does not have.
Result<std::map<uint64_t, std::optional<BlockHeader>>> headers_at(
    RpcClient& rpc, const std::set<uint64_t>& numbers) {
  std::vector<RpcCall> calls;
  for (uint64_t n : numbers) {
    calls.push_back({"eth_getBlockByNumber", json::array({BlockRef::number(n).to_json(), false})});
  }
  ICN_TRY(std::vector<Result<json>> answers, rpc.batch(calls));
  std::map<uint64_t, std::optional<BlockHeader>> out;
  size_t i = 0;
  for (uint64_t n : numbers) {
    ICN_TRY(std::optional<BlockHeader> header, decode_nullable_block(answers[i++]));
    if (header && header->number != n) {
      return fail("rpc eth_getBlockByNumber: asked for block " + std::to_string(n) + ", got " +
                  std::to_string(header->number));
    }
    out[n] = std::move(header);
  }
  return out;
}

bool matches_filter(const Log& log, const LogFollowerOptions& o) {
  if (!o.addresses.empty() &&
      std::find(o.addresses.begin(), o.addresses.end(), log.address) == o.addresses.end()) {
    return false;
  }
  for (size_t i = 0; i < o.topics.size(); ++i) {
    if (o.topics[i].empty()) continue;
    if (i >= log.topics.size()) return false;
    if (std::find(o.topics[i].begin(), o.topics[i].end(), log.topics[i]) == o.topics[i].end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Checkpoint::to_json() const {
  return json{{"block_number", block_number}, {"block_hash", to_hex(block_hash)}}.dump();
}

Result<Checkpoint> Checkpoint::from_json(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("checkpoint: not a JSON object");
  if (j.size() != 2) return fail("checkpoint: expected exactly block_number and block_hash");
  auto number = j.find("block_number");
  auto hash = j.find("block_hash");
  if (number == j.end() || !number->is_number_unsigned()) {
    return fail("checkpoint: block_number missing or not a non-negative integer");
  }
  if (hash == j.end() || !hash->is_string()) return fail("checkpoint: block_hash missing");
  Checkpoint out;
  out.block_number = number->get<uint64_t>();
  ICN_TRY_CTX(out.block_hash, parse_fixed_hex<32>(hash->get<std::string>()),
              "checkpoint: block_hash");
  return out;
}

LogFollower::LogFollower(RpcClient& rpc, LogFollowerOptions options)
    : rpc_(rpc), options_(std::move(options)), range_(std::max<uint64_t>(1, options_.max_range)) {
  options_.reorg_window = std::max<size_t>(1, options_.reorg_window);
}

LogFollower::LogFollower(RpcClient& rpc, LogFollowerOptions options, std::vector<Checkpoint> resume)
    : LogFollower(rpc, std::move(options)) {
  std::sort(resume.begin(), resume.end(), [](const Checkpoint& a, const Checkpoint& b) {
    return a.block_number < b.block_number;
  });
  for (const Checkpoint& c : resume) remember(c);
}

std::optional<Checkpoint> LogFollower::checkpoint() const {
  if (window_.empty()) return std::nullopt;
  return window_.back();
}

void LogFollower::remember(const Checkpoint& block) {
  if (!window_.empty() && block.block_number <= window_.back().block_number) return;
  window_.push_back(block);
  while (window_.size() > options_.reorg_window) window_.pop_front();
}

Status LogFollower::roll_back_if_reorged(const LogSink& sink, PollReport& report) {
  if (window_.empty()) return {};
  const Checkpoint cursor = window_.back();
  ICN_TRY(std::optional<BlockHeader> now, get_block(rpc_, BlockRef::number(cursor.block_number)));
  if (now && now->hash == cursor.block_hash) return {};

  // The cursor block is gone: the newest known block that is still canonical is the ancestor.
  std::set<uint64_t> numbers;
  for (const Checkpoint& c : window_) numbers.insert(c.block_number);
  ICN_TRY(auto canonical, headers_at(rpc_, numbers));
  std::optional<Checkpoint> ancestor;
  for (auto it = window_.rbegin(); it != window_.rend(); ++it) {
    const auto& header = canonical[it->block_number];
    if (header && header->hash == it->block_hash) {
      ancestor = *it;
      break;
    }
  }
  if (!ancestor) {
    return fail("log follower: reorg deeper than the window: none of the " +
                std::to_string(window_.size()) + " known blocks " +
                std::to_string(window_.front().block_number) + ".." +
                std::to_string(cursor.block_number) +
                " is canonical any more; resume from an older checkpoint");
  }
  if (sink.on_rollback) {
    Status stored = sink.on_rollback(*ancestor);
    if (!stored) return std::move(stored).error().context("log sink");
  }
  while (!window_.empty() && window_.back().block_number > ancestor->block_number) {
    window_.pop_back();
  }
  report.rolled_back_to = ancestor;
  return {};
}

Result<PollReport> LogFollower::poll_once(const LogSink& sink) {
  PollReport report;
  ICN_TRY(report.head, block_number(rpc_));
  ICN_CHECK(roll_back_if_reorged(sink, report));
  report.checkpoint = checkpoint();

  const uint64_t next = window_.empty() ? options_.start_block : window_.back().block_number + 1;
  if (report.head < options_.confirmations || next > report.head - options_.confirmations) {
    report.caught_up = true;
    return report;
  }
  const uint64_t target = report.head - options_.confirmations;

  uint64_t to = 0;
  Hash to_hash_before{};
  std::optional<Hash> next_hash;
  std::vector<Log> logs;
  while (true) {
    to = std::min(target, next + range_ - 1);
    // Hash of the range's last block before the query, and the parent link to what was delivered.
    std::set<uint64_t> wanted = {to};
    if (!window_.empty()) wanted.insert(next);
    ICN_TRY(auto before, headers_at(rpc_, wanted));
    if (!before[to] || (!window_.empty() && (!before[next] || before[next]->parent_hash !=
                                                                  window_.back().block_hash))) {
      report.chain_moved = true;  // the next poll finds the reorg, or the blocks exist again
      return report;
    }
    to_hash_before = before[to]->hash;
    if (before.count(next) && before[next]) next_hash = before[next]->hash;

    LogFilter filter;
    filter.addresses = options_.addresses;
    filter.topics = options_.topics;
    filter.from_block = BlockRef::number(next);
    filter.to_block = BlockRef::number(to);
    auto got = get_logs(rpc_, filter);
    if (!got) {
      if (to > next && is_range_error(got.error())) {
        range_ = std::max<uint64_t>(1, (to - next + 1) / 2);
        successes_at_range_ = 0;
        continue;
      }
      return std::move(got).error().context("log follower");
    }
    logs = std::move(got).value();
    break;
  }
  if (to - next + 1 == range_ && range_ < options_.max_range &&
      ++successes_at_range_ >= kSuccessesBeforeGrowing) {
    range_ = std::min(options_.max_range, range_ * 2);
    successes_at_range_ = 0;
  }

  // Every log must come from the chain whose last block we saw before and see again after.
  std::set<uint64_t> wanted = {to};
  for (const Log& l : logs) {
    if (l.block_number < next || l.block_number > to) {
      return fail("log follower: node returned a log of block " + std::to_string(l.block_number) +
                  " for range " + std::to_string(next) + ".." + std::to_string(to));
    }
    if (!matches_filter(l, options_)) {
      return fail("log follower: node returned a log outside the filter (block " +
                  std::to_string(l.block_number) + ", index " + std::to_string(l.log_index) + ")");
    }
    if (l.removed) {
      report.chain_moved = true;
      return report;
    }
    wanted.insert(l.block_number);
  }
  ICN_TRY(auto after, headers_at(rpc_, wanted));
  if (!after[to] || after[to]->hash != to_hash_before) {
    report.chain_moved = true;
    return report;
  }
  for (const Log& l : logs) {
    if (!after[l.block_number] || after[l.block_number]->hash != l.block_hash) {
      report.chain_moved = true;
      return report;
    }
  }
  std::sort(logs.begin(), logs.end(), [](const Log& a, const Log& b) {
    return std::tie(a.block_number, a.log_index) < std::tie(b.block_number, b.log_index);
  });
  for (size_t i = 1; i < logs.size(); ++i) {
    if (logs[i].block_number == logs[i - 1].block_number &&
        logs[i].log_index == logs[i - 1].log_index) {
      return fail("log follower: node returned log " + std::to_string(logs[i].log_index) +
                  " of block " + std::to_string(logs[i].block_number) + " twice");
    }
  }

  const Checkpoint through{to, to_hash_before};
  if (sink.on_logs) {
    Status stored = sink.on_logs(logs, through);
    if (!stored) return std::move(stored).error().context("log sink");
  }
  if (next_hash && next != to) remember({next, *next_hash});
  for (const auto& [number, header] : after) {
    if (header && number != to) remember({number, header->hash});
  }
  remember(through);
  report.scanned = true;
  report.from_block = next;
  report.to_block = to;
  report.logs_delivered = logs.size();
  report.checkpoint = through;
  report.caught_up = to == target;
  return report;
}

}  // namespace icn::eth
