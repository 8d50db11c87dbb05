// HostMonitor: inventory, fingerprint, class findings and benchmarks of the daemon's server.
#include "icn/daemon/host_monitor.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <limits>

#include "icn/host/fingerprint.hpp"

namespace icn::daemon {

namespace {

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status read_host_config(infra::Config& c, const std::filesystem::path& data_dir,
                        HostMonitorOptions& o) {
  using std::chrono::milliseconds;
  ICN_TRY(o.inventory.data_path, c.path("host.data_path", data_dir));
  ICN_TRY(o.inventory.root, c.path("host.root", "/"));
  ICN_TRY(o.inventory.nvidia_smi, c.string("host.nvidia_smi", "nvidia-smi"));
  ICN_TRY(o.benchmarks, c.boolean("host.benchmarks", true));
  ICN_TRY(o.benchmark_interval, c.duration("host.benchmark_interval", std::chrono::hours(6),
                                           std::chrono::minutes(1), std::chrono::hours(24 * 7)));
  ICN_TRY(o.benchmark.duration, c.duration("host.benchmark_duration", milliseconds(1500),
                                           milliseconds(10), milliseconds(10000)));
  ICN_TRY(int64_t file_mb, c.integer("host.benchmark_file_mb", 256, 1, 16384));
  o.benchmark.disk_file_bytes = static_cast<uint64_t>(file_mb) << 20;
  o.benchmark.data_path = o.inventory.data_path;
  return {};
}

host::HardwareClass to_host_class(const chain::HardwareClassInfo& i) {
  return {i.name, i.unit, i.storage_tb_per_unit, i.vcpus, i.ram_gb, i.disks, i.disk_tb, i.nic_gbps};
}

Result<NodeClass> read_node_class(chain::ChainView& chain, const U256& node_id, uint64_t block) {
  ICN_TRY(auto economics, chain.node_economics(std::span(&node_id, 1), block));
  if (economics.size() != 1) return fail("node economics: expected one node");
  ICN_TRY(chain::HardwareClassInfo info, chain.hardware_class(economics[0].class_id, block));
  if (economics[0].capacity > std::numeric_limits<uint64_t>::max()) {
    return fail("node capacity does not fit 64 bits");
  }
  return NodeClass{to_host_class(info), static_cast<uint64_t>(economics[0].capacity)};
}

struct HostMonitor::Metrics {
  explicit Metrics(infra::MetricsRegistry& r)
      : info(r.gauge("icn_daemon_host_info", "1, labelled with the hardware fingerprint and CPU",
                     {"fingerprint", "cpu_model"})),
        cpu_threads(r.gauge("icn_daemon_host_cpu_threads", "logical CPUs (vCPUs)").get()),
        cpu_cores(r.gauge("icn_daemon_host_cpu_cores", "physical cores").get()),
        cpu_sockets(r.gauge("icn_daemon_host_cpu_sockets", "CPU sockets").get()),
        memory_bytes(r.gauge("icn_daemon_host_memory_bytes", "MemTotal").get()),
        disks(r.gauge("icn_daemon_host_disks", "physical disks").get()),
        disk_bytes(r.gauge("icn_daemon_host_disk_bytes", "size of each physical disk",
                           {"device", "rotational"})),
        data_path_bytes(r.gauge("icn_daemon_host_data_path_bytes",
                                "the data path's file system: total and free (available) bytes",
                                {"kind"})),
        nic_speed(r.gauge("icn_daemon_host_nic_speed_mbps",
                          "link speed of each physical interface that reports one", {"interface"})),
        nic_up(
            r.gauge("icn_daemon_host_nic_up", "1 when the interface's link is up", {"interface"})),
        gpus(r.gauge("icn_daemon_host_gpus", "NVIDIA GPUs (nvidia-smi)").get()),
        shortfalls(r.gauge("icn_daemon_host_class_shortfalls",
                           "requirements of the node's hardware class the server does not meet")
                       .get()),
        shortfall(r.gauge("icn_daemon_host_class_shortfall",
                          "1 when the server falls short of the class on this subject",
                          {"subject"})),
        cpu(r.gauge("icn_daemon_benchmark_cpu_keccak_mb_per_second",
                    "keccak256 throughput of one thread at nice 19")
                .get()),
        memory(r.gauge("icn_daemon_benchmark_memory_copy_gb_per_second",
                       "memcpy bandwidth of one thread")
                   .get()),
        disk_write(r.gauge("icn_daemon_benchmark_disk_write_mb_per_second",
                           "sequential write to the data path, fsync included")
                       .get()),
        disk_read(r.gauge("icn_daemon_benchmark_disk_read_mb_per_second",
                          "sequential read from the data path")
                      .get()),
        disk_iops(r.gauge("icn_daemon_benchmark_disk_random_read_iops",
                          "random 4 KiB reads from the data path")
                      .get()),
        duration(
            r.gauge("icn_daemon_benchmark_duration_seconds", "the last round, all parts").get()),
        last_run(r.gauge("icn_daemon_benchmark_last_run_timestamp_seconds",
                         "unix time of the last successful round")
                     .get()),
        runs(r.counter("icn_daemon_benchmark_runs_total", "benchmark rounds", {"result"})) {}
  infra::GaugeFamily& info;
  infra::Gauge &cpu_threads, &cpu_cores, &cpu_sockets, &memory_bytes, &disks;
  infra::GaugeFamily &disk_bytes, &data_path_bytes, &nic_speed, &nic_up;
  infra::Gauge &gpus, &shortfalls;
  infra::GaugeFamily& shortfall;
  infra::Gauge &cpu, &memory, &disk_write, &disk_read, &disk_iops, &duration, &last_run;
  infra::CounterFamily& runs;
};

HostMonitor::HostMonitor(HostMonitorOptions options, infra::MetricsRegistry& registry)
    : options_(std::move(options)), metrics_(std::make_unique<Metrics>(registry)) {
  options_.benchmark.data_path = options_.inventory.data_path;
}

HostMonitor::~HostMonitor() {
  stop();
}

Status HostMonitor::collect() {
  auto inventory = host::read_inventory(options_.inventory);
  std::lock_guard lock(mu_);
  if (!inventory) {
    last_error_ = "inventory: " + inventory.error().message;
    return inventory.error();
  }
  const Hash fingerprint = host::hardware_fingerprint(*inventory);
  if (fingerprint_ && *fingerprint_ != fingerprint) {
    spdlog::warn(
        "host: the hardware fingerprint changed from {} to {}: the server's hardware "
        "is not what it was at start",
        to_hex(*fingerprint_), to_hex(fingerprint));
    metrics_->info.with({to_hex(*fingerprint_), inventory_->cpu.model}).set(0);
  }
  for (const std::string& note : inventory->notes) spdlog::info("host: {}", note);
  inventory_ = std::move(*inventory);
  fingerprint_ = fingerprint;
  publish_inventory_locked();
  check_locked();
  return {};
}

void HostMonitor::publish_inventory_locked() {
  const host::HostInventory& inv = *inventory_;
  Metrics& m = *metrics_;
  m.info.with({to_hex(*fingerprint_), inv.cpu.model}).set(1);
  m.cpu_threads.set(inv.cpu.threads);
  m.cpu_cores.set(inv.cpu.cores);
  m.cpu_sockets.set(inv.cpu.sockets);
  m.memory_bytes.set(static_cast<double>(inv.memory_bytes));
  m.disks.set(static_cast<double>(inv.disks.size()));
  for (const host::DiskInfo& d : inv.disks) {
    m.disk_bytes.with({d.name, d.rotational ? "1" : "0"}).set(static_cast<double>(d.bytes));
  }
  if (inv.data_path) {
    m.data_path_bytes.with({"total"}).set(static_cast<double>(inv.data_path->total_bytes));
    m.data_path_bytes.with({"free"}).set(static_cast<double>(inv.data_path->free_bytes));
  }
  for (const host::NicInfo& n : inv.nics) {
    if (n.speed_mbps) m.nic_speed.with({n.name}).set(*n.speed_mbps);
    m.nic_up.with({n.name}).set(n.up() ? 1 : 0);
  }
  m.gpus.set(static_cast<double>(inv.gpus.size()));
}

void HostMonitor::set_class(host::HardwareClass hardware_class,
                            std::optional<uint64_t> capacity_units) {
  std::lock_guard lock(mu_);
  class_ = std::move(hardware_class);
  capacity_units_ = capacity_units;
  check_locked();
}

void HostMonitor::check_locked() {
  if (!inventory_ || !class_) return;
  findings_ = host::check_against_class(*inventory_, *class_, capacity_units_);
  std::vector<std::string> warnings;
  for (const host::Finding& f : findings_) {
    metrics_->shortfall.with({f.subject})
        .set(f.severity == host::Finding::Severity::kWarning ? 1 : 0);
    if (f.severity == host::Finding::Severity::kWarning) warnings.push_back(f.message);
  }
  metrics_->shortfalls.set(static_cast<double>(warnings.size()));
  if (warnings == logged_warnings_) return;
  for (const std::string& w : warnings) {
    spdlog::warn("host: falls short of hardware class {}: {}", class_->name, w);
  }
  if (warnings.empty() && !logged_warnings_.empty()) {
    spdlog::info("host: meets hardware class {} again", class_->name);
  }
  logged_warnings_ = std::move(warnings);
}

Status HostMonitor::benchmark_once() {
  host::BenchmarkOptions o = options_.benchmark;
  o.cancelled = [this] { return stop_.requested(); };
  auto r = host::run_benchmarks(o);
  std::lock_guard lock(mu_);
  if (!r) {
    metrics_->runs.with({"failed"}).inc();
    last_error_ = "benchmarks: " + r.error().message;
    spdlog::warn("host: {}", last_error_);
    return r.error();
  }
  metrics_->runs.with({"ok"}).inc();
  Metrics& m = *metrics_;
  m.cpu.set(r->cpu_keccak_mb_per_s);
  m.memory.set(r->memory_copy_gb_per_s);
  if (r->disk) {
    m.disk_write.set(r->disk->write_mb_per_s);
    m.disk_read.set(r->disk->read_mb_per_s);
    m.disk_iops.set(r->disk->random_read_iops);
  }
  m.duration.set(std::chrono::duration<double>(r->elapsed).count());
  benchmarked_at_ = unix_now();
  m.last_run.set(static_cast<double>(*benchmarked_at_));
  if (!r->low_priority) {
    spdlog::warn("host: benchmarks could not lower their priority (nice 19, ioprio idle)");
  }
  spdlog::info("host: benchmarks: keccak {:.0f} MB/s, memcpy {:.1f} GB/s{}", r->cpu_keccak_mb_per_s,
               r->memory_copy_gb_per_s,
               r->disk ? fmt::format(", disk write {:.0f} MB/s, read {:.0f} MB/s, {:.0f} IOPS",
                                     r->disk->write_mb_per_s, r->disk->read_mb_per_s,
                                     r->disk->random_read_iops)
                       : std::string());
  benchmarks_ = std::move(*r);
  last_error_.clear();
  return {};
}

void HostMonitor::start() {
  if (!options_.benchmarks || thread_.joinable()) return;
  thread_ = std::thread([this] {
    do {
      if (auto s = collect(); !s) spdlog::warn("host: {}", s.error().message);
      (void)benchmark_once();
    } while (!stop_.wait_for(options_.benchmark_interval));
  });
}

void HostMonitor::stop() {
  stop_.request("stopping");
  if (thread_.joinable()) thread_.join();
}

std::vector<host::Finding> HostMonitor::findings() const {
  std::lock_guard lock(mu_);
  return findings_;
}

nlohmann::json HostMonitor::snapshot() const {
  std::lock_guard lock(mu_);
  nlohmann::json cls = nullptr;
  if (class_) {
    cls = {{"name", class_->name},
           {"unit", class_->unit},
           {"storageTbPerUnit", class_->storage_tb_per_unit},
           {"vcpus", class_->vcpus},
           {"ramGb", class_->ram_gb},
           {"disks", class_->disks},
           {"diskTb", class_->disk_tb},
           {"nicGbps", class_->nic_gbps},
           {"capacityUnits", capacity_units_ ? nlohmann::json(*capacity_units_) : nullptr}};
  }
  return {{"inventory", inventory_ ? host::to_json(*inventory_) : nlohmann::json(nullptr)},
          {"fingerprint", fingerprint_ ? nlohmann::json(to_hex(*fingerprint_)) : nullptr},
          {"class", cls},
          {"findings", host::to_json(findings_)},
          {"shortfalls", host::shortfalls(findings_)},
          {"benchmarksEnabled", options_.benchmarks},
          {"benchmarks", benchmarks_ ? host::to_json(*benchmarks_) : nlohmann::json(nullptr)},
          {"benchmarkedAt", benchmarked_at_ ? nlohmann::json(*benchmarked_at_) : nullptr},
          {"lastError", last_error_}};
}

void start_host_monitor(HostMonitor& monitor, chain::ChainView& chain, const U256& node_id) {
  if (auto s = monitor.collect(); !s) spdlog::warn("host: {}", s.error().message);
  auto head = chain.head_block();
  auto node_class = head ? read_node_class(chain, node_id, *head) : Result<NodeClass>(head.error());
  if (!node_class) {
    spdlog::warn(
        "host: cannot read the node's hardware class, so the server is not checked "
        "against it: {}",
        node_class.error().message);
  } else {
    monitor.set_class(node_class->hardware_class, node_class->capacity_units);
  }
  monitor.start();
}

void mount_host_api(infra::HttpServer& server, const HostMonitor& monitor) {
  server.get("/v1/host", [&monitor](const infra::HttpRequest&) {
    return infra::HttpResponse::json_body(monitor.snapshot());
  });
}

}  // namespace icn::daemon
