// Outbox: spooled messages, one row per (message, destination), delivered with backoff.
#include "icn/report/outbox.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <optional>
#include <thread>

namespace icn::report {
namespace {

std::string join_url(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

// "http://host:port" of a URL: connections are kept per origin.
std::string origin_of(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t slash = url.find('/', start);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

// Columns 0-5 of a delivery query: message id, kind, era, destination, body, attempts.
PendingDelivery delivery_from_row(infra::Statement& q) {
  PendingDelivery p;
  p.message_id = q.column_int64(0);
  p.kind = q.column_text(1);
  p.era = static_cast<uint64_t>(q.column_int64(2));
  p.destination = q.column_text(3);
  p.body = q.column_text(4);
  p.attempts = q.column_int64(5);
  return p;
}

}  // namespace

std::string describe_exchange(const infra::HttpExchange& exchange) {
  using Outcome = infra::HttpExchange::Outcome;
  switch (exchange.outcome) {
    case Outcome::kAnswered:
      return "HTTP " + std::to_string(exchange.status) + ": " + infra::body_snippet(exchange.body);
    case Outcome::kRefused:
      return "connection refused";
    case Outcome::kTimedOut:
      return "timed out";
    case Outcome::kTooLarge:
      return "response too large";
    case Outcome::kConnectFailed:
    case Outcome::kTransportError:
    case Outcome::kOtherError:
      break;
  }
  return exchange.detail.empty() ? "transport error" : exchange.detail;
}

int64_t system_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool acknowledged(long http_status) {
  return (http_status >= 200 && http_status < 300) || http_status == 409;
}

bool refused_for_good(long http_status) {
  return http_status >= 400 && http_status < 500 && http_status != 409 && http_status != 408 &&
         http_status != 429;
}

infra::HttpExchange CurlHttpPoster::post(const std::string& url, const std::string& body) {
  Connection* connection;
  {
    std::lock_guard lock(mu_);
    auto& slot = connections_[origin_of(url)];
    if (!slot) {
      infra::HttpConnectionOptions http;
      http.connect_timeout = options_.connect_timeout;
      http.request_timeout = options_.request_timeout;
      http.max_response_bytes = options_.max_response_bytes;
      slot = std::make_unique<Connection>(http);
    }
    connection = slot.get();
  }
  std::lock_guard lock(connection->mu);
  return connection->http.perform(url, &body);
}

std::vector<PostResult> post_per_destination(HttpPoster& poster, const std::vector<Post>& posts,
                                             const UnixClock& clock) {
  std::map<std::string, std::vector<size_t>> by_destination;
  for (size_t i = 0; i < posts.size(); ++i) by_destination[posts[i].destination].push_back(i);
  std::vector<PostResult> results(posts.size());
  std::vector<std::jthread> senders;
  for (const auto& [destination, indexes] : by_destination) {
    senders.emplace_back([&, &indexes = indexes] {
      for (size_t i : indexes) {
        results[i].exchange = poster.post(posts[i].url, *posts[i].body);
        results[i].at_ms = clock();
        if (results[i].exchange->outcome != infra::HttpExchange::Outcome::kAnswered) break;
      }
    });
  }
  senders.clear();  // joins
  return results;
}

Outbox::Outbox(infra::Database& db, OutboxOptions options, UnixClock clock)
    : db_(db), options_(std::move(options)), clock_(std::move(clock)) {}

std::chrono::milliseconds Outbox::backoff(int64_t attempts) const {
  auto delay = options_.first_retry;
  for (int64_t i = 1; i < attempts && delay < options_.max_retry; ++i) delay *= 2;
  return std::min(delay, options_.max_retry);
}

Result<bool> Outbox::enqueue(std::string_view kind, uint64_t era, std::string_view body,
                             const std::vector<std::string>& destinations) {
  std::optional<infra::Transaction> tx;
  if (sqlite3_get_autocommit(db_.handle()) != 0) {
    ICN_TRY(infra::Transaction t, db_.begin());
    tx.emplace(std::move(t));
  }
  ICN_TRY(infra::Statement insert,
          db_.prepare("INSERT INTO outbox_messages(kind, era, body, created_ms) VALUES(?, ?, ?, ?) "
                      "ON CONFLICT(kind, era) DO NOTHING"));
  const int64_t now = clock_();
  insert.bind(1, kind).bind(2, static_cast<int64_t>(era)).bind(3, body).bind(4, now);
  ICN_CHECK(insert.run());
  if (db_.changes() == 0) return false;
  const int64_t id = db_.last_insert_rowid();
  ICN_TRY(infra::Statement add,
          db_.prepare("INSERT OR IGNORE INTO outbox_deliveries(message_id, destination, "
                      "next_attempt_ms) VALUES(?, ?, ?)"));
  for (const std::string& destination : destinations) {
    add.reset();
    add.bind(1, id).bind(2, destination).bind(3, now);
    ICN_CHECK(add.run());
  }
  if (tx) ICN_CHECK(tx->commit());
  return true;
}

Result<std::vector<PendingDelivery>> Outbox::pending() {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT m.id, m.kind, m.era, d.destination, m.body, d.attempts, "
                      "d.next_attempt_ms, COALESCE(d.last_error, '') FROM outbox_deliveries d "
                      "JOIN outbox_messages m ON m.id = d.message_id WHERE d.delivered_ms IS NULL "
                      "ORDER BY d.next_attempt_ms, m.id, d.destination"));
  std::vector<PendingDelivery> out;
  while (true) {
    ICN_TRY(bool row, q.step());
    if (!row) break;
    PendingDelivery p = delivery_from_row(q);
    p.next_attempt_ms = q.column_int64(6);
    p.last_error = q.column_text(7);
    out.push_back(std::move(p));
  }
  return out;
}

Result<int64_t> Outbox::pending_count() {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT COUNT(*) FROM outbox_deliveries WHERE delivered_ms IS NULL"));
  ICN_TRY(bool row, q.step());
  if (!row) return fail("outbox: COUNT returned no row");
  return q.column_int64(0);
}

Result<bool> Outbox::contains(std::string_view kind, uint64_t era) {
  ICN_TRY(infra::Statement q,
          db_.prepare("SELECT 1 FROM outbox_messages WHERE kind = ? AND era = ?"));
  q.bind(1, kind).bind(2, static_cast<int64_t>(era));
  return q.step();
}

Result<DeliveryRound> Outbox::deliver_due(HttpPoster& poster) {
  DeliveryRound round;
  const int64_t now = clock_();
  std::vector<PendingDelivery> due;
  {
    ICN_TRY(infra::Statement q,
            db_.prepare("SELECT m.id, m.kind, m.era, d.destination, m.body, d.attempts "
                        "FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id "
                        "WHERE d.delivered_ms IS NULL AND d.next_attempt_ms <= ? "
                        "ORDER BY d.next_attempt_ms, m.id, d.destination LIMIT ?"));
    q.bind(1, now).bind(2, static_cast<int64_t>(options_.max_per_round));
    while (true) {
      ICN_TRY(bool row, q.step());
      if (!row) break;
      due.push_back(delivery_from_row(q));
    }
  }
  ICN_TRY(
      infra::Statement delivered,
      db_.prepare("UPDATE outbox_deliveries SET delivered_ms = ?, attempts = attempts + 1, "
                  "last_status = ?, last_error = NULL WHERE message_id = ? AND destination = ?"));
  ICN_TRY(infra::Statement failed,
          db_.prepare("UPDATE outbox_deliveries SET attempts = attempts + 1, next_attempt_ms = ?, "
                      "last_status = ?, last_error = ? WHERE message_id = ? AND destination = ?"));
  // Closed like a delivery (so never due again), with the refusal kept in last_status/last_error.
  ICN_TRY(infra::Statement refused,
          db_.prepare("UPDATE outbox_deliveries SET delivered_ms = ?, attempts = attempts + 1, "
                      "last_status = ?, last_error = ? WHERE message_id = ? AND destination = ?"));
  std::vector<Post> posts;
  for (const PendingDelivery& d : due) {
    posts.push_back({d.destination, join_url(d.destination, options_.path), &d.body});
  }
  std::vector<PostResult> results = post_per_destination(poster, posts, clock_);
  for (size_t i = 0; i < due.size(); ++i) {
    if (!results[i].exchange) continue;  // its destination did not answer earlier in this round
    const PendingDelivery& d = due[i];
    const infra::HttpExchange& exchange = *results[i].exchange;
    const std::string& url = posts[i].url;
    ++round.attempted;
    const bool answered = exchange.outcome == infra::HttpExchange::Outcome::kAnswered;
    const int64_t at = results[i].at_ms;
    if (answered && acknowledged(exchange.status)) {
      delivered.reset();
      delivered.bind(1, at)
          .bind(2, static_cast<int64_t>(exchange.status))
          .bind(3, d.message_id)
          .bind(4, d.destination);
      ICN_CHECK(delivered.run());
      ++round.delivered;
      continue;
    }
    const std::string error = describe_exchange(exchange);
    if (answered && refused_for_good(exchange.status)) {
      refused.reset();
      refused.bind(1, at)
          .bind(2, static_cast<int64_t>(exchange.status))
          .bind(3, error)
          .bind(4, d.message_id)
          .bind(5, d.destination);
      ICN_CHECK(refused.run());
      ++round.refused;
      round.refusals.push_back(url + " " + d.kind + " era " + std::to_string(d.era) + ": " + error +
                               " (refused: not sent again)");
      continue;
    }
    failed.reset();
    failed.bind(1, at + backoff(d.attempts + 1).count())
        .bind(2, answered ? std::optional<int64_t>(exchange.status) : std::nullopt)
        .bind(3, error)
        .bind(4, d.message_id)
        .bind(5, d.destination);
    ICN_CHECK(failed.run());
    ++round.failed;
    round.errors.push_back(url + " " + d.kind + " era " + std::to_string(d.era) + ": " + error);
  }
  return round;
}

}  // namespace icn::report
