// What a ScalerNode's server is made of (CPU, memory, disks, data path, NICs, GPUs) and the pure
// parsers that read it from the kernel's text files and nvidia-smi's CSV. No I/O here: the
// reader (inventory_reader.hpp) hands each parser a file's contents, so captured trees and
// malformed samples test the same code the daemon runs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "icn/core/result.hpp"

namespace icn::host {

struct CpuInfo {
  std::string model;     // "AMD EPYC 7543 32-Core Processor", "ARM Neoverse-N1"
  std::string arch;      // "x86_64" or "aarch64" (from the format, not uname)
  uint32_t sockets = 0;  // distinct physical ids (1 when the format does not say)
  uint32_t cores = 0;    // physical cores over all sockets
  uint32_t threads = 0;  // logical CPUs (what the class's vCPU counts)
};

struct DiskInfo {
  std::string name;    // "sda", "nvme0n1"
  std::string model;   // device/model, trimmed; "" when the driver gives none (virtio)
  uint64_t bytes = 0;  // size × 512 (the kernel counts 512-byte sectors whatever the device)
  bool rotational = false;
};

// statvfs of the directory the node's capacity lives on.
struct DataPathInfo {
  std::string path;
  uint64_t total_bytes = 0;  // f_blocks × f_frsize
  uint64_t free_bytes = 0;   // f_bavail × f_frsize (what an unprivileged writer may still use)
};

struct NicInfo {
  std::string name;                    // "eth0", "enp65s0f0"
  std::string mac;                     // lower-case "aa:bb:cc:dd:ee:ff"
  std::optional<uint32_t> speed_mbps;  // nullopt: the driver does not say (-1, EINVAL, link down)
  std::string operstate;               // "up", "down", … as the kernel says
  bool up() const { return operstate == "up"; }
};

struct GpuInfo {
  std::string name;  // "NVIDIA H100 80GB HBM3"
  uint64_t memory_mib = 0;
};

struct HostInventory {
  CpuInfo cpu;
  uint64_t memory_bytes = 0;    // MemTotal (installed memory less what the kernel reserves)
  std::vector<DiskInfo> disks;  // physical block devices, by name
  std::optional<DataPathInfo> data_path;
  std::vector<NicInfo> nics;       // physical interfaces, by name
  std::vector<GpuInfo> gpus;       // empty without nvidia-smi
  std::vector<std::string> notes;  // what could not be read and was left out, and why
};

// ---- parsers: each rejects malformed input with a reason naming the file and the line ----

// /proc/cpuinfo in the x86 format ("model name", "physical id", "core id") or the aarch64 one
// ("CPU implementer", "CPU part"; no sockets or SMT in the file, so sockets = 1 and cores =
// threads).
Result<CpuInfo> parse_cpuinfo(std::string_view text);
// MemTotal of /proc/meminfo, in bytes.
Result<uint64_t> parse_meminfo(std::string_view text);
// /sys/block/<name>/{size, queue/rotational, device/model}; `model` nullopt when the file is
// absent.
Result<DiskInfo> parse_block_device(std::string_view name, std::string_view size,
                                    std::string_view rotational,
                                    std::optional<std::string_view> model);
// statvfs numbers of the data path.
Result<DataPathInfo> data_path_from_statvfs(std::string path, uint64_t fragment_size,
                                            uint64_t blocks, uint64_t blocks_available);
// A captured tree's statvfs of its data path: `stat -f -c '%S %b %a' PATH`, i.e. fragment size,
// blocks and blocks available, separated by spaces.
Result<DataPathInfo> parse_data_path_capture(std::string path, std::string_view text);
// /sys/class/net/<name>/{speed, operstate, address}; `speed` nullopt when reading it failed
// (the kernel answers EINVAL for a link that is down or a driver that does not know).
Result<NicInfo> parse_net_interface(std::string_view name, std::optional<std::string_view> speed,
                                    std::string_view operstate, std::string_view address);
// `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`: one GPU per line.
Result<std::vector<GpuInfo>> parse_nvidia_smi(std::string_view text);

// Interfaces that are never a server's uplink whatever /sys says about them.
bool is_virtual_interface_name(std::string_view name);
// Block devices that are not disks: loop, ram, zram, device-mapper, md.
bool is_virtual_block_name(std::string_view name);

// The inventory as JSON (the daemon's /v1/host and `icn node inventory --json`).
nlohmann::json to_json(const HostInventory& inventory);
// "23.5 GiB", "4.00 TB": for messages.
std::string format_gib(uint64_t bytes);
std::string format_tb(uint64_t bytes);

}  // namespace icn::host
