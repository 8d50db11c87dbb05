// The parsers on hand-written inputs: both cpuinfo formats, and every kind of malformed input
// refused with its reason.
#include "icn/host/inventory.hpp"

#include <gtest/gtest.h>

namespace icn::host {
namespace {

void expect_error(const Result<auto>& r, std::string_view fragment) {
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

TEST(Cpuinfo, CountsSocketsCoresAndThreadsOfX86) {
  std::string text;
  // 2 sockets × 2 cores × 2 threads, processors in Linux's order (siblings last).
  int p = 0;
  for (int ht = 0; ht < 2; ++ht) {
    for (int s = 0; s < 2; ++s) {
      for (int c = 0; c < 2; ++c) {
        text +=
            "processor\t: " + std::to_string(p++) +
            "\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Test\nphysical id\t: " +
            std::to_string(s) + "\ncore id\t\t: " + std::to_string(c) + "\n\n";
      }
    }
  }
  auto cpu = parse_cpuinfo(text);
  ASSERT_TRUE(cpu.ok()) << cpu.error().message;
  EXPECT_EQ(cpu->model, "Intel(R) Xeon(R) Test");
  EXPECT_EQ(cpu->arch, "x86_64");
  EXPECT_EQ(cpu->sockets, 2u);
  EXPECT_EQ(cpu->cores, 4u);
  EXPECT_EQ(cpu->threads, 8u);
}

TEST(Cpuinfo, NamesAarch64CoresFromImplementerAndPart) {
  std::string text;
  for (int i = 0; i < 4; ++i) {
    text += "processor\t: " + std::to_string(i) +
            "\nBogoMIPS\t: 243.75\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
            "CPU variant\t: 0x1\nCPU part\t: 0xd40\nCPU revision\t: 1\n\n";
  }
  auto cpu = parse_cpuinfo(text);
  ASSERT_TRUE(cpu.ok()) << cpu.error().message;
  EXPECT_EQ(cpu->model, "ARM Neoverse-V1");  // Graviton3
  EXPECT_EQ(cpu->arch, "aarch64");
  EXPECT_EQ(cpu->sockets, 1u);
  EXPECT_EQ(cpu->cores, 4u);
  EXPECT_EQ(cpu->threads, 4u);

  std::string unknown = "processor : 0\nCPU implementer : 0x61\nCPU part : 0x022\n";
  auto apple = parse_cpuinfo(unknown);
  ASSERT_TRUE(apple.ok()) << apple.error().message;
  EXPECT_EQ(apple->model, "ARM implementer 0x61 part 0x022");
}

TEST(Cpuinfo, RefusesMalformedInput) {
  expect_error(parse_cpuinfo(""), "no \"processor\" entries");
  expect_error(parse_cpuinfo("vendor_id : x\n"), "no \"processor\" entries");
  expect_error(parse_cpuinfo("processor : 0\nmodel name : A\njunk line\n"),
               "line 3 \"junk line\" has no ':'");
  expect_error(parse_cpuinfo("processor : zero\nmodel name : A\n"),
               "processor \"zero\" is not a number");
  expect_error(parse_cpuinfo("processor : 0\nmodel name : A\n\nprocessor : 0\nmodel name : A\n"),
               "processor 0 is listed twice");
  expect_error(parse_cpuinfo("processor : 0\nflags : fpu\n"), "no model name");
  expect_error(parse_cpuinfo("processor : 0\nCPU implementer : 0x41\n"), "no CPU part");
  expect_error(parse_cpuinfo("processor : 0\nCPU implementer : 65\nCPU part : 0xd0c\n"),
               "is not a 0x number");
  expect_error(parse_cpuinfo("processor : 0\nmodel name : A\nphysical id : -1\ncore id : 0\n"),
               "physical id \"-1\" is not a number");
}

TEST(Meminfo, ReadsMemTotalInBytes) {
  auto m = parse_meminfo("MemTotal:       24683656 kB\nMemFree:        20692196 kB\n");
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(*m, 24683656ULL * 1024);
  expect_error(parse_meminfo("MemFree: 1 kB\n"), "no MemTotal line");
  expect_error(parse_meminfo("MemTotal: 12x kB\n"), "is not a number");
  expect_error(parse_meminfo("MemTotal: 12 MB\n"), "unit \"MB\" is not kB");
  expect_error(parse_meminfo("MemTotal: 0 kB\n"), "is zero");
  expect_error(parse_meminfo("MemTotal: 99999999999999999999 kB\n"), "is not a number");
}

TEST(BlockDevice, ParsesSizeRotationalAndModel) {
  auto d = parse_block_device("sda", "31251759104\n", "1\n", "ST16000NM002G   \n");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->bytes, 31251759104ULL * 512);
  EXPECT_TRUE(d->rotational);
  EXPECT_EQ(d->model, "ST16000NM002G");
  auto virtio = parse_block_device("vda", "536870912", "0", std::nullopt);
  ASSERT_TRUE(virtio.ok());
  EXPECT_EQ(virtio->model, "");
  expect_error(parse_block_device("sda", "-5", "1", std::nullopt), "size \"-5\" is not a number");
  expect_error(parse_block_device("sda", "8", "2", std::nullopt), "neither 0 nor 1");
  expect_error(parse_block_device("../x", "8", "0", std::nullopt), "is not a device name");
  expect_error(parse_block_device("sda", "8", "0", std::string_view("bad\x01model")),
               "control character");
  expect_error(parse_block_device("sda", "36893488147419103232", "0", std::nullopt),
               "is not a number");
}

TEST(DataPath, ComesFromStatvfsNumbers) {
  auto p = data_path_from_statvfs("/data", 4096, 1000, 250);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total_bytes, 4096000u);
  EXPECT_EQ(p->free_bytes, 1024000u);
  expect_error(data_path_from_statvfs("/data", 0, 10, 1), "reports no size");
  expect_error(data_path_from_statvfs("/data", 4096, 10, 11), "more blocks available");
  expect_error(data_path_from_statvfs("/data", 1ULL << 40, 1ULL << 30, 0), "overflows");
}

TEST(DataPath, ComesFromACapturedStatvfs) {
  auto p = parse_data_path_capture("/srv", "4096 1000 250\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->total_bytes, 4096000u);
  EXPECT_EQ(p->free_bytes, 1024000u);
  expect_error(parse_data_path_capture("/srv", "4096 1000"), "fewer than 3 numbers");
  expect_error(parse_data_path_capture("/srv", "4096 1000 1 1"), "more than 3 numbers");
  expect_error(parse_data_path_capture("/srv", "4k 1000 1"), "is not \"FRAGMENT_SIZE");
  expect_error(parse_data_path_capture("/srv", "4096 10 20"), "more blocks available");
}

TEST(NetInterface, ParsesSpeedStateAndMac) {
  auto n = parse_net_interface("ens1f0", "25000\n", "up\n", "B8:CE:F6:5A:10:00\n");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n->speed_mbps, 25000u);
  EXPECT_TRUE(n->up());
  EXPECT_EQ(n->mac, "b8:ce:f6:5a:10:00");
  auto unknown = parse_net_interface("eth0", "-1\n", "up", "02:fc:00:00:00:01");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->speed_mbps);
  auto unreadable = parse_net_interface("eth1", std::nullopt, "down", "02:fc:00:00:00:02");
  ASSERT_TRUE(unreadable.ok());
  EXPECT_FALSE(unreadable->speed_mbps);
  EXPECT_FALSE(unreadable->up());
  expect_error(parse_net_interface("eth0", "fast", "up", "02:fc:00:00:00:01"),
               "speed \"fast\" is not Mb/s");
  expect_error(parse_net_interface("eth0", "1000", "sideways", "02:fc:00:00:00:01"),
               "operstate \"sideways\" is unknown");
  expect_error(parse_net_interface("eth0", "1000", "up", "02:fc:00:00:00"), "is not a MAC address");
  expect_error(parse_net_interface("eth0", "1000", "up", "02-fc-00-00-00-01"),
               "is not a MAC address");
}

