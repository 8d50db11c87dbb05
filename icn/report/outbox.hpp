// A durable delivery queue: messages (an era's batch) spooled in the role's SQLite database and
// POSTed to each destination until it acknowledges them (2xx, or 409 "already have it"), with
// per-destination exponential backoff, surviving restarts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"
#include "icn/infra/http_client.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::report {

// The tables of the outbox. The role owns the database and its migration list: it appends
//   infra::Migration{N, std::string(report::kOutboxSchemaV1)}
// at the next free version N of its own list (versions are per database). A later outbox schema
// change will come as kOutboxSchemaV2, appended by each role after V1.
inline constexpr std::string_view kOutboxSchemaV1 = R"sql(
CREATE TABLE outbox_messages (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  era INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (kind, era)
);
CREATE TABLE outbox_deliveries (
  message_id INTEGER NOT NULL REFERENCES outbox_messages(id),
  destination TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  delivered_ms INTEGER,
  last_status INTEGER,
  last_error TEXT,
  PRIMARY KEY (message_id, destination)
);
CREATE INDEX outbox_deliveries_due ON outbox_deliveries(delivered_ms, next_attempt_ms);
)sql";

// Where satellites take batches (the HyperNode's BatchSender posts to the same path).
inline constexpr std::string_view kBatchesPath = "/v1/batches";

// Unix time in milliseconds; a fake in tests.
using UnixClock = std::function<int64_t()>;
int64_t system_unix_ms();

// One POST. The outbox asks it; tests can give a fake. `url` is the full URL.
class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  virtual infra::HttpExchange post(const std::string& url, const std::string& body) = 0;
};

struct CurlHttpPosterOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{10000};
  size_t max_response_bytes = 64 << 10;  // acknowledgements are small
};

// HttpPoster over libcurl: one kept-alive connection per scheme://host:port. Thread-safe: posts
// to different origins run concurrently, posts to one origin take turns on its connection.
class CurlHttpPoster final : public HttpPoster {
 public:
  explicit CurlHttpPoster(CurlHttpPosterOptions options = {}) : options_(options) {}
  infra::HttpExchange post(const std::string& url, const std::string& body) override;

 private:
  struct Connection {
    explicit Connection(const infra::HttpConnectionOptions& options) : http(options) {}
    std::mutex mu;
    infra::HttpConnection http;
  };
  CurlHttpPosterOptions options_;
  std::mutex mu_;  // guards connections_ (the map, not each connection)
  std::map<std::string, std::unique_ptr<Connection>> connections_;
};

// One message for one destination, for post_per_destination.
struct Post {
  std::string destination;  // what groups posts: one thread per destination
  std::string url;
  const std::string* body;  // must outlive the call
};
struct PostResult {
  std::optional<infra::HttpExchange> exchange;  // nullopt: not tried this round
  int64_t at_ms = 0;                            // when the exchange ended
};
// Posts every message, each destination on its own thread and in the given order, so one that
// hangs (a frozen satellite answers nothing until the request timeout) does not hold the
// others' messages past their grace. A destination's round ends at its first exchange that got
// no answer: the rest are not tried, rather than each waiting out the same timeout.
// `poster` must be thread-safe; results[i] is posts[i]'s.
std::vector<PostResult> post_per_destination(HttpPoster& poster, const std::vector<Post>& posts,
                                             const UnixClock& clock);

// The destination's answer counts as "stored": a 2xx, or 409 (it already has this message).
bool acknowledged(long http_status);
// The destination refuses this message for good (any other 4xx but 408 and 429: a bad
// signature, an originator it does not know, a closed era): sending it again cannot help, so the
// delivery is closed as refused and kept for inspection, not retried.
bool refused_for_good(long http_status);

// A failed delivery attempt in words: "HTTP 500: <body>", "connection refused", "timed out" …
std::string describe_exchange(const infra::HttpExchange& exchange);

struct OutboxOptions {
  std::string path = std::string(kBatchesPath);  // appended to each destination's base URL
  std::chrono::milliseconds first_retry{1000};   // doubled per failed attempt …
  std::chrono::milliseconds max_retry{60000};    // … up to this
  size_t max_per_round = 64;
};

// The outcome of one delivery round.
struct DeliveryRound {
  size_t attempted = 0;
  size_t delivered = 0;
  size_t failed = 0;
  size_t refused = 0;                 // closed: refused_for_good
  std::vector<std::string> errors;    // "http://sat:1/v1/batches daemon_batch era 7: HTTP 500: …"
  std::vector<std::string> refusals;  // the same for refused deliveries (log them as errors)
};

// A delivery not yet acknowledged, for status pages and tests.
struct PendingDelivery {
  int64_t message_id = 0;
  std::string kind;
  uint64_t era = 0;
  std::string destination;
  std::string body;
  int64_t attempts = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;
};

// Not thread-safe: the role's loop calls it (the database is one connection).
class Outbox {
 public:
  // `db` must outlive the outbox and have kOutboxSchemaV1 applied.
  Outbox(infra::Database& db, OutboxOptions options, UnixClock clock = system_unix_ms);

  // Spools `body` for every destination (base URLs), due now. Once per (kind, era): a second
  // call for the same pair changes nothing and returns false, so a role that crashed between
  // building and recording an era re-enqueues harmlessly. Runs in the caller's transaction when
  // one is open, else in its own.
  Result<bool> enqueue(std::string_view kind, uint64_t era, std::string_view body,
                       const std::vector<std::string>& destinations);

  // Every due delivery once (oldest first, at most max_per_round), each destination on its own
  // thread (`poster` must be thread-safe) and up to its first unanswered exchange; acknowledged
  // ones are marked
  // delivered, refused ones closed (refused_for_good); the others are retried after
  // first_retry · 2^(attempts − 1), capped at max_retry.
  Result<DeliveryRound> deliver_due(HttpPoster& poster);

  // Deliveries not yet acknowledged (the spool depth), and their list.
  Result<int64_t> pending_count();
  Result<std::vector<PendingDelivery>> pending();
  // Whether (kind, era) was ever enqueued.
  Result<bool> contains(std::string_view kind, uint64_t era);

  // The delay before the next attempt after `attempts` failed ones (attempts ≥ 1).
  std::chrono::milliseconds backoff(int64_t attempts) const;

 private:
  infra::Database& db_;
  OutboxOptions options_;
  UnixClock clock_;
};

}  // namespace icn::report
