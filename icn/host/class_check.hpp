// Checks a HostInventory against its hardware class (Registry.hardwareClass: vCPU, RAM, disks,
// NIC, storage per capacity unit): one finding per requirement, a warning for each shortfall.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "icn/host/inventory.hpp"

namespace icn::host {

// Registry's HardwareClassSpec, as host needs it (the daemon and the CLI copy it from
// chain::HardwareClassInfo, so icn/host does not depend on the chain). 0 = not required.
struct HardwareClass {
  std::string name;  // "storage-s1"
  std::string unit;  // what a node's capacity counts, "TB"
  uint32_t storage_tb_per_unit = 0;
  uint32_t vcpus = 0;
  uint32_t ram_gb = 0;  // installed memory, GiB
  uint32_t disks = 0;   // disks of at least disk_tb each
  uint32_t disk_tb = 0;
  uint32_t nic_gbps = 0;  // fastest link that is up
};

struct Finding {
  enum class Severity { kOk, kWarning, kUnknown };  // unknown: the host does not say
  Severity severity = Severity::kOk;
  std::string subject;  // "vcpus", "memory", "disks", "nic", "capacity"
  std::string message;  // "memory 15.6 GiB is below the class's 32 GiB"
};
std::string_view to_string(Finding::Severity severity);

// MemTotal sits below the installed memory by what the firmware and kernel keep, a few percent:
// the memory check allows this much.
inline constexpr double kMemoryReservedFraction = 0.06;

// `capacity_units`: the node's registered capacity; when given, the data path (if known) must
// hold capacity × storage_tb_per_unit TB. Disk sizes count in decimal TB, as disks are sold.
std::vector<Finding> check_against_class(const HostInventory& inventory,
                                         const HardwareClass& hardware_class,
                                         std::optional<uint64_t> capacity_units = std::nullopt);
size_t shortfalls(const std::vector<Finding>& findings);  // the warnings

// The capacity (in class units) the data path can hold: total size / storage_tb_per_unit TB,
// rounded down. nullopt without a data path or when the class has no storage per unit.
std::optional<uint64_t> capacity_units_of(const HostInventory& inventory,
                                          const HardwareClass& hardware_class);

nlohmann::json to_json(const std::vector<Finding>& findings);

}  // namespace icn::host
