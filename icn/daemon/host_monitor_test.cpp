// HostMonitor on captured trees and this machine: the [host] config keys, the class check and
// its gauges, benchmarks with tiny sizes (positive figures, no file left), the schedule's thread
// and GET /v1/host over a real server.
#include "icn/daemon/host_monitor.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "icn/chain/memory_chain.hpp"
#include "icn/infra/http_client.hpp"

namespace icn::daemon {
namespace {

namespace fs = std::filesystem;

const fs::path kData = fs::path(ICN_SOURCE_DIR) / "icn/host/testdata";
const host::HardwareClass kStorage{"storage-s1", "TB", 1, 64, 256, 12, 16, 25};

// A chain that knows one node of one class.
class ClassChain final : public chain::MemoryChain {
 public:
  bool knows_classes = true;
  ClassChain() {
    head = 100;
    chain::NodeEconomicsInfo n;
    n.node_id = 7;
    n.capacity = 150;
    n.region_id = 1;
    n.class_id = 3;
    node_econ[n.node_id] = n;
  }
  Result<chain::HardwareClassInfo> hardware_class(uint32_t id, uint64_t) override {
    if (!knows_classes || id != 3) return fail("Registry.hardwareClass reverted");
    return chain::HardwareClassInfo{3, "storage-s1", "TB", 1, 64, 256, 12, 16, 25};
  }
};

class HostMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("icn-host-monitor-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    o_.inventory.root = kData / "xeon-storage";
    o_.inventory.data_path = dir_;
    o_.benchmark.duration = std::chrono::milliseconds(20);
    o_.benchmark.cpu_block_bytes = 4096;
    o_.benchmark.memory_bytes = 1 << 20;
    o_.benchmark.disk_file_bytes = 64 << 10;
    o_.benchmark.disk_block_bytes = 16 << 10;
  }
  void TearDown() override { fs::remove_all(dir_); }
  bool has_line(const std::string& prefix) const {
    std::string text = "\n" + registry_.exposition();
    return text.find("\n" + prefix) != std::string::npos;
  }
  double gauge(const std::string& name) const {
    std::string text = "\n" + registry_.exposition();
    size_t at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + name.size() + 2));
  }
  fs::path dir_;
  HostMonitorOptions o_;
  infra::MetricsRegistry registry_;
};

TEST_F(HostMonitorTest, ReadsTheHostTableWithDefaults) {
  auto c = infra::Config::parse("", "daemon.toml", dir_);
  ASSERT_TRUE(c.ok());
  HostMonitorOptions o;
  ASSERT_TRUE(read_host_config(*c, dir_ / "data", o).ok());
  EXPECT_EQ(o.inventory.data_path, dir_ / "data");
  EXPECT_EQ(o.inventory.root, "/");
  EXPECT_TRUE(o.benchmarks);
  EXPECT_EQ(o.benchmark_interval, std::chrono::hours(6));
  EXPECT_EQ(o.benchmark.duration, std::chrono::milliseconds(1500));
  EXPECT_EQ(o.benchmark.disk_file_bytes, 256u << 20);
  EXPECT_EQ(o.benchmark.data_path, dir_ / "data");

  auto set = infra::Config::parse(
      "[host]\ndata_path = \"/srv/icn\"\nbenchmarks = false\nbenchmark_interval = \"30m\"\n"
      "benchmark_duration = \"200ms\"\nbenchmark_file_mb = 8\nnvidia_smi = \"\"\n",
      "daemon.toml", dir_);
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE(read_host_config(*set, dir_, o).ok());
  EXPECT_TRUE(set->check_unknown_keys().ok());
  EXPECT_EQ(o.inventory.data_path, "/srv/icn");
  EXPECT_FALSE(o.benchmarks);
  EXPECT_EQ(o.benchmark_interval, std::chrono::minutes(30));
  EXPECT_EQ(o.benchmark.duration, std::chrono::milliseconds(200));
  EXPECT_EQ(o.benchmark.disk_file_bytes, 8u << 20);
  EXPECT_EQ(o.inventory.nvidia_smi, "");

  auto bad = infra::Config::parse("[host]\nbenchmark_interval = \"5s\"\n", "daemon.toml", dir_);
  ASSERT_TRUE(bad.ok());
  auto refused = read_host_config(*bad, dir_, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("benchmark_interval"), std::string::npos)
      << refused.error().message;
}

