// The canonical fingerprint text and its keccak256.
#include "icn/host/fingerprint.hpp"

#include <algorithm>
#include <vector>

#include "icn/core/keccak.hpp"

namespace icn::host {
namespace {

// '|' and newlines separate fields and lines; a model holding one would make two inventories
// encode alike, so they are escaped.
std::string field(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '\\' || c == '\n') out += '\\';
    out += c == '\n' ? 'n' : c;
  }
  return out;
}

}  // namespace

std::string fingerprint_text(const HostInventory& inv) {
  constexpr uint64_t kGiB = 1ULL << 30;
  std::string out = "icn-host-fingerprint/v1\n";
  out += "cpu=" + field(inv.cpu.model) + "|" + std::to_string(inv.cpu.sockets) + "|" +
         std::to_string(inv.cpu.cores) + "|" + std::to_string(inv.cpu.threads) + "\n";
  out += "memory_gib=" + std::to_string((inv.memory_bytes + kGiB / 2) / kGiB) + "\n";
  std::vector<std::string> lines;
  for (const DiskInfo& d : inv.disks) {
    lines.push_back("disk=" + field(d.model) + "|" + std::to_string(d.bytes) + "|" +
                    (d.rotational ? "1" : "0"));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) out += l + "\n";
  lines.clear();
  for (const NicInfo& n : inv.nics) lines.push_back("nic=" + n.mac);
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) out += l + "\n";
  lines.clear();
  for (const GpuInfo& g : inv.gpus) {
    lines.push_back("gpu=" + field(g.name) + "|" + std::to_string(g.memory_mib));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Hash hardware_fingerprint(const HostInventory& inv) {
  return keccak256(std::string_view(fingerprint_text(inv)));
}

}  // namespace icn::host
