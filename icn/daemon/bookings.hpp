// Bookings of this ScalerNode: CapacityMarket's Booked/Renewed/Expired events followed from the
// deployment block, each booking's state kept in the daemon's SQLite DB, and the provisioner run
// when a booking becomes active and again when it ends (docs/daemon.md "Bookings and
// provisioning").
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "icn/chain/chain_view.hpp"
#include "icn/daemon/provisioner.hpp"
#include "icn/eth/log_follower.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::daemon {

// The daemon migration that adds the booking tables (in daemon_migrations()).
extern const std::string_view kBookingSchemaV1;

// booked: waiting for its activation era, or provisioning (failed attempts are retried);
// provisioned: the Builder has access (endpoint); deprovisioning: ended, taking access away
// (retried); deprovisioned: over, nothing held for it; rejected: the provisioner can never serve
// it (e.g. the access key is not an SSH key), nothing was provisioned.
enum class BookingState : uint8_t {
  kBooked,
  kProvisioned,
  kDeprovisioning,
  kDeprovisioned,
  kRejected
};
std::string_view to_string(BookingState state);
inline constexpr std::array<BookingState, 5> kAllBookingStates = {
    BookingState::kBooked, BookingState::kProvisioned, BookingState::kDeprovisioning,
    BookingState::kDeprovisioned, BookingState::kRejected};

struct BookingRecord {
  BookingTerms terms;
  BookingState state = BookingState::kBooked;
  uint64_t booked_block = 0;
  std::optional<uint64_t> expired_era;  // the Expired event's era, once seen
  std::string endpoint;
  int64_t attempts = 0;         // failed attempts of the current action
  int64_t next_attempt_ms = 0;  // not before (backoff after a failure)
  std::string last_error;
  // The first era after the booking: activation_era + eras.
  uint64_t end_era() const { return terms.activation_era + terms.eras; }
};

// The CapacityMarket events the follower reads, decoded (logs of other nodes are skipped).
struct BookedEvent {
  BookingTerms terms;
};
struct RenewedEvent {
  U256 booking_id;
  uint64_t extra_duration = 0;
  uint64_t eras = 0;  // the booking's new length
};
struct ExpiredEvent {
  U256 booking_id;
  U256 node_id;
  uint64_t era = 0;
};
// The topic0 of each (the follower's filter).
Hash booked_topic();
Hash renewed_topic();
Hash expired_topic();
// Decodes one market log; nullopt for another event. A malformed log is an error.
using MarketEvent = std::variant<BookedEvent, RenewedEvent, ExpiredEvent>;
Result<std::optional<MarketEvent>> decode_market_log(const eth::Log& log);

// Booking rows and the follower's checkpoint in the daemon's database.
class BookingStore {
 public:
  explicit BookingStore(infra::Database& db) : db_(db) {}

  // Applies the events of one delivered range and moves the checkpoint, in one transaction.
  // Booked events for another node are ignored; Renewed/Expired for unknown bookings too.
  Status apply(std::span<const eth::Log> logs, const U256& node_id, const eth::Checkpoint& through,
               std::vector<std::string>* warnings);
  // A reorg removed the blocks above `ancestor`: bookings first seen there and not provisioned
  // yet are forgotten (they come back if still canonical); the checkpoint moves back.
  Status roll_back(const eth::Checkpoint& ancestor);
  Result<std::optional<eth::Checkpoint>> checkpoint();

  Result<std::vector<BookingRecord>> all();
  Status save(const BookingRecord& record, int64_t now_ms);

 private:
  infra::Database& db_;
};

// Where the follower reads the chain (a fake in tests).
class MarketLogSource {
 public:
  virtual ~MarketLogSource() = default;
  // Delivers the next range of market logs (LogFollower::poll_once's contract).
  virtual Result<eth::PollReport> poll_once(const eth::LogSink& sink) = 0;
  // The era of the chain head.
  virtual Result<uint64_t> current_era() = 0;
};

// The real one: a LogFollower on CapacityMarket's three events plus the ChainView's era.
class ChainMarketLogSource final : public MarketLogSource {
 public:
  // Resumes after `resume` when given, else starts at `start_block` (the deployment block).
  ChainMarketLogSource(eth::RpcClient& rpc, chain::ChainView& chain, const Address& market,
                       uint64_t start_block, std::optional<eth::Checkpoint> resume,
                       uint64_t confirmations);
  Result<eth::PollReport> poll_once(const eth::LogSink& sink) override;
  Result<uint64_t> current_era() override;

 private:
  chain::ChainView& chain_;
  eth::LogFollower follower_;
};

struct BookingMetrics {
  explicit BookingMetrics(infra::MetricsRegistry& registry);
  infra::GaugeFamily& bookings;              // icn_daemon_bookings{state}
  infra::CounterFamily& provision_failures;  // icn_daemon_provision_failures_total{action}
  infra::CounterFamily& provisions;          // icn_daemon_provisions_total{action}: successes
  infra::Counter& poll_errors;               // icn_daemon_booking_poll_errors_total
  infra::Gauge& synced_block;                // icn_daemon_booking_synced_block
};

struct BookingFollowerOptions {
  U256 scaler_node_id;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds retry_initial{5000};  // after the first failure; doubles
  std::chrono::milliseconds retry_max{300000};
};

using UnixMsClock = int64_t (*)();

// What GET /v1/bookings shows.
struct BookingsStatus {
  std::string provisioner;
  bool synced = false;  // caught up with the chain at least once
  std::optional<uint64_t> era;
  std::optional<uint64_t> synced_block;
  std::string last_error;
  std::vector<BookingRecord> bookings;
};

// Follows the market, stores what it learns, then brings every booking to the state its era
// calls for. Single-threaded (sync_once/run); status() may be called from HTTP workers.
class BookingFollower {
 public:
  // `db` has daemon_migrations() applied; everything by reference outlives the follower.
  BookingFollower(MarketLogSource& source, infra::Database& db, Provisioner& provisioner,
                  BookingFollowerOptions options, BookingMetrics* metrics, UnixMsClock clock);

  // Polls until caught up, then reconciles: provisions bookings whose activation era has come,
  // de-provisions those that ended (era ≥ activationEra + eras, or Expired), retrying failures
  // once their backoff has passed. Fails on chain/RPC and database errors (nothing is lost: the
  // next call resumes from the stored checkpoint).
  Status sync_once(const infra::StopFlag* stop = nullptr);
  // sync_once every poll_interval until `stop`; errors are logged, shown in status, retried.
  void run(const infra::StopFlag& stop);

  BookingsStatus status() const;

 private:
  Status reconcile(uint64_t era);
  Status step(BookingRecord& record, uint64_t era, int64_t now);
  void fail_attempt(BookingRecord& record, ProvisionAction action, const Error& error, int64_t now);
  Status refresh_status(std::optional<uint64_t> era);

  MarketLogSource& source_;
  BookingStore store_;
  Provisioner& provisioner_;
  BookingFollowerOptions options_;
  BookingMetrics* metrics_;
  UnixMsClock clock_;
  eth::LogSink sink_;
  std::vector<std::string> warnings_;

  mutable std::mutex mu_;
  BookingsStatus status_;  // guarded by mu_
};

// GET /v1/bookings: every booking with its state and endpoint.
void mount_bookings_api(infra::HttpServer& server, const BookingFollower& follower);
infra::HttpResponse handle_bookings(const BookingFollower& follower);

}  // namespace icn::daemon
