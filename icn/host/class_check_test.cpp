// check_against_class on the captured machines against classes they meet and miss.
#include "icn/host/class_check.hpp"

#include <gtest/gtest.h>

#include "icn/host/inventory_reader.hpp"

namespace icn::host {
namespace {

HostInventory machine(const std::string& name) {
  InventoryOptions o;
  o.root = std::filesystem::path(ICN_SOURCE_DIR) / "icn/host/testdata" / name;
  auto inv = read_inventory(o);
  EXPECT_TRUE(inv.ok());
  return inv.ok() ? *inv : HostInventory{};
}

const Finding* about(const std::vector<Finding>& f, std::string_view subject) {
  for (const Finding& x : f) {
    if (x.subject == subject) return &x;
  }
  return nullptr;
}

// A storage class like the Xeon box: 64 vCPU, 256 GiB, 12 × 16 TB, 25 GbE, 1 TB per unit.
const HardwareClass kStorage{"storage-s1", "TB", 1, 64, 256, 12, 16, 25};

TEST(ClassCheck, XeonStorageServerMeetsItsClass) {
  HostInventory inv = machine("xeon-storage");
  inv.data_path = DataPathInfo{"/srv/icn", 190'000'000'000'000ULL, 180'000'000'000'000ULL};
  auto findings = check_against_class(inv, kStorage, 150);
  EXPECT_EQ(shortfalls(findings), 0u) << to_json(findings).dump(2);
  ASSERT_EQ(findings.size(), 5u);
  EXPECT_EQ(about(findings, "memory")->message, "memory 251.6 GiB meets the class's 256 GiB");
  EXPECT_EQ(about(findings, "disks")->message,
            "12 disk(s) of at least 16 TB (of 13) meets the class's 12 × 16 TB");
  EXPECT_EQ(about(findings, "nic")->message, "fastest link 25 Gb/s meets the class's 25 Gb/s");
  EXPECT_EQ(capacity_units_of(inv, kStorage), 190u);
}

TEST(ClassCheck, BuildMachineFallsShortWithClearWarnings) {
  HostInventory inv = machine("epyc-vm");
  inv.data_path = DataPathInfo{"/var/lib/icn", 270'553'174'016ULL, 64'000'000'000ULL};
  auto findings = check_against_class(inv, kStorage, 10);
  EXPECT_EQ(shortfalls(findings), 4u);
  using S = Finding::Severity;
  EXPECT_EQ(about(findings, "vcpus")->severity, S::kWarning);
  EXPECT_EQ(about(findings, "vcpus")->message, "2 vCPUs is below the class's 64 vCPUs");
  EXPECT_EQ(about(findings, "memory")->message, "memory 23.5 GiB is below the class's 256 GiB");
  EXPECT_EQ(about(findings, "disks")->message,
            "0 disk(s) of at least 16 TB (of 1) is below the class's 12 × 16 TB");
  EXPECT_EQ(about(findings, "nic")->severity, S::kUnknown);  // virtio reports no speed
  EXPECT_EQ(about(findings, "capacity")->message,
            "data path /var/lib/icn 0.27 TB is below the registered capacity 10 TB × 1 TB");
}

TEST(ClassCheck, MemoryAllowsTheKernelsReservationOnly) {
  HostInventory inv;
  const HardwareClass c{"m", "TB", 0, 0, 32, 0, 0, 0};
  inv.memory_bytes = 32ULL * (1ULL << 30) * 95 / 100;  // 5 % kept by firmware and kernel
  EXPECT_EQ(shortfalls(check_against_class(inv, c)), 0u);
  inv.memory_bytes = 15'600ULL * (1ULL << 20);
  auto f = check_against_class(inv, c);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "memory 15.2 GiB is below the class's 32 GiB");
}

TEST(ClassCheck, SlowOrDownLinksDoNotCount) {
  HostInventory inv = machine("xeon-storage");
  inv.nics[1].operstate = "down";  // the 25 GbE port
  auto f = check_against_class(inv, kStorage);
  EXPECT_EQ(about(f, "nic")->severity, Finding::Severity::kWarning);
  EXPECT_EQ(about(f, "nic")->message, "fastest link 1 Gb/s is below the class's 25 Gb/s");
  EXPECT_EQ(about(f, "capacity"), nullptr);  // no capacity given
}

TEST(ClassCheck, NoDataPathIsUnknownCapacity) {
  HostInventory inv = machine("ampere-altra");
  auto f = check_against_class(inv, {"s", "TB", 2, 80, 128, 4, 3, 25}, 4);
  EXPECT_EQ(shortfalls(f), 0u) << to_json(f).dump(2);
  EXPECT_EQ(about(f, "capacity")->severity, Finding::Severity::kUnknown);
  EXPECT_FALSE(capacity_units_of(inv, kStorage));
}

}  // namespace
}  // namespace icn::host
