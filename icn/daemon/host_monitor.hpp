// The daemon's view of its own server (issue 6): the hardware inventory and fingerprint at
// start, short throttled benchmarks at start and on a schedule, and the check against the
// node's hardware class — on GET /v1/host, as icn_daemon_host_* / icn_daemon_benchmark_* gauges,
// and as a logged warning for every way the server falls short of its class.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "icn/chain/chain_view.hpp"
#include "icn/host/benchmarks.hpp"
#include "icn/host/class_check.hpp"
#include "icn/host/inventory_reader.hpp"
#include "icn/infra/config.hpp"
#include "icn/infra/http_server.hpp"
#include "icn/infra/metrics.hpp"
#include "icn/infra/signals.hpp"

namespace icn::daemon {

struct HostMonitorOptions {
  host::InventoryOptions inventory;  // root, data_path (default: the daemon's data_dir), nvidia-smi
  bool benchmarks = true;
  std::chrono::milliseconds benchmark_interval = std::chrono::hours(6);
  host::BenchmarkOptions benchmark;  // its data_path is the inventory's
};

// daemon.toml's [host] table (docs/daemon.md): data_path, root, nvidia_smi, benchmarks,
// benchmark_interval, benchmark_duration, benchmark_file_mb. `data_dir` is the default data path.
Status read_host_config(infra::Config& config, const std::filesystem::path& data_dir,
                        HostMonitorOptions& options);

// The node's class and registered capacity, read from the chain at `block`.
struct NodeClass {
  host::HardwareClass hardware_class;
  uint64_t capacity_units = 0;
};
Result<NodeClass> read_node_class(chain::ChainView& chain, const U256& node_id, uint64_t block);
host::HardwareClass to_host_class(const chain::HardwareClassInfo& info);

// Thread-safe; benchmarks run on a thread of its own (start/stop), at the lowest priority.
class HostMonitor {
 public:
  HostMonitor(HostMonitorOptions options, infra::MetricsRegistry& registry);
  ~HostMonitor();  // stop()
  HostMonitor(const HostMonitor&) = delete;
  HostMonitor& operator=(const HostMonitor&) = delete;

  // Reads the inventory now (the data path's free space changes; a changed fingerprint is
  // logged as a warning), updates the gauges and re-checks the class.
  Status collect();
  // The class to check against and the node's registered capacity; the check runs at once and
  // each shortfall is logged as a warning (again only when the set of shortfalls changes).
  void set_class(host::HardwareClass hardware_class, std::optional<uint64_t> capacity_units);
  // One round of benchmarks now, on the calling thread's behalf (they run on their own
  // low-priority thread); records and exposes the results.
  Status benchmark_once();
  // When benchmarks are on: collect + benchmark_once now and every benchmark_interval, on a
  // thread of its own, until stop().
  void start();
  void stop();

  // {"inventory", "fingerprint", "class", "findings", "shortfalls", "benchmarks",
  //  "benchmarkedAt", "lastError"}.
  nlohmann::json snapshot() const;
  std::vector<host::Finding> findings() const;

 private:
  struct Metrics;
  void check_locked();  // mu_ held
  void publish_inventory_locked();

  HostMonitorOptions options_;
  std::unique_ptr<Metrics> metrics_;
  mutable std::mutex mu_;
  std::optional<host::HostInventory> inventory_;
  std::optional<Hash> fingerprint_;
  std::optional<host::HardwareClass> class_;
  std::optional<uint64_t> capacity_units_;
  std::vector<host::Finding> findings_;
  std::vector<std::string> logged_warnings_;
  std::optional<host::BenchmarkResults> benchmarks_;
  std::optional<int64_t> benchmarked_at_;  // unix seconds
  std::string last_error_;
  infra::StopFlag stop_;
  std::thread thread_;
};

// At the daemon's start: collect, read the node's class at the head (a failure is a warning:
// the daemon's duty is its challenges), start the benchmarks.
void start_host_monitor(HostMonitor& monitor, chain::ChainView& chain, const U256& node_id);

// GET /v1/host: the snapshot.
void mount_host_api(infra::HttpServer& server, const HostMonitor& monitor);

}  // namespace icn::daemon
