// The booking follower: market events into SQLite (with the checkpoint, in one transaction), then
// each booking driven to what its era calls for through the provisioner, with retries.
#include "icn/daemon/bookings.hpp"

#include <spdlog/spdlog.h>

#include <limits>

#include "icn/core/abi_events.hpp"
#include "icn/core/abi_read.hpp"

namespace icn::daemon {

const std::string_view kBookingSchemaV1 = R"sql(
CREATE TABLE booking_checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  block_number INTEGER NOT NULL,
  block_hash BLOB NOT NULL
);
CREATE TABLE bookings (
  booking_id TEXT PRIMARY KEY,
  builder TEXT NOT NULL,
  node_id TEXT NOT NULL,
  cluster_id INTEGER NOT NULL,
  capacity TEXT NOT NULL,
  duration INTEGER NOT NULL,
  activation_era INTEGER NOT NULL,
  eras INTEGER NOT NULL,
  access_key BLOB NOT NULL,
  booked_block INTEGER NOT NULL,
  state TEXT NOT NULL,
  expired_era INTEGER,
  endpoint TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER NOT NULL DEFAULT 0
);
)sql";

namespace {

// CapacityMarket's events (contracts/src/market/CapacityMarket.sol); the anvil test checks them
// against the deployed contract's logs.
const abi::EventAbi& booked_abi() {
  static const abi::EventAbi e = *abi::EventAbi::from_signature(
      "Booked(uint256 indexed bookingId, address indexed builder, uint256 indexed nodeId, "
      "uint32 clusterId, uint256 capacity, uint256 duration, uint64 activationEra, uint256 eras, "
      "uint256 price, uint256 margin, bytes accessKey)");
  return e;
}
const abi::EventAbi& renewed_abi() {
  static const abi::EventAbi e = *abi::EventAbi::from_signature(
      "Renewed(uint256 indexed bookingId, uint256 extraDuration, uint256 price, uint256 margin, "
      "uint256 eras, uint256 escrow, uint256 pricePerEra)");
  return e;
}
const abi::EventAbi& expired_abi() {
  static const abi::EventAbi e = *abi::EventAbi::from_signature(
      "Expired(uint256 indexed bookingId, uint256 indexed nodeId, uint64 era, uint256 upEras, "
      "uint256 refund)");
  return e;
}

// SQLite stores signed 64-bit integers: larger eras or durations are a lie from the node.
Result<uint64_t> small(const abi::Value& v, std::string_view what) {
  ICN_TRY(uint64_t x, abi::as_u64(v, what));
  if (x > uint64_t(std::numeric_limits<int64_t>::max())) {
    return fail(std::string(what) + ": above 2^63");
  }
  return x;
}

Result<Bytes> as_bytes(const abi::Value& v, std::string_view what) {
  const Bytes* b = v.get_if<Bytes>();
  if (!b) return fail(std::string(what) + ": not bytes");
  return *b;
}

Result<BookingState> parse_state(std::string_view s) {
  for (BookingState st : kAllBookingStates) {
    if (to_string(st) == s) return st;
  }
  return fail("booking store: unknown state '" + std::string(s) + "'");
}

bool terminal(BookingState s) {
  return s == BookingState::kDeprovisioned || s == BookingState::kRejected;
}

}  // namespace

std::string_view to_string(BookingState state) {
  switch (state) {
    case BookingState::kBooked:
      return "booked";
    case BookingState::kProvisioned:
      return "provisioned";
    case BookingState::kDeprovisioning:
      return "deprovisioning";
    case BookingState::kDeprovisioned:
      return "deprovisioned";
    case BookingState::kRejected:
      return "rejected";
  }
  return "unknown";
}

Hash booked_topic() {
  return booked_abi().topic0();
}
Hash renewed_topic() {
  return renewed_abi().topic0();
}
Hash expired_topic() {
  return expired_abi().topic0();
}