TEST(NvidiaSmi, ParsesOneGpuPerLine) {
  auto g = parse_nvidia_smi("NVIDIA H100 80GB HBM3, 81559\nNVIDIA H100 80GB HBM3, 81559\n\n");
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_EQ(g->size(), 2u);
  EXPECT_EQ((*g)[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ((*g)[0].memory_mib, 81559u);
  auto none = parse_nvidia_smi("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  expect_error(parse_nvidia_smi("NVIDIA A100, [N/A]\n"), "memory \"[N/A]\" is not MiB");
  expect_error(parse_nvidia_smi("No devices were found\n"), "is not \"name, memory\"");
  expect_error(parse_nvidia_smi("A, B, 4096\n"), "more than 2 fields");
  expect_error(parse_nvidia_smi(", 4096\n"), "no GPU name");
}

TEST(VirtualNames, AreRecognised) {
  for (const char* n : {"lo", "veth12ab", "docker0", "br-1a2b", "virbr0", "ifb0", "bond0"}) {
    EXPECT_TRUE(is_virtual_interface_name(n)) << n;
  }
  for (const char* n : {"eth0", "eno1", "ens1f0np0", "enP2p1s0f0np0"}) {
    EXPECT_FALSE(is_virtual_interface_name(n)) << n;
  }
  for (const char* n : {"loop0", "zram0", "dm-0", "md127", "ram0", "sr0"}) {
    EXPECT_TRUE(is_virtual_block_name(n)) << n;
  }
  for (const char* n : {"sda", "vda", "nvme0n1", "xvda"})
    EXPECT_FALSE(is_virtual_block_name(n)) << n;
}

}  // namespace
}  // namespace icn::host
