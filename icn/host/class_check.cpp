// check_against_class: the inventory against each requirement of the class.
#include "icn/host/class_check.hpp"

#include <algorithm>

namespace icn::host {
namespace {

constexpr uint64_t kGiB = 1ULL << 30;
constexpr uint64_t kTB = 1'000'000'000'000ULL;

std::string gbps(uint32_t mbps) {
  char buf[32];
  if (mbps % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%u Gb/s", mbps / 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f Gb/s", mbps / 1000.0);
  }
  return buf;
}

}  // namespace

std::string_view to_string(Finding::Severity severity) {
  switch (severity) {
    case Finding::Severity::kOk:
      return "ok";
    case Finding::Severity::kWarning:
      return "warning";
    case Finding::Severity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::vector<Finding> check_against_class(const HostInventory& inv, const HardwareClass& c,
                                         std::optional<uint64_t> capacity_units) {
  using S = Finding::Severity;
  std::vector<Finding> out;
  const std::string cls = "the class's";
  if (c.vcpus > 0) {
    const std::string have = std::to_string(inv.cpu.threads) + " vCPUs";
    if (inv.cpu.threads < c.vcpus) {
      out.push_back({S::kWarning, "vcpus",
                     have + " is below " + cls + " " + std::to_string(c.vcpus) + " vCPUs"});
    } else {
      out.push_back({S::kOk, "vcpus", have + " meets " + cls + " " + std::to_string(c.vcpus)});
    }
  }
  if (c.ram_gb > 0) {
    const double need = static_cast<double>(c.ram_gb) * kGiB * (1 - kMemoryReservedFraction);
    const std::string have = "memory " + format_gib(inv.memory_bytes);
    if (static_cast<double>(inv.memory_bytes) < need) {
      out.push_back({S::kWarning, "memory",
                     have + " is below " + cls + " " + std::to_string(c.ram_gb) + " GiB"});
    } else {
      out.push_back(
          {S::kOk, "memory", have + " meets " + cls + " " + std::to_string(c.ram_gb) + " GiB"});
    }
  }
  if (c.disks > 0) {
    // Decimal TB, less 1 % for vendors that round up.
    const uint64_t min_bytes = c.disk_tb * kTB / 100 * 99;
    const auto big = static_cast<uint32_t>(
        std::count_if(inv.disks.begin(), inv.disks.end(),
                      [&](const DiskInfo& d) { return d.bytes >= min_bytes; }));
    const std::string need = std::to_string(c.disks) + " × " + std::to_string(c.disk_tb) + " TB";
    const std::string have = std::to_string(big) + " disk(s) of at least " +
                             std::to_string(c.disk_tb) + " TB (of " +
                             std::to_string(inv.disks.size()) + ")";
    out.push_back(big < c.disks
                      ? Finding{S::kWarning, "disks", have + " is below " + cls + " " + need}
                      : Finding{S::kOk, "disks", have + " meets " + cls + " " + need});
  }
  if (c.nic_gbps > 0) {
    std::optional<uint32_t> fastest;
    for (const NicInfo& n : inv.nics) {
      if (n.up() && n.speed_mbps) fastest = std::max(fastest.value_or(0), *n.speed_mbps);
    }
    const std::string need = std::to_string(c.nic_gbps) + " Gb/s";
    if (!fastest) {
      out.push_back(
          {S::kUnknown, "nic",
           "no interface that is up reports its speed; cannot check " + cls + " " + need});
    } else if (*fastest < uint64_t{c.nic_gbps} * 1000) {
      out.push_back(
          {S::kWarning, "nic", "fastest link " + gbps(*fastest) + " is below " + cls + " " + need});
    } else {
      out.push_back(
          {S::kOk, "nic", "fastest link " + gbps(*fastest) + " meets " + cls + " " + need});
    }
  }
  if (capacity_units && c.storage_tb_per_unit > 0) {
    const std::string need = std::to_string(*capacity_units) + " " + c.unit + " × " +
                             std::to_string(c.storage_tb_per_unit) + " TB";
    if (!inv.data_path) {
      out.push_back({S::kUnknown, "capacity", "no data path given; cannot check capacity " + need});
    } else {
      const double need_bytes =
          static_cast<double>(*capacity_units) * c.storage_tb_per_unit * static_cast<double>(kTB);
      const std::string have =
          "data path " + inv.data_path->path + " " + format_tb(inv.data_path->total_bytes);
      if (static_cast<double>(inv.data_path->total_bytes) < need_bytes) {
        out.push_back(
            {S::kWarning, "capacity", have + " is below the registered capacity " + need});
      } else {
        out.push_back({S::kOk, "capacity", have + " holds the registered capacity " + need});
      }
    }
  }
  return out;
}

size_t shortfalls(const std::vector<Finding>& findings) {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return f.severity == Finding::Severity::kWarning;
  }));
}

std::optional<uint64_t> capacity_units_of(const HostInventory& inv, const HardwareClass& c) {
  if (!inv.data_path || c.storage_tb_per_unit == 0) return std::nullopt;
  return inv.data_path->total_bytes / (uint64_t{c.storage_tb_per_unit} * kTB);
}

nlohmann::json to_json(const std::vector<Finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const Finding& f : findings) {
    out.push_back(
        {{"severity", to_string(f.severity)}, {"subject", f.subject}, {"message", f.message}});
  }
  return out;
}

}  // namespace icn::host
