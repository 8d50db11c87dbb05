// GET /v1/events: indexed events as server-sent events, pushed as they are committed. Each
// message's id is the event's sequence number (events.id), so a client that reconnects with
// Last-Event-ID resumes without gaps or duplicates. A rollback reaches connected streams as an
// `event: reorg` message, so a client drops what it showed from the replaced blocks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>

#include "icn/eth/log_follower.hpp"
#include "icn/indexer/store.hpp"
#include "icn/infra/http_server.hpp"

namespace icn::indexer {

struct EventStreamOptions {
  // Streams served at once; each holds an HTTP worker, so keep it below the server's
  // worker_threads (the rest answer the REST API). Beyond it: 503 too_many_streams.
  size_t max_streams = 4;
  std::chrono::milliseconds heartbeat{15000};  // a ": heartbeat" comment when nothing happened
  size_t batch = 200;                          // events read per query
};

// A rollback the indexer made: every block above `ancestor` was replaced; `from_block` was the
// indexed head before it.
struct ReorgNotice {
  uint64_t from_block = 0;
  eth::Checkpoint ancestor;
};

// The JSON of one stored event (the stream's `data:`): {"id", "block_number", "block_hash",
// "tx_hash", "log_index", "contract", "event", "args"}.
nlohmann::json stored_event_json(const StoredEvent& event);

// Serves the streams of one store. Registers itself for the store's commits; the store and this
// must outlive the HTTP server's workers (close() first, then stop the server).
class EventStream {
 public:
  explicit EventStream(IndexStore& store, EventStreamOptions options = {});
  ~EventStream();
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Wakes every stream: new events may be stored (the store's commit listener calls it).
  void notify();
  // Sends every connected stream `event: reorg` with data {"from_block", "to_block",
  // "block_hash", "last_event_id"} (to_block/block_hash: the ancestor, the new indexed head;
  // last_event_id: the highest id left, so events above it that a client saw are gone), before
  // any event stored after it. Call it after the store's roll_back and before the next store().
  // No `id:` line: a resume keeps the client's last event id.
  void reorg(const ReorgNotice& notice);
  // Ends every stream cleanly and refuses new ones (503 shutting_down). For shutdown.
  void close();
  size_t active() const;

  // GET /v1/events[?types=Contract.Event,Event,…][&last_event_id=N], or the header
  // Last-Event-ID: N (the query wins). Without either, the stream starts with the next event
  // committed. 400 bad_types / bad_last_event_id; 503 too_many_streams / shutting_down.
  infra::HttpResponse serve(const infra::HttpRequest& request);

 private:
  void run(const infra::HttpStreamWrite& write, int64_t after,
           const std::vector<std::string>& types, size_t reorgs_seen);

  IndexStore& store_;
  EventStreamOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;  // bumped by every notify() and reorg()
  // The latest reorg messages (rare: one per rollback) and how many there were in all; a stream
  // sends those after the count it saw when it opened.
  std::deque<std::string> reorgs_;
  size_t reorg_count_ = 0;
  size_t active_ = 0;
  bool closed_ = false;
};

}  // namespace icn::indexer
