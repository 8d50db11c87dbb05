// read_inventory on the captured trees in testdata/ (this build machine's own files, a 2-socket
// Xeon storage server, an Ampere Altra and an 8-GPU H100 box): every value asserted, virtual
// devices left out, a broken tree refused with its reason.
#include "icn/host/inventory_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "icn/host/fingerprint.hpp"

namespace icn::host {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(ICN_SOURCE_DIR) / "icn/host/testdata";

HostInventory read(const std::string& machine) {
  InventoryOptions o;
  o.root = kData / machine;
  auto inv = read_inventory(o);
  EXPECT_TRUE(inv.ok()) << (inv.ok() ? "" : inv.error().message);
  return inv.ok() ? *inv : HostInventory{};
}

TEST(InventoryReader, BuildMachineCapture) {
  HostInventory inv = read("epyc-vm");
  EXPECT_EQ(inv.cpu.model, "AMD EPYC");
  EXPECT_EQ(inv.cpu.arch, "x86_64");
  EXPECT_EQ(inv.cpu.sockets, 1u);
  EXPECT_EQ(inv.cpu.cores, 2u);
  EXPECT_EQ(inv.cpu.threads, 2u);
  EXPECT_EQ(inv.memory_bytes, 24683656ULL * 1024);
  ASSERT_EQ(inv.disks.size(), 1u);  // loop0-7 and zram0 left out
  EXPECT_EQ(inv.disks[0].name, "vda");
  EXPECT_EQ(inv.disks[0].bytes, 536870912ULL * 512);
  EXPECT_TRUE(inv.disks[0].rotational);
  EXPECT_EQ(inv.disks[0].model, "");  // virtio has no model
  ASSERT_EQ(inv.nics.size(), 1u);     // lo, ifb0, ifb1 left out
  EXPECT_EQ(inv.nics[0].name, "eth0");
  EXPECT_EQ(inv.nics[0].mac, "02:fc:00:00:00:01");
  EXPECT_FALSE(inv.nics[0].speed_mbps);  // virtio says -1
  EXPECT_TRUE(inv.nics[0].up());
  EXPECT_TRUE(inv.gpus.empty());
  EXPECT_TRUE(inv.notes.empty());
}

TEST(InventoryReader, XeonStorageServer) {
  HostInventory inv = read("xeon-storage");
  EXPECT_EQ(inv.cpu.model, "Intel(R) Xeon(R) Silver 4316 CPU @ 2.30GHz");
  EXPECT_EQ(inv.cpu.sockets, 2u);
  EXPECT_EQ(inv.cpu.cores, 40u);
  EXPECT_EQ(inv.cpu.threads, 80u);
  EXPECT_EQ(inv.memory_bytes, 263856796ULL * 1024);
  ASSERT_EQ(inv.disks.size(), 13u);  // dm-0 and the empty loop0 left out
  EXPECT_EQ(inv.disks[0].name, "nvme0n1");
  EXPECT_EQ(inv.disks[0].model, "SAMSUNG MZ1LB960HAJQ-00007");
  EXPECT_FALSE(inv.disks[0].rotational);
  for (size_t i = 1; i < 13; ++i) {
    EXPECT_EQ(inv.disks[i].model, "ST16000NM002G");
    EXPECT_EQ(inv.disks[i].bytes, 31251759104ULL * 512);
    EXPECT_TRUE(inv.disks[i].rotational);
  }
  ASSERT_EQ(inv.nics.size(), 3u);  // bond0, docker0, lo left out
  EXPECT_EQ(inv.nics[0].name, "eno1");
  EXPECT_EQ(*inv.nics[0].speed_mbps, 1000u);
  EXPECT_EQ(inv.nics[1].name, "ens1f0np0");
  EXPECT_EQ(*inv.nics[1].speed_mbps, 25000u);
  EXPECT_EQ(inv.nics[1].mac, "b8:ce:f6:5a:10:00");
  EXPECT_EQ(inv.nics[2].name, "ens1f1np1");
  EXPECT_FALSE(inv.nics[2].speed_mbps);
  EXPECT_EQ(inv.nics[2].operstate, "down");
  EXPECT_TRUE(inv.gpus.empty());
  EXPECT_FALSE(inv.data_path);  // none asked for

  InventoryOptions o;
  o.root = kData / "xeon-storage";
  o.data_path = "/srv/icn";
  auto with_data = read_inventory(o);
  ASSERT_TRUE(with_data.ok()) << with_data.error().message;
  ASSERT_TRUE(with_data->data_path);
  EXPECT_EQ(with_data->data_path->path, "/srv/icn");
  EXPECT_EQ(with_data->data_path->total_bytes, 45654000000ULL * 4096);
  EXPECT_EQ(with_data->data_path->free_bytes, 45000000000ULL * 4096);
}

TEST(InventoryReader, AmpereAltra) {
  HostInventory inv = read("ampere-altra");
  EXPECT_EQ(inv.cpu.model, "ARM Neoverse-N1");
  EXPECT_EQ(inv.cpu.arch, "aarch64");
  EXPECT_EQ(inv.cpu.sockets, 1u);
  EXPECT_EQ(inv.cpu.cores, 80u);
  EXPECT_EQ(inv.cpu.threads, 80u);
  EXPECT_EQ(inv.memory_bytes, 131391520ULL * 1024);
  ASSERT_EQ(inv.disks.size(), 4u);
  for (const DiskInfo& d : inv.disks) {
    EXPECT_EQ(d.model, "SAMSUNG MZQL23T8HCLS-00A07");
    EXPECT_EQ(d.bytes, 7501476528ULL * 512);
  }
  ASSERT_EQ(inv.nics.size(), 2u);
  EXPECT_EQ(*inv.nics[0].speed_mbps, 25000u);
}

TEST(InventoryReader, GpuBoxReadsNvidiaSmiCapture) {
  HostInventory inv = read("gpu-h100");
  EXPECT_EQ(inv.cpu.model, "Intel(R) Xeon(R) Platinum 8480C");
  EXPECT_EQ(inv.cpu.sockets, 2u);
  EXPECT_EQ(inv.cpu.cores, 112u);
  EXPECT_EQ(inv.cpu.threads, 224u);
  EXPECT_EQ(inv.memory_bytes, 2113407732ULL * 1024);
  EXPECT_EQ(inv.disks.size(), 10u);
  ASSERT_EQ(inv.gpus.size(), 8u);
  for (const GpuInfo& g : inv.gpus) {
    EXPECT_EQ(g.name, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(g.memory_mib, 81559u);
  }
  ASSERT_EQ(inv.nics.size(), 3u);
  EXPECT_EQ(*inv.nics[1].speed_mbps, 100000u);
}

TEST(InventoryReader, EveryMachineHasItsOwnFingerprint) {
  std::set<Hash> seen;
  for (const char* m : {"epyc-vm", "xeon-storage", "ampere-altra", "gpu-h100"}) {
    EXPECT_TRUE(seen.insert(hardware_fingerprint(read(m))).second) << m;
  }
}

class BrokenTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("icn-host-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::copy(kData / "xeon-storage", root_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  Result<HostInventory> inventory() {
    InventoryOptions o;
    o.root = root_;
    return read_inventory(o);
  }
  fs::path root_;
};

TEST_F(BrokenTree, MissingOrMalformedCpuinfoOrMeminfoFails) {
  fs::remove(root_ / "proc/cpuinfo");
  auto missing = inventory();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot read"), std::string::npos);
  EXPECT_NE(missing.error().message.find("proc/cpuinfo"), std::string::npos);
  write("proc/cpuinfo", "processor : 0\nmodel name : X\n");
  write("proc/meminfo", "MemTotal: lots kB\n");
  auto bad = inventory();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("meminfo: line 1: MemTotal \"lots kB\" is not a number"),
            std::string::npos)
      << bad.error().message;
}