TEST_F(HostMonitorTest, ChecksTheInventoryAgainstTheClassAndExposesIt) {
  HostMonitor m(o_, registry_);
  ASSERT_TRUE(m.collect().ok());
  EXPECT_EQ(gauge("icn_daemon_host_cpu_threads"), 80);
  EXPECT_EQ(gauge("icn_daemon_host_cpu_sockets"), 2);
  EXPECT_EQ(gauge("icn_daemon_host_disks"), 13);
  EXPECT_TRUE(has_line("icn_daemon_host_nic_speed_mbps{interface=\"ens1f0np0\"} 25000"));
  EXPECT_TRUE(has_line("icn_daemon_host_disk_bytes{device=\"sda\",rotational=\"1\"} "));
  EXPECT_TRUE(has_line("icn_daemon_host_data_path_bytes{kind=\"total\"} "));

  // The captured data path holds 187 TB (testdata/xeon-storage/data-path.statvfs): 200 TB is
  // the one shortfall.
  m.set_class(kStorage, 200);
  auto findings = m.findings();
  ASSERT_EQ(findings.size(), 5u);
  EXPECT_EQ(host::shortfalls(findings), 1u);
  EXPECT_EQ(gauge("icn_daemon_host_class_shortfalls"), 1);
  EXPECT_TRUE(has_line("icn_daemon_host_class_shortfall{subject=\"capacity\"} 1"));
  EXPECT_TRUE(has_line("icn_daemon_host_class_shortfall{subject=\"memory\"} 0"));

  nlohmann::json s = m.snapshot();
  EXPECT_EQ(s.at("inventory").at("cpu").at("threads"), 80);
  EXPECT_EQ(s.at("class").at("name"), "storage-s1");
  EXPECT_EQ(s.at("class").at("capacityUnits"), 200);
  EXPECT_EQ(s.at("shortfalls"), 1);
  EXPECT_EQ(
      s.at("findings")[4].at("message"),
      "data path " + dir_.string() + " 187.00 TB is below the registered capacity 200 TB × 1 TB");
  EXPECT_EQ(s.at("fingerprint").get<std::string>().size(), 66u);
  EXPECT_TRUE(s.at("benchmarks").is_null());
}

TEST_F(HostMonitorTest, BenchmarkOnceExposesPositiveFiguresAndLeavesNoFile) {
  HostMonitor m(o_, registry_);
  ASSERT_TRUE(m.benchmark_once().ok());
  EXPECT_GT(gauge("icn_daemon_benchmark_cpu_keccak_mb_per_second"), 0);
  EXPECT_GT(gauge("icn_daemon_benchmark_memory_copy_gb_per_second"), 0);
  EXPECT_GT(gauge("icn_daemon_benchmark_disk_write_mb_per_second"), 0);
  EXPECT_GT(gauge("icn_daemon_benchmark_disk_read_mb_per_second"), 0);
  EXPECT_GT(gauge("icn_daemon_benchmark_disk_random_read_iops"), 0);
  EXPECT_TRUE(has_line("icn_daemon_benchmark_runs_total{result=\"ok\"} 1"));
  EXPECT_TRUE(fs::is_empty(dir_));
  EXPECT_GT(m.snapshot().at("benchmarks").at("cpuKeccakMBps").get<double>(), 0);

  o_.benchmark.disk_block_bytes = 1000;  // refused: a failed round is counted and kept
  HostMonitor broken(o_, registry_);
  ASSERT_FALSE(broken.benchmark_once().ok());
  EXPECT_TRUE(has_line("icn_daemon_benchmark_runs_total{result=\"failed\"} 1"));
  EXPECT_NE(broken.snapshot().at("lastError").get<std::string>().find("multiple of 4096"),
            std::string::npos);
}

TEST_F(HostMonitorTest, StartRunsARoundAndStopEndsTheThread) {
  o_.benchmark_interval = std::chrono::hours(1);
  ClassChain chain;
  HostMonitor m(o_, registry_);
  start_host_monitor(m, chain, U256(7));
  EXPECT_EQ(m.snapshot().at("class").at("capacityUnits"), 150);  // read before start returns
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (m.snapshot().at("benchmarkedAt").is_null() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(m.snapshot().at("benchmarkedAt").is_null());
  m.stop();  // returns although the next round is an hour away
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(HostMonitorTest, BenchmarksOffRunsNoneAndAnUnreadableClassIsOnlyAWarning) {
  o_.benchmarks = false;
  ClassChain chain;
  chain.knows_classes = false;
  HostMonitor m(o_, registry_);
  start_host_monitor(m, chain, U256(7));
  nlohmann::json s = m.snapshot();
  EXPECT_FALSE(s.at("benchmarksEnabled").get<bool>());
  EXPECT_TRUE(s.at("class").is_null());
  EXPECT_EQ(s.at("inventory").at("cpu").at("threads"), 80);  // collected all the same
  m.stop();
  EXPECT_TRUE(m.snapshot().at("benchmarks").is_null());
}

TEST_F(HostMonitorTest, ReadNodeClassNamesTheFailure) {
  ClassChain chain;
  auto c = read_node_class(chain, U256(7), 100);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->hardware_class.vcpus, 64u);
  EXPECT_EQ(c->capacity_units, 150u);
  auto unknown = read_node_class(chain, U256(8), 100);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "memory chain: no economics for node 8");
}

TEST_F(HostMonitorTest, ServesTheSnapshotOnV1Host) {
  HostMonitor m(o_, registry_);
  ASSERT_TRUE(m.collect().ok());
  infra::HttpServerOptions http;
  http.host = "127.0.0.1";
  http.port = 0;
  infra::HttpServer server(http);
  mount_host_api(server, m);
  ASSERT_TRUE(server.start().ok());
  infra::JsonHttpClient client(server.url());
  auto body = client.get("/v1/host");
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(body->at("inventory").at("cpu").at("model"),
            "Intel(R) Xeon(R) Silver 4316 CPU @ 2.30GHz");
  EXPECT_EQ(body->at("inventory").at("disks").size(), 13u);
  server.stop();
}

}  // namespace
}  // namespace icn::daemon
