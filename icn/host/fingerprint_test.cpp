// The fingerprint's canonical text, what moves it and what does not.
#include "icn/host/fingerprint.hpp"

#include <gtest/gtest.h>

#include "icn/core/keccak.hpp"

namespace icn::host {
namespace {

HostInventory sample() {
  HostInventory inv;
  inv.cpu = {"AMD EPYC 7543 32-Core Processor", "x86_64", 1, 32, 64};
  inv.memory_bytes = 263856796ULL * 1024;  // 251.6 GiB
  inv.disks = {{"sdb", "ST16000NM002G", 16000900661248ULL, true},
               {"sda", "ST16000NM002G", 16000900661248ULL, true}};
  inv.nics = {{"ens1f1", "b8:ce:f6:5a:10:01", 25000, "up"},
              {"ens1f0", "b8:ce:f6:5a:10:00", std::nullopt, "down"}};
  inv.gpus = {{"NVIDIA H100 80GB HBM3", 81559}};
  return inv;
}

TEST(Fingerprint, CanonicalTextIsSortedAndRounded) {
  EXPECT_EQ(fingerprint_text(sample()),
            "icn-host-fingerprint/v1\n"
            "cpu=AMD EPYC 7543 32-Core Processor|1|32|64\n"
            "memory_gib=252\n"
            "disk=ST16000NM002G|16000900661248|1\n"
            "disk=ST16000NM002G|16000900661248|1\n"
            "nic=b8:ce:f6:5a:10:00\n"
            "nic=b8:ce:f6:5a:10:01\n"
            "gpu=NVIDIA H100 80GB HBM3|81559\n");
  EXPECT_EQ(hardware_fingerprint(sample()),
            keccak256(std::string_view(fingerprint_text(sample()))));
}

TEST(Fingerprint, IgnoresWhatChangesWithoutTheHardware) {
  const Hash base = hardware_fingerprint(sample());
  HostInventory inv = sample();
  std::swap(inv.disks[0].name, inv.disks[1].name);  // enumeration order
  std::swap(inv.nics[0], inv.nics[1]);
  inv.nics[0].speed_mbps = 10000;  // renegotiated link
  inv.nics[1].operstate = "up";
  inv.memory_bytes += 200ULL << 20;  // a different kernel reserves less
  inv.data_path = DataPathInfo{"/data", 1, 1};
  inv.notes = {"something"};
  EXPECT_EQ(hardware_fingerprint(inv), base);
}

TEST(Fingerprint, MovesWithEveryHardwareChange) {
  const Hash base = hardware_fingerprint(sample());
  auto changed = [&](auto edit) {
    HostInventory inv = sample();
    edit(inv);
    return hardware_fingerprint(inv) != base;
  };
  EXPECT_TRUE(changed([](HostInventory& i) { i.cpu.model = "AMD EPYC 7443"; }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.cpu.threads = 32; }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.memory_bytes /= 2; }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.disks.pop_back(); }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.disks[0].model = "ST18000NM000J"; }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.nics[0].mac = "b8:ce:f6:5a:10:02"; }));
  EXPECT_TRUE(changed([](HostInventory& i) { i.gpus.clear(); }));
  // A model holding the separator cannot pose as two fields.
  EXPECT_TRUE(changed([](HostInventory& i) { i.cpu.model += "|1"; }));
}

}  // namespace
}  // namespace icn::host