Result<std::optional<MarketEvent>> decode_market_log(const eth::Log& log) {
  if (log.topics.empty()) return std::optional<MarketEvent>();
  const Hash& t0 = log.topics[0];
  if (t0 == booked_topic()) {
    ICN_TRY(abi::DecodedLog d, abi::decode_log(booked_abi(), log.topics, log.data));
    const auto& p = d.params;
    BookedEvent e;
    ICN_TRY(e.terms.booking_id, abi::as_uint(p[0].value, "Booked.bookingId"));
    ICN_TRY(e.terms.builder, abi::as_address(p[1].value, "Booked.builder"));
    ICN_TRY(e.terms.node_id, abi::as_uint(p[2].value, "Booked.nodeId"));
    ICN_TRY(e.terms.cluster_id, abi::as_u32(p[3].value, "Booked.clusterId"));
    ICN_TRY(e.terms.capacity, abi::as_uint(p[4].value, "Booked.capacity"));
    ICN_TRY(e.terms.duration, small(p[5].value, "Booked.duration"));
    ICN_TRY(e.terms.activation_era, small(p[6].value, "Booked.activationEra"));
    ICN_TRY(e.terms.eras, small(p[7].value, "Booked.eras"));
    ICN_TRY(e.terms.access_key, as_bytes(p[10].value, "Booked.accessKey"));
    if (e.terms.booking_id > U256(std::numeric_limits<int64_t>::max()) ||
        e.terms.activation_era + e.terms.eras < e.terms.activation_era) {
      return fail("Booked: booking id or eras out of range");
    }
    return std::optional<MarketEvent>(std::move(e));
  }
  if (t0 == renewed_topic()) {
    ICN_TRY(abi::DecodedLog d, abi::decode_log(renewed_abi(), log.topics, log.data));
    RenewedEvent e;
    ICN_TRY(e.booking_id, abi::as_uint(d.params[0].value, "Renewed.bookingId"));
    ICN_TRY(e.extra_duration, small(d.params[1].value, "Renewed.extraDuration"));
    ICN_TRY(e.eras, small(d.params[4].value, "Renewed.eras"));
    return std::optional<MarketEvent>(std::move(e));
  }
  if (t0 == expired_topic()) {
    ICN_TRY(abi::DecodedLog d, abi::decode_log(expired_abi(), log.topics, log.data));
    ExpiredEvent e;
    ICN_TRY(e.booking_id, abi::as_uint(d.params[0].value, "Expired.bookingId"));
    ICN_TRY(e.node_id, abi::as_uint(d.params[1].value, "Expired.nodeId"));
    ICN_TRY(e.era, small(d.params[2].value, "Expired.era"));
    return std::optional<MarketEvent>(std::move(e));
  }
  return std::optional<MarketEvent>();
}

// ---------------------------------------------------------------- store

