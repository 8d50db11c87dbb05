// The event stream: each stream reads the events table forward from its cursor and sleeps on a
// condition variable the store's commits bump, so a committed event reaches every client at once
// without polling, and a resumed stream replays exactly what it missed from the table.
#include "icn/indexer/event_stream.hpp"

#include <algorithm>
#include <charconv>
#include <memory>

#include "icn/indexer/event_json.hpp"

namespace icn::indexer {

using infra::error_response;
using infra::HttpRequest;
using infra::HttpResponse;
using nlohmann::json;

namespace {

constexpr size_t kMaxTypes = 32;
// Reorg messages kept for streams that have not sent them yet; a stream drains them at each wake,
// so only a burst of this many rollbacks within one write could be missed.
constexpr size_t kKeptReorgs = 64;

std::optional<int64_t> parse_sequence(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// "Registry.RegionCreated,ScalerNodeValidated" → its names; nullopt when malformed.
std::optional<std::vector<std::string>> parse_types(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    if (item.empty() || item.size() > 100 || !std::all_of(item.begin(), item.end(), [](char c) {
          return std::isalnum(uint8_t(c)) || c == '_' || c == '.';
        }))
      return std::nullopt;
    out.emplace_back(item);
    if (out.size() > kMaxTypes) return std::nullopt;
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

bool wanted(const StoredEvent& e, const std::vector<std::string>& types) {
  if (types.empty()) return true;
  for (const std::string& t : types) {
    if (t == e.event) return true;
    if (t.size() == e.contract.size() + 1 + e.event.size() && t.starts_with(e.contract) &&
        t[e.contract.size()] == '.' && t.ends_with(e.event))
      return true;
  }
  return false;
}

}  // namespace

json stored_event_json(const StoredEvent& e) {
  json args = json::parse(e.args, nullptr, false);
  return {{"id", e.id},
          {"block_number", e.block_number},
          {"block_hash", e.block_hash},
          {"tx_hash", e.tx_hash},
          {"log_index", e.log_index},
          {"contract", e.contract},
          {"event", e.event},
          {"args", args.is_discarded() ? json(nullptr) : args}};
}

EventStream::EventStream(IndexStore& store, EventStreamOptions options)
    : store_(store), options_(options) {
  store_.on_commit([this] { notify(); });
}

EventStream::~EventStream() {
  store_.on_commit(nullptr);
  close();
}

void EventStream::notify() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void EventStream::reorg(const ReorgNotice& notice) {
  auto last = store_.last_event_id();
  json data = {{"from_block", notice.from_block},
               {"to_block", notice.ancestor.block_number},
               {"block_hash", to_hex(notice.ancestor.block_hash)},
               {"last_event_id", last ? json(*last) : json(nullptr)}};
  {
    std::lock_guard lock(mu_);
    reorgs_.push_back("event: reorg\ndata: " + dump_json(data) + "\n\n");
    if (reorgs_.size() > kKeptReorgs) reorgs_.pop_front();
    ++reorg_count_;
    ++generation_;
  }
  cv_.notify_all();
}

void EventStream::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

size_t EventStream::active() const {
  std::lock_guard lock(mu_);
  return active_;
}

HttpResponse EventStream::serve(const HttpRequest& request) {
  std::vector<std::string> types;
  if (auto t = request.query("types")) {
    auto parsed = parse_types(*t);
    if (!parsed) {
      return error_response(400, "bad_types",
                            "types must be a comma-separated list of at most 32 event names "
                            "(Event or Contract.Event)");
    }
    types = std::move(*parsed);
  }
  std::optional<std::string> resume = request.query("last_event_id");
  if (!resume) resume = request.header("Last-Event-ID");
  std::optional<int64_t> after;
  if (resume) {
    after = parse_sequence(*resume);
    if (!after) {
      return error_response(400, "bad_last_event_id",
                            "Last-Event-ID must be the id of an event from this stream");
    }
  }

  size_t reorgs_seen = 0;
  // The slot is taken now and released when the response (and its stream) is destroyed, also
  // when the client disconnects before the stream starts.
  {
    std::lock_guard lock(mu_);
    if (closed_) return error_response(503, "shutting_down", "the indexer is shutting down");
    if (active_ >= options_.max_streams) {
      return error_response(503, "too_many_streams",
                            "at most " + std::to_string(options_.max_streams) +
                                " event streams are served at once; retry later");
    }
    ++active_;
    reorgs_seen = reorg_count_;
  }
  auto slot = std::shared_ptr<void>(nullptr, [this](void*) {
    {
      std::lock_guard lock(mu_);
      --active_;
    }
    cv_.notify_all();
  });
  if (!after) {
    auto last = store_.last_event_id();
    if (!last) return error_response(500, "internal", last.error().message);
    after = *last;
  }

  HttpResponse r;
  r.content_type = "text/event-stream";
  r.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  r.stream = [this, slot, start = *after, types, reorgs_seen](const infra::HttpStreamWrite& write) {
    run(write, start, types, reorgs_seen);
  };
  return r;
}

void EventStream::run(const infra::HttpStreamWrite& write, int64_t after,
                      const std::vector<std::string>& types, size_t reorgs_seen) {
  // Tells the client the stream is open (and flushes the headers) before any event exists.
  if (!write(": stream open\nretry: 2000\n\n")) return;
  int64_t cursor = after;
  while (true) {
    uint64_t seen;
    std::vector<std::string> reorgs;
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      seen = generation_;  // taken before the read: a commit after it wakes the wait below
      size_t first = reorg_count_ - reorgs_.size();  // the oldest one still kept
      for (size_t i = std::max(reorgs_seen, first); i < reorg_count_; ++i) {
        reorgs.push_back(reorgs_[i - first]);
      }
      reorgs_seen = reorg_count_;
    }
    // A reorg goes out before the events stored after it (they are stored only once reorg()
    // returned), so a client refetches and then sees the new blocks' events.
    for (const std::string& m : reorgs) {
      if (!write(m)) return;
    }
    auto events = store_.events_after(cursor, options_.batch);
    if (!events) {
      json err = {{"code", "internal"}, {"message", events.error().message}};
      (void)write("event: error\ndata: " + dump_json(err) + "\n\n");
      return;
    }
    {
      // A reorg announced while we read may have been followed by its new blocks' events, which
      // the read then holds: send the reorg first and read again from the same cursor.
      std::lock_guard lock(mu_);
      if (reorg_count_ != reorgs_seen) continue;
    }
    for (const StoredEvent& e : *events) {
      cursor = e.id;
      if (!wanted(e, types)) continue;
      if (!write("id: " + std::to_string(e.id) + "\ndata: " + dump_json(stored_event_json(e)) +
                 "\n\n"))
        return;
    }
    if (events->size() == options_.batch) continue;  // more are waiting
    std::unique_lock lock(mu_);
    bool woken =
        cv_.wait_for(lock, options_.heartbeat, [&] { return closed_ || generation_ != seen; });
    if (closed_) return;
    if (!woken) {
      lock.unlock();
      if (!write(": heartbeat\n\n")) return;
    }
  }
}

}  // namespace icn::indexer