TEST_F(BrokenTree, AMalformedDeviceIsLeftOutWithANote) {
  write("sys/block/sdc/queue/rotational", "maybe\n");
  write("sys/class/net/eno1/address", "not-a-mac\n");
  write("nvidia-smi.csv", "NVIDIA A100, [N/A]\n");
  auto inv = inventory();
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_EQ(inv->disks.size(), 12u);
  EXPECT_EQ(inv->nics.size(), 2u);
  EXPECT_TRUE(inv->gpus.empty());
  ASSERT_EQ(inv->notes.size(), 3u);
  EXPECT_NE(inv->notes[0].find("disk sdc left out: block device sdc: queue/rotational \"maybe\""),
            std::string::npos)
      << inv->notes[0];
  EXPECT_NE(inv->notes[1].find("interface eno1 left out"), std::string::npos) << inv->notes[1];
  EXPECT_NE(inv->notes[2].find("GPUs left out: nvidia-smi: line 1"), std::string::npos)
      << inv->notes[2];
}

TEST(InventoryReader, LiveHostAndDataPath) {
  InventoryOptions o;
  o.data_path = fs::temp_directory_path();
  o.nvidia_smi = "icn-no-such-nvidia-smi";  // not installed: no GPUs, no note
  auto inv = read_inventory(o);
  ASSERT_TRUE(inv.ok()) << inv.error().message;
  EXPECT_GT(inv->cpu.threads, 0u);
  EXPECT_GT(inv->memory_bytes, 0u);
  ASSERT_TRUE(inv->data_path);
  EXPECT_GT(inv->data_path->total_bytes, 0u);
  EXPECT_LE(inv->data_path->free_bytes, inv->data_path->total_bytes);
  EXPECT_TRUE(inv->gpus.empty());

  // nvidia-smi is run with the query's arguments and its CSV parsed.
  const fs::path smi =
      fs::temp_directory_path() / ("icn-fake-nvidia-smi-" + std::to_string(::getpid()));
  std::ofstream(smi) << "#!/bin/sh\n[ \"$1\" = --query-gpu=name,memory.total ] || exit 3\n"
                        "echo 'NVIDIA L40S, 46068'\n";
  fs::permissions(smi, fs::perms::owner_all);
  o.nvidia_smi = smi.string();
  auto gpu = read_inventory(o);
  ASSERT_TRUE(gpu.ok()) << gpu.error().message;
  ASSERT_EQ(gpu->gpus.size(), 1u);
  EXPECT_EQ(gpu->gpus[0].name, "NVIDIA L40S");
  EXPECT_EQ(gpu->gpus[0].memory_mib, 46068u);
  std::ofstream(smi) << "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n";
  auto failed = read_inventory(o);
  ASSERT_TRUE(failed.ok());
  EXPECT_TRUE(failed->gpus.empty());
  ASSERT_EQ(failed->notes.size(), 1u);
  EXPECT_EQ(failed->notes[0], "GPUs left out: nvidia-smi: exit code 9");
  fs::remove(smi);

  o.data_path = "/no/such/icn/data/path";
  auto missing = read_inventory(o);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("data path /no/such/icn/data/path: No such file"),
            std::string::npos)
      << missing.error().message;
}

}  // namespace
}  // namespace icn::host