Status BookingStore::apply(std::span<const eth::Log> logs, const U256& node_id,
                           const eth::Checkpoint& through, std::vector<std::string>* warnings) {
  ICN_TRY(infra::Transaction tx, db_.begin());
  for (const eth::Log& log : logs) {
    auto decoded = decode_market_log(log);
    if (!decoded) {
      // Skipped rather than retried forever: only a lying node sends a market log that does not
      // decode. Said loudly.
      if (warnings) {
        warnings->push_back("block " + std::to_string(log.block_number) + " log " +
                            std::to_string(log.log_index) + ": " + decoded.error().message);
      }
      continue;
    }
    if (!*decoded) continue;
    if (auto* b = std::get_if<BookedEvent>(&**decoded)) {
      if (b->terms.node_id != node_id) continue;
      const BookingTerms& t = b->terms;
      ICN_TRY(infra::Statement st,
              db_.prepare("INSERT OR IGNORE INTO bookings (booking_id, builder, node_id, "
                          "cluster_id, capacity, duration, activation_era, eras, access_key, "
                          "booked_block, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      st.bind(1, to_decimal(t.booking_id))
          .bind(2, t.builder.checksummed())
          .bind(3, to_decimal(t.node_id))
          .bind(4, int64_t(t.cluster_id))
          .bind(5, to_decimal(t.capacity))
          .bind(6, int64_t(t.duration))
          .bind(7, int64_t(t.activation_era))
          .bind(8, int64_t(t.eras))
          .bind_blob(9, t.access_key)
          .bind(10, int64_t(log.block_number))
          .bind(11, to_string(BookingState::kBooked));
      ICN_CHECK(st.run());
    } else if (auto* r = std::get_if<RenewedEvent>(&**decoded)) {
      // A booking de-provisioned at its old end (the Renewed event was not yet confirmed when the
      // era passed) and renewed after all goes back to booked: reconcile provisions it again.
      ICN_TRY(infra::Statement st,
              db_.prepare("UPDATE bookings SET eras = max(eras, ?), duration = duration + ?, "
                          "state = CASE WHEN state = 'deprovisioned' AND expired_era IS NULL "
                          "THEN 'booked' ELSE state END, "
                          "attempts = CASE WHEN state = 'deprovisioned' AND expired_era IS NULL "
                          "THEN 0 ELSE attempts END WHERE booking_id = ?"));
      st.bind(1, int64_t(r->eras))
          .bind(2, int64_t(r->extra_duration))
          .bind(3, to_decimal(r->booking_id));
      ICN_CHECK(st.run());
    } else if (auto* x = std::get_if<ExpiredEvent>(&**decoded)) {
      if (x->node_id != node_id) continue;
      ICN_TRY(infra::Statement st,
              db_.prepare("UPDATE bookings SET expired_era = ? WHERE booking_id = ?"));
      st.bind(1, int64_t(x->era)).bind(2, to_decimal(x->booking_id));
      ICN_CHECK(st.run());
    }
  }
  ICN_TRY(infra::Statement cp,
          db_.prepare("INSERT INTO booking_checkpoint (id, block_number, block_hash) "
                      "VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                      "block_number = excluded.block_number, block_hash = excluded.block_hash"));
  cp.bind(1, int64_t(through.block_number)).bind_blob(2, through.block_hash);
  ICN_CHECK(cp.run());
  return tx.commit();
}

Status BookingStore::roll_back(const eth::Checkpoint& ancestor) {
  ICN_TRY(infra::Transaction tx, db_.begin());
  // Provisioned ones stay: their provisioner ran; if the booking is gone for good it never ends
  // by era unless it was renewed away, so an operator has to look (logged by the caller).
  ICN_TRY(infra::Statement del,
          db_.prepare("DELETE FROM bookings WHERE booked_block > ? AND state = 'booked'"));
  del.bind(1, int64_t(ancestor.block_number));
  ICN_CHECK(del.run());
  ICN_TRY(infra::Statement cp,
          db_.prepare("UPDATE booking_checkpoint SET block_number = ?, block_hash = ?"));
  cp.bind(1, int64_t(ancestor.block_number)).bind_blob(2, ancestor.block_hash);
  ICN_CHECK(cp.run());
  return tx.commit();
}

Result<std::optional<eth::Checkpoint>> BookingStore::checkpoint() {
  ICN_TRY(infra::Statement st,
          db_.prepare("SELECT block_number, block_hash FROM booking_checkpoint WHERE id = 1"));
  ICN_TRY(bool row, st.step());
  if (!row) return std::optional<eth::Checkpoint>();
  Bytes hash = st.column_blob(1);
  if (hash.size() != 32) return fail("booking store: checkpoint hash is not 32 bytes");
  eth::Checkpoint c;
  c.block_number = uint64_t(st.column_int64(0));
  std::copy(hash.begin(), hash.end(), c.block_hash.begin());
  return std::optional<eth::Checkpoint>(c);
}

Result<std::vector<BookingRecord>> BookingStore::all() {
  ICN_TRY(infra::Statement st,
          db_.prepare("SELECT booking_id, builder, node_id, cluster_id, capacity, duration, "
                      "activation_era, eras, access_key, booked_block, state, expired_era, "
                      "endpoint, attempts, next_attempt_ms, last_error FROM bookings "
                      "ORDER BY booked_block, rowid"));
  std::vector<BookingRecord> out;
  while (true) {
    ICN_TRY(bool row, st.step());
    if (!row) break;
    BookingRecord r;
    ICN_TRY(r.terms.booking_id, parse_u256(st.column_text(0)));
    ICN_TRY(r.terms.builder, Address::parse(st.column_text(1)));
    ICN_TRY(r.terms.node_id, parse_u256(st.column_text(2)));
    r.terms.cluster_id = uint32_t(st.column_int64(3));
    ICN_TRY(r.terms.capacity, parse_u256(st.column_text(4)));
    r.terms.duration = uint64_t(st.column_int64(5));
    r.terms.activation_era = uint64_t(st.column_int64(6));
    r.terms.eras = uint64_t(st.column_int64(7));
    r.terms.access_key = st.column_blob(8);
    r.booked_block = uint64_t(st.column_int64(9));
    ICN_TRY(r.state, parse_state(st.column_text(10)));
    if (auto e = st.column_optional_int64(11)) r.expired_era = uint64_t(*e);
    r.endpoint = st.column_text(12);
    r.attempts = st.column_int64(13);
    r.next_attempt_ms = st.column_int64(14);
    r.last_error = st.column_text(15);
    out.push_back(std::move(r));
  }
  return out;
}

Status BookingStore::save(const BookingRecord& r, int64_t now_ms) {
  ICN_TRY(infra::Statement st,
          db_.prepare("UPDATE bookings SET state = ?, endpoint = ?, attempts = ?, "
                      "next_attempt_ms = ?, last_error = ?, updated_ms = ? WHERE booking_id = ?"));
  st.bind(1, to_string(r.state))
      .bind(2, r.endpoint)
      .bind(3, r.attempts)
      .bind(4, r.next_attempt_ms)
      .bind(5, r.last_error)
      .bind(6, now_ms)
      .bind(7, to_decimal(r.terms.booking_id));
  return st.run();
}

// ---------------------------------------------------------------- chain source

ChainMarketLogSource::ChainMarketLogSource(eth::RpcClient& rpc, chain::ChainView& chain,
                                           const Address& market, uint64_t start_block,
                                           std::optional<eth::Checkpoint> resume,
                                           uint64_t confirmations)
    : chain_(chain),
      follower_(
          rpc,
          eth::LogFollowerOptions{.addresses = {market},
                                  .topics = {{booked_topic(), renewed_topic(), expired_topic()}},
                                  .start_block = start_block,
                                  .confirmations = confirmations},
          resume ? std::vector<eth::Checkpoint>{*resume} : std::vector<eth::Checkpoint>{}) {}

Result<eth::PollReport> ChainMarketLogSource::poll_once(const eth::LogSink& sink) {
  return follower_.poll_once(sink);
}

Result<uint64_t> ChainMarketLogSource::current_era() {
  ICN_TRY_CTX(uint64_t head, chain_.head_block(), "read head");
  return chain_.era_at(head);
}

// ---------------------------------------------------------------- follower

BookingMetrics::BookingMetrics(infra::MetricsRegistry& r)
    : bookings(r.gauge("icn_daemon_bookings", "Bookings of this node by state", {"state"})),
      provision_failures(r.counter("icn_daemon_provision_failures_total",
                                   "Failed provisioner runs (retried with backoff)", {"action"})),
      provisions(
          r.counter("icn_daemon_provisions_total", "Successful provisioner runs", {"action"})),
      poll_errors(r.counter("icn_daemon_booking_poll_errors_total",
                            "Failed booking follower passes (RPC or database errors); retried")
                      .get()),
      synced_block(r.gauge("icn_daemon_booking_synced_block",
                           "The last block whose market events the booking follower stored")
                       .get()) {}

BookingFollower::BookingFollower(MarketLogSource& source, infra::Database& db,
                                 Provisioner& provisioner, BookingFollowerOptions options,
                                 BookingMetrics* metrics, UnixMsClock clock)
    : source_(source),
      store_(db),
      provisioner_(provisioner),
      options_(std::move(options)),
      metrics_(metrics),
      clock_(clock) {
  status_.provisioner = std::string(provisioner_.kind());
  sink_.on_logs = [this](std::span<const eth::Log> logs, const eth::Checkpoint& through) {
    return store_.apply(logs, options_.scaler_node_id, through, &warnings_);
  };
  sink_.on_rollback = [this](const eth::Checkpoint& ancestor) {
    spdlog::warn("bookings: reorg back to block {}", ancestor.block_number);
    return store_.roll_back(ancestor);
  };
}

void BookingFollower::fail_attempt(BookingRecord& r, ProvisionAction action, const Error& error,
                                   int64_t now) {
  ++r.attempts;
  int shift = int(std::min<int64_t>(r.attempts - 1, 20));
  int64_t delay =
      std::min<int64_t>(options_.retry_initial.count() << shift, options_.retry_max.count());
  r.next_attempt_ms = now + delay;
  r.last_error = error.message;
  spdlog::error("booking {}: {} failed (attempt {}, next in {} ms): {}",
                to_decimal(r.terms.booking_id), to_string(action), r.attempts, delay,
                error.message);
  if (metrics_) metrics_->provision_failures.with({std::string(to_string(action))}).inc();
}

Status BookingFollower::step(BookingRecord& r, uint64_t era, int64_t now) {
  const std::string id = to_decimal(r.terms.booking_id);
  const bool ended = r.expired_era.has_value() || era >= r.end_era();
  if (r.state == BookingState::kBooked) {
    if (ended) {
      // Never provisioned (or never successfully): nothing to take away.
      r.state = BookingState::kDeprovisioned;
      r.next_attempt_ms = 0;
      spdlog::info("booking {}: ended in era {} before it was provisioned", id, era);
      return store_.save(r, now);
    }
    if (era < r.terms.activation_era || now < r.next_attempt_ms) return {};
    if (Status valid = provisioner_.validate(r.terms); !valid) {
      r.state = BookingState::kRejected;
      r.last_error = valid.error().message;
      spdlog::error("booking {}: rejected, not provisioned: {}", id, r.last_error);
      return store_.save(r, now);
    }
    auto endpoint = provisioner_.provision(r.terms);
    if (!endpoint) {
      fail_attempt(r, ProvisionAction::kProvision, endpoint.error(), now);
      return store_.save(r, now);
    }
    r.state = BookingState::kProvisioned;
    r.endpoint = *endpoint;
    r.attempts = 0;
    r.next_attempt_ms = 0;
    r.last_error.clear();
    if (metrics_) metrics_->provisions.with({"provision"}).inc();
    spdlog::info("booking {}: provisioned ({}) until era {}", id,
                 r.endpoint.empty() ? "no endpoint" : r.endpoint, r.end_era());
    return store_.save(r, now);
  }
  if (r.state == BookingState::kProvisioned) {
    if (!ended) return {};
    r.state = BookingState::kDeprovisioning;
    r.attempts = 0;
    r.next_attempt_ms = 0;
    ICN_CHECK(store_.save(r, now));
  }
  if (r.state == BookingState::kDeprovisioning) {
    if (now < r.next_attempt_ms) return {};
    Status done = provisioner_.deprovision(r.terms);
    if (!done) {
      fail_attempt(r, ProvisionAction::kDeprovision, done.error(), now);
      return store_.save(r, now);
    }
    r.state = BookingState::kDeprovisioned;
    r.attempts = 0;
    r.next_attempt_ms = 0;
    r.last_error.clear();
    if (metrics_) metrics_->provisions.with({"deprovision"}).inc();
    spdlog::info("booking {}: de-provisioned ({})", id,
                 r.expired_era ? "expired in era " + std::to_string(*r.expired_era)
                               : "ended with era " + std::to_string(r.end_era() - 1));
    return store_.save(r, now);
  }
  return {};
}

Status BookingFollower::reconcile(uint64_t era) {
  ICN_TRY(std::vector<BookingRecord> records, store_.all());
  for (BookingRecord& r : records) {
    if (terminal(r.state)) continue;
    ICN_CHECK(step(r, era, clock_()));
  }
  return {};
}

Status BookingFollower::refresh_status(std::optional<uint64_t> era) {
  ICN_TRY(std::vector<BookingRecord> records, store_.all());
  ICN_TRY(std::optional<eth::Checkpoint> cp, store_.checkpoint());
  if (metrics_) {
    for (BookingState s : kAllBookingStates) {
      int64_t n = std::count_if(records.begin(), records.end(),
                                [s](const BookingRecord& r) { return r.state == s; });
      metrics_->bookings.with({std::string(to_string(s))}).set(double(n));
    }
    if (cp) metrics_->synced_block.set(double(cp->block_number));
  }
  std::lock_guard lock(mu_);
  if (era) status_.era = era;
  if (cp) status_.synced_block = cp->block_number;
  status_.bookings = std::move(records);
  return {};
}

Status BookingFollower::sync_once(const infra::StopFlag* stop) {
  while (true) {
    if (stop && stop->requested()) return {};
    auto report = source_.poll_once(sink_);
    for (const std::string& w : warnings_) spdlog::warn("bookings: skipped a market log: {}", w);
    warnings_.clear();
    if (!report) return std::move(report).error().context("bookings: follow the market");
    if (report->caught_up) break;
  }
  // Only once caught up: an old booking seen while catching up is judged by today's era (it may
  // be long over, and a Renewed or Expired event for it may still be ahead in the scan).
  ICN_TRY_CTX(uint64_t era, source_.current_era(), "bookings: current era");
  {
    std::lock_guard lock(mu_);
    status_.synced = true;
  }
  Status reconciled = reconcile(era);
  ICN_CHECK(refresh_status(era));
  return reconciled;
}

void BookingFollower::run(const infra::StopFlag& stop) {
  while (!stop.requested()) {
    Status s = sync_once(&stop);
    if (!s) {
      spdlog::warn("{}", s.error().message);
      if (metrics_) metrics_->poll_errors.inc();
    }
    {
      std::lock_guard lock(mu_);
      status_.last_error = s ? "" : s.error().message;
    }
    if (stop.wait_for(options_.poll_interval)) break;
  }
}

BookingsStatus BookingFollower::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

infra::HttpResponse handle_bookings(const BookingFollower& follower) {
  BookingsStatus s = follower.status();
  auto optional = [](const std::optional<uint64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json list = nlohmann::json::array();
  for (const BookingRecord& r : s.bookings) {
    list.push_back({{"bookingId", to_decimal(r.terms.booking_id)},
                    {"builder", r.terms.builder.checksummed()},
                    {"clusterId", r.terms.cluster_id},
                    {"capacity", to_decimal(r.terms.capacity)},
                    {"duration", r.terms.duration},
                    {"activationEra", r.terms.activation_era},
                    {"eras", r.terms.eras},
                    {"lastEra", r.end_era() - 1},
                    {"bookedBlock", r.booked_block},
                    {"expiredEra", optional(r.expired_era)},
                    {"state", to_string(r.state)},
                    {"endpoint", r.endpoint},
                    {"attempts", r.attempts},
                    {"lastError", r.last_error}});
  }
  nlohmann::json body = {{"provisioner", s.provisioner}, {"synced", s.synced},
                         {"era", optional(s.era)},       {"syncedBlock", optional(s.synced_block)},
                         {"lastError", s.last_error},    {"bookings", std::move(list)}};
  // Errors may quote a provisioner's stderr: replace invalid UTF-8 rather than fail the dump.
  return infra::HttpResponse::json_body(
      nlohmann::json::parse(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

void mount_bookings_api(infra::HttpServer& server, const BookingFollower& follower) {
  server.get("/v1/bookings",
             [&follower](const infra::HttpRequest&) { return handle_bookings(follower); });
}

}  // namespace icn::daemon
