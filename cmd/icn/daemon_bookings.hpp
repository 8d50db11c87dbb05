// `icn daemon`'s booking follower: its [provisioner]/[bookings] config keys and the thread it
// runs on (icn/daemon/bookings.hpp; docs/daemon.md "Bookings and provisioning").
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "icn/chain/deployment.hpp"
#include "icn/chain/protocol_reader.hpp"
#include "icn/daemon/bookings.hpp"
#include "icn/eth/json_rpc.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"
#include "icn/infra/sqlite.hpp"

namespace icn::cmd {

struct BookingsConfig {
  std::string kind = "none";  // [provisioner] kind: "exec" | "ssh-account" | "none"
  daemon::ExecProvisionerOptions exec;
  daemon::SshAccountOptions ssh;
  uint64_t confirmations = 2;  // [bookings] confirmations: blocks deep before an event counts
};

// Reads [provisioner] and [bookings]; `data_dir` holds the exec requests and the default
// accounts_dir.
Result<BookingsConfig> load_bookings_config(infra::Config& c,
                                            const std::filesystem::path& data_dir);

// The follower on a thread of its own, with its own RPC client, chain reader and database
// connection: the daemon's tick blocks for a whole challenge round, and a provisioner command
// may run for its whole timeout; neither should wait for the other. Stops and joins on
// destruction.
class BookingsRunner {
 public:
  static Result<std::unique_ptr<BookingsRunner>> start(
      const BookingsConfig& config, const std::string& rpc_url, const chain::Deployment& deployment,
      const std::filesystem::path& artifacts, const std::filesystem::path& db_path,
      const U256& node_id, std::chrono::milliseconds poll_interval,
      infra::MetricsRegistry& registry);
  ~BookingsRunner();

  const daemon::BookingFollower& follower() const { return *follower_; }

 private:
  BookingsRunner() = default;
  infra::StopFlag stop_;
  std::unique_ptr<eth::RpcClient> rpc_;
  std::unique_ptr<chain::ProtocolReader> reader_;
  std::unique_ptr<infra::Database> db_;
  std::unique_ptr<daemon::Provisioner> provisioner_;
  std::unique_ptr<daemon::BookingMetrics> metrics_;
  std::unique_ptr<daemon::ChainMarketLogSource> source_;
  std::unique_ptr<daemon::BookingFollower> follower_;
  std::thread thread_;
};

}  // namespace icn::cmd
